import AttuneYAML

/// One entry of a pack's `plugins:`: where the plugin is and the sha256 of its file, so that the
/// pack runs exactly the plugin its author tested.
///
/// ```yaml
/// plugins:
///   wasm-streak: {wasm: plugins/wasm-streak.wasm, sha256: 3f1c…}
///   dropout-model: {exec: [python3, plugins/model.py], file: plugins/model.py, sha256: 9ab0…, timeout: 30}
/// ```
public struct PluginDeclaration: Sendable {
    public enum Route: Sendable, Hashable {
        /// A WebAssembly module, run in-process in the sandbox.
        case wasm(path: String)
        /// A local program and its arguments, run once per review (only with `--allow-exec-plugins`).
        case exec(arguments: [String])
    }

    public var name: String
    public var route: Route
    /// The file the pin covers, relative to the pack: the module, or the script a process runs.
    public var file: String
    public var sha256: String
    /// How long a process plugin may take to answer one request, in seconds; nil: the default.
    public var timeout: Double?
    public var location: SourceLocation

    /// The keys of a plugin entry, declared once: the decoder's unknown-key check and the JSON Schema.
    public enum Key: String, CaseIterable, Sendable {
        case wasm, exec, file, sha256, timeout
    }

    public static let keys = Key.allCases.map(\.rawValue)
    /// The longest `timeout:` a pack may give a process plugin: an hour per call is already a stuck review.
    public static let timeoutRange: ClosedRange<Double> = 0.1...3600

    static func decode(_ name: String, _ pair: Node.Pair, _ reader: inout ScalarReader) -> PluginDeclaration? {
        let location = reader.location(pair.key)
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }), !name.isEmpty
        else {
            reader.error(.invalidValue, "plugin name '\(name)' must be letters, digits, '-' and '_'", at: pair.key)
            return nil
        }
        let before = reader.diagnostics.count
        var wasm: String?
        var exec: [String]?
        var file: String?
        var sha256: String?
        var timeout: (value: Double, node: Node)?
        for (key, field) in reader.pairs(pair.value, field: "plugin \(name)") ?? [] {
            guard let known = reader.known(key, as: Key.self, in: "plugin \(name)", suggesting: keys, at: field.key)
            else { continue }
            switch known {
            case .wasm: wasm = reader.string(field.value, field: "wasm")
            case .exec:
                exec = reader.strings(field.value, field: "exec")
                if exec?.isEmpty == true {
                    reader.error(.invalidValue, "exec needs a program: [python3, plugins/model.py]", at: field.value)
                }
            case .file: file = reader.string(field.value, field: "file")
            case .sha256:
                sha256 = reader.string(field.value, field: "sha256")?.lowercased()
                if let pin = sha256, pin.count != 64 || !pin.allSatisfy(\.isHexDigit) {
                    reader.error(
                        .invalidValue,
                        "sha256 must be 64 hex digits (run: sha256sum \(file ?? wasm ?? "the file"))", at: field.value)
                }
            case .timeout:
                if let seconds = reader.number(field.value, field: "timeout") {
                    guard Self.timeoutRange.contains(seconds) else {
                        reader.error(
                            .invalidValue, "timeout is seconds per call, from 0.1 to 3600; found \(seconds)",
                            at: field.value)
                        continue
                    }
                    timeout = (seconds, field.value)
                }
            }
        }
        guard reader.diagnostics.count == before else { return nil }
        let route: Route
        switch (wasm, exec) {
        case (let path?, nil): route = .wasm(path: path)
        case (nil, let arguments?): route = .exec(arguments: arguments)
        default:
            reader.error(
                .invalidValue,
                "plugin \(name) needs exactly one of 'wasm: path.wasm' or 'exec: [program, args…]'", at: pair.key)
            return nil
        }
        if let timeout, case .wasm = route {
            reader.error(
                .invalidValue,
                "timeout is for process plugins; a WebAssembly plugin's budget is its fuel (docs/plugins.md)",
                at: timeout.node)
            return nil
        }
        let pinned: String
        switch route {
        case .wasm(let path): pinned = file ?? path
        case .exec(let arguments):
            guard let named = file ?? arguments.dropFirst().first else {
                reader.error(
                    .missingKey, "plugin \(name) needs 'file:', the script or program its sha256 pins", at: pair.key)
                return nil
            }
            pinned = named
        }
        guard let sha256 else {
            reader.error(
                .missingKey, "plugin \(name) needs 'sha256:' pinning \(pinned) (run: sha256sum \(pinned))", at: pair.key
            )
            return nil
        }
        return PluginDeclaration(
            name: name, route: route, file: pinned, sha256: sha256, timeout: timeout?.value, location: location)
    }
}
