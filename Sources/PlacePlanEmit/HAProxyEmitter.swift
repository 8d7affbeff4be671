import Foundation
import PlacePlanCore

/// `haproxy.cfg`: one frontend on `proxy_port`, one backend per model selected by path prefix
/// `/m/<model>/`, prefix stripped, `balance leastconn`, active health checks on /api/version.
public struct HAProxyEmitter: Emitter {
    public static let id = "haproxy"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        let routes = view.routes.filter { !$0.endpoints.isEmpty }
        var w = TextWriter()
        w.header(context)
        w.comment("Check: haproxy -c -f haproxy.cfg. Listens on \(plan.settings.proxy_port); one prefix per model, stripped before Ollama:")
        for r in routes { w.comment("  /m/\(view.safe(model: r.model))/  ->  \(r.model)") }
        w.line("global")
        w.line("    maxconn 4096")
        w.line()
        w.line("defaults")
        w.line("    mode http")
        w.line("    timeout connect 5s")
        w.line("    timeout client 600s")
        w.line("    timeout server 600s")
        w.line()
        w.line("frontend placeplan")
        w.line("    bind :\(plan.settings.proxy_port)")
        for r in routes {
            let s = view.safe(model: r.model)
            w.line("    use_backend m_\(s) if { path_beg /m/\(s)/ }")
        }
        w.line("    default_backend unknown_model")
        for r in routes {
            let s = view.safe(model: r.model)
            let names = SafeName.unique(r.endpoints.map(\.instance))
            w.line()
            w.comment(r.model)
            w.line("backend m_\(s)")
            w.line("    balance leastconn")
            // ollama answers GET /api/version when up (server/routes.go).
            w.line("    option httpchk GET /api/version")
            // SafeName output holds only [A-Za-z0-9._-]; `.` is the one regex metacharacter, so it
            // becomes [.] (no backslashes, which HAProxy's own parser would also interpret).
            let pattern = "^/m/" + s.replacingOccurrences(of: ".", with: "[.]") + "/(.*)"
            w.line("    http-request replace-path \(pattern) /\\1")
            for e in r.endpoints {
                let name = names[e.instance] ?? SafeName.base(e.instance)
                w.line("    server \(name) \(HAProxyQuoting.quote("\(e.address):\(e.port)")) check\(e.backup ? " backup" : "")")
            }
        }
        w.line()
        w.line("backend unknown_model")
        w.line("    http-request return status 404 content-type text/plain string \"unknown model prefix; use /m/<model>/\"")
        return [RenderedFile(path: "haproxy.cfg", contents: w.text)]
    }
}
