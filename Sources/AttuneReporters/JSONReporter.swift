import AttuneCore

/// `attune.report/1`: the review for integrations. Stable field names and order; every field of
/// the finding shape of rules.md, plus status, the census, record errors and data quality.
/// docs/report-schema.md documents it and docs/report-schema.json is its JSON Schema; fields may
/// be added within version 1, never renamed or removed.
///
/// ```json
/// {"schema": "attune.report/1", "period": {"start": "2026-11-23", "end": "2026-11-29"}, "findings": [...]}
/// ```
public struct JSONReporter: Reporter {
    public static let format = "json"

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        document(review).rendered() + "\n"
    }

    public func document(_ review: Review) -> JSON {
        .object([
            ("schema", .string(Review.schema)),
            ("period", .object([
                ("start", .string(review.period.lowerBound.description)),
                ("end", .string(review.period.upperBound.description)),
                ("as_of", .string(review.asOf.description)),
                ("iso_week", .optional(review.isoWeek)),
            ])),
            ("packs", .array(review.packs.map { .object([("name", .string($0.name)), ("version", .string($0.version))]) })),
            ("filters", .object([
                ("min_severity", .string(review.minimumSeverity.rawValue)),
                ("therapists", .array(review.therapistFilter.map(JSON.string))),
                ("include_notes", .bool(review.includesNotes)),
            ])),
            ("census", .object([
                ("therapists", .integer(review.census.therapists)),
                ("clients", .integer(review.census.clients)),
                ("episodes", .integer(review.census.episodes)),
                ("files", .integer(review.census.files)),
                ("records_read", .integer(review.census.recordsRead)),
                ("records_left_out", .integer(review.census.recordsLeftOut)),
            ])),
            ("findings", .array(review.allFindings.map(finding))),
            ("therapists", .array(review.therapists.map { therapist in
                .object([
                    ("id", .string(therapist.id)),
                    ("highest_severity", .optional(therapist.highestSeverity?.rawValue)),
                    ("clients_in_caseload", .integer(therapist.clientCount)),
                    ("clients", .array(therapist.clients.map(client))),
                ])
            })),
            ("quiet_therapists", .array(review.quietTherapists.map(JSON.string))),
            ("measures", .array(review.measures.map { spec in
                .object([
                    ("name", .string(spec.name)),
                    ("title", .string(spec.title)),
                    ("min", .number(spec.range.lowerBound)),
                    ("max", .number(spec.range.upperBound)),
                    ("better", .string(spec.better.rawValue)),
                    ("cutoff", spec.cutoff.map(JSON.number) ?? .null),
                ])
            })),
            ("record_errors", .array(review.recordErrors.map(diagnostic))),
            ("evaluation_errors", .array(review.evaluationFailures.map { failure in
                .object([
                    ("rule", .string(failure.rule)),
                    ("client", .string(failure.client)),
                    ("episode", .string(failure.episode)),
                    ("file", .optional(failure.location?.file)),
                    ("line", failure.location.map { .integer($0.line) } ?? .null),
                    ("column", failure.location.map { .integer($0.column) } ?? .null),
                    ("message", .string(failure.message)),
                ])
            })),
            ("data_quality", .object([
                ("left_out", .array(review.dataQuality.leftOut.map { .object([("reason", .string($0.reason)), ("errors", .integer($0.count))]) })),
                ("unjudged", .array(review.dataQuality.unjudged.map {
                    .object([("rule", .string($0.rule)), ("title", .string($0.title)), ("records", .integer($0.records))])
                })),
            ])),
        ])
    }

    func finding(_ item: ReportedFinding) -> JSON {
        let finding = item.finding
        let subject: JSON
        switch finding.subject {
        case .episode(let client, let episode): subject = .object([("client", .string(client)), ("episode", .string(episode))])
        case .therapist(let therapist): subject = .object([("therapist", .string(therapist))])
        }
        return .object([
            ("rule", .string(finding.rule)),
            ("title", .string(item.title)),
            ("severity", .string(finding.severity.rawValue)),
            ("status", .string(item.status.rawValue)),
            ("subject", subject),
            ("therapist", .string(finding.therapist)),
            ("opened", .string(finding.opened.description)),
            ("closed", .optional(finding.closed?.description)),
            ("records", .array(finding.records.map { record in
                var fields: [(String, JSON)] = [
                    ("date", .string(record.date.description)),
                    ("session", record.session.map { .integer($0) } ?? .null),
                    ("file", .string(record.source.file)),
                    ("line", .integer(record.source.line)),
                    ("column", .integer(record.source.column)),
                ]
                if let note = record.note { fields.append(("note", .string(note))) }
                return .object(fields)
            })),
            ("message", .string(finding.message)),
            ("evidence", .object(finding.evidence.sorted { $0.key < $1.key }.map { ($0.key, JSON($0.value)) })),
            ("guidance", .string(item.guidance)),
        ])
    }

    func client(_ client: ClientReview) -> JSON {
        .object([
            ("client", .string(client.client)),
            ("episode", .string(client.episode)),
            ("highest_severity", .string(client.highestSeverity.rawValue)),
            ("trajectory", .array(client.trajectory.map { point in
                var fields: [(String, JSON)] = [
                    ("date", .string(point.date.description)),
                    ("session", point.session.map { .integer($0) } ?? .null),
                    ("attendance", .string(point.attendance.rawValue)),
                    ("measures", .object(point.measures.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) })),
                ]
                if let rupture = point.rupture {
                    fields.append(("rupture", .object([
                        ("type", .string(rupture.type.rawValue)),
                        ("intensity", .integer(rupture.intensity)),
                        ("resolution", .string(rupture.resolution.rawValue)),
                        ("markers", .array(rupture.markers.map(JSON.string))),
                    ])))
                }
                if let repair = point.repair { fields.append(("repair", .string(repair.rawValue))) }
                return .object(fields)
            })),
        ])
    }

    func diagnostic(_ diagnostic: Diagnostic) -> JSON {
        .object([
            ("file", .string(diagnostic.location.file)),
            ("line", .integer(diagnostic.location.line)),
            ("column", .integer(diagnostic.location.column)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
        ])
    }
}
