import AttuneAuthoring
import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttunePlugins
import AttuneRuleTesting
import AttuneYAML
import Foundation
import Testing
import WAT

/// The WebAssembly sandbox: what a module may not import, and the budgets that end hostile
/// modules with an error naming the plugin (docs/plugins.md, "What the sandbox guarantees").
struct WasmPluginTests {
    static let folder = Fixtures.repositoryRoot + "/Examples/plugins/wasm-streak"

    /// A module with the ABI's exports, whose `attune_call` body is `call`.
    static func module(_ call: String, memory: String = "(memory (export \"memory\") 1)", extra: String = "") throws
        -> [UInt8]
    {
        try wat2wasm(
            """
            (module
              \(extra)
              \(memory)
              (func (export "attune_alloc") (param i32) (result i32) (i32.const 1024))
              (func (export "attune_call") (param i32 i32) (result i64) \(call)))
            """)
    }

    static func failure(_ bytes: [UInt8], limits: WasmPlugin.Limits = .standard) -> String {
        do {
            let plugin = try WasmPlugin(name: "hostile", bytes: bytes, limits: limits)
            _ = try plugin.call(KindProtocol.declareRequest())
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        #"(import "wasi_snapshot_preview1" "fd_open" (func (param i32) (result i32)))"#,
        #"(import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))"#,
        #"(import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))"#,
        #"(import "env" "clock" (func (result i64)))"#,
    ])
    func aModuleThatImportsAnythingIsRefusedAtLoad(_ importLine: String) throws {
        let message = Self.failure(try Self.module("(i64.const 0)", extra: importLine))
        #expect(message.hasPrefix("plugin hostile: imports "), "\(message)")
        #expect(message.contains("a WebAssembly plugin may import nothing"))
    }

    /// With a small budget: debug builds interpret slowly, and how long the standard budget
    /// takes in a release build is measured in BENCHMARKS.md, not asserted here.
    @Test func anEndlessLoopRunsOutOfFuel() throws {
        var limits = WasmPlugin.Limits.standard
        limits.fuel = 1_000_000
        let message = Self.failure(try Self.module("(loop $forever (br $forever)) (i64.const 0)"), limits: limits)
        #expect(
            message
                == "plugin hostile: ran out of its instruction budget (1000000 units) in one call: an endless loop, or too much work"
        )
    }

    /// A module that loops costs one budget per run, not one per timeline: later calls fail at once.
    @Test func afterRunningOutOfFuelLaterCallsFailAtOnce() throws {
        var limits = WasmPlugin.Limits.standard
        limits.fuel = 1_000_000
        let plugin = try WasmPlugin(
            name: "hostile", bytes: try Self.module("(loop $forever (br $forever)) (i64.const 0)"), limits: limits)
        #expect(throws: PluginError.self) { try plugin.call(KindProtocol.declareRequest()) }
        do {
            _ = try plugin.call(KindProtocol.declareRequest())
            Issue.record("the second call ran")
        } catch {
            #expect(error.description.hasPrefix("plugin hostile: is not running: ran out of its instruction budget"))
        }
    }

    @Test func growingMemoryTowardFourGigabytesStopsAtTheCap() throws {
        // Grows 16 MiB at a time for as long as memory.grow succeeds: up to 4 GiB without the cap.
        let message = Self.failure(
            try Self.module(
                """
                (loop $grow (br_if $grow (i32.ne (memory.grow (i32.const 256)) (i32.const -1)))) (i64.const 0)
                """))
        // One page to start and 15 growths of 16 MiB fit under the cap; the 16th asks past it.
        #expect(
            message == "plugin hostile: asked for 268500992 bytes of memory; the cap is 268435456 bytes (256 MiB)",
            "\(message)")
    }

    @Test func aHundredMegabyteAnswerIsRefused() throws {
        // 1700 pages (over 100 MiB) of memory, and a response of 100 MiB from address 0.
        let message = Self.failure(try Self.module("(drop (memory.grow (i32.const 1700))) (i64.const 104857600)"))
        #expect(message == "plugin hostile: answered 104857600 bytes; the most a response may be is 16 MiB")
    }

    @Test func aTrapIsAnErrorNamingThePlugin() throws {
        let message = Self.failure(try Self.module("(unreachable)"))
        #expect(message.hasPrefix("plugin hostile: trapped: "), "\(message)")
    }

    @Test func anAnswerOutsideMemoryIsAnError() throws {
        let message = Self.failure(try Self.module("(i64.const 0x7fff000000000010)"))
        #expect(message == "plugin hostile: attune_call pointed outside its memory")
    }

    @Test func aModuleWithoutTheExportsIsRefused() throws {
        let message = Self.failure(try wat2wasm("(module (memory (export \"memory\") 1))"))
        #expect(message == "plugin hostile: must export memory, attune_alloc, attune_call (docs/plugins.md)")
        #expect(Self.failure([0, 1, 2, 3]).hasPrefix("plugin hostile: is not a WebAssembly module"))
    }

    @Test func badJSONFromAModuleIsALoadErrorNamingThePlugin() throws {
        let bytes = try Self.module(
            "(i64.const 0x1000000008)", memory: "(memory (export \"memory\") 1) (data (i32.const 16) \"not json\")")
        let plugin = try WasmPlugin(name: "hostile", bytes: bytes)
        #expect(throws: PluginError.self) {
            try KindProtocol.declarations(from: try plugin.call(KindProtocol.declareRequest()), plugin: plugin.plugin)
        }
    }

    // MARK: The example plugin

    static func examplePlugin() throws -> WasmPlugin {
        try WasmPlugin(
            name: "wasm-streak",
            bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/plugins/wasm-streak.wasm"))))
    }

    @Test func theExampleDeclaresAKindTheSchemaAccepts() throws {
        let response = try Self.examplePlugin().call(KindProtocol.declareRequest())
        let kinds = try KindProtocol.declarations(from: response, plugin: "wasm-streak")
        #expect(kinds.map { $0.declaration.name } == ["wasm-streak"])
        #expect(kinds.first?.reads == [.date])
        let json = JSONSchemaValidator.instance(try JSONReader.document(in: .bytes(response), limits: .rules))
        let errors = JSONSchemaValidator(root: KindProtocolSchema.schema).validate(json)
        #expect(errors.isEmpty, "\(errors)")
    }

    /// The port finds what the built-in `streak` finds, finding for finding, on random timelines.
    @Test func theWasmPortAgreesWithTheBuiltInStreak() throws {
        let ruleSet = PackLoader(registry: BuiltinKinds.registry, plugins: PluginLoader(allowsProcesses: false))
            .load([DefaultPack.source, try PackSource.directory(Self.folder)])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let port = try #require(ruleSet.rule("plugin-missed-in-a-row"))
        var builtIn = port
        builtIn.id = "builtin-missed-in-a-row"
        builtIn.kind = try StreakKind(
            configuration: KindConfiguration(parameters: port.parameters, vocabulary: ruleSet.vocabulary))
        builtIn.registration = try #require(BuiltinKinds.registry["streak"])
        var generator = SystemRandomNumberGenerator()
        let attendance = ["attended", "no-show", "late-cancel", "cancelled"]
        var yaml = ""
        for client in 1...40 {
            var day = Day(iso: "2026-01-05")!
            for _ in 0..<Int.random(in: 1...30, using: &generator) {
                yaml +=
                    "- {client: C-\(client), therapist: T-1, episode: '1', date: \(day), attendance: \(attendance.randomElement(using: &generator)!)}\n"
                day = day.adding(days: 7)
            }
        }
        let (records, diagnostics) = Fixtures.records(yaml)
        #expect(diagnostics.isEmpty)
        let asOf = Day(iso: "2026-12-31")!
        let output = Engine(rules: [port, builtIn], vocabulary: ruleSet.vocabulary)
            .run(timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
        #expect(output.failures.isEmpty, "\(output.failures)")
        func summary(_ rule: String) -> [String] {
            output.findings.filter { $0.rule == rule }.map {
                "\($0.subject.client ?? "") \($0.opened) \($0.closed.map(\.description) ?? "open") \($0.message)"
            }
        }
        #expect(!summary("builtin-missed-in-a-row").isEmpty)
        #expect(summary("plugin-missed-in-a-row") == summary("builtin-missed-in-a-row"))
    }

    /// The example declares the built-in streak's branches and reports those it takes, so
    /// `attune test --coverage` covers the rule that uses it.
    @Test func theExampleReportsItsBranchesForCoverage() throws {
        let ruleSet = PackLoader(registry: BuiltinKinds.registry, plugins: PluginLoader(allowsProcesses: false))
            .load([DefaultPack.source, try PackSource.directory(Self.folder)])
        let report = CoverageReport.measure(ruleSet, filter: "plugin-missed-in-a-row")
        let entry = try #require(report.rules.first { $0.rule == "plugin-missed-in-a-row" })
        let branches = entry.items.filter { $0.kind == .branch }
        #expect(branches.map(\.text) == ["opens", "falls short", "closes"])
        #expect(branches.allSatisfy { $0.missing.isEmpty }, "\(branches.map { ($0.text, $0.outcomes) })")
    }

    static var clang: String? {
        let candidates = [ProcessInfo.processInfo.environment["CLANG"], "/opt/swift/usr/bin/clang"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) && Self.targetsWasm32($0) }
    }

    static func targetsWasm32(_ clang: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: clang)
        process.arguments = ["--target=wasm32", "-print-targets"]
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        guard (try? process.run()) != nil else { return false }
        let output = (process.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).contains("wasm32")
    }

    /// build.sh gives the committed module byte for byte, where clang can target wasm32.
    @Test(.enabled(if: clang != nil, "needs a clang that targets wasm32"))
    func theBuildScriptReproducesTheCommittedModule() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wasm-streak-\(UUID().uuidString).wasm")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [Self.folder + "/build.sh", output.path]
        process.environment = ["CLANG": try #require(Self.clang), "PATH": "/usr/bin:/bin"]
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let built = try Data(contentsOf: output)
        let committed = try Data(contentsOf: URL(fileURLWithPath: Self.folder + "/plugins/wasm-streak.wasm"))
        #expect(
            built == committed,
            "build.sh no longer reproduces plugins/wasm-streak.wasm: rebuild it and update the pin in pack.yaml")
    }
}
