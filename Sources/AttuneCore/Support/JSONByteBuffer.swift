/// The bytes a `JSONWriter` writes: grown by doubling and written through a pointer.
///
/// An `Array`'s `append` spends tens of instructions on checks per call, and the writer makes a
/// call or more per key and value (a million keys in a report of 100,000 records): here a write
/// reserves its room once (`reserve`), puts its bytes in place and counts them (`commit`).
/// Copies share the storage until one of them writes, as an array's do.
///
/// ```swift
/// var buffer = JSONByteBuffer(capacity: 64)
/// let out = buffer.reserve(2)
/// out[0] = UInt8(ascii: "{"); out[1] = UInt8(ascii: "}")
/// buffer.commit(2)   // buffer.array == Array("{}".utf8)
/// ```
struct JSONByteBuffer {
    /// `let`s only: a class's `var`s would be checked for exclusive access on every write.
    private final class Storage {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    private var storage: Storage
    private(set) var count = 0

    init(capacity: Int = 0) {
        storage = Storage(capacity: max(capacity, 0))
    }

    /// Where the next `extra` bytes go, with room for them in storage no other copy shares.
    @inline(__always)
    mutating func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if _slowPath(count + extra > storage.capacity || !isKnownUniquelyReferenced(&storage)) { grow(extra) }
        return storage.base + count
    }

    /// Counts `written` bytes put in place after `reserve`.
    @inline(__always)
    mutating func commit(_ written: Int) {
        count += written
    }

    @inline(never)
    private mutating func grow(_ extra: Int) {
        let grown = Storage(capacity: max(2 * storage.capacity, count + extra, 256))
        grown.base.initialize(from: storage.base, count: count)
        storage = grown
    }

    mutating func append(_ byte: UInt8) {
        reserve(1).pointee = byte
        count += 1
    }

    mutating func append(_ start: UnsafePointer<UInt8>, count length: Int) {
        reserve(length).initialize(from: start, count: length)
        count += length
    }

    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        append(start, count: bytes.count)
    }

    mutating func append(literal text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    mutating func append(repeating byte: UInt8, count length: Int) {
        reserve(length).initialize(repeating: byte, count: length)
        count += length
    }

    mutating func append(_ other: JSONByteBuffer) {
        append(other.storage.base, count: other.count)
    }

    /// Forgets the bytes, keeping the storage.
    mutating func removeAll() {
        count = 0
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.base, count: count))
    }

    /// A copy of the bytes.
    var array: [UInt8] {
        Array(UnsafeBufferPointer(start: storage.base, count: count))
    }
}
