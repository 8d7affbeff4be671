import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Asks Ollama instances `GET /api/version`, `/api/ps` and `/api/tags` over HTTP (URLSession),
/// all instances and all three requests at once, each with its own timeout. Read-only: it sends
/// nothing but these GETs.
public struct OllamaProbe: Sendable {
    /// Seconds each request may take, connect included.
    public var timeout: Double

    public init(timeout: Double) { self.timeout = timeout }

    /// One observation per target, in target order.
    public func observe(_ targets: [VerifyTarget]) async -> [Observation] {
        let config = URLSessionConfiguration.ephemeral
        // swift-corelibs-foundation truncates these to whole seconds (0.5 s times out at once,
        // 1.5 s after 1 s, measured), so they are only a backstop; `fetch` keeps the exact timeout.
        config.timeoutIntervalForRequest = timeout.rounded(.up) + 5
        config.timeoutIntervalForResource = timeout.rounded(.up) + 5
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpMaximumConnectionsPerHost = 4
        let session = URLSession(configuration: config)
        defer { session.finishTasksAndInvalidate() }
        return await withTaskGroup(of: (Int, Observation).self) { group in
            for (k, t) in targets.enumerated() {
                group.addTask { (k, await observe(t, session: session)) }
            }
            var out = [Observation?](repeating: nil, count: targets.count)
            for await (k, o) in group { out[k] = o }
            return out.map { $0! }
        }
    }

    func observe(_ t: VerifyTarget, session: URLSession) async -> Observation {
        guard let base = URL(string: t.url) else { return Observation(instance: t.instance, outcome: .down(reason: "bad URL \(t.url)")) }
        async let version = get(OllamaAPI.Version.self, base, "/api/version", session)
        async let ps = get(OllamaAPI.PS.self, base, "/api/ps", session)
        async let tags = get(OllamaAPI.Tags.self, base, "/api/tags", session)
        let (v, p, g) = await (version, ps, tags)
        do {
            let vv = try v.get(), pp = try p.get(), gg = try g.get()
            let available = (gg.models ?? []).compactMap { $0.name ?? $0.model }
            return Observation(instance: t.instance, outcome: .answered(version: vv.version, running: pp.models ?? [], available: available))
        } catch {
            return Observation(instance: t.instance, outcome: .down(reason: error.description))
        }
    }

    struct ProbeError: Error, CustomStringConvertible { var description: String }

    func get<T: Decodable>(_ type: T.Type, _ base: URL, _ path: String, _ session: URLSession) async -> Result<T, ProbeError> {
        var req = URLRequest(url: base.appendingPathComponent(String(path.dropFirst())))
        req.httpMethod = "GET"
        req.timeoutInterval = timeout.rounded(.up) + 5
        req.cachePolicy = .reloadIgnoringLocalCacheData
        let data: Data, response: URLResponse
        do {
            (data, response) = try await fetch(req, session)
        } catch let e as URLError {
            switch e.code {
            case .timedOut: return .failure(ProbeError(description: "\(path): no answer within \(Self.seconds(timeout)) s"))
            case .cannotConnectToHost: return .failure(ProbeError(description: "\(path): connection refused"))
            case .cannotFindHost, .dnsLookupFailed: return .failure(ProbeError(description: "\(path): unknown host \(base.host ?? "")"))
            default: return .failure(ProbeError(description: "\(path): \(e.localizedDescription)"))
            }
        } catch {
            return .failure(ProbeError(description: "\(path): \(error.localizedDescription)"))
        }
        guard let http = response as? HTTPURLResponse else { return .failure(ProbeError(description: "\(path): not an HTTP answer")) }
        guard (200..<300).contains(http.statusCode) else {
            let body = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure(ProbeError(description: "\(path): HTTP \(http.statusCode)\(body.isEmpty ? "" : " \(body)")"))
        }
        do { return .success(try JSONDecoder().decode(T.self, from: data)) } catch {
            return .failure(ProbeError(description: "\(path): the answer is not the JSON Ollama sends"))
        }
    }

    /// One request, answered or cancelled after exactly `timeout` seconds.
    func fetch(_ req: URLRequest, _ session: URLSession) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<(Data, URLResponse), Error>) in
            let once = ResumeOnce(cont)
            let task = session.dataTask(with: req) { data, response, error in
                if let data, let response { once.resume(.success((data, response))) } else { once.resume(.failure(error ?? URLError(.unknown))) }
            }
            let timeout = self.timeout
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                once.resume(.failure(URLError(.timedOut)))
                task.cancel()
            }
            task.resume()
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? String(Int(s)) : String(format: "%g", s)
    }
}

/// Resumes a continuation the first time only: the answer and the timer race.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var cont: CheckedContinuation<T, Error>?
    init(_ c: CheckedContinuation<T, Error>) { cont = c }
    func resume(_ r: Result<T, Error>) {
        lock.lock(); let c = cont; cont = nil; lock.unlock()
        c?.resume(with: r)
    }
}
