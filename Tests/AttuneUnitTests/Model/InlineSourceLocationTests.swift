import Testing

@testable import AttuneCore

/// A record's location in 8 bytes: two layouts (a 32-bit line with a 16-bit column, or the
/// reverse), and everything else kept whole by the owner.
@Suite struct InlineSourceLocationTests {
    private static func held(_ location: AttuneCore.SourceLocation) -> (
        inline: InlineSourceLocation, wide: AttuneCore.SourceLocation?
    ) {
        var wide: AttuneCore.SourceLocation?
        let inline = InlineSourceLocation(location, wide: &wide)
        return (inline, wide)
    }

    @Test(arguments: [
        (1, 1), (0, 0), (4_294_967_294, 65_535), (65_535, 4_294_967_294), (1, 65_536), (2, 1 << 31),
    ])
    func locationsEitherLayoutHoldsStayInline(line: Int, column: Int) {
        let location = AttuneCore.SourceLocation(file: "week48.yaml", line: line, column: column)
        let (inline, wide) = Self.held(location)
        #expect(inline.fits)
        #expect(wide == nil)
        #expect(inline.location(wide: nil) == location)
    }

    @Test(arguments: [
        (4_294_967_295, 1), (65_536, 65_536), (1, 4_294_967_295), (-1, 1), (1, -1), (Int.max, Int.min),
    ])
    func locationsNeitherLayoutHoldsAreKeptWhole(line: Int, column: Int) {
        let location = AttuneCore.SourceLocation(file: "week48.yaml", line: line, column: column)
        let (inline, wide) = Self.held(location)
        #expect(!inline.fits)
        #expect(wide == location)
        #expect(inline.location(wide: wide) == location)
    }

    /// One representation per location, so storage compares as locations do.
    @Test func aLocationHasOneRepresentation() {
        let short = AttuneCore.SourceLocation(file: "a.yaml", line: 3, column: 7)
        #expect(Self.held(short).inline == Self.held(short).inline)
        #expect(
            Self.held(short).inline != Self.held(AttuneCore.SourceLocation(file: "a.yaml", line: 7, column: 3)).inline)
        var shifted = Self.held(AttuneCore.SourceLocation(file: "a.yaml", line: 1, column: 7)).inline
        let movedDown = shifted.shift(by: 2)
        #expect(movedDown)
        #expect(shifted == Self.held(short).inline)
    }

    @Test func shiftingStaysWithinTheLayout() {
        var long = Self.held(AttuneCore.SourceLocation(file: "a.yaml", line: 4_294_967_290, column: 1)).inline
        let movedToTheLast = long.shift(by: 4)
        #expect(movedToTheLast)
        #expect(long.location(wide: nil).line == 4_294_967_294)
        let movedPastIt = long.shift(by: 1)
        #expect(!movedPastIt)  // 4_294_967_295 marks a location kept whole.
        #expect(long.location(wide: nil).line == 4_294_967_294)

        let minified = AttuneCore.SourceLocation(file: "m.json", line: 65_530, column: 100_000)
        var inline = Self.held(minified).inline
        let movedWithinSixteenBits = inline.shift(by: 5)
        #expect(movedWithinSixteenBits)
        #expect(inline.location(wide: nil) == AttuneCore.SourceLocation(file: "m.json", line: 65_535, column: 100_000))
        let movedPastSixteenBits = inline.shift(by: 1)
        #expect(!movedPastSixteenBits)
        #expect(inline.location(wide: nil).line == 65_535)
    }

    /// Files past the 32,767th a process has read are kept whole: there are 15 bits for the file.
    /// (Checked on the index alone: interning 32,768 names would push every other test's files
    /// past the bound too.)
    @Test func aFileBeyondFifteenBitsIsKeptWhole() {
        #expect(InlineSourceLocation(file: 0x7FFF, line: 2, column: 3) != nil)
        #expect(InlineSourceLocation(file: 0x8000, line: 2, column: 3) == nil)
        #expect(InlineSourceLocation(file: 0x8000, line: 1, column: 100_000) == nil)
        #expect(InlineSourceLocation(file: UInt32.max, line: 2, column: 3) == nil)
    }

    @Test func heldIn8Bytes() {
        #expect(MemoryLayout<InlineSourceLocation>.size == 8)
    }
}
