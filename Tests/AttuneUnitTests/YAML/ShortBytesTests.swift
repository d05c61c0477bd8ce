import AttuneYAML
import Testing

/// `ShortBytes` copies exactly `count` bytes, whatever the count (word by word up to 64,
/// overlapping at the end), and touches nothing before or after them; it finds two runs of
/// bytes equal exactly when every byte is, wherever one differs.
struct ShortBytesTests {
    @Test(arguments: 0...80)
    func copiesExactlyTheBytesGiven(count: Int) {
        let source = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var target = [UInt8](repeating: 0xEE, count: count + 16)
        source.withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { target in
                if let from = source.baseAddress {
                    ShortBytes.copy(from, to: target.baseAddress! + 8, count: count)
                }
            }
        }
        #expect(Array(target[8..<(8 + count)]) == source)
        #expect(target[..<8].allSatisfy { $0 == 0xEE })
        #expect(target[(8 + count)...].allSatisfy { $0 == 0xEE })
    }

    @Test(arguments: 0...80)
    func comparesEveryByte(count: Int) {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
        bytes.withUnsafeBufferPointer { bytes in
            var other = Array(bytes)
            other.withUnsafeMutableBufferPointer { other in
                guard let a = bytes.baseAddress, let b = other.baseAddress else { return }
                #expect(ShortBytes.equal(a, UnsafePointer(b), count: count))
                for position in 0..<count {
                    other[position] ^= 0x40
                    #expect(!ShortBytes.equal(a, UnsafePointer(b), count: count), "differs at \(position)")
                    other[position] ^= 0x40
                }
            }
        }
    }
}
