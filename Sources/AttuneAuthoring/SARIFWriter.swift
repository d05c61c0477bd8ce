import AttuneCore

/// Writes a lint report as SARIF 2.1.0, the format code-scanning tools read to annotate pull
/// requests: one run, the lint checks as the driver's rules, one result per diagnostic with
/// its file, line and column.
///
/// ```swift
/// let sarif = SARIFWriter(toolVersion: "0.1.0").render(report)   // attune lint --format sarif
/// ```
public struct SARIFWriter: Sendable {
    public static let schema =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public var toolVersion: String
    /// Where readers learn about the tool; SARIF wants an absolute URI, so it is left out
    /// unless the site publishes its docs somewhere.
    public var informationURI: String?

    public init(toolVersion: String, informationURI: String? = nil) {
        self.toolVersion = toolVersion
        self.informationURI = informationURI
    }

    public func render(_ report: LintReport) -> String {
        let checks = DiagnosticCheck.all
        let rules: [JSON] = checks.map { check in
            .object([
                ("id", .string(check.id)),
                ("shortDescription", .object([("text", .string(check.summary))])),
                (
                    "defaultConfiguration",
                    .object([("level", .string(check.defaultSeverity.rawValue))])
                ),
            ])
        }
        let results: [JSON] = report.diagnostics.map { diagnostic in
            let check = diagnostic.check
            return .object([
                ("ruleId", .string(check.id)),
                ("ruleIndex", .integer(checks.firstIndex(of: check) ?? 0)),
                ("level", .string(diagnostic.severity.rawValue)),
                ("message", .object([("text", .string(diagnostic.message))])),
                (
                    "locations",
                    .array([
                        .object([
                            (
                                "physicalLocation",
                                .object([
                                    (
                                        "artifactLocation",
                                        .object([("uri", .string(Self.uri(diagnostic.location.file)))])
                                    ),
                                    (
                                        "region",
                                        .object([
                                            ("startLine", .integer(max(1, diagnostic.location.line))),
                                            ("startColumn", .integer(max(1, diagnostic.location.column))),
                                        ])
                                    ),
                                ])
                            )
                        ])
                    ])
                ),
            ])
        }
        let log = JSON.object([
            ("$schema", .string(Self.schema)),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object(
                                        [("name", .string("attune")), ("version", .string(toolVersion))]
                                            + (informationURI.map { [("informationUri", JSON.string($0))] } ?? [])
                                            + [("rules", .array(rules))]
                                    )
                                )
                            ])
                        ),
                        ("columnKind", .string("unicodeCodePoints")),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
        return log.rendered() + "\n"
    }

    /// A relative path stays relative (code scanning resolves it against the repository root);
    /// an absolute one becomes a `file://` URI. Characters URIs do not allow are percent-encoded.
    static func uri(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        var encoded = ""
        for byte in path.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "/-._~".contains(character) {
                encoded.append(character)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
