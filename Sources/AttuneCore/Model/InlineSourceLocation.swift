/// Where a record was read from, in 8 bytes, for the values a review holds by the million
/// (`SessionRecord`, `Finding.EvidenceRecord`): its file as a 15-bit `SourceFile` index, and its
/// line and column as one 32-bit and one 16-bit number.
///
/// Which of line and column gets 32 bits depends on the location: a file of records one to a
/// line has many lines and short ones (a 32-bit line, a 16-bit column), a minified JSON array is
/// one long line (a 16-bit line, a 32-bit column). A location neither layout holds (a file past
/// the 32,767th a process has read, a line or column past both, or a negative one) is marked and
/// its owner keeps it whole, out of line: each location has one representation, so an owner's
/// synthesized `==` and hash, which compare storage, compare locations.
///
/// ```swift
/// var wide: SourceLocation?
/// let inline = InlineSourceLocation(SourceLocation(file: "week48.yaml", line: 4, column: 3), wide: &wide)
/// inline.location(wide: wide)   // week48.yaml:4:3, and `wide` is nil
/// ```
struct InlineSourceLocation: Sendable, Hashable {
    /// The line (`lineIsWide`) or the column; `UInt32.max` when the location does not fit (then
    /// the owner holds it whole).
    private var wideHalf: UInt32
    /// The column (`lineIsWide`) or the line.
    private var narrowHalf: UInt16
    /// The file's index in the low 15 bits; the top bit set when the line is the narrow half.
    private var fileAndLayout: UInt16

    private static let narrowLineBit: UInt16 = 0x8000
    private static let notInline = UInt32.max

    /// `location` held inline; `wide` becomes the location when it does not fit, nil when it does.
    init(_ location: SourceLocation, wide: inout SourceLocation?) {
        if let inline = Self(file: SourceFile(location.file).index, line: location.line, column: location.column) {
            self = inline
            wide = nil
        } else {
            (wideHalf, narrowHalf, fileAndLayout) = (Self.notInline, 0, 0)
            wide = location
        }
    }

    /// The location in the first layout that holds it; nil when neither does.
    init?(file: UInt32, line: Int, column: Int) {
        guard file < UInt32(Self.narrowLineBit) else { return nil }
        if let line = UInt32(exactly: line), line != Self.notInline, let column = UInt16(exactly: column) {
            (wideHalf, narrowHalf, fileAndLayout) = (line, column, UInt16(file))
        } else if let line = UInt16(exactly: line), let column = UInt32(exactly: column), column != Self.notInline {
            (wideHalf, narrowHalf, fileAndLayout) = (column, line, UInt16(file) | Self.narrowLineBit)
        } else {
            return nil
        }
    }

    /// Whether the location is held here, not by the owner out of line.
    var fits: Bool { wideHalf != Self.notInline }

    private var lineIsWide: Bool { fileAndLayout & Self.narrowLineBit == 0 }

    /// The location, given what the owner holds out of line (`wide`, when it does not fit).
    func location(wide: SourceLocation?) -> SourceLocation {
        if !fits, let wide { return wide }
        let file = SourceFile(index: UInt32(fileAndLayout & ~Self.narrowLineBit))
        return lineIsWide
            ? SourceLocation(file: file.name, line: Int(wideHalf), column: Int(narrowHalf))
            : SourceLocation(file: file.name, line: Int(narrowHalf), column: Int(wideHalf))
    }

    /// Moves the location down by `lines` without looking its file name up; false, changing
    /// nothing, when the result does not fit the layout the location has.
    mutating func shift(by lines: Int) -> Bool {
        guard fits else { return false }
        if lineIsWide {
            guard let shifted = UInt32(exactly: Int(wideHalf) + lines), shifted != Self.notInline else { return false }
            wideHalf = shifted
        } else {
            guard let shifted = UInt16(exactly: Int(narrowHalf) + lines) else { return false }
            narrowHalf = shifted
        }
        return true
    }
}
