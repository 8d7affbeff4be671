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
