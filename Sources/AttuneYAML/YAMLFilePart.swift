#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte range of a YAML record file that starts at a top-level item, so that several libyaml
/// parsers can read one large file at once.
///
/// Splitting is only an offer: the reader of a part reports whether every line of it began an
/// item (`- ` at column 0), a comment, or was blank. Only then do the parts mean what the whole
/// file means; otherwise (flow style, several documents, a mapping at the root) the caller reads
/// the file whole.
///
/// ```swift
/// let parts = YAMLFilePart.split(path, into: 2)
/// let reading = try YAMLReader.forEachItem(in: parts[1], limits: .records) { item in … }
/// // marks of part 1 count from its first line; add the lines of the parts before it
/// ```
public struct YAMLFilePart: Sendable, Hashable {
    public let path: String
    public let range: Range<Int>
    /// The opened file every part of it is read from: one snapshot, whatever happens to the path.
    public let input: InputFile

    public init(input: InputFile, range: Range<Int>) {
        self.path = input.path
        self.range = range
        self.input = input
    }

    public static func == (a: YAMLFilePart, b: YAMLFilePart) -> Bool {
        a.input === b.input && a.range == b.range
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(input))
        hasher.combine(range)
    }

    /// Files smaller than this are not worth splitting.
    public static let minimumSplitSize = 1 << 20

    /// `split(_:into:minimumSize:)` of the file at `path`; no parts when it cannot be opened as a regular file.
    public static func split(_ path: String, into count: Int, minimumSize: Int = minimumSplitSize) -> [YAMLFilePart] {
        guard let input = try? InputFile.open(path, regularOnly: true) else { return [] }
        return split(input, into: count, minimumSize: minimumSize)
    }

    /// About `count` parts of similar size, each starting at a line that starts with `- `; one
    /// part (the whole file) when it is small, or no such line is found near a split point.
    public static func split(_ input: InputFile, into count: Int, minimumSize: Int = minimumSplitSize) -> [YAMLFilePart]
    {
        let size = input.size
        guard input.isRegular, count > 1, size >= minimumSize else {
            return [YAMLFilePart(input: input, range: 0..<size)]
        }
        var starts = [0]
        let window = 1 << 16
        var buffer = [UInt8](repeating: 0, count: window)
        for k in 1..<count {
            let target = max(size * k / count, (starts.last ?? 0) + 1)
            guard target < size else { break }
            let got = buffer.withUnsafeMutableBytes { input.read(into: $0.baseAddress!, count: window, at: target - 1) }
            // The first "\n- " (or "\n-" at a line end) after the target: an item at column 0.
            var found: Int?
            var i = 0
            while i + 2 < got {
                if buffer[i] == 0x0A, buffer[i + 1] == UInt8(ascii: "-"),
                    buffer[i + 2] == 0x20 || buffer[i + 2] == 0x0A || buffer[i + 2] == 0x0D
                {
                    found = target - 1 + i + 1
                    break
                }
                i += 1
            }
            if let found, found > (starts.last ?? 0) { starts.append(found) }
        }
        return starts.indices.map { index in
            YAMLFilePart(input: input, range: starts[index]..<(index + 1 < starts.count ? starts[index + 1] : size))
        }
    }
}

/// What reading a part found out: the lines it spans (to number the next part's lines) and
/// whether it was a plain list of top-level items.
public struct YAMLPartReading: Sendable, Hashable {
    public var lines: Int
    public var isPlainItemList: Bool
}

extension YAMLReader {
    /// Streams the items of one part of a file, with marks counted from the part's first line.
    public static func forEachItem(in part: YAMLFilePart, limits: DocumentLimits, _ body: (Node) throws -> Void) throws
        -> YAMLPartReading
    {
        let (lines, feed) = try YAMLEventParser.run(
            source: .opened(part.input), limits: limits, streamsRootSequence: true,
            part: part, deliver: body)
        return YAMLPartReading(lines: lines, isPlainItemList: feed.isPlainItemList)
    }

    /// `forEachItem(in:limits:_:)` handing over each item's events (see `forEachItemEvents(in:limits:_:)`).
    public static func forEachItemEvents(
        in part: YAMLFilePart, limits: DocumentLimits, _ body: (ItemEvents) throws -> Void
    ) throws -> YAMLPartReading {
        let (lines, feed) = try YAMLEventParser.run(
            source: .opened(part.input), limits: limits, streamsRootSequence: true,
            part: part, deliver: { _ in }, wantsEvents: true, deliverEvents: body)
        return YAMLPartReading(lines: lines, isPlainItemList: feed.isPlainItemList)
    }
}

/// Checks, as bytes stream past, that nothing but items (`- `, `-` alone) stands at column 0:
/// other lines are indented, comments (`#`) or blank;
/// and that every carriage return ends a CR LF pair (libyaml counts a lone CR as a line break,
/// which a split at LF would miscount).
struct LineStartScanner {
    private(set) var isPlainItemList = true
    private var atLineStart = true
    private var afterDash = false
    private var afterCR = false
    private var bomBytesLeft: Int

    init(atFileStart: Bool) {
        bomBytesLeft = atFileStart ? 3 : 0
    }

    mutating func scan(_ pointer: UnsafePointer<UInt8>, count: Int) {
        var i = 0
        while i < count, isPlainItemList {
            let byte = pointer[i]
            if bomBytesLeft > 0 {
                let expected: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == expected[3 - bomBytesLeft] {
                    bomBytesLeft -= 1
                    i += 1
                    continue
                }
                bomBytesLeft = 0
            }
            if afterCR {
                afterCR = false
                if byte != 0x0A {
                    isPlainItemList = false
                    return
                }
            }
            if afterDash {
                afterDash = false
                if byte != 0x20, byte != 0x0A, byte != 0x0D {
                    isPlainItemList = false
                    return
                }
            }
            if atLineStart {
                atLineStart = false
                switch byte {
                case UInt8(ascii: "-"): afterDash = true
                case UInt8(ascii: " "), UInt8(ascii: "#"), 0x0A, 0x0D: break  // indented, comment or blank
                default:
                    isPlainItemList = false
                    return
                }
                if byte == 0x0A { atLineStart = true }
                if byte == 0x0D {
                    afterCR = true
                    atLineStart = true
                }
                i += 1
                continue
            }
            // Jump to the next line break; a CR before it must be the CR of a CR LF.
            let rest = count - i
            let newline = memchr(pointer + i, 0x0A, rest).map { UnsafeRawPointer($0) - UnsafeRawPointer(pointer + i) }
            let span = newline ?? rest
            if let cr = memchr(pointer + i, 0x0D, span).map({ UnsafeRawPointer($0) - UnsafeRawPointer(pointer + i) }) {
                if newline == nil, cr == span - 1 {
                    afterCR = true
                } else if cr != span - 1 || newline == nil {
                    isPlainItemList = false
                    return
                }
            }
            guard let newline else { return }
            i += newline + 1
            atLineStart = true
            afterCR = false
        }
    }
}
