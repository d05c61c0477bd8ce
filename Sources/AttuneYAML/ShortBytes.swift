#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Copies and compares a few bytes without a call to `memcpy` or `memcmp`, whose call (and the
/// registers saved around it) costs more than the work for a record's scalar or a report's key:
/// up to 64 bytes by words, overlapping at the end, reading and writing only the `count` bytes
/// given.
///
/// ```swift
/// ShortBytes.copy(key.baseAddress!, to: out, count: key.count)
/// ShortBytes.equal(name, key.baseAddress!, count: key.count)   // true when the bytes are the same
/// ```
public enum ShortBytes {
    /// Whether the `count` bytes at `a` and at `b` are the same.
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        let a = UnsafeRawPointer(a)
        let b = UnsafeRawPointer(b)
        if count >= 8, count <= 64 {
            var index = 0
            while index + 8 <= count {
                if a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    != b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                {
                    return false
                }
                index += 8
            }
            return index == count
                || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4, count < 8 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        } else if count > 64 {
            return memcmp(a, b, count) == 0
        }
        for index in 0..<count
        where a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        return true
    }

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
