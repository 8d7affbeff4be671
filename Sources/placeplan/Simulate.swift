import ArgumentParser
import Foundation
import PlacePlanCore

enum SimFormat: String, ExpressibleByArgument, CaseIterable { case table, json, html }
enum Baseline: String, ExpressibleByArgument, CaseIterable { case ollama }

/// `1h`, `30m`, `90s`, `1h30m`, or bare seconds.
struct TraceDuration: ExpressibleByArgument {
    var seconds: Double
    init?(argument: String) {
        guard let s = Units.parseDuration(argument), s > 0, s.isFinite else { return nil }
        seconds = s
    }
}

/// `600/h`, `10/min`, `0.5/s`, or a bare number of requests per hour.
struct TraceRate: ExpressibleByArgument {
    var perHour: Double
    init?(argument: String) {
        guard let r = Units.parseRate(argument), r > 0, r.isFinite else { return nil }
        perHour = r
    }
}

enum TraceArguments {
    static func read(_ path: String) throws -> String {
        guard let d = FileManager.default.contents(atPath: path) else { throw MissingInput(path: path, reason: "no such file or unreadable") }
        return String(decoding: d, as: UTF8.self)
    }

    static func plan(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw MissingInput(path: path, reason: "no such file or unreadable") }
        return try PlanCodec.decode(data, file: path)
    }
}

extension PlacePlan {
    struct TraceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trace",
            abstract: "Write a seeded request trace (CSV) for `simulate`.",
            discussion: """
            Writes timestamp,model,prompt_tokens,output_tokens: Poisson arrivals at --rate for --duration; \
            models drawn by their demand (the plan's demand_per_hour, or the cluster's demand:) when given, else by Zipf rank (weight 1/r^s, \
            r the model's position: the plan's models by name, or the cluster file's order); token counts \
            drawn from --tokens (a CSV with ContextTokens,GeneratedTokens columns, as Azure's public LLM \
            inference traces have), else log-normal (prompt median 600, output median 150). The same \
            arguments give the same bytes.

            Exit codes: 0 written; 64 usage; 65 invalid plan, cluster or --tokens file; 66 a file missing; \
            73 -o FILE cannot be written.
            """)

        @Option(help: "A plan file: the trace asks for its routed models.") var plan: String?
        @Option(help: "A cluster file instead of a plan: its models, in file order (not solved).") var cluster: String?
        @Option(help: "How long the trace lasts: 1h, 30m, 90s or seconds.") var duration: TraceDuration
        @Option(help: "Arrival rate: 600/h, 10/min, 0.5/s, or a number per hour.") var rate: TraceRate
        @Option(help: "Zipf exponent when the models have no demand.") var zipf: Double = 1.1
        @Option(help: "Random seed: the same seed gives the same trace.") var seed: UInt64 = 1
        @Option(help: "CSV with ContextTokens,GeneratedTokens columns to draw token counts from.") var tokens: String?
        @Option(name: .shortAndLong, help: "Write the trace here (whole, or not at all) instead of printing it.") var output: String?

        func validate() throws {
            if (plan == nil) == (cluster == nil) { throw ValidationError("give either --plan PLAN.json or --cluster CLUSTER") }
            guard zipf.isFinite, zipf >= 0 else { throw ValidationError("--zipf must be 0 or more (got \(zipf))") }
            if duration.seconds / 3600 * rate.perHour > 5_000_000 { throw ValidationError("--duration × --rate asks for more than 5,000,000 requests") }
        }

        func run() throws {
            try Failure.run {
                var models: [TraceGenerator.Model]
                if let plan {
                    let p = try TraceArguments.plan(plan)
                    let routed = Set(p.routes.filter { !$0.endpoints.isEmpty }.map(\.model))
                    models = p.models.filter { routed.contains($0.name) }.map { TraceGenerator.Model(name: $0.name, demandPerHour: $0.demand_per_hour) }
                    if models.isEmpty { throw InvalidInput([Diagnostic(file: plan, field: "routes", message: "routes no model", fix: "give a plan with at least one placed model")]) }
                } else {
                    let c = try ClusterLoader.load(path: cluster!)
                    for w in c.warnings { printErr(w.description) }
                    models = c.models.map { TraceGenerator.Model(name: $0.name, demandPerHour: $0.demandPerHour) }
                    if models.isEmpty { throw InvalidInput([Diagnostic(file: cluster!, field: "models", message: "lists no model", fix: "add models to the cluster file")]) }
                }
                let pairs = try tokens.map { try TraceGenerator.tokenPairs(TraceArguments.read($0), file: $0) }
                let t = TraceGenerator.generate(models: models, options: .init(duration: duration.seconds, ratePerHour: rate.perHour, zipf: zipf, seed: seed, tokens: pairs))
                if let output { try AtomicFile.write(t.csv, to: output) } else { writeStdout(t.csv) }
                let byDemand = TraceGenerator.weights(models, zipf: zipf).byDemand
                printErr("placeplan: \(t.requests.count) requests over \(models.count) models (\(byDemand ? "by demand" : "Zipf s=\(zipf)")), tokens \(pairs.map { "from \(tokens!) (\($0.count) rows)" } ?? TraceGenerator.defaultTokens)\(output.map { ", written to \($0)" } ?? "")")
            }
        }
    }

    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a request trace against a plan, event by event, and report latency and loads.",
            discussion: """
            Deterministic discrete-event replay (SPEC §8): slots per copy (parallel), resident copies \
            preloaded, on-demand copies loaded on first request (cold_start_s) and evicted least recently \
            used within the instance's on-demand budget, keep-alive expiry, prefill then decode with \
            streams on one device sharing its bandwidth as `compare` models it. --baseline ollama also \
            runs one plain Ollama per host with its defaults (nothing preloaded, OLLAMA_MAX_LOADED_MODELS \
            3 per GPU, keep_alive 5m, NUM_PARALLEL 1) over the same memory. Figures the plan lacks are \
            defaulted and listed under "assumptions". docs/commands.md has the details.

            Exit codes: 0 simulated; 64 usage; 65 invalid plan or trace (every bad line named, with the \
            fix); 66 a file missing; 73 -o FILE cannot be written.
            """)

        @Argument(help: "A plan file written by `placeplan solve -o`.") var plan: String
        @Option(help: "The trace: timestamp,model,prompt_tokens,output_tokens (see `placeplan trace`).") var trace: String
        @Option(help: "Also simulate a baseline on the same trace and memory: ollama.") var baseline: Baseline?
        @Option(help: "What to print: table, json or html.") var format: SimFormat = .table
        @Option(name: .shortAndLong, help: "Write the output here (whole, or not at all) instead of printing it.") var output: String?

        func run() throws {
            try Failure.run {
                let p = try TraceArguments.plan(plan)
                let t = try Trace.parse(TraceArguments.read(trace), file: trace, models: Set(p.models.map(\.name)))
                let r = SimResult.run(p, trace: t, baseline: baseline != nil)
                let name = (trace as NSString).lastPathComponent
                let text: String
                switch format {
                case .json: text = r.json
                case .table: text = SimulateReport.table(r, trace: name)
                case .html: text = SimulateReport.html(r, trace: name)
                }
                if let output { try AtomicFile.write(text, to: output) } else { writeStdout(text) }
            }
        }
    }
}
