import ArgumentParser
import Foundation
import PlacePlanCore

/// Maps errors to the exit codes of SPEC §6 and prints them to standard error.
enum Failure {
    static func exit(for error: Error) -> ExitCode {
        switch error {
        case let e as InvalidInput: printErr(e.description); return ExitCode(65)
        case let e as MissingInput: printErr(e.description); return ExitCode(66)
        case let e as OutputError: printErr(e.description); return ExitCode(73)
        case let e as Infeasible: printErr(e.description); return ExitCode(1)
        case let e as SolverFailure: printErr(e.description); return ExitCode(70)
        case let e as Unavailable: printErr(e.description); return ExitCode(69)
        case let e as ExitCode: return e
        default:
            printErr("placeplan: internal error: \(error)\nplease report this with the input that caused it")
            return ExitCode(70)
        }
    }

    /// Runs `body`, turning thrown errors into an exit code.
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let e as ExitCode { throw e } catch let e as CleanExit { throw e } catch { throw exit(for: error) }
    }
}

struct OutputError: Error, CustomStringConvertible { var description: String }
struct Infeasible: Error, CustomStringConvertible { var description: String }
struct SolverFailure: Error, CustomStringConvertible { var description: String }
/// Nothing answered (EX_UNAVAILABLE): `verify` when no planned instance answers.
struct Unavailable: Error, CustomStringConvertible { var description: String }

func printErr(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
}

func writeStdout(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, svg }
/// What `scan` and `footprint` print: only the formats they accept, so `--help` offers no others.
enum TableOrJSON: String, ExpressibleByArgument, CaseIterable { case table, json }

/// Paths and environment the library needs from the process.
enum Env {
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
    static var cwd: String { FileManager.default.currentDirectoryPath }

    static func locator(cluster: String?) -> ProfileLocator {
        ProfileLocator(clusterPath: cluster, executablePath: executablePath, environment: ProcessInfo.processInfo.environment, cwd: cwd)
    }

    /// The profile named on the command line, else in the cluster file, else the SPEC defaults.
    static func profile(_ name: String?, cluster: Cluster, clusterPath: String) throws -> Profile {
        guard let n = name ?? cluster.profile else { return .standard }
        if n == Profile.standard.name { return .standard }
        do { return try locator(cluster: clusterPath).load(n) } catch var e as InvalidInput where e.diagnostics.first?.field == "profile" {
            // Name where the profile was asked for: the command line or the cluster file.
            for i in e.diagnostics.indices { e.diagnostics[i].file = name != nil ? "--profile" : clusterPath }
            throw e
        }
    }
}

/// Writes a file whole (temp file + rename in the same directory) or not at all: `-o FILE`
/// replaces whatever was there, as every Unix tool does. (`--emit DIR`, where hand-edited files
/// may live, keeps its protection in OutputWriter.)
enum AtomicFile {
    static func write(_ contents: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        if let existing = FileManager.default.contents(atPath: path), existing == Data(contents.utf8) { return }
        let dir = url.deletingLastPathComponent()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).placeplan-\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(contents.utf8).write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                let err = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: tmp)
                throw OutputError(description: "\(path): error: cannot be written: \(err)")
            }
        } catch let e as OutputError { throw e } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw OutputError(description: "\(path): error: cannot be written: \((error as NSError).localizedDescription)\n  fix: check that the directory exists and is writable")
        }
    }
}
