import AttuneCore

extension JSONSchemaGenerator {
    // MARK: Tests

    func expectation(scenario: Bool) -> JSON {
        let properties: [(String, JSON)] = RuleTestDecoder.ExpectationKey.allCases.map { key in
            switch key {
            case .opened: return (key.rawValue, Self.ref("date"))
            case .closed: return (key.rawValue, Self.nullable(Self.ref("date")))
            case .severity: return (key.rawValue, Self.enumeration(Severity.allCases.map(\.rawValue)))
            case .rule, .client, .episode, .therapist, .messageContains: return (key.rawValue, Self.ref("text"))
            }
        }
        return Self.object(properties, required: scenario ? ["rule"] : [])
    }

    /// The schema of a test's key, inline or in a scenario file.
    static func schema(of key: RuleTestDecoder.Key) -> JSON {
        switch key {
        case .name, .recordsFile: return Self.ref("text")
        case .asOf: return Self.ref("date")
        case .constants:
            return .object([
                ("type", .string("object")),
                ("additionalProperties", .object([("type", .string("number"))])),
            ])
        case .records: return Self.list(Self.ref("record"))
        case .expect: return Self.list(Self.ref("expectation"))
        case .expectAbsent: return Self.list(.object([("type", .string("string"))]))
        }
    }

    var inlineTest: JSON {
        Self.object(
            RuleTestDecoder.Key.allCases.filter(\.isInInlineTest).map { ($0.rawValue, Self.schema(of: $0)) },
            required: ["name", "records", "expect"])
    }

    var scenario: JSON {
        let properties = RuleTestDecoder.Key.allCases.filter(\.isInScenario).map { ($0.rawValue, Self.schema(of: $0)) }
        let oneOf = { (keys: [String]) in JSON.array(keys.map { JSON.object([("required", .array([.string($0)]))]) }) }
        return Self.object(
            properties, required: ["name"],
            extra: [
                (
                    "allOf",
                    .array([
                        .object([("anyOf", oneOf(["records", "records_file"]))]),
                        .object([("anyOf", oneOf(["expect", "expect_absent"]))]),
                    ])
                )
            ])
    }

    // MARK: Pack

    var pack: JSON {
        let name = JSON.object([("pattern", .string("^[A-Za-z_][A-Za-z0-9_]*$"))])
        let measure = Self.object(
            PackManifest.MeasureKey.allCases.map { key in
                switch key {
                case .range:
                    return (
                        key.rawValue,
                        .object([
                            ("type", .string("array")), ("items", .object([("type", .string("number"))])),
                            ("minItems", .integer(2)), ("maxItems", .integer(2)),
                        ])
                    )
                case .better:
                    return (key.rawValue, Self.enumeration(MeasureSpec.Direction.allCases.map(\.rawValue)))
                case .cutoff: return (key.rawValue, .object([("type", .string("number"))]))
                case .risk: return (key.rawValue, .object([("type", .string("boolean"))]))
                case .title: return (key.rawValue, Self.ref("text"))
                }
            }, required: [PackManifest.MeasureKey.range.rawValue, PackManifest.MeasureKey.better.rawValue])
        let plainConstant = JSON.object([("type", .array(["number", "boolean", "string", "array"].map(JSON.string)))])
        let sourcedConstant = Self.object(
            PackManifest.ConstantKey.allCases.map { key in
                switch key {
                case .value: return (key.rawValue, plainConstant)
                case .source: return (key.rawValue, .object([("type", .string("string"))]))
                }
            }, required: [PackManifest.ConstantKey.value.rawValue])
        let constant = JSON.object([("anyOf", .array([plainConstant, sourcedConstant]))])
        let properties: [(String, JSON)] = PackManifest.Key.allCases.map { key in
            switch key {
            case .constants:
                return (
                    key.rawValue,
                    .object([("type", .string("object")), ("propertyNames", name), ("additionalProperties", constant)])
                )
            case .measures:
                return (
                    key.rawValue,
                    .object([("type", .string("object")), ("propertyNames", name), ("additionalProperties", measure)])
                )
            case .sets:
                return (
                    key.rawValue,
                    .object([
                        ("type", .string("object")), ("propertyNames", name),
                        ("additionalProperties", Self.list(Self.ref("text"))),
                    ])
                )
            case .markers: return (key.rawValue, Self.list(Self.ref("text")))
            case .plugins:
                let plugin = Self.object(
                    PluginDeclaration.Key.allCases.map { key in
                        switch key {
                        case .exec:
                            return (
                                key.rawValue,
                                .object([
                                    ("type", .string("array")), ("items", .object([("type", .string("string"))])),
                                    ("minItems", .integer(1)),
                                ])
                            )
                        case .sha256:
                            return (
                                key.rawValue,
                                .object([("type", .string("string")), ("pattern", .string("^[0-9a-fA-F]{64}$"))])
                            )
                        case .timeout:
                            return (
                                key.rawValue,
                                .object([
                                    ("type", .string("number")),
                                    ("minimum", .number(PluginDeclaration.timeoutRange.lowerBound)),
                                    ("maximum", .number(PluginDeclaration.timeoutRange.upperBound)),
                                ])
                            )
                        case .wasm, .file: return (key.rawValue, .object([("type", .string("string"))]))
                        }
                    }, required: [PluginDeclaration.Key.sha256.rawValue])
                return (
                    key.rawValue,
                    .object([
                        ("type", .string("object")),
                        ("propertyNames", .object([("pattern", .string("^[A-Za-z0-9_-]+$"))])),
                        ("additionalProperties", plugin),
                    ])
                )
            case .name, .version, .description: return (key.rawValue, Self.ref("text"))
            }
        }
        return Self.object(properties, required: PackManifest.Key.allCases.filter(\.isRequired).map(\.rawValue))
    }
}
