#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes of a source, read from a file descriptor in fixed-size chunks (or handed over whole),
/// so that the JSON reader never holds more than a chunk plus the token it is scanning.
struct ByteInput {
    static let chunkSize = 64 * 1024

    /// The current window. `pos` indexes into it; bytes before `pos` are consumed.
    var buffer: [UInt8]
    var pos = 0
    private let input: InputFile?
    /// Where the next chunk of a regular file starts.
    private var offset = 0
    private var atEOF: Bool

    init(bytes: [UInt8]) {
        buffer = bytes
        input = nil
        atEOF = true
    }

    /// Reads `input` from its start (a regular file) or from where it stands (a stream).
    init(input: InputFile) {
        buffer = []
        self.input = input
        atEOF = false
    }

    /// Makes at least `n` unconsumed bytes available, unless the input ends first.
    @inline(__always)
    mutating func ensure(_ n: Int) throws -> Bool {
        while buffer.count - pos < n {
            if atEOF { return false }
            try refill()
        }
        return true
    }

    /// Moves the UTF-8 sequence whose lead byte (≥ 0x80) is at `pos` into `scratch`; false when
    /// the bytes there are not valid UTF-8 (the caller says where, in its own words).
    mutating func takeUTF8Sequence(into scratch: inout [UInt8]) throws -> Bool {
        let length = try utf8SequenceLength()
        guard length > 0 else { return false }
        scratch.append(contentsOf: buffer[pos..<pos + length])
        pos += length
        return true
    }

    /// The length of the valid UTF-8 sequence whose lead byte (≥ 0x80) is at `pos`, its bytes
    /// made available; 0 when the bytes there are not valid UTF-8.
    mutating func utf8SequenceLength() throws -> Int {
        let lead = buffer[pos]
        _ = try ensure(lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2)
        return max(0, buffer.withUnsafeBufferPointer { JSONParser.utf8SequenceLength($0, at: pos, end: $0.count) })
    }

    /// Replaces the window by the unconsumed bytes plus the next chunk of the file.
    private mutating func refill() throws {
        guard let input else {
            atEOF = true
            return
        }
        let remaining = buffer.count - pos
        let old = buffer
        let start = pos
        let offset = self.offset
        var readError: Int32 = 0
        var gotEOF = false
        var got = 0
        let fresh = [UInt8](unsafeUninitializedCapacity: remaining + Self.chunkSize) { out, count in
            if remaining > 0 {
                old.withUnsafeBufferPointer { oldBytes in
                    out.baseAddress!.initialize(from: oldBytes.baseAddress! + start, count: remaining)
                }
            }
            let destination = UnsafeMutableRawPointer(out.baseAddress! + remaining)
            let r =
                input.isRegular
                ? input.read(into: destination, count: Self.chunkSize, at: offset)
                : input.readNext(into: destination, count: Self.chunkSize)
            if r < 0 { readError = errno } else { got = r }
            gotEOF = r == 0
            count = remaining + got
        }
        buffer = fresh
        pos = 0
        self.offset += got
        if readError != 0 {
            atEOF = true
            throw DocumentError(
                "cannot read the file: \(String(cString: strerror(readError)))", at: Mark(line: 1, column: 1))
        }
        if gotEOF { atEOF = true }
    }

    /// Runs `body` over the bytes of `source`, opening the file first when it is given by path.
    static func withInput<R>(_ source: DocumentSource, _ body: (inout ByteInput) throws -> R) throws -> R {
        switch source {
        case .bytes(let bytes):
            var input = ByteInput(bytes: bytes)
            return try body(&input)
        case .file(let path):
            var input = ByteInput(input: try InputFile.opened(path))
            return try body(&input)
        case .opened(let file):
            var input = ByteInput(input: file)
            return try body(&input)
        }
    }

    /// Runs `body` over `source` again from its start, for locating an error: a regular file
    /// or bytes from the beginning; a stream from the oldest byte it kept, with that byte's position.
    static func replay<R>(_ source: DocumentSource, _ body: (TextPosition, inout ByteInput) throws -> R) throws -> R {
        if case .opened(let file) = source, !file.isRegular {
            return try file.withHistory { start, bytes in
                var input = ByteInput(bytes: bytes)
                return try body(start, &input)
            }
        }
        return try withInput(source) { input in try body(TextPosition(), &input) }
    }

    /// The 1-based line and column (in characters) of a byte offset, counted the way libyaml
    /// counts (`TextPosition`). An offset inside a multi-byte sequence (libyaml reports a bad
    /// trailing octet at the octet) is placed at the sequence's first byte: the character that is wrong.
    /// Used only on the error path, for libyaml reader errors, which carry an offset, not a mark.
    static func mark(atByteOffset offset: Int, in source: DocumentSource) -> Mark {
        (try? replay(source) { start, input -> Mark in
            var position = start
            var sequenceEnd = 0  // offset just past the current multi-byte sequence
            var sequenceMark = position.mark
            while position.offset < offset, try input.ensure(1) {
                let b = input.buffer[input.pos]
                if b >= 0xC0, !position.isBOMByte(b) {
                    sequenceMark = position.mark
                    sequenceEnd = position.offset + (b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2)
                }
                input.pos += 1
                position.advance(b)
            }
            return offset < sequenceEnd ? sequenceMark : position.mark
        }) ?? Mark(line: 1, column: 1)
    }

    /// Where a token that ran past `limit` bytes starts, given the end of the last event before
    /// it: the first character after `mark` that is not blank, a line break or a YAML indicator
    /// (`:` `-` `?` `,`), if that is on the first line after `mark` longer than `limit` bytes;
    /// otherwise the start of that long line (say, a long comment after a short token). Error path only.
    static func mark(ofLongTokenAfter mark: Mark, longerThan limit: Int, in source: DocumentSource) -> Mark {
        (try? replay(source) { start, input -> Mark in
            var position = start
            var next: Mark?  // the first token-like character after `mark`
            while try input.ensure(1) {
                let b = input.buffer[input.pos]
                let here = position.mark
                if next == nil, here >= mark, b & 0xC0 != 0x80, !position.isBOMByte(b),
                    !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
                        || b == UInt8(ascii: ":") || b == UInt8(ascii: "-") || b == UInt8(ascii: "?")
                        || b == UInt8(ascii: ","))
                {
                    next = here
                }
                input.pos += 1
                position.advance(b)
                if position.lineBytes > limit, position.line >= mark.line {
                    if let next, next.line == position.line { return next }
                    return Mark(line: position.line, column: 1)
                }
            }
            return next ?? mark
        }) ?? mark  // the source could not be re-read: the event's end is the next best place
    }
}
