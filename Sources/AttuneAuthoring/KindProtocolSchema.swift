import AttuneCore

/// The JSON Schema of the `attune.kind/1` messages (`attune schema plugin`), from the same
/// names `KindProtocol` reads: one declaration of the protocol drives the decoder, the schema
/// and docs/plugins.md's examples (a test validates the example plugin's answers against it).
///
/// ```swift
/// print(KindProtocolSchema.schema.rendered())
/// ```
public enum KindProtocolSchema {
    public static var schema: JSON {
        let text: JSON = .object([("type", .string("string"))])
        let date: JSON = .object([("type", .string("string")), ("pattern", .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))])
        func ref(_ name: String) -> JSON { .object([("$ref", .string("#/$defs/\(name)"))]) }
        func list(_ items: JSON) -> JSON { .object([("type", .string("array")), ("items", items)]) }
        func object(_ properties: [(String, JSON)], required: [String], description: String? = nil) -> JSON {
            var pairs: [(String, JSON)] = []
            if let description { pairs.append(("description", .string(description))) }
            pairs += [
                ("type", .string("object")), ("properties", .object(properties)),
                ("required", .array(required.map(JSON.string))), ("additionalProperties", .bool(false)),
            ]
            return .object(pairs)
        }
        let version: JSON = .object([("const", .string(KindProtocol.version))])
        let scalar: JSON = .object([
            ("type", .array([.string("string"), .string("number"), .string("boolean"), .string("null")]))
        ])
        let record: JSON =
            object(
                [
                    ("index", .object([("type", .string("integer")), ("minimum", .integer(0))])),
                    ("date", date), ("attendance", text),
                    (
                        "session",
                        .object([("type", .array([.string("integer"), .string("null")]))])
                    ),
                    (
                        "measures",
                        .object([
                            ("type", .string("object")),
                            ("additionalProperties", .object([("type", .string("number"))])),
                        ])
                    ),
                    ("tags", list(text)),
                    (
                        "expressions",
                        .object([
                            ("type", .string("object")),
                            ("additionalProperties", .object([("type", .string("boolean"))])),
                        ])
                    ),
                ],
                required: ["index", "expressions"])
        let answer: JSON =
            object(
                [
                    (
                        "findings",
                        list(
                            object(
                                [
                                    ("opened", date),
                                    (
                                        "closed",
                                        .object([
                                            (
                                                "anyOf",
                                                .array([date, .object([("type", .string("null"))])])
                                            )
                                        ])
                                    ),
                                    (
                                        "evidence",
                                        list(
                                            .object([
                                                ("type", .string("integer")), ("minimum", .integer(0)),
                                            ]))
                                    ),
                                    (
                                        "values",
                                        .object([
                                            ("type", .string("object")),
                                            ("additionalProperties", scalar),
                                        ])
                                    ),
                                ], required: ["opened"]))
                    ),
                    (
                        "branches",
                        .object([
                            ("type", .string("array")), ("items", text),
                            (
                                "description",
                                .string(
                                    "The declared branches this call took (for attune test --coverage); optional"
                                )
                            ),
                        ])
                    ),
                ], required: [], description: "Left out, findings and branches are none")
        let countsBranches: JSON = .object([
            ("type", .string("boolean")),
            (
                "description",
                .string(
                    "Whether anyone counts the branches the kind takes (attune test --coverage); when false, answers may leave branches out"
                )
            ),
        ])
        let error = object([("error", text)], required: ["error"])
        // What every evaluate request starts with.
        let evaluateHeader: [(String, JSON)] = [
            ("protocol", version), ("type", .object([("const", .string("evaluate"))])), ("kind", text),
            ("params", .object([("type", .string("object"))])), ("as_of", date),
        ]
        func columnOf(_ item: JSON) -> JSON { list(item) }
        let nullable: (String) -> JSON = { .object([("type", .array([.string($0), .string("null")]))]) }
        let columns = object(
            [
                ("index", columnOf(.object([("type", .string("integer")), ("minimum", .integer(0))]))),
                ("date", columnOf(date)), ("attendance", columnOf(text)), ("session", columnOf(nullable("integer"))),
                (
                    "measures",
                    .object([("type", .string("object")), ("additionalProperties", columnOf(nullable("number")))])
                ),
                ("tags", columnOf(list(text))),
                (
                    "expressions",
                    .object([
                        ("type", .string("object")),
                        ("additionalProperties", columnOf(.object([("type", .string("boolean"))]))),
                    ])
                ),
            ], required: ["index", "expressions"],
            description: "record_layout: columns: one array per field, the i-th entry of each for the i-th record")
        let records: JSON = .object([("anyOf", .array([list(record), columns]))])
        let defs: [(String, JSON)] = [
            (
                "declareRequest",
                object(
                    [("protocol", version), ("type", .object([("const", .string("declare"))]))],
                    required: ["protocol", "type"], description: "Attune asks the plugin which kinds it brings.")
            ),
            (
                "declareResponse",
                object(
                    [
                        ("protocol", version),
                        (
                            "kinds",
                            .object([("type", .string("array")), ("items", ref("kind")), ("minItems", .integer(1))])
                        ),
                    ],
                    required: ["protocol", "kinds"])
            ),
            (
                "kind",
                object(
                    [
                        ("name", .object([("type", .string("string")), ("pattern", .string("^[a-z0-9_-]+$"))])),
                        ("summary", text), ("details", text),
                        (
                            "scope",
                            .object([
                                ("enum", .array([.string("timeline"), .string("caseload")])),
                                (
                                    "description",
                                    .string(
                                        "timeline: one (client, episode) at a time; caseload: one therapist's findings of the rules its rules param names"
                                    )
                                ),
                            ])
                        ),
                        (
                            "reads",
                            .object([
                                ("type", .string("array")),
                                (
                                    "items",
                                    .object([
                                        (
                                            "enum",
                                            .array(
                                                PluginKindDeclaration.RecordField.allCases.map { .string($0.rawValue) })
                                        )
                                    ])
                                ),
                                (
                                    "description",
                                    .string(
                                        "Timeline kinds: the record fields sent besides index and expressions; all when left out"
                                    )
                                ),
                            ])
                        ),
                        (
                            "batch",
                            .object([
                                ("type", .string("boolean")),
                                (
                                    "description",
                                    .string(
                                        "Timeline kinds: many timelines per evaluate request (evaluateBatchRequest)")
                                ),
                            ])
                        ),
                        (
                            "record_layout",
                            .object([
                                (
                                    "enum",
                                    .array(PluginKindDeclaration.RecordLayout.allCases.map { .string($0.rawValue) })
                                ),
                                (
                                    "description",
                                    .string(
                                        "binary: records as rows after a JSON header (WebAssembly kinds that batch; evaluateBinaryHeader)"
                                    )
                                ),
                            ])
                        ),
                        ("params", list(ref("param"))),
                        (
                            "expressions",
                            list(
                                object(
                                    [
                                        ("name", text), ("required", .object([("type", .string("boolean"))])),
                                        ("doc", text),
                                    ], required: ["name"]))
                        ),
                        ("placeholders", list(object([("name", text), ("doc", text)], required: ["name"]))),
                        (
                            "branches",
                            list(
                                object(
                                    [("name", text), ("doc", text), ("param", text)], required: ["name"],
                                    description:
                                        "A way through the kind that attune test --coverage asks tests to take; param: the param that decides it"
                                ))
                        ),
                        ("examples", list(ref("example"))),
                    ], required: ["name", "summary"])
            ),
            (
                "param",
                object(
                    [
                        ("name", text),
                        ("type", .object([("enum", .array(KindProtocol.parameterTypes.map(JSON.string)))])),
                        ("doc", text),
                        ("min", .object([("type", .string("integer"))])),
                        ("max", .object([("type", .string("integer"))])),
                        ("choices", list(text)), ("default", scalar),
                    ], required: ["name", "type"], description: "Omit 'default' to make the param required.")
            ),
            (
                "example",
                object(
                    [
                        ("name", text),
                        (
                            "rule",
                            .object([
                                ("type", .string("string")),
                                ("description", .string("The rule's kind-specific keys in YAML (match, params, …)")),
                            ])
                        ),
                        (
                            "records",
                            .object([("type", .string("string")), ("description", .string("Session records in YAML"))])
                        ),
                        ("as_of", date),
                        (
                            "supporting_rules",
                            .object([
                                ("type", .string("array")), ("items", text),
                                (
                                    "description",
                                    .string(
                                        "Caseload kinds: whole rule modules (YAML) whose findings the example reads")
                                ),
                            ])
                        ),
                        (
                            "expect",
                            list(
                                object(
                                    [
                                        ("opened", date),
                                        (
                                            "closed",
                                            .object([("anyOf", .array([date, .object([("type", .string("null"))])]))])
                                        ),
                                        ("client", text), ("therapist", text),
                                    ], required: ["opened"]))
                        ),
                    ], required: ["name", "records"])
            ),
            (
                "evaluateRequest",
                object(
                    evaluateHeader + [
                        ("client", text),
                        ("episode", text),
                        ("coverage", countsBranches), ("records", records),
                    ], required: ["protocol", "type", "kind", "params", "as_of", "client", "episode", "records"],
                    description:
                        "One timeline: the records that pass the rule's where, with the kind's expressions evaluated on each and the fields the kind reads. Notes are never sent."
                )
            ),
            (
                "evaluateCaseloadRequest",
                object(
                    evaluateHeader + [
                        ("coverage", countsBranches), ("therapist", text),
                        (
                            "findings",
                            list(
                                object(
                                    [
                                        ("index", .object([("type", .string("integer")), ("minimum", .integer(0))])),
                                        ("rule", text), ("client", text), ("episode", text), ("opened", date),
                                        (
                                            "closed",
                                            .object([("anyOf", .array([date, .object([("type", .string("null"))])]))])
                                        ),
                                        ("values", .object([("type", .string("object"))])),
                                    ],
                                    required: ["index", "rule", "client", "episode", "opened", "closed", "values"]))
                        ),
                        (
                            "attended",
                            .object([
                                ("type", .string("object")), ("additionalProperties", list(date)),
                            ])
                        ),
                    ],
                    required: ["protocol", "type", "kind", "params", "as_of", "therapist", "findings", "attended"],
                    description:
                        "One therapist's caseload: the findings of the rules the kind reads, and each client's attended dates."
                )
            ),
            (
                "evaluateResponse",
                .object([
                    (
                        "anyOf",
                        .array([
                            answer,
                            error,
                        ])
                    )
                ])
            ),
            (
                "evaluateBatchRequest",
                object(
                    evaluateHeader + [
                        ("coverage", countsBranches),
                        (
                            "timelines",
                            list(
                                object(
                                    [("client", text), ("episode", text), ("records", records)],
                                    required: ["client", "episode", "records"]))
                        ),
                    ], required: ["protocol", "type", "kind", "params", "as_of", "timelines"],
                    description:
                        "Up to 1,024 timelines of one rule, for a kind that declares batch: true; answered with one result per timeline."
                )
            ),
            (
                "evaluateBinaryHeader",
                object(
                    evaluateHeader + [
                        ("coverage", countsBranches),
                        ("record_layout", .object([("const", .string("binary"))])),
                        ("timelines", .object([("type", .string("integer")), ("minimum", .integer(1))])),
                        ("record_bytes", .object([("type", .string("integer")), ("minimum", .integer(8))])),
                        ("attendance_codes", list(text)), ("measures", list(text)),
                    ],
                    required: [
                        "protocol", "type", "kind", "params", "as_of", "record_layout", "timelines", "record_bytes",
                        "attendance_codes", "measures",
                    ],
                    description:
                        "For record_layout: binary, the JSON before the zero byte; the table of rows follows (docs/plugins.md)."
                )
            ),
            (
                "evaluateBatchResponse",
                .object([
                    (
                        "anyOf",
                        .array([
                            object(
                                [("results", list(.object([("anyOf", .array([answer, error]))])))],
                                required: ["results"]),
                            error,
                        ])
                    )
                ])
            ),
        ]
        return .object([
            ("$schema", .string(JSONSchemaGenerator.dialect)),
            ("title", .string("Attune kind plugin protocol \(KindProtocol.version)")),
            ("description", .string("Generated by `attune schema plugin`: the messages of docs/plugins.md.")),
            (
                "anyOf",
                .array(
                    [
                        "declareRequest", "declareResponse", "evaluateRequest", "evaluateCaseloadRequest",
                        "evaluateResponse", "evaluateBatchRequest", "evaluateBinaryHeader", "evaluateBatchResponse",
                    ]
                    .map(ref))
            ),
            ("$defs", .object(defs)),
        ])
    }
}
