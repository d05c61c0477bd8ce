import AttuneYAML
import Testing

/// `ShortByteCopy` copies exactly `count` bytes, whatever the count (word by word up to 64,
/// overlapping at the end), and touches nothing before or after them.
struct ShortByteCopyTests {
    @Test(arguments: 0...80)
    func copiesExactlyTheBytesGiven(count: Int) {
        let source = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var target = [UInt8](repeating: 0xEE, count: count + 16)
        source.withUnsafeBufferPointer { source in
            target.withUnsafeMutableBufferPointer { target in
                if let from = source.baseAddress {
                    ShortByteCopy.copy(from, to: target.baseAddress! + 8, count: count)
                }
            }
        }
        #expect(Array(target[8..<(8 + count)]) == source)
        #expect(target[..<8].allSatisfy { $0 == 0xEE })
        #expect(target[(8 + count)...].allSatisfy { $0 == 0xEE })
    }
}
