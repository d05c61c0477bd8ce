/// The names a pack declares for records and expressions: measures with their ranges and
/// direction, named constants, named sets, and the rupture markers records may use.
///
/// ```swift
/// var vocabulary = Vocabulary()
/// vocabulary.declare(MeasureSpec(name: "srs", title: "Session Rating Scale", range: 0...40, better: .higher))
/// vocabulary.measureIndex("srs")   // 0
/// ```
public struct Vocabulary: Sendable, Equatable {
    public private(set) var measures: [MeasureSpec] = []
    private var measureIndexByName: [String: Int] = [:]
    public var constants: [String: Constant] = [:]
    public var sets: [String: NamedSet] = [:]
    /// Rupture markers records may use; empty means any marker is accepted.
    public var markers: Set<String> = []

    public init() {}

    /// Adds a measure, or replaces the one of the same name (a later pack's declaration wins).
    public mutating func declare(_ measure: MeasureSpec) {
        if let index = measureIndexByName[measure.name] {
            measures[index] = measure
        } else {
            measureIndexByName[measure.name] = measures.count
            measures.append(measure)
        }
    }

    public func measureIndex(_ name: String) -> Int? { measureIndexByName[name] }

    public func measure(_ name: String) -> MeasureSpec? {
        measureIndexByName[name].map { measures[$0] }
    }

    public var measureNames: [String] { measures.map(\.name) }
}

/// A questionnaire a pack declares: its valid range and which direction is better.
public struct MeasureSpec: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, CaseIterable { case higher, lower }

    public var name: String
    public var title: String
    public var range: ClosedRange<Double>
    public var better: Direction
    /// The clinical cutoff, drawn on charts; optional.
    public var cutoff: Double?
    /// A risk screening item (PHQ-9 item 9): charts make every score above the lowest stand out,
    /// and say that the lowest score does not rule risk out, since a screen misses some people at risk.
    public var isRiskItem: Bool

    public init(
        name: String, title: String, range: ClosedRange<Double>, better: Direction, cutoff: Double? = nil,
        isRiskItem: Bool = false
    ) {
        self.name = name
        self.title = title
        self.range = range
        self.better = better
        self.cutoff = cutoff
        self.isRiskItem = isRiskItem
    }
}

/// A named value usable in every expression of a pack.
public struct Constant: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation
    /// Where the number comes from (a citation, or "local default"), when the pack says:
    /// `srs_cutoff: {value: 36, source: "Duncan et al. (2003)"}`.
    public var source: String?

    public init(value: Value, location: SourceLocation, source: String? = nil) {
        self.value = value
        self.location = location
        self.source = source
    }
}

/// A named list of strings usable in expressions (`overlaps(rupture.markers, withdrawal_markers)`).
public struct NamedSet: Sendable, Hashable {
    public var members: [String]
    public var location: SourceLocation

    public init(members: [String], location: SourceLocation) {
        self.members = members
        self.location = location
    }
}
