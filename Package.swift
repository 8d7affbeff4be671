// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "placeplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "placeplan", targets: ["placeplan"]),
        .library(name: "PlacePlanCore", targets: ["PlacePlanCore"]),
        .library(name: "PlacePlanLive", targets: ["PlacePlanLive"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The only C: Debian's libglpk-dev ships no pkg-config file, so the module map links "glpk".
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        // The only importer of CGLPK.
        // On macOS, Homebrew's GLPK: shim.h finds the header under /opt/homebrew (Apple silicon) or
        // /usr/local (Intel); these flags let the linker find libglpk there. Linux is unaffected.
        .target(name: "GLPKSolver", dependencies: ["CGLPK"],
                linkerSettings: [.unsafeFlags(["-L/opt/homebrew/lib", "-L/usr/local/lib"], .when(platforms: [.macOS]))]),
        // GGUF header reader and Ollama store walker (pure Swift, reads headers only).
        .target(name: "GGUF"),
        // parse → validate → footprint → model → solve → plan; no printing, no exit.
        .target(name: "PlacePlanCore", dependencies: ["GLPKSolver", "GGUF", .product(name: "Yams", package: "Yams")]),
        // One emitter per file: scripts, Modelfiles, proxy configs.
        .target(name: "PlacePlanEmit", dependencies: ["PlacePlanCore"]),
        // verify: asks running Ollama instances over HTTP (URLSession) and compares with the plan.
        .target(name: "PlacePlanLive", dependencies: ["PlacePlanCore"]),
        .executableTarget(name: "placeplan", dependencies: [
            "PlacePlanCore", "PlacePlanEmit", "PlacePlanLive", "GGUF",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks/: seeded random clusters, peers, Falkenauer instances (`swift run -c release placeplan-bench`).
        .executableTarget(name: "placeplan-bench", dependencies: ["PlacePlanCore", "GLPKSolver"], path: "Benchmarks/Runner"),
        // Benchmarks/SimBench: `simulate` on a 1,000-model library (`swift run -c release placeplan-simbench`).
        .executableTarget(name: "placeplan-simbench", dependencies: ["PlacePlanCore"], path: "Benchmarks/SimBench"),
        .testTarget(name: "GLPKSolverTests", dependencies: ["GLPKSolver"]),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF"], exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlacePlanCoreTests", dependencies: ["PlacePlanCore", "GLPKSolver", "PlacePlanTestSupport"]),
        // The exhaustive-search oracle and random clusters, shared by the test suites.
        .target(name: "PlacePlanTestSupport", dependencies: ["PlacePlanCore"], path: "Tests/Support/PlacePlanTestSupport"),
        .testTarget(name: "PlacePlanEmitTests", dependencies: ["PlacePlanEmit", "PlacePlanCore"]),
        .testTarget(name: "CLITests", dependencies: ["PlacePlanCore", "OllamaStandIn"]),
        // Starts Tests/Support/fake_ollama.py stand-ins on free loopback ports, with injected faults.
        .target(name: "OllamaStandIn", dependencies: ["PlacePlanCore"], path: "Tests/Support/OllamaStandIn"),
        .testTarget(name: "PlacePlanLiveTests", dependencies: ["PlacePlanLive", "PlacePlanCore", "OllamaStandIn"]),
    ]
)
