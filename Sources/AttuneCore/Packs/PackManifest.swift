import AttuneYAML

/// A pack's `pack.yaml`: its name and version and the vocabulary it declares.
///
/// ```yaml
/// name: attune-default
/// version: 1.0.0
/// constants: {srs_cutoff: 36}
/// measures:
///   srs: {title: Session Rating Scale, range: [0, 40], better: higher, cutoff: 36}
/// sets:
///   withdrawal_markers: [minimal-response, topic-shift]
/// plugins:
///   wasm-streak: {wasm: plugins/wasm-streak.wasm, sha256: 3f1c…}
/// ```
public struct PackManifest: Sendable {
    public var name: String
    public var version: String
    public var description: String?
    public var measures: [MeasureSpec]
    public var constants: [(name: String, constant: Constant)]
    public var sets: [(name: String, set: NamedSet)]
    public var markers: [String]
    /// Plugin kinds the pack brings (docs/plugins.md).
    public var plugins: [PluginDeclaration] = []
    public var location: SourceLocation

    /// The keys of `pack.yaml`, declared once: the decoder's unknown-key check and did-you-mean,
    /// its required keys, and the JSON Schema (which switches over every case).
    public enum Key: String, CaseIterable, Sendable {
        case name, version, description, constants, measures, sets, markers, plugins

        public var isRequired: Bool {
            switch self {
            case .name, .version: return true
            case .description, .constants, .measures, .sets, .markers, .plugins: return false
            }
        }
    }

    /// The keys of a measure under `measures:`.
    public enum MeasureKey: String, CaseIterable, Sendable {
        case title, range, better, cutoff, risk
    }

    /// The keys of a constant written as a mapping, `{value: …, source: …}`.
    public enum ConstantKey: String, CaseIterable, Sendable {
        case value, source
    }

    public static let keys = Key.allCases.map(\.rawValue)
    public static let measureKeys = MeasureKey.allCases.map(\.rawValue)
    public static let constantKeys = ConstantKey.allCases.map(\.rawValue)

    /// Reads a manifest, appending every problem to `diagnostics`.
    static func decode(_ node: Node, file: String, diagnostics: inout [Diagnostic]) -> PackManifest {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        var manifest = PackManifest(
            name: "", version: "", measures: [], constants: [], sets: [], markers: [],
            location: reader.location(node))
        guard let pairs = reader.pairs(node, field: "pack.yaml") else { return manifest }
        var seen = Set<Key>()
        for (key, pair) in pairs {
            guard let known = reader.known(key, as: Key.self, in: "pack.yaml", suggesting: keys, at: pair.key) else {
                continue
            }
            seen.insert(known)
            let value = pair.value
            switch known {
            case .name: manifest.name = reader.string(value, field: "name") ?? ""
            case .version: manifest.version = reader.string(value, field: "version") ?? ""
            case .description: manifest.description = reader.scalar(value, field: "description")
            case .constants:
                for (name, constantPair) in reader.pairs(value, field: "constants") ?? [] {
                    checkName(name, constantPair.key, "constant", &reader)
                    if let constant = decodeConstant(constantPair.value, &reader) {
                        manifest.constants.append((name, constant))
                    }
                }
            case .measures:
                for (name, measurePair) in reader.pairs(value, field: "measures") ?? [] {
                    if let measure = decodeMeasure(name, measurePair, &reader) { manifest.measures.append(measure) }
                }
            case .sets:
                for (name, setPair) in reader.pairs(value, field: "sets") ?? [] {
                    checkName(name, setPair.key, "set", &reader)
                    if let members = reader.strings(setPair.value, field: "set \(name)") {
                        manifest.sets.append(
                            (name, NamedSet(members: members, location: reader.location(setPair.value))))
                    }
                }
            case .markers:
                manifest.markers = reader.strings(value, field: "markers") ?? []
            case .plugins:
                for (name, pluginPair) in reader.pairs(value, field: "plugins") ?? [] {
                    if let plugin = PluginDeclaration.decode(name, pluginPair, &reader) {
                        manifest.plugins.append(plugin)
                    }
                }
            }
        }
        for required in Key.allCases where required.isRequired && !seen.contains(required) {
            reader.error(.missingKey, "pack.yaml is missing '\(required.rawValue)'", at: node)
        }
        return manifest
    }

    private static func checkName(_ name: String, _ node: Node, _ what: String, _ reader: inout ScalarReader) {
        guard name.first.map({ $0.isLetter || $0 == "_" }) == true,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            reader.error(
                .invalidValue, "\(what) name '\(name)' must be letters, digits and '_' (usable in expressions)",
                at: node)
            return
        }
        if RecordPath.fields[name] != nil || RecordPath.structuredFields.contains(name) {
            reader.error(
                .invalidValue, "\(what) '\(name)' has the name of a record field; choose another name", at: node)
        }
    }

    /// Constants are plain numbers, `true`/`false`, text or lists, or `{value: …, source: …}`
    /// to say where a number comes from.
    private static func decodeConstant(_ node: Node, _ reader: inout ScalarReader) -> Constant? {
        if let pairs = node.mappingPairs {
            var constant: Constant?
            var source: String?
            for pair in pairs {
                let key = pair.key.scalarText ?? ""
                guard
                    let known = reader.known(
                        key, as: ConstantKey.self, in: "a constant", suggesting: constantKeys, at: pair.key)
                else { continue }
                switch known {
                case .value: constant = decodeConstant(pair.value, &reader)
                case .source: source = reader.string(pair.value, field: "source")
                }
            }
            guard var constant else {
                reader.error(.missingKey, "a constant written as a mapping needs 'value'", at: node)
                return nil
            }
            constant.source = source
            return constant
        }
        let location = reader.location(node)
        if let items = node.sequenceItems {
            let values = items.compactMap { item -> Value? in
                guard let text = reader.scalar(item, field: "a constant's item") else { return nil }
                return ScalarReader.parseNumber(text).map(Value.number) ?? .string(text)
            }
            return Constant(value: .list(values), location: location)
        }
        guard case .scalar(let text, let style) = node.content else {
            reader.error(
                .invalidValue, "a constant must be a number, true/false, text or a list, found \(node.shapeName)",
                at: node)
            return nil
        }
        if style == .plain {
            if let number = ScalarReader.parseNumber(text) {
                return Constant(value: .number(number), location: location)
            }
            if text == "true" || text == "false" { return Constant(value: .bool(text == "true"), location: location) }
        }
        return Constant(value: .string(text), location: location)
    }

    private static func decodeMeasure(_ name: String, _ pair: Node.Pair, _ reader: inout ScalarReader) -> MeasureSpec? {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), name.first?.isLetter == true
        else {
            reader.error(.invalidValue, "measure name '\(name)' must be letters, digits and '_'", at: pair.key)
            return nil
        }
        let before = reader.diagnostics.count
        var title = name
        var range: ClosedRange<Double>?
        var better: MeasureSpec.Direction?
        var cutoff: Double?
        var risk = false
        for (key, field) in reader.pairs(pair.value, field: "measure \(name)") ?? [] {
            guard
                let known = reader.known(
                    key, as: MeasureKey.self, in: "measure \(name)", suggesting: measureKeys, at: field.key)
            else { continue }
            switch known {
            case .title: title = reader.string(field.value, field: "title") ?? name
            case .range:
                let bounds = field.value.sequenceItems ?? []
                guard bounds.count == 2, let low = reader.number(bounds[0], field: "range"),
                    let high = reader.number(bounds[1], field: "range")
                else {
                    reader.error(.invalidValue, "range must be [lowest, highest]", at: field.value)
                    continue
                }
                guard low <= high else {
                    reader.error(
                        .invalidValue, "range [\(Value.format(low)), \(Value.format(high))] is empty", at: field.value)
                    continue
                }
                range = low...high
            case .better: better = reader.enumeration(field.value, field: "better", as: MeasureSpec.Direction.self)
            case .cutoff: cutoff = reader.number(field.value, field: "cutoff")
            case .risk: risk = reader.boolean(field.value, field: "risk") ?? false
            }
        }
        if range == nil, reader.diagnostics.count == before {
            reader.error(.missingKey, "measure \(name) needs a range: [lowest, highest]", at: pair.value)
        }
        if better == nil, reader.diagnostics.count == before {
            reader.error(.missingKey, "measure \(name) needs better: higher or lower", at: pair.value)
        }
        guard reader.diagnostics.count == before, let range, let better else { return nil }
        if let cutoff, !range.contains(cutoff) {
            reader.error(
                .invalidValue, "cutoff \(Value.format(cutoff)) is outside the range of \(name)", at: pair.value)
        }
        return MeasureSpec(name: name, title: title, range: range, better: better, cutoff: cutoff, isRiskItem: risk)
    }
}
