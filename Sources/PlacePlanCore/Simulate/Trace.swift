import Foundation

/// A request trace (SPEC §8): CSV `timestamp,model,prompt_tokens,output_tokens`, one request a
/// line, in time order. Timestamps are seconds from the start, or ISO 8601 date-times (then they
/// count from the first one).
public struct Trace: Equatable, Sendable {
    public struct Request: Equatable, Sendable {
        /// Seconds from the start of the trace.
        public var time: Double
        public var model: String
        public var prompt: Int
        public var output: Int
        public init(time: Double, model: String, prompt: Int, output: Int) {
            self.time = time; self.model = model; self.prompt = prompt; self.output = output
        }
    }

    public var requests: [Request]
    public init(requests: [Request]) { self.requests = requests }

    public static let header = "timestamp,model,prompt_tokens,output_tokens"

    /// The CSV text: times in seconds with millisecond precision (what `parse` reads back exactly).
    public var csv: String {
        var out = Trace.header + "\n"
        out.reserveCapacity(requests.count * 40)
        for r in requests {
            out += "\(Trace.seconds(r.time)),\(CSV.field(r.model)),\(r.prompt),\(r.output)\n"
        }
        return out
    }

    /// `12.345`, `0.5`, `3`: shortest fixed-point text of a time rounded to the millisecond.
    static func seconds(_ t: Double) -> String {
        let ms = Int64((t * 1000).rounded())
        let whole = ms / 1000, frac = ms % 1000
        if frac == 0 { return "\(whole)" }
        var f = String(frac)
        while f.count < 3 { f = "0" + f }
        while f.hasSuffix("0") { f.removeLast() }
        return "\(whole).\(f)"
    }

    /// Reads a trace; every problem is reported at once with its line and the fix (exit 65).
    /// `models`: the names the plan knows (nil: accept any name).
    public static func parse(_ text: String, file: String, models: Set<String>? = nil) throws -> Trace {
        var diags: [Diagnostic] = []
        var dropped = 0
        func fail(_ line: Int, _ field: String, _ msg: String, _ fix: String) {
            if diags.count < 20 { diags.append(Diagnostic(file: file, line: line, field: field, message: msg, fix: fix)) } else { dropped += 1 }
        }
        let lines = CSV.lines(text)
        guard let head = lines.first(where: { !$0.text.allSatisfy(\.isWhitespace) }) else {
            throw InvalidInput([Diagnostic(file: file, line: 1, field: "", message: "is empty: a trace starts with the header \(header)",
                                           fix: "write one with `placeplan trace --plan PLAN.json -o \(file)`")])
        }
        let names = CSV.split(head.text).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let wanted = ["timestamp", "model", "prompt_tokens", "output_tokens"]
        var col: [Int] = []
        var missing: [String] = []
        for w in wanted {
            if let i = names.firstIndex(of: w) { col.append(i) } else { missing.append(w) }
        }
        if !missing.isEmpty {
            throw InvalidInput([Diagnostic(file: file, line: head.number, field: "", message: "header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (got \"\(head.text)\")",
                                           fix: "start the file with the header \(header)")])
        }
        var out: [Request] = []
        out.reserveCapacity(lines.count)
        var origin: Double?   // the first ISO 8601 time, in seconds since 1970
        var iso: Bool?
        var previous: (time: Double, line: Int)?
        let knownList = models.map { $0.sorted() } ?? []
        for l in lines where l.number > head.number {
            if l.text.allSatisfy(\.isWhitespace) { continue }
            let f = CSV.split(l.text)
            guard f.count > col.max()! else {
                fail(l.number, "", "has \(f.count) field\(f.count == 1 ? "" : "s"), the header \(names.count)", "write timestamp,model,prompt_tokens,output_tokens on every line")
                continue
            }
            let ts = f[col[0]].trimmingCharacters(in: .whitespaces)
            let model = f[col[1]].trimmingCharacters(in: .whitespaces)
            var ok = true
            var time = 0.0
            var timeOK = true
            if let s = Double(ts), s.isFinite, iso != true {
                iso = false
                if s < 0 { fail(l.number, "timestamp", "is negative (\(ts))", "give seconds from the start of the trace (0 or more)"); ok = false; timeOK = false }
                time = s
            } else if let abs = ISO8601.seconds(ts), iso != false {
                iso = true
                if origin == nil { origin = abs }
                time = abs - origin!
            } else {
                let other = iso == true ? "an ISO 8601 time such as 2024-05-01T12:00:00Z, like the lines above" : iso == false ? "seconds from the start, like the lines above" : "seconds from the start (e.g. 12.5) or an ISO 8601 time (2024-05-01T12:00:00Z)"
                fail(l.number, "timestamp", "is not a time (got \"\(ts)\")", "write \(other)")
                ok = false; timeOK = false
            }
            if model.isEmpty {
                fail(l.number, "model", "is empty", "name a model of the plan"); ok = false
            } else if let models, !models.contains(model) {
                let hint = diags.count >= 20 ? "" : suggestion(for: model, among: knownList).map { "did you mean \"\($0)\"? " } ?? ""
                fail(l.number, "model", "\"\(model)\" is not in the plan", "\(hint)use a model the plan lists (placeplan trace --plan PLAN.json writes only those)")
                ok = false
            }
            var tokens: [Int] = []
            for (k, field) in [(2, "prompt_tokens"), (3, "output_tokens")] {
                let s = f[col[k]].trimmingCharacters(in: .whitespaces)
                if let n = Int(s), n >= 0 { tokens.append(n); continue }
                if let n = Int(s), n < 0 {
                    fail(l.number, field, "is negative (\(n))", "give a token count of 0 or more")
                } else {
                    fail(l.number, field, "is not a whole number (got \"\(s)\")", "give a token count such as 512")
                }
                ok = false
            }
            if timeOK {
                // Order is checked against the last line with a valid time, whatever else is wrong there.
                if let p = previous, time < p.time {
                    fail(l.number, "timestamp", "\(ts) is earlier than the line before (line \(p.line))", "sort the trace by time, e.g. `(head -1 T.csv; tail -n +2 T.csv | sort -t, -k1,1g) > sorted.csv`")
                    ok = false
                } else {
                    previous = (time, l.number)
                }
            }
            if ok { out.append(Request(time: time, model: model, prompt: tokens[0], output: tokens[1])) }
        }
        if diags.isEmpty && out.isEmpty {
            fail(head.number, "", "has a header but no requests", "add one line per request, or generate a trace with `placeplan trace`")
        }
        if dropped > 0 { diags.append(Diagnostic(file: file, field: "", message: "… and \(dropped) more problem\(dropped == 1 ? "" : "s") like those above")) }
        if !diags.isEmpty { throw InvalidInput(diags) }
        return Trace(requests: out)
    }
}

// MARK: - CSV

/// The little CSV the traces need: comma-separated, double-quoted fields where a name holds a comma.
enum CSV {
    struct Line { var number: Int; var text: Substring }

    static func lines(_ text: String) -> [Line] {
        var out: [Line] = []
        var n = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {  // "\r\n" is one Character
            n += 1
            var s = raw
            if s.hasSuffix("\r") { s = s.dropLast() }
            if n == 1, s.hasPrefix("\u{FEFF}") { s = s.dropFirst() }
            out.append(Line(number: n, text: s))
        }
        return out
    }

    static func split(_ s: Substring) -> [String] {
        guard s.contains("\"") else { return s.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var out: [String] = []
        var cur = ""
        var quoted = false
        var it = s.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() { if n == "\"" { cur.append("\"") } else { quoted = false; pending = n } } else { quoted = false }
                } else { cur.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    static func field(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

// MARK: - ISO 8601

/// `2024-05-01T12:00:00Z`, `2024-05-01 12:00:00.250+02:00`, `2023-11-16 18:15:46.6805900` (Azure's
/// traces: no zone means UTC) → seconds since 1970. Written here so that parsing is the same on
/// every platform (Foundation's formatter differs between Linux and macOS on fractions).
enum ISO8601 {
    static func seconds(_ s: String) -> Double? {
        let u = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard u[k] >= 48, u[k] <= 57 else { return nil }; v = v * 10 + Int(u[k] - 48) }
            i += n
            return v
        }
        func eat(_ c: UInt8) -> Bool { if i < u.count, u[i] == c { i += 1; return true }; return false }
        guard let y = num(4), eat(45), let mo = num(2), eat(45), let d = num(2) else { return nil }
        guard (1...12).contains(mo), (1...31).contains(d) else { return nil }
        guard i < u.count, u[i] == 84 || u[i] == 32 || u[i] == 116 else { return i == u.count ? Double(days(y, mo, d) * 86400) : nil }
        i += 1
        guard let h = num(2), eat(58), let mi = num(2) else { return nil }
        var sec = 0.0
        if eat(58) {
            guard let ss = num(2) else { return nil }
            sec = Double(ss)
            if eat(46) || eat(44) {
                var scale = 0.1
                var any = false
                while i < u.count, u[i] >= 48, u[i] <= 57 { sec += Double(u[i] - 48) * scale; scale /= 10; i += 1; any = true }
                guard any else { return nil }
            }
        }
        guard h < 24, mi < 60, sec < 61 else { return nil }
        var offset = 0
        if eat(90) || eat(122) {
        } else if i < u.count, u[i] == 43 || u[i] == 45 {
            let sign = u[i] == 45 ? -1 : 1
            i += 1
            guard let oh = num(2) else { return nil }
            _ = eat(58)
            let om = num(2) ?? 0
            offset = sign * (oh * 3600 + om * 60)
        }
        guard i == u.count else { return nil }
        return Double(days(y, mo, d) * 86400 + h * 3600 + mi * 60 - offset) + sec
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
