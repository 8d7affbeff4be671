import PlacePlanCore

/// `ecosystem.config.js` for PM2: one app per instance, `script: "ollama"`, `args: "serve"`,
/// `env` = the instance's environment (as in seed 003). Names are `ollama-<instance id>`.
public struct PM2Emitter: Emitter {
    public static let id = "pm2"
    public init() {}

    public func render(_ plan: Plan, context: EmitContext) -> [RenderedFile] {
        let view = PlanView(plan)
        var w = TextWriter(commentPrefix: "//")
        w.header(context)
        w.comment("Run on each host: pm2 start ecosystem.config.js --only <app name>; every app is one ollama serve.")
        w.line("module.exports = {")
        w.line("  apps: [")
        for h in view.hosts {
            for i in view.instances(h) {
                w.comment("  host \(h.name), port \(i.port)")
                w.line("    {")
                w.line("      name: \(JSONString.quote("ollama-" + i.id)),")
                w.line("      script: \"ollama\",")
                w.line("      args: \"serve\",")
                w.line("      interpreter: \"none\",")
                w.line("      autorestart: true,")
                w.line("      env: {")
                for (k, v) in view.env(i) { w.line("        \(JSONString.quote(k)): \(JSONString.quote(v)),") }
                w.line("      },")
                w.line("    },")
            }
        }
        w.line("  ],")
        w.line("};")
        return [RenderedFile(path: "ecosystem.config.js", contents: w.text)]
    }
}
