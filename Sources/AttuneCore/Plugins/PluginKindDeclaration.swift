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

    public var declaration: KindDeclaration
    /// The fields sent with each record, in this order; all of them unless the kind says `reads`.
    public var reads: [RecordField]
    /// The ways through the kind `attune test --coverage` asks tests to take; the kind names
    /// those it took in each evaluate response.
    public var branches: [KindBranch]

    public init(
        declaration: KindDeclaration, reads: [RecordField] = RecordField.allCases,
        branches: [KindBranch] = []
    ) {
        self.declaration = declaration
        self.reads = reads
        self.branches = branches
    }
}
