import PlacePlanCore

/// `nginx.conf`: a complete nginx config routing `/m/<model>/` to that model's copies.
///
/// nginx cannot read the model from a JSON body, so each model gets a path prefix (SPEC §7);
/// `proxy_pass http://upstream/;` replaces the matched prefix with `/`, so Ollama sees
/// `/api/...` or `/v1/...`. Relative paths (pid, logs, temp dirs) resolve against nginx's
/// prefix, so `nginx -p DIR -c DIR/nginx.conf` runs it without root.
///
/// Failover: a copy refusing connections is skipped for the request (`proxy_next_upstream
/// error`) and marked down after `max_fails`; `backup` servers (the plan's `backup` role) get
/// requests only when every primary is down. Measured with nginx 1.22 against stand-in servers
/// (LiveProxyTests): one server killed mid-run, 0 of 40 requests failed.
public struct NginxEmitter: Emitter {
    public static let id = "nginx"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        let routes = view.routes.filter { !$0.endpoints.isEmpty }
        var w = TextWriter()
        w.header(context)
        w.comment("Run: nginx -p \"$PWD\" -c \"$PWD/nginx.conf\"   (check: nginx -t -p DIR -c FILE)")
        w.comment("Listens on \(plan.settings.proxy_port); one prefix per model, stripped before Ollama:")
        for r in routes { w.comment("  /m/\(view.safe(model: r.model))/  ->  \(r.model)") }
        w.line("worker_processes auto;")
        w.line("pid nginx.pid;")
        w.line("error_log error.log warn;")
        w.line()
        w.line("events {")
        w.line("    worker_connections 1024;")
        w.line("}")
        w.line()
        w.line("http {")
        w.line("    access_log access.log;")
        for t in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"] { w.line("    \(t)_temp_path \(t)_temp;") }
        for r in routes {
            w.line()
            w.comment("    \(r.model)")
            w.line("    upstream m_\(view.safe(model: r.model)) {")
            w.line("        least_conn;")
            for e in r.endpoints {
                // OSS nginx has passive health checks only: max_fails within fail_timeout.
                w.line("        server \(NginxQuoting.quote("\(e.address):\(e.port)")) max_fails=2 fail_timeout=30s\(e.backup ? " backup" : "");")
            }
            w.line("    }")
        }
        w.line()
        w.line("    server {")
        w.line("        listen \(plan.settings.proxy_port);")
        w.line("        # Long generations stream: no buffering, long read timeout.")
        w.line("        proxy_http_version 1.1;")
        w.line("        proxy_set_header Connection \"\";")
        w.line("        # Ollama bound to loopback accepts only local Host headers (server/routes.go allowedHostsMiddleware).")
        w.line("        proxy_set_header Host localhost;")
        w.line("        proxy_buffering off;")
        w.line("        proxy_read_timeout 600s;")
        w.line("        # A refused or timed-out connect moves the request to the next copy (backups last);")
        w.line("        # nginx never replays a POST it already sent (a started generation is not repeated).")
        w.line("        proxy_connect_timeout 2s;")
        w.line("        proxy_next_upstream error timeout http_502 http_503;")
        w.line("        client_max_body_size 0;")
        for r in routes {
            let s = view.safe(model: r.model)
            w.line()
            w.line("        location /m/\(s)/ {")
            w.line("            proxy_pass http://m_\(s)/;")
            w.line("        }")
        }
        w.line()
        w.line("        location / {")
        w.line("            return 404 \"unknown model prefix; use /m/<model>/\\n\";")
        w.line("        }")
        w.line("    }")
        w.line("}")
        return [RenderedFile(path: "nginx.conf", contents: w.text)]
    }
}
