/// A 64-bit hash that is the same on every machine and every run (Swift's `Hasher` is seeded per
/// process): FNV-1a over the bytes, then the SplitMix64 finaliser so that every output bit depends
/// on every input bit. For identifiers and digests, not for security.
///
/// ```swift
/// var hash = StableHash()
/// hash.combine("unresolved-rupture")
/// let value = hash.value
/// ```
public struct StableHash: Sendable {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var state = self.state
        for byte in bytes {
            state ^= UInt64(byte)
            state &*= 0x0000_0100_0000_01B3
        }
        self.state = state
    }

    public mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(UnsafeRawBufferPointer($0)) }
        // A separator after every string: ("ab", "c") and ("a", "bc") hash differently.
        combine(byte: Self.separator)
    }

    /// The byte `combine(_:)` puts after a string's.
    static let separator: UInt8 = 0x1F

    public mutating func combine(byte: UInt8) {
        state ^= UInt64(byte)
        state &*= 0x0000_0100_0000_01B3
    }

    public var value: UInt64 {
        var z = state &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The value as 16 lowercase hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
