/// A kind as a plugin declares it: the declaration every kind has, and what only a plugin
/// kind says about itself: which record fields it reads, and the branches it reports.
///
/// ```swift
/// let kinds = try KindProtocol.declarations(from: response, plugin: "wasm-streak")
/// kinds[0].reads   // [.date]: each record is sent with its index, date and expressions only
/// ```
public struct PluginKindDeclaration: Sendable {
    /// Record fields a timeline kind may ask for; `index` and `expressions` are always sent.
    public enum RecordField: String, Sendable, CaseIterable {
        case date, attendance, session, measures, tags
    }

    /// How the records of an evaluate request are laid out (docs/plugins.md).
    public enum RecordLayout: String, Sendable, CaseIterable {
        /// Each record a JSON object, as the evaluate request's `records`.
        case json
        /// `records` a JSON object of columns, one array per field (`{"index": [0, 1], "date":
        /// […], "expressions": {"match": [true, false]}}`): no object per record, so a process
        /// plugin parses far less.
        case columns
        /// A table of fixed-size little-endian rows after the request's JSON header: a
        /// WebAssembly kind reads them in place instead of parsing text (batching kinds only).
        case binary
    }

    public var declaration: KindDeclaration
    /// The fields sent with each record, in this order; all of them unless the kind says `reads`.
    public var reads: [RecordField]
    /// The ways through the kind `attune test --coverage` asks tests to take; the kind names
    /// those it took in each evaluate response.
    public var branches: [KindBranch]
    /// The kind takes many timelines per evaluate request (`batch: true`): one call per rule and
    /// up to `Engine.timelinesPerBatch` timelines rather than one per timeline.
    public var batch: Bool
    public var recordLayout: RecordLayout

    public init(
        declaration: KindDeclaration, reads: [RecordField] = RecordField.allCases,
        branches: [KindBranch] = [], batch: Bool = false, recordLayout: RecordLayout = .json
    ) {
        self.declaration = declaration
        self.reads = reads
        self.branches = branches
        self.batch = batch
        self.recordLayout = recordLayout
    }
}
