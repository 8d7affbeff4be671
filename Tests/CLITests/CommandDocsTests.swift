import Foundation
import Testing

/// docs/commands.md documents every command and option the binary has (read from its own
/// `--experimental-dump-help`), and the root `--help` points newcomers at docs/.
@Suite struct CommandDocsTests {
    @Test func everyCommandAndOptionIsInDocsCommands() throws {
        let r = try CLI.run(["--experimental-dump-help"])
        #expect(r.status == 0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let doc = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/commands.md"), encoding: .utf8)
        var missing: [String] = []
        for sub in (command["subcommands"] as? [[String: Any]]) ?? [] {
            guard let name = sub["commandName"] as? String, name != "help" else { continue }
            if !doc.contains("\n## \(name)\n") { missing.append("section ## \(name)") }
            for arg in (sub["arguments"] as? [[String: Any]]) ?? [] {
                guard let names = arg["names"] as? [[String: Any]], let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                      long != "help", long != "version" else { continue }
                if !doc.contains("--\(long)") { missing.append("\(name) --\(long)") }
            }
        }
        #expect(missing.isEmpty, "not in docs/commands.md: \(missing)")
    }

    @Test func rootHelpLinksTheDocs() throws {
        let r = try CLI.run(["--help"])
        #expect(r.stdout.contains("docs/cluster-file.md"), "\(r.stdout)")
        #expect(r.stdout.contains("docs/commands.md"))
    }

    @Test func readmeLinksDocsNotOutsideTheRepository() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(!readme.contains("../shared/SPEC.md"))
        for d in ["docs/cluster-file.md", "docs/profiles.md", "docs/plan-file.md", "docs/commands.md"] {
            #expect(readme.contains("(\(d))"), "README does not link \(d)")
            #expect(FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent(d).path))
        }
        let lines = readme.split(separator: "\n").prefix(5).map(String.init)
        #expect(lines.filter { $0.hasPrefix("scripts/") }.count == 2, "the README starts with the two set-up commands")
    }
}
