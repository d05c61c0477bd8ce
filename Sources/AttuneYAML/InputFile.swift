#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input, opened once and read through that one descriptor.
///
/// A regular file is read by offset (`pread`), by any number of readers at once and as often as
/// needed (parts of a split file, the whole-file fallback, the second pass that locates an error):
/// all of them see the file that was opened, even if the path is replaced (`mv`) meanwhile.
/// Anything else (standard input, a FIFO, a device) is a stream: read once, front to back, a
/// chunk at a time, never whole; it keeps the last bytes it handed out (when a reader asks, see
/// `keepHistory`) so that an error found a little after the fact can still be located.
///
/// ```swift
/// let input = try InputFile.open("sessions.yaml")
/// try YAMLReader.forEachItem(in: .opened(input), limits: .records) { item in … }
/// ```
///
/// A stream has one reader at a time (it is read from one thread); regular files may be read
/// from several threads, since `pread` keeps no shared offset.
// Unchecked: a file descriptor is shared; see the paragraph above for who may read it.
public final class InputFile: @unchecked Sendable {
    /// The name shown in messages.
    public let path: String
    let descriptor: Int32
    private let ownsDescriptor: Bool
    /// A regular file: read by offset, any number of times.
    public let isRegular: Bool
    /// The file's size when opened (regular files only).
    public let size: Int

    /// Stream state: bytes read ahead (to sniff the format) but not yet handed out.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Stream state: the last bytes handed out, and where the first of them stands.
    private var history: [UInt8] = []
    private(set) var historyStart = TextPosition()
    private var historyLimit = 0
    private var atEnd = false

    private init(path: String, descriptor: Int32, ownsDescriptor: Bool, isRegular: Bool, size: Int) {
        self.path = path
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.isRegular = isRegular
        self.size = size
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Standard input, read as a stream (even when it is a redirected file: reading starts at
    /// its current offset, as a pipe would).
    public static func standardInput(name: String = "<stdin>") -> InputFile {
        InputFile(path: name, descriptor: 0, ownsDescriptor: false, isRegular: false, size: 0)
    }

    /// Why a file was not opened.
    public enum OpenError: Error, Sendable, CustomStringConvertible {
        /// The path exists but names something other than a regular file (with `regularOnly`).
        case notRegular(kind: String)
        case failed(reason: String)

        public var description: String {
            switch self {
            case .notRegular(let kind): return "\(kind), not a regular file"
            case .failed(let reason): return reason
            }
        }
    }

    /// `open(path)`, failing with a located `DocumentError` as the readers do.
    static func opened(_ path: String) throws(DocumentError) -> InputFile {
        do {
            return try open(path)
        } catch {
            throw DocumentError(error.description, at: Mark(line: 1, column: 1))
        }
    }

    /// Opens `path`. With `regularOnly`, anything but a regular file (a FIFO, a device, a
    /// socket) is refused without blocking or reading from it: the check is on the opened
    /// descriptor, so a path swapped for a FIFO after it was listed is refused too.
    public static func open(_ path: String, regularOnly: Bool = false) throws(OpenError) -> InputFile {
        // Non-blocking, so that opening a FIFO with no writer returns at once; cleared below for
        // the streams a caller named explicitly (`<(zcat export.gz)`), which are then read normally.
        let descriptor = systemOpen(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .failed(reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .failed(reason: "cannot read \(path): \(reason)")
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            close(descriptor)
            throw .failed(reason: "\(path) is a folder")
        }
        let isRegular = type == S_IFREG
        if regularOnly, !isRegular {
            close(descriptor)
            throw .notRegular(kind: Self.kind(of: type))
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return InputFile(
            path: path, descriptor: descriptor, ownsDescriptor: true, isRegular: isRegular,
            size: isRegular ? Int(info.st_size) : 0)
    }

    static func kind(of type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    // MARK: Regular files

    /// Reads up to `count` bytes at `offset`; 0 at the end, -1 on an error (`errno` says which).
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) -> Int {
        while true {
            let got = pread(descriptor, buffer, count, off_t(offset))
            if got >= 0 || errno != EINTR { return got }
        }
    }

    // MARK: Streams

    /// The first `count` bytes (fewer if the input is shorter), without consuming them: to
    /// sniff the format. For a stream they are read ahead and handed out again later.
    public func prefix(_ count: Int) -> [UInt8] {
        if isRegular {
            var bytes = [UInt8](repeating: 0, count: count)
            let got = bytes.withUnsafeMutableBytes { read(into: $0.baseAddress!, count: count, at: 0) }
            return Array(bytes.prefix(max(0, got)))
        }
        while pending.count - pendingStart < count, !atEnd {
            var chunk = [UInt8](repeating: 0, count: count)
            let got = chunk.withUnsafeMutableBytes { readDescriptor(into: $0.baseAddress!, count: count) }
            if got <= 0 {
                atEnd = true
                break
            }
            pending += chunk.prefix(got)
        }
        return Array(pending[pendingStart..<min(pending.count, pendingStart + count)])
    }

    /// Keep at least the last `bytes` bytes handed out, for `withHistory`.
    func keepHistory(_ bytes: Int) {
        historyLimit = max(historyLimit, bytes)
    }

    /// The next bytes of a stream, up to `count`: 0 at the end, -1 on an error (`errno` says which).
    func readNext(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var got: Int
        if pendingStart < pending.count {
            got = min(count, pending.count - pendingStart)
            pending.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + pendingStart, byteCount: got) }
            pendingStart += got
            if pendingStart == pending.count {
                pending = []
                pendingStart = 0
            }
        } else if atEnd {
            got = 0
        } else {
            got = readDescriptor(into: buffer, count: count)
            if got == 0 { atEnd = true }
        }
        if got > 0, historyLimit > 0 { remember(UnsafeRawBufferPointer(start: buffer, count: got)) }
        return got
    }

    private func readDescriptor(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let got = systemRead(descriptor, buffer, count)
            if got >= 0 || errno != EINTR { return got }
        }
    }

    /// Appends to the history; past twice the limit, the oldest bytes are dropped (and counted
    /// into `historyStart`), so each byte is counted once and the history stays bounded.
    private func remember(_ bytes: UnsafeRawBufferPointer) {
        history.append(contentsOf: bytes.bindMemory(to: UInt8.self))
        guard history.count > 2 * historyLimit else { return }
        let drop = history.count - historyLimit
        history.withUnsafeBufferPointer { historyStart.advance(over: UnsafeBufferPointer(rebasing: $0[..<drop])) }
        history.removeFirst(drop)
    }

    /// The bytes kept of a stream, with the position of the first of them.
    func withHistory<R>(_ body: (TextPosition, [UInt8]) throws -> R) rethrows -> R {
        try body(historyStart, history)
    }
}

/// The C library's `open` and `read`, which `InputFile`'s own methods of those names hide.
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// A place in a text, counted the way libyaml counts: a leading UTF-8 BOM takes no column,
/// CR LF is one break, CR alone is a break, a column is a character (a UTF-8 lead byte).
struct TextPosition: Sendable, Hashable {
    var offset = 0
    var line = 1
    var column = 1
    var afterCR = false
    /// Bytes since the last line break (the BOM not counted).
    var lineBytes = 0
    /// Bytes of a leading BOM still to be skipped (3 until the first byte is seen).
    var bomBytesLeft = 3

    var mark: Mark { Mark(line: line, column: column) }

    /// Moves past one byte.
    /// Whether `byte`, next, belongs to a leading BOM (and so takes no column).
    func isBOMByte(_ byte: UInt8) -> Bool {
        guard bomBytesLeft > 0, offset == 3 - bomBytesLeft else { return false }
        return byte == (bomBytesLeft == 3 ? 0xEF : bomBytesLeft == 2 ? 0xBB : 0xBF)
    }

    mutating func advance(_ byte: UInt8) {
        if isBOMByte(byte) {
            offset += 1
            bomBytesLeft -= 1
            return
        }
        offset += 1
        if bomBytesLeft > 0 {
            // Not a BOM after all: the bytes taken for one were text (EF a lead byte, BB not).
            if bomBytesLeft < 3 {
                column += 1
                lineBytes += 3 - bomBytesLeft
            }
            bomBytesLeft = 0
        }
        if byte == 0x0A {
            if !afterCR {
                line += 1
                column = 1
            }
            afterCR = false
            lineBytes = 0
        } else if byte == 0x0D {
            line += 1
            column = 1
            afterCR = true
            lineBytes = 0
        } else {
            afterCR = false
            if byte & 0xC0 != 0x80 { column += 1 }
            lineBytes += 1
        }
    }

    mutating func advance(over bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes { advance(byte) }
    }
}
