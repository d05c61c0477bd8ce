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
    private let fd: Int32
    private var atEOF: Bool

    init(bytes: [UInt8]) {
        buffer = bytes
        fd = -1
        atEOF = true
    }

    /// Reads from `fd`, which the caller owns and closes.
    init(fileDescriptor: Int32) {
        buffer = []
        fd = fileDescriptor
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
        let lead = buffer[pos]
        _ = try ensure(lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2)
        let length = buffer.withUnsafeBufferPointer { JSONParser.utf8SequenceLength($0, at: pos, end: $0.count) }
        guard length > 0 else { return false }
        scratch.append(contentsOf: buffer[pos..<pos + length])
        pos += length
        return true
    }

    /// Replaces the window by the unconsumed bytes plus the next chunk of the file.
    private mutating func refill() throws {
        let remaining = buffer.count - pos
        let old = buffer
        let start = pos
        let fd = self.fd
        var readError: Int32 = 0
        var gotEOF = false
        let fresh = [UInt8](unsafeUninitializedCapacity: remaining + Self.chunkSize) { out, count in
            if remaining > 0 {
                old.withUnsafeBufferPointer { oldBytes in
                    out.baseAddress!.initialize(from: oldBytes.baseAddress! + start, count: remaining)
                }
            }
            var got = 0
            while true {
                let r = read(fd, out.baseAddress! + remaining, Self.chunkSize)
                if r >= 0 {
                    got = r
                    gotEOF = r == 0
                    break
                }
                if errno != EINTR {
                    readError = errno
                    break
                }
            }
            count = remaining + got
        }
        buffer = fresh
        pos = 0
        if readError != 0 {
            atEOF = true
            throw DocumentError("cannot read the file: \(String(cString: strerror(readError)))", at: Mark(line: 1, column: 1))
        }
        if gotEOF { atEOF = true }
    }

    /// Runs `body` over the bytes of `source`, opening and closing the file around it.
    static func withInput<R>(_ source: DocumentSource, _ body: (inout ByteInput) throws -> R) throws -> R {
        switch source {
        case .bytes(let bytes):
            var input = ByteInput(bytes: bytes)
            return try body(&input)
        case .file(let path):
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw DocumentError("cannot open \(path): \(String(cString: strerror(errno)))", at: Mark(line: 1, column: 1))
            }
            defer { close(fd) }
            var input = ByteInput(fileDescriptor: fd)
            return try body(&input)
        }
    }

    /// The 1-based line and column (in characters) of a byte offset, counted the way libyaml
    /// counts: a leading UTF-8 BOM takes no column, CR LF is one break, CR alone is a break.
    /// An offset inside a multi-byte sequence (libyaml reports a bad trailing octet at the
    /// octet) is placed at the sequence's first byte: the character that is wrong.
    /// Used only on the error path, for libyaml reader errors, which carry an offset, not a mark.
    static func mark(atByteOffset offset: Int, in source: DocumentSource) -> Mark {
        (try? withInput(source) { input -> Mark in
            var line = 1
            var column = 1
            var consumed = 0
            var afterCR = false
            var sequenceEnd = 0  // offset just past the current multi-byte sequence
            var sequenceMark = Mark(line: 1, column: 1)
            if try input.ensure(3), input.buffer[0] == 0xEF, input.buffer[1] == 0xBB, input.buffer[2] == 0xBF {
                input.pos = 3
                consumed = 3
            }
            while consumed < offset, try input.ensure(1) {
                let b = input.buffer[input.pos]
                if b >= 0xC0 {
                    sequenceMark = Mark(line: line, column: column)
                    sequenceEnd = consumed + (b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2)
                }
                input.pos += 1
                consumed += 1
                if b == 0x0A {
                    if !afterCR { line += 1; column = 1 }
                    afterCR = false
                } else if b == 0x0D {
                    line += 1
                    column = 1
                    afterCR = true
                } else {
                    afterCR = false
                    if b & 0xC0 != 0x80 { column += 1 }
                }
            }
            return offset < sequenceEnd ? sequenceMark : Mark(line: line, column: column)
        }) ?? Mark(line: 1, column: 1)
    }

    /// Where a token that ran past `limit` bytes starts, given the end of the last event before
    /// it: the first character after `mark` that is not blank, a line break or a YAML indicator
    /// (`:` `-` `?` `,`), if that is on the first line after `mark` longer than `limit` bytes;
    /// otherwise the start of that long line (say, a long comment after a short token). Error path only.
    static func mark(ofLongTokenAfter mark: Mark, longerThan limit: Int, in source: DocumentSource) -> Mark {
        (try? withInput(source) { input -> Mark in
            var line = 1
            var column = 1
            var afterCR = false
            var next: Mark?  // the first token-like character after `mark`
            var lineBytes = 0
            if try input.ensure(3), input.buffer[0] == 0xEF, input.buffer[1] == 0xBB, input.buffer[2] == 0xBF {
                input.pos = 3
            }
            while try input.ensure(1) {
                let b = input.buffer[input.pos]
                let here = Mark(line: line, column: column)
                if next == nil, here >= mark, b & 0xC0 != 0x80, !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
                    || b == UInt8(ascii: ":") || b == UInt8(ascii: "-") || b == UInt8(ascii: "?") || b == UInt8(ascii: ",")) {
                    next = here
                }
                input.pos += 1
                if b == 0x0A || b == 0x0D {
                    if b == 0x0D || !afterCR { line += 1; column = 1 }
                    afterCR = b == 0x0D
                    lineBytes = 0
                    continue
                }
                afterCR = false
                if b & 0xC0 != 0x80 { column += 1 }
                lineBytes += 1
                if lineBytes > limit, line >= mark.line {
                    if let next, next.line == line { return next }
                    return Mark(line: line, column: 1)
                }
            }
            return next ?? mark
        }) ?? mark  // the source could not be re-read: the event's end is the next best place
    }
}
