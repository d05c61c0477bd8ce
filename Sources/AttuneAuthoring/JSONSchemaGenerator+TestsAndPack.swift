import AttuneCore

extension JSONSchemaGenerator {
    // MARK: Tests

    func expectation(scenario: Bool) -> JSON {
        let properties: [(String, JSON)] = RuleTestDecoder.expectKeys.map { key in
            switch key {
            case "opened": return (key, Self.ref("date"))
            case "closed": return (key, Self.nullable(Self.ref("date")))
            case "severity": return (key, Self.enumeration(Severity.allCases.map(\.rawValue)))
            default: return (key, Self.ref("text"))
            }
        }
        return Self.object(properties, required: scenario ? ["rule"] : [])
    }

    var inlineTest: JSON {
        Self.object(
            RuleTestDecoder.keys.map { key in
                switch key {
                case "as_of": return (key, Self.ref("date"))
                case "constants":
                    return (
                        key,
                        .object([
                            ("type", .string("object")),
                            ("additionalProperties", .object([("type", .string("number"))])),
                        ])
                    )
                case "records": return (key, Self.list(Self.ref("record")))
                case "expect": return (key, Self.list(Self.ref("expectation")))
                default: return (key, Self.ref("text"))
                }
            }, required: ["name", "records", "expect"])
    }

    var scenario: JSON {
        let properties: [(String, JSON)] = ScenarioFile.keys.map { key in
            switch key {
            case "as_of": return (key, Self.ref("date"))
            case "records": return (key, Self.list(Self.ref("record")))
            case "expect": return (key, Self.list(Self.ref("expectation")))
            case "expect_absent": return (key, Self.list(.object([("type", .string("string"))])))
            default: return (key, Self.ref("text"))
            }
        }
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
            PackManifest.measureKeys.map { key in
                switch key {
                case "range":
                    return (
                        key,
                        .object([
                            ("type", .string("array")), ("items", .object([("type", .string("number"))])),
                            ("minItems", .integer(2)), ("maxItems", .integer(2)),
                        ])
                    )
                case "better": return (key, Self.enumeration(MeasureSpec.Direction.allCases.map(\.rawValue)))
                case "cutoff": return (key, .object([("type", .string("number"))]))
                case "risk": return (key, .object([("type", .string("boolean"))]))
                default: return (key, Self.ref("text"))
                }
            }, required: ["range", "better"])
        let plainConstant = JSON.object([("type", .array(["number", "boolean", "string", "array"].map(JSON.string)))])
        let sourcedConstant = Self.object(
            PackManifest.constantKeys.map { key in
                (key, key == "value" ? plainConstant : .object([("type", .string("string"))]))
            }, required: ["value"])
        let constant = JSON.object([("anyOf", .array([plainConstant, sourcedConstant]))])
        let properties: [(String, JSON)] = PackManifest.keys.map { key in
            switch key {
            case "constants":
                return (
                    key,
                    .object([("type", .string("object")), ("propertyNames", name), ("additionalProperties", constant)])
                )
            case "measures":
                return (
                    key,
                    .object([("type", .string("object")), ("propertyNames", name), ("additionalProperties", measure)])
                )
            case "sets":
                return (
                    key,
                    .object([
                        ("type", .string("object")), ("propertyNames", name),
                        ("additionalProperties", Self.list(Self.ref("text"))),
                    ])
                )
            case "markers": return (key, Self.list(Self.ref("text")))
            case "plugins":
                let plugin = Self.object(
                    PluginDeclaration.keys.map { key in
                        switch key {
                        case "exec":
                            return (
                                key,
                                .object([
                                    ("type", .string("array")), ("items", .object([("type", .string("string"))])),
                                    ("minItems", .integer(1)),
                                ])
                            )
                        case "sha256":
                            return (
                                key, .object([("type", .string("string")), ("pattern", .string("^[0-9a-fA-F]{64}$"))])
                            )
                        case "timeout":
                            return (
                                key,
                                .object([
                                    ("type", .string("number")),
                                    ("minimum", .number(PluginDeclaration.timeoutRange.lowerBound)),
                                    ("maximum", .number(PluginDeclaration.timeoutRange.upperBound)),
                                ])
                            )
                        default: return (key, .object([("type", .string("string"))]))
                        }
                    }, required: ["sha256"])
                return (
                    key,
                    .object([
                        ("type", .string("object")),
                        ("propertyNames", .object([("pattern", .string("^[A-Za-z0-9_-]+$"))])),
                        ("additionalProperties", plugin),
                    ])
                )
            default: return (key, Self.ref("text"))
            }
        }
        return Self.object(properties, required: ["name", "version"])
    }
}
