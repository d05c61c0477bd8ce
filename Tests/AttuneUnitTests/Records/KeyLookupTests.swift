import Testing

@testable import AttuneCore

/// A record's keys are found among the field and measure names by their bytes: compared as two
/// words (a signature) up to 16 bytes, byte by byte beyond. Every name must be found, and
/// nothing else: not a name with one byte changed, cut short or run on, at any length.
struct KeyLookupTests {
    /// Names of every length from 1 to 40, two of several lengths, some not ASCII.
    static let names: [String] = {
        var names = (1...40).map { length in
            String((0..<length).map { Character(UnicodeScalar(97 + ($0 * 7 + length) % 26)!) })
        }
        names += ["srs", "ors", "phq9", "gad7", "phq9_i9", "attendance", "next_appointment", "caf\u{E9}", "\u{212A}"]
        return names
    }()

    static func find(_ lookup: KeyLookup, _ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { lookup[bytes: $0] }
    }

    @Test func everyNameIsFoundByItsBytesAndNothingElseIs() {
        let lookup = KeyLookup(Self.names)
        let position = Dictionary(Self.names.enumerated().map { (Array($1.utf8), $0) }, uniquingKeysWith: { a, _ in a })
        for (index, name) in Self.names.enumerated() {
            let bytes = Array(name.utf8)
            #expect(Self.find(lookup, bytes) == index, "\(name)")
            #expect(lookup[name] == index)
            // Each byte changed in turn: found only if that spells another name.
            for at in bytes.indices {
                var changed = bytes
                changed[at] ^= 0x20
                #expect(Self.find(lookup, changed) == position[changed], "\(name) changed at \(at)")
            }
            #expect(Self.find(lookup, Array(bytes.dropLast())) == position[Array(bytes.dropLast())])
            #expect(Self.find(lookup, bytes + [0x61]) == position[bytes + [0x61]])
        }
        #expect(Self.find(lookup, []) == nil)
        #expect(Self.find(lookup, Array(String(repeating: "z", count: 41).utf8)) == nil)
        // Another spelling of a name is not its bytes: the caller falls back to `String` lookup.
        #expect(Self.find(lookup, Array("cafe\u{301}".utf8)) == nil)
    }
}
