/// Writes JSON straight into UTF-8 bytes, value by value, in exactly the layout of
/// `JSON.rendered` (two-space indentation when pretty, `[]`/`{}` when empty). Large reports are
/// written this way without first building a `JSON` tree, which costs an allocation per value.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.key("schema"); writer.string("attune.report/1")
/// writer.key("count"); writer.integer(3)
/// writer.endObject()
/// let text = String(decoding: writer.bytes, as: UTF8.self)   // {\n  "schema": ..., ...}
/// ```
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private let pretty: Bool
    private var depth = 0
    /// No value yet in the innermost open array or object.
    private var fresh = false
    /// A key was just written: its value follows without a separator.
    private var afterKey = false

    public init(pretty: Bool = true, capacity: Int = 0) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ key: String) {
        // The common key (pretty, nested less than 30 deep, short plain text): its separator,
        // indentation, quotes and colon put together on the stack and added in one copy.
        if pretty, !afterKey, depth > 0, depth < 30, key.utf8.count <= 48 {
            var key = key
            let added = key.withUTF8 { utf8 -> Bool in
                guard !Self.needsEscaping(utf8) else { return false }
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer in
                    var count = 0
                    func put(_ byte: UInt8) {
                        buffer[count] = byte
                        count += 1
                    }
                    if !fresh { put(UInt8(ascii: ",")) }
                    put(UInt8(ascii: "\n"))
                    for _ in 0..<2 * depth { put(UInt8(ascii: " ")) }
                    put(UInt8(ascii: "\""))
                    for byte in utf8 { put(byte) }
                    put(UInt8(ascii: "\""))
                    put(UInt8(ascii: ":"))
                    put(UInt8(ascii: " "))
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<count]))
                }
                return true
            }
            if added {
                fresh = false
                afterKey = true
                return
            }
        }
        separate()
        escape(key)
        if pretty {
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
        } else {
            bytes.append(UInt8(ascii: ":"))
        }
        afterKey = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func string(_ text: String) {
        separate()
        escape(text)
    }

    /// A date as `"YYYY-MM-DD"` (`Day.description`), digit by digit: no string is made for it.
    public mutating func date(_ day: Day) {
        let (year, month, dayOfMonth) = day.components
        guard (0...9999).contains(year) else { return string(day.description) }
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(48 + year / 1000 % 10))
        bytes.append(UInt8(48 + year / 100 % 10))
        bytes.append(UInt8(48 + year / 10 % 10))
        bytes.append(UInt8(48 + year % 10))
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(48 + month / 10))
        bytes.append(UInt8(48 + month % 10))
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(48 + dayOfMonth / 10))
        bytes.append(UInt8(48 + dayOfMonth % 10))
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func string(_ text: String?) {
        if let text { string(text) } else { null() }
    }

    public mutating func date(_ day: Day?) {
        if let day { date(day) } else { null() }
    }

    /// As `JSON.number`: `Value.format`, and null for infinities and NaN.
    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite {
            bytes.append(contentsOf: Value.format(value).utf8)
        } else {
            bytes.append(contentsOf: "null".utf8)
        }
    }

    /// As `JSON.integer`; small integers (line numbers, counts) skip the trip through `Double` and `String`.
    public mutating func integer(_ value: Int) {
        separate()
        // Every digit, never through `Double`: no rounding above 2^53.
        guard value >= 0, value < 1_000_000_000_000_000 else { return bytes.append(contentsOf: String(value).utf8) }
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value
            var start = buffer.count
            while rest > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            bytes.append(contentsOf: buffer[start...])
        }
    }

    public mutating func integer(_ value: Int?) {
        if let value { integer(value) } else { null() }
    }

    /// As `JSON(value)`: dates as ISO text, lists as arrays.
    public mutating func value(_ value: Value) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .date(let d): string(d.description)
        case .list(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        }
    }

    /// Hands the bytes written so far to `output` once there are at least `threshold` of them, and
    /// starts again in the same storage: a report streamed this way is never in memory whole.
    public mutating func flush(over threshold: Int, to output: (UnsafeRawBufferPointer) -> Void) {
        guard bytes.count >= threshold else { return }
        bytes.withUnsafeBytes(output)
        bytes.removeAll(keepingCapacity: true)
    }

    /// An empty writer standing where this one is, for values written elsewhere (on another
    /// thread) and added in order with `append(_:)`. `afterValues`: other values of the open
    /// array or object come before the branch's (written by this writer or by earlier branches).
    public func branch(afterValues: Bool) -> JSONWriter {
        var branch = JSONWriter(pretty: pretty)
        branch.depth = depth
        branch.fresh = afterValues ? false : fresh
        branch.afterKey = afterValues ? false : afterKey
        return branch
    }

    /// An empty writer standing after a value of the array under `key` in an object that is an
    /// element of the array this writer is in (`{…, "key": [value, ` here): where a piece of
    /// elements that starts in the middle of such an inner array begins.
    public func branch(insideArrayAt key: String) -> JSONWriter {
        var inside = branch(afterValues: true)
        inside.beginObject()
        inside.key(key)
        inside.beginArray()
        return inside.branch(afterValues: true)
    }

    /// Adds what a branch wrote, and carries on from where it stopped: the bytes are those this
    /// writer would have written itself.
    public mutating func append(_ branch: JSONWriter) {
        bytes.append(contentsOf: branch.bytes)
        depth = branch.depth
        fresh = branch.fresh
        afterKey = branch.afterKey
    }

    /// The end of the document: a newline, as every report file ends.
    public mutating func newline() {
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        depth += 1
        fresh = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !fresh { indent() }
        bytes.append(bracket)
        fresh = false
    }

    /// Before a value or key: nothing after a key or at the top; else a comma unless first, and the indentation.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if !fresh { bytes.append(UInt8(ascii: ",")) }
        fresh = false
        indent()
    }

    private mutating func indent() {
        guard pretty else { return }
        // A line break and the indentation in one copy: byte by byte, they were a tenth of a report's cost.
        if depth < Self.lineStart.count / 2 {
            Self.lineStart.withUnsafeBufferPointer {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0...2 * depth]))
            }
            return
        }
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// A line break followed by enough spaces for 31 levels.
    private static let lineStart: [UInt8] = [UInt8(ascii: "\n")] + Array(repeating: UInt8(ascii: " "), count: 62)

    private mutating func escape(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Most text is printable ASCII and needs no escaping: append it whole. Anything else
            // may hold characters that are invisible or act on a terminal (see below).
            if !Self.needsEscaping(utf8) {
                bytes.append(contentsOf: utf8)
                return
            }
            escapeSlowly(utf8)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any byte is a control byte, a quote, a backslash, DEL or outside ASCII, looked at
    /// eight bytes at a time: scanning the report's text byte by byte was a large part of its cost.
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Whether any byte of `word` is zero: exact for the word as a whole.
        func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var index = 0
        if let base = utf8.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= utf8.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // Bytes of 0x80 and up, and bytes below 0x20 (less than 0x20 is "minus 0x20 borrows").
                if word & highs != 0 || (word &- 0x20 &* ones) & ~word & highs != 0 || hasZero(word ^ (0x22 &* ones))
                    || hasZero(word ^ (0x5C &* ones)) || hasZero(word ^ (0x7F &* ones))
                {
                    return true
                }
                index += 8
            }
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x7F { return true }
            index += 1
        }
        return false
    }

    /// Runs of bytes that need nothing are copied whole; only quotes, backslashes, control bytes
    /// and the scalars outside ASCII are looked at one by one (a long guidance text with one
    /// typographic dash is mostly copied).
    private mutating func escapeSlowly(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var runStart = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            var length = 1
            switch byte {
            case 0x22: bytes.append(contentsOf: #"\""#.utf8)
            case 0x5C: bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case ..<0x80: unicodeEscape(Unicode.Scalar(byte))  // other C0 controls and DEL: all invisible
            default:
                // A Swift string is valid UTF-8: the lead byte gives the scalar's length.
                length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
                let scalar = Unicode.Scalar(value)!
                if VisibleText.isInvisible(scalar) {
                    unicodeEscape(scalar)
                } else {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[index..<index + length]))
                }
            }
            index += length
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    /// Control, bidi, zero-width and separator characters as `\uXXXX` (UTF-16 units): the same
    /// string to a JSON reader, and nothing a terminal acts on when the file is shown.
    private mutating func unicodeEscape(_ scalar: Unicode.Scalar) {
        for unit in String(scalar).utf16 {
            let hex = String(unit, radix: 16)
            bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
    }
}
