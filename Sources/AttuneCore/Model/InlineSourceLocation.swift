/// Where a record was read from, in 12 bytes: its file as a `SourceFile` and its line and column
/// as 32-bit numbers, for the values a review holds by the million (`SessionRecord`,
/// `Finding.EvidenceRecord`).
///
/// A location those numbers cannot hold (a line or column beyond 32 bits, or negative) is marked
/// and its owner keeps it whole, out of line: each location has one representation, so an
/// owner's synthesized `==` and hash, which compare storage, compare locations.
///
/// ```swift
/// var wide: SourceLocation?
/// let inline = InlineSourceLocation(SourceLocation(file: "week48.yaml", line: 4, column: 3), wide: &wide)
/// inline.location(wide: wide)   // week48.yaml:4:3, and `wide` is nil
/// ```
struct InlineSourceLocation: Sendable, Hashable {
    private(set) var file: SourceFile
    /// `UInt32.max` when the location does not fit (then the owner holds it whole).
    private var line: UInt32
    private var column: UInt32

    /// `location` held inline; `wide` becomes the location when it does not fit, nil when it does.
    init(_ location: SourceLocation, wide: inout SourceLocation?) {
        file = SourceFile(location.file)
        if let narrowLine = UInt32(exactly: location.line), narrowLine != UInt32.max,
            let narrowColumn = UInt32(exactly: location.column)
        {
            line = narrowLine
            column = narrowColumn
            wide = nil
        } else {
            line = UInt32.max
            column = 0
            wide = location
        }
    }

    /// Whether the location is held here, not by the owner out of line.
    var fits: Bool { line != UInt32.max }

    /// The location, given what the owner holds out of line (`wide`, when it does not fit).
    func location(wide: SourceLocation?) -> SourceLocation {
        if !fits, let wide { return wide }
        return SourceLocation(file: file.name, line: Int(line), column: Int(column))
    }

    /// Moves the location down by `lines` without looking its file name up; false, changing
    /// nothing, when the result does not fit.
    mutating func shift(by lines: Int) -> Bool {
        guard fits, let shifted = UInt32(exactly: Int(line) + lines), shifted != UInt32.max else { return false }
        line = shifted
        return true
    }
}
