import Foundation
import Testing

/// Issue 19, item 6: help offers only what is accepted; messages agree with what is accepted.
@Suite struct NewcomerCLITests {
    @Test(arguments: ["scan", "footprint"])
    func helpOffersOnlyAcceptedFormats(command: String) throws {
        let help = try CLI.run([command, "--help"]).stdout
        #expect(help.contains("values: table, json;"), "\(help)")
        #expect(!help.contains("markdown") && !help.contains("svg"))
    }

    @Test(arguments: ["solve", "compare"])
    func timeLimitZeroMessageSaysMoreThanZero(command: String) throws {
        var args = [command, "Plans/seed000-mac-studio/cluster.yaml", "--time-limit", "0"]
        if command == "compare" { args += ["--profile", "conservative"] }
        let r = try CLI.run(args)
        #expect(r.status == 64)
        #expect(r.stderr.contains("more than 0"), "\(r.stderr)")
        #expect(!r.stderr.contains("between 0"))
    }

    @Test func decimalMacMemoryWarnsOnStandardError() throws {
        let dir = CLI.tempDir()
        let c = dir.appendingPathComponent("c.yaml")
        try Data("name: t\nhosts:\n  - name: mac\n    unified_memory: 192GB\nmodels: [{name: \"llama3:8b\"}]\n".utf8).write(to: c)
        let r = try CLI.run(["solve", c.path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("c.yaml:4:21: warning: hosts[0].unified_memory is 192 GB"), "\(r.stderr)")
        #expect(r.stdout.contains("did you mean `unified_memory: 192 GiB`?"))
    }
}

/// Issue 19, item 9: shell completion of profile names and catalog model names.
@Suite struct CompletionTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func scriptsAskPlaceplanForProfilesAndModels(shell: String) throws {
        let r = try CLI.run(["--generate-completion-script", shell])
        #expect(r.status == 0)
        #expect(r.stdout.contains("---completion solve -- --profile"), "\(shell)")
        #expect(r.stdout.contains("---completion footprint -- positional@0"))
        #expect(r.stdout.contains("---completion check-claim -- --model"))
    }

    @Test func profileNamesComplete() throws {
        let r = try CLI.run(["---completion", "solve", "--", "--profile", "3", "3", "placeplan", "solve", "--profile", "qua"])
        #expect(r.status == 0)
        #expect(r.stdout.split(separator: "\n") == ["quality-first", "quantity-first"], "\(r.stdout)")
    }

    @Test func profilesBesideTheClusterFileComplete() throws {
        let dir = CLI.tempDir()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Profiles"), withIntermediateDirectories: true)
        try Data("name: zz-mine\n".utf8).write(to: dir.appendingPathComponent("Profiles/zz-mine.yaml"))
        let cluster = dir.appendingPathComponent("c.yaml")
        try Data("name: t\n".utf8).write(to: cluster)
        let r = try CLI.run(["---completion", "compare", "--", "--profile", "4", "2", "placeplan", "compare", cluster.path, "--profile", "zz"], cwd: dir)
        #expect(r.stdout.split(separator: "\n") == ["zz-mine"], "\(r.stdout) \(r.stderr)")
    }

    @Test func modelNamesComplete() throws {
        let r = try CLI.run(["---completion", "footprint", "--", "positional@0", "2", "8", "placeplan", "footprint", "llama3:7"])
        #expect(r.stdout.split(separator: "\n") == ["llama3:70b"], "\(r.stdout)")
        let c = try CLI.run(["---completion", "check-claim", "--", "--model", "3", "4", "placeplan", "check-claim", "--model", "phi3"])
        #expect(c.stdout.split(separator: "\n").contains("phi3:14b"), "\(c.stdout)")
    }
}
