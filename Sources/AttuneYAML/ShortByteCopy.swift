/// Copies a few bytes without a call to `memcpy`, whose call (and the registers saved around
/// it) costs more than the copy of a record's scalar or a report's key: up to 64 bytes by
/// words, overlapping at the end, reading and writing only the `count` bytes given.
///
/// ```swift
/// ShortByteCopy.copy(key.baseAddress!, to: out, count: key.count)
/// ```
public enum ShortByteCopy {
    @inlinable @inline(__always)
    public static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if count >= 8, count <= 64 {
            var index = 0
            while index + 8 <= count {
                to.storeBytes(
                    of: from.loadUnaligned(fromByteOffset: index, as: UInt64.self), toByteOffset: index, as: UInt64.self
                )
                index += 8
            }
            if index < count {
                to.storeBytes(
                    of: from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8,
                    as: UInt64.self)
            }
        } else if count >= 4, count < 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(
                of: from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4,
                as: UInt32.self)
        } else if count > 0, count < 4 {
            target[0] = source[0]
            target[count / 2] = source[count / 2]
            target[count - 1] = source[count - 1]
        } else if count > 64 {
            target.update(from: source, count: count)
        }
    }
}
