/// Feeds libyaml its input and stops it when one token runs too long.
///
/// libyaml reads a whole scalar (or comment) into memory before it emits an event, so a 64 MB
/// scalar would cost well over 128 MB before our length check saw it. The feed counts the bytes
/// handed over since the last event; past `budget` it reports a read failure, which ends the
/// parse in bounded memory.
final class YAMLInputFeed {
    private let input: InputFile?
    private let bytes: [UInt8]
    /// Into `bytes`, or into a regular file.
    private var offset = 0
    let budget: Int
    var bytesSinceEvent = 0
    private(set) var exceededBudget = false

    /// For a part of a file: how many bytes are left to hand over, and what its lines look like.
    private var remaining: Int?
    private var scanner: LineStartScanner?

    init(input: InputFile, budget: Int) {
        self.input = input
        bytes = []
        self.budget = budget
    }

    /// Reads only `range` of a regular file, checking its line starts.
    init(input: InputFile, budget: Int, range: Range<Int>) {
        self.input = input
        bytes = []
        self.budget = budget
        offset = range.lowerBound
        remaining = range.count
        scanner = LineStartScanner(atFileStart: range.lowerBound == 0)
    }

    /// Whether every line of the part began an item, a comment, or was blank.
    var isPlainItemList: Bool { scanner?.isPlainItemList ?? false }

    init(bytes: [UInt8], budget: Int) {
        input = nil
        self.bytes = bytes
        self.budget = budget
    }

    static let readHandler:
        @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?) ->
            Int32 = {
                data, buffer, size, sizeRead in
                guard let data, let buffer, let sizeRead else { return 0 }
                return Unmanaged<YAMLInputFeed>.fromOpaque(data).takeUnretainedValue().read(
                    into: buffer, size: size, sizeRead: sizeRead)
            }

    /// libyaml's read handler contract: 1 and the count (0 at the end), or 0 for an error.
    private func read(into buffer: UnsafeMutablePointer<UInt8>, size: Int, sizeRead: UnsafeMutablePointer<Int>) -> Int32
    {
        if bytesSinceEvent > budget {
            exceededBudget = true
            return 0
        }
        var got = 0
        if let input {
            let wanted = min(size, remaining ?? size)
            got =
                input.isRegular
                ? input.read(into: buffer, count: wanted, at: offset) : input.readNext(into: buffer, count: wanted)
            if got < 0 { return 0 }
            offset += got
            if let left = remaining {
                remaining = left - got
                scanner?.scan(buffer, count: got)
            }
        } else {
            got = min(size, bytes.count - offset)
            if got > 0 {
                bytes.withUnsafeBufferPointer { source in
                    buffer.update(from: source.baseAddress! + offset, count: got)
                }
                offset += got
            }
        }
        bytesSinceEvent += got
        sizeRead.pointee = got
        return 1
    }
}
