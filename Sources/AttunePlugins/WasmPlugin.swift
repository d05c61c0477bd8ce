import AttuneCore
import Foundation
@_spi(Fuzzing) import WasmKit  // Store.resourceLimiter: the only way to cap memory.grow with a located error

/// A WebAssembly plugin, run in-process on WasmKit in a sandbox: the module may import nothing
/// (no WASI: no files, network, clock or randomness, so the same input always gives the same
/// output and records cannot leave the process), each call has a fuel (instruction) budget,
/// memory is capped, and the response is bounded.
///
/// ABI (docs/plugins.md): the module exports `memory`, `attune_alloc(size: i32) -> i32` and
/// `attune_call(pointer: i32, length: i32) -> i64`, whose result is `pointer << 32 | length` of
/// the JSON response in memory.
///
/// ```swift
/// let plugin = try WasmPlugin(name: "wasm-streak", bytes: moduleBytes, limits: .standard)
/// let response = try plugin.call(KindProtocol.declareRequest())
/// ```
// Unchecked: WasmKit's store is not Sendable; every call into it holds `lock`.
public final class WasmPlugin: PluginTransport, @unchecked Sendable {
    public struct Limits: Sendable {
        /// Fuel per call: about one unit per WebAssembly instruction.
        public var fuel: UInt64
        /// The most linear memory the module may have, in bytes.
        public var memoryBytes: Int
        /// The longest response accepted, in bytes.
        public var responseBytes: Int

        public init(fuel: UInt64, memoryBytes: Int, responseBytes: Int) {
            self.fuel = fuel
            self.memoryBytes = memoryBytes
            self.responseBytes = responseBytes
        }

        /// 2 billion instructions (well under 2 s of an endless loop here), 256 MiB, 16 MiB.
        public static let standard = Limits(fuel: 2_000_000_000, memoryBytes: 256 << 20, responseBytes: 16 << 20)
    }

    /// Refuses growth past the cap with an error, so the plugin stops with a clear message rather
    /// than carrying on with a failed `memory.grow`.
    private final class MemoryCap: ResourceLimiter, Sendable {
        let bytes: Int
        init(bytes: Int) { self.bytes = bytes }
        func limitMemoryGrowth(to desired: Int) throws -> Bool {
            guard desired <= bytes else { throw MemoryCapReached(desired: desired, cap: bytes) }
            return true
        }
        func limitTableGrowth(to desired: Int) throws -> Bool { desired <= 1 << 20 }
    }

    struct MemoryCapReached: Error, CustomStringConvertible {
        var desired: Int
        var cap: Int
        var description: String { "asked for \(desired) bytes of memory; the cap is \(cap) bytes (\(cap >> 20) MiB)" }
    }

    public static let exports = ["memory", "attune_alloc", "attune_call"]

    public let plugin: String
    private let limits: Limits
    // WasmKit's store and instance are not Sendable: every use is under `lock`, one call at a time.
    private let lock = NSLock()
    private let store: Store
    private let memory: Memory
    private let allocate: Function
    private let entry: Function
    /// The guest's stack, made once: WasmKit otherwise allocates (and frees) 512 KiB per call.
    private var stack: ExecutionStack
    /// Set when a call ran out of fuel: later calls fail at once, so that a module that loops
    /// costs one budget per run rather than one per timeline (like a process plugin that timed out).
    private var stopped: String?

    public init(name: String, bytes: [UInt8], limits: Limits = .standard) throws(PluginError) {
        plugin = name
        self.limits = limits
        let module: Module
        do {
            module = try parseWasm(bytes: bytes)
        } catch {
            throw PluginError(plugin: name, "is not a WebAssembly module: \(error)")
        }
        if !module.imports.isEmpty {
            let all = module.imports.map { "\($0.module).\($0.name)" }.joined(separator: ", ")
            throw PluginError(
                plugin: name,
                "imports \(all); a WebAssembly plugin may import nothing (no WASI: no files, network, clock or randomness)"
            )
        }
        store = Store(engine: Engine(configuration: EngineConfiguration(fuelMetering: true)))
        store.resourceLimiter = MemoryCap(bytes: limits.memoryBytes)
        store.fuel = Fuel(remaining: limits.fuel)
        let instance: Instance
        do {
            instance = try module.instantiate(store: store)
        } catch {
            throw PluginError(plugin: name, "cannot start: \(error)")
        }
        guard let memory = instance.exports[memory: "memory"],
            let allocate = instance.exports[function: "attune_alloc"],
            let entry = instance.exports[function: "attune_call"]
        else {
            throw PluginError(
                plugin: name, "must export " + Self.exports.joined(separator: ", ") + " (docs/plugins.md)")
        }
        self.memory = memory
        self.allocate = allocate
        self.entry = entry
        stack = ExecutionStack(engine: store.engine)
    }

    public func call(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let stopped { throw failure("is not running: \(stopped)") }
        store.fuel = Fuel(remaining: limits.fuel)
        do {
            let pointerResult = try allocate.invoke([.i32(UInt32(truncatingIfNeeded: request.count))], on: &stack)
            guard case .i32(let pointer)? = pointerResult.first else {
                throw failure("attune_alloc did not return an i32")
            }
            guard Int(pointer) + request.count <= memory.byteCount else {
                throw failure("attune_alloc returned memory outside its memory")
            }
            memory.withUnsafeMutableBufferPointer(offset: UInt(pointer), count: request.count) { buffer in
                buffer.copyBytes(from: request)
            }
            let result = try entry.invoke([.i32(pointer), .i32(UInt32(truncatingIfNeeded: request.count))], on: &stack)
            guard case .i64(let packed)? = result.first else { throw failure("attune_call did not return an i64") }
            let start = Int(packed >> 32)
            let length = Int(packed & 0xffff_ffff)
            guard length <= limits.responseBytes else {
                throw failure(
                    "answered \(length) bytes; the most a response may be is \(limits.responseBytes >> 20) MiB")
            }
            guard start + length <= memory.byteCount else { throw failure("attune_call pointed outside its memory") }
            return memory.withUnsafeBufferPointer(offset: UInt(start), count: length) { Array($0) }
        } catch let error as PluginError {
            throw error
        } catch let error as MemoryCapReached {
            throw failure(error.description)
        } catch let trap as Trap {
            let text = "\(trap)"
            if text.localizedCaseInsensitiveContains("fuel") {
                let message =
                    "ran out of its instruction budget (\(limits.fuel) units) in one call: an endless loop, or too much work"
                stopped = message
                throw failure(message)
            }
            throw failure("trapped: \(text)")
        } catch {
            throw failure("failed: \(error)")
        }
    }

    private func failure(_ message: String) -> PluginError { PluginError(plugin: plugin, message) }
}
