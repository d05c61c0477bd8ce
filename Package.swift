// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way (each module says below what it is for and what it may import):
//
//   CYAML <- AttuneYAML <- AttuneCore <- AttuneKinds, AttuneReporters, AttunePlugins (WasmKit), AttuneLedger (GRDB),
//                                         AttuneDefaultPack, AttuneRuleTesting
//   AttuneReporters <- AttuneAuthoring;  AttuneReporters, AttuneLedger, AttunePlugins <- AttuneServe (Hummingbird)
//   everything <- AttuneCLI (the commands; a site's own package can call AttuneCLI.main) <- attune
//
// The engine (AttuneCore) knows nothing of authoring, testing, reports, storage or the web: what only
// `attune lint/explain/rules/schema/diff/calibrate` or `attune test` need lives in AttuneAuthoring or
// AttuneRuleTesting, leaves that nothing but the CLI (and the tests) imports.
let package = Package(
    name: "Attune",
    platforms: [.macOS(.v15)],  // WasmKit needs macOS 15
    products: [
        .executable(name: "attune", targets: ["attune"]),
        .library(name: "AttuneCore", targets: ["AttuneCore"]),
        // A site's own `attune` (docs/plugins.md, "The Swift route"): its kinds conform to AttuneCore's
        // TimelineKind or FindingsKind, its reporters to AttuneReporters' Reporter, and its main calls
        // AttuneCLI.main(kinds:reporters:).
        .library(name: "AttuneKinds", targets: ["AttuneKinds"]),
        .library(name: "AttuneReporters", targets: ["AttuneReporters"]),
        .library(name: "AttuneCLI", targets: ["AttuneCLI"]),
        // The ledger's store API, for front ends built on it (a web front end, say).
        .library(name: "AttuneLedger", targets: ["AttuneLedger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // The WebAssembly runtime for plugin kinds (MIT licence, no Foundation, fuel metering).
        .package(url: "https://github.com/swiftwasm/WasmKit", .upToNextMinor(from: "0.4.2")),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // libyaml, through pkg-config. Only AttuneYAML imports it.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Documents: libyaml's event stream and a JSON reader, both producing located nodes.
        // Imports only CYAML; knows nothing of rules or records.
        .target(name: "AttuneYAML", dependencies: ["CYAML"]),
        // The engine: model, records, expressions, packs, kind protocol, evaluation, review assembly.
        // Imports only AttuneYAML; everything else builds on it.
        .target(name: "AttuneCore", dependencies: ["AttuneYAML"]),
        // Built-in detector kinds, one file each. Imports only AttuneCore.
        .target(name: "AttuneKinds", dependencies: ["AttuneCore"]),
        // Weekly review renderers (text, Markdown, HTML, CSV, JSON, history), one file each.
        // Imports only AttuneCore.
        .target(name: "AttuneReporters", dependencies: ["AttuneCore"]),
        // Tools for writing rule packs: lint (and its SARIF), explain, the rules reference, JSON Schemas,
        // finding diffs between two runs, calibration of expected responses. A leaf: only the CLI imports it.
        // Imports AttuneCore, and AttuneReporters for the Markdown diff.
        .target(name: "AttuneAuthoring", dependencies: ["AttuneCore", "AttuneReporters"]),
        // `attune test rules`: rule tests and kind examples, rule coverage, mutation testing, and their
        // JUnit, coverage and mutation reports. A leaf: only the CLI imports it.
        // Imports AttuneCore, and AttuneYAML for the kinds' YAML examples.
        .target(name: "AttuneRuleTesting", dependencies: ["AttuneCore", "AttuneYAML"]),
        // The supervision ledger: decisions that last from week to week, in SQLite through GRDB.
        // Only AttuneLedger imports GRDB; it knows findings and reviews, never records or their notes.
        .target(
            name: "AttuneLedger",
            dependencies: ["AttuneCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Plugin kinds from outside the repository: WebAssembly (sandboxed) and local processes.
        // The few process-spawning calls glibc shows only with _GNU_SOURCE (chdir and closefrom for posix_spawn).
        .target(name: "CPluginSpawn"),
        .target(
            name: "AttunePlugins",
            dependencies: ["AttuneCore", "CPluginSpawn", .product(name: "WasmKit", package: "WasmKit")]),
        // `attune serve`: the weekly review as a local web page on Hummingbird 2.
        // Only AttuneServe imports Hummingbird; it renders with AttuneReporters and writes through AttuneLedger.
        .target(
            name: "AttuneServe",
            dependencies: [
                "AttuneCore", "AttuneKinds", "AttuneReporters", "AttuneLedger", "AttuneDefaultPack", "AttunePlugins",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The default rule pack from rules/, embedded as generated source.
        .target(name: "AttuneDefaultPack", dependencies: ["AttuneCore"]),
        // mimalloc, the command line's allocator in place of the C library's malloc
        // (AttuneCLI/Support/MallocTuning.swift).
        .systemLibrary(
            name: "CMimalloc",
            providers: [.apt(["libmimalloc-dev"]), .brew(["mimalloc"])]
        ),
        // Linux's sync_file_range, to start writing a long report to disk while it is still being
        // written (AttuneCLI/Support/AtomicFile.swift).
        .target(name: "CFileWriteback"),
        // The command line, with the kinds and reporters it is given besides the built-in ones.
        .target(
            name: "AttuneCLI",
            dependencies: [
                "AttuneCore", "AttuneKinds", "AttuneReporters", "AttuneDefaultPack", "AttunePlugins", "AttuneLedger",
                "AttuneServe", "AttuneAuthoring", "AttuneRuleTesting", "CMimalloc", "CFileWriteback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // This repository's `attune`: AttuneCLI with the built-in kinds and reporters only.
        .executableTarget(name: "attune", dependencies: ["AttuneCLI"]),
        // Rule evaluation micro-benchmark (issue 7); not part of `swift test`.
        .executableTarget(
            name: "attune-eval-bench",
            dependencies: ["AttuneCore", "AttuneKinds", "AttuneDefaultPack"],
            path: "Benchmarks/EvaluationBenchmark"
        ),
        // Where the tests' temporary folders go, removed when the test process exits.
        .target(name: "AttuneTestSupport", path: "Tests/AttuneTestSupport"),
        .testTarget(
            name: "AttuneUnitTests",
            dependencies: [
                "AttuneTestSupport",
                "AttuneYAML", "AttuneCore", "AttuneKinds", "AttuneReporters", "AttuneDefaultPack", "AttuneLedger",
                "AttunePlugins", "AttuneAuthoring", "AttuneRuleTesting",
                // The command line's registries, for the Swift route's tests (Plugins/SiteKindTests).
                "AttuneCLI",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // WebAssembly text, for the sandbox's attack modules.
                .product(name: "WAT", package: "WasmKit"),
            ],
            // Golden report files, read through #filePath rather than bundled.
            exclude: ["Reporters/Golden"]
        ),
        .testTarget(
            name: "AttuneServeTests",
            dependencies: [
                "AttuneServe", "AttuneCore", "AttuneKinds", "AttuneReporters", "AttuneLedger", "AttuneDefaultPack",
                "AttuneTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "AttuneEndToEndTests",
            dependencies: ["attune", "AttuneTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
