import AttuneCore

/// One row per reported finding, each with the as-of date and where the data ends, for spreadsheets: RFC 4180 (CRLF line ends; fields holding a
/// comma, quote, CR or LF are quoted, quotes doubled). Notes get a column of their own only
/// under `--include-notes`. Text that came from records (ids, messages, notes) and starts with
/// `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so that a spreadsheet shows it as text
/// instead of running it as a formula (CSV injection).
///
/// ```text
/// rule,title,severity,status,therapist,client,episode,opened,closed,message,evidence_sessions,as_of,data_end,id
/// unresolved-rupture,Unresolved rupture,high,ongoing,T-02,C-1010,1,2026-11-02,,"A rupture …",2026-10-19 (#7),2026-11-29,2026-11-27,k3x9m7qd2a
/// ```
public struct CSVReporter: StreamingReporter {
    public static let format = "csv"
    public static let summary = "one row per finding, for a spreadsheet"
    /// Rows are findings alone: what could not be judged goes to standard error (`DataQualityNote`).
    public static let showsDataQuality = false

    public static let columns = [
        "rule", "title", "severity", "status", "therapist", "client", "episode",
        "opened", "closed", "message", "evidence_sessions", "as_of", "data_end", "id",
    ]
    /// Added when the review has a ledger; its snoozed and dismissed findings then follow the others.
    public static let ledgerColumns = ["ledger_state", "ledger_decision"]

    /// Bytes held before they are handed on; a setting so that tests can cut a report into many pieces.
    public var chunkSize = ReportChunks.defaultSize

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        ReportChunks.collect { render(review, options: options, output: $0) }
    }

    /// Row by row, handed on a chunk at a time.
    public func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void) {
        let review = VisibleReview.escaping(review)
        var out = ""
        Self.append(
            Self.columns + (review.ledger == nil ? [] : Self.ledgerColumns)
                + (review.includesNotes ? ["evidence_notes"] : []), to: &out)
        let setAside = (review.ledger?.snoozed ?? []) + (review.ledger?.dismissed ?? [])
        for item in review.allFindings + setAside {
            let finding = item.finding
            var row = [
                finding.rule, Self.inert(item.title), finding.severity.rawValue, item.status.rawValue,
                Self.inert(finding.therapist),
                Self.inert(finding.subject.client ?? ""), Self.inert(finding.subject.episode ?? ""),
                finding.opened.description,
                finding.closed?.description ?? "", Self.inert(finding.message),
                finding.records.map(\.label).joined(separator: "; "), review.asOf.description,
                ReportText.dataEnd(review), finding.id,
            ]
            if let ledger = review.ledger {
                let status = ledger.status(of: finding)
                row += [status.state.rawValue, Self.inert(status.summary ?? "")]
            }
            if review.includesNotes {
                row.append(
                    Self.inert(ReportText.notes(finding).map { "\($0.label): \($0.note)" }.joined(separator: "\n")))
            }
            Self.append(row, to: &out)
            ReportChunks.flush(&out, over: chunkSize, to: output)
        }
        ReportChunks.flush(&out, over: 0, to: output)
    }

    /// One record: fields quoted as needed, joined by commas, ended by CRLF.
    static func append(_ row: [String], to out: inout String) {
        out += row.map(Self.field).joined(separator: ",")
        out += "\r\n"
    }

    /// Text a spreadsheet would read as a formula, made inert with a leading apostrophe.
    public static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// Quotes a field when RFC 4180 requires it. By UTF-8 bytes: every `"` is doubled and any
    /// comma, quote or line break quotes the field, even one that begins a longer character (by
    /// `Character`, a quote followed by a combining mark went out bare and broke the row).
    public static func field(_ text: String) -> String {
        var text = text
        let quoted = text.withUTF8 { bytes in
            bytes.contains {
                $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r")
                    || $0 == UInt8(ascii: "\n")
            }
        }
        guard quoted else { return text }
        return "\""
            + UTF8Rewriting.rewrite(
                text, where: { $0 == UInt8(ascii: "\"") },
                by: { byte, _, _, out in
                    out.append(byte)
                    out.append(byte)
                }) + "\""
    }
}
