import Foundation
import PlacePlanCore

/// `haproxy.cfg`: one frontend on `proxy_port`, one backend per model selected by path prefix
/// `/m/<model>/`, prefix stripped, `balance leastconn`, active health checks on /api/version.
///
/// Without `option redispatch` and `retries`, HAProxy answers 503 to every request that reaches
/// a dead server before its health check marks it down. `retries 3` with `option redispatch 1`
/// sends each retry of a refused connection to another server, `timeout connect 1s` bounds a
/// connect to a silent host, and `inter 1s fall 1 rise 2` marks a dead server down within a
/// second. Measured with HAProxy 2.6 against stand-in servers (LiveProxyTests): one server killed
/// mid-run, 0 of 40 requests failed. Backup servers (the plan's `backup` role) get traffic only
/// when every primary of the model is down.
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
        w.line("    timeout connect 1s")
        w.line("    timeout client 600s")
        w.line("    timeout server 600s")
        w.line("    retries 3")
        w.line("    option redispatch 1")
        w.line("    default-server inter 1s fall 1 rise 2")
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
