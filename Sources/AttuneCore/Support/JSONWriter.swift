import AttuneYAML

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
    /// What has been written (since the last `flush`).
    public var bytes: [UInt8] { buffer.array }
    private var buffer: JSONByteBuffer
    private let pretty: Bool
    private var depth = 0
    /// No value yet in the innermost open array or object.
    private var fresh = false
    /// A key was just written: its value follows without a separator.
    private var afterKey = false

    public init(pretty: Bool = true, capacity: Int = 0) {
        self.pretty = pretty
        buffer = JSONByteBuffer(capacity: capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ key: String) {
        // The common key (pretty, nested less than 31 deep, short plain text): its separator,
        // indentation, quotes and colon in one copy (`plainKey`).
        if writesKeysAtOnce, Self.withBytes(of: key, { plainKeyIfPlain($0) }) { return }
        separate()
        escape(key)
        buffer.append(literal: pretty ? ": " : ":")
        afterKey = true
    }

    /// A key written in the source (`json.key(literal: "session")`): the same bytes as `key(_:)`
    /// without making a `String` of it. The report writes most of its keys this way.
    public mutating func key(literal key: StaticString) {
        if writesKeysAtOnce, key.hasPointerRepresentation,
            plainKeyIfPlain(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        {
            return
        }
        self.key(key.description)
    }

    /// A key made once and written many times (a measure's name on every trajectory point): the
    /// same bytes as `key(_:)`, its text looked at once rather than at each use.
    public mutating func key(_ key: JSONKey) {
        guard key.isPlain, writesKeysAtOnce else { return self.key(key.name) }
        // A short name is held in the string itself: its copy counts no reference.
        var name = key.name
        name.withUTF8 { plainKey($0) }
    }

    /// Where a plain key is written at once (`plainKey`): pretty, not right after a key, and
    /// 0 < depth < `lineStartDepths`.
    private var writesKeysAtOnce: Bool { pretty && !afterKey && depth > 0 && depth < Self.lineStartDepths }

    /// Writes `name` with `plainKey` when it is short and needs no escaping (what `JSONKey.isPlain`
    /// finds once); false, writing nothing, otherwise.
    private mutating func plainKeyIfPlain(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard name.count <= Self.plainKeyLimit, !Self.needsEscaping(name) else { return false }
        plainKey(name)
        return true
    }

    /// Keys this long or shorter are written at once (`plainKey`).
    static let plainKeyLimit = 64
    /// Depths whose line start `lineStarts` holds.
    private static let lineStartDepths = 31

    /// A key that needs no escaping, pretty, not right after a key, 0 < depth < `lineStartDepths`,
    /// at most `plainKeyLimit` bytes: separator, line break, indentation, quotes, key and `": "`
    /// written in place at once (byte by byte, keys were a third of a report's cost).
    private mutating func plainKey(_ name: UnsafeBufferPointer<UInt8>) {
        let skip = fresh ? 1 : 0
        let prefix = 2 + 2 * depth - skip
        let count = prefix + name.count + 4
        let out = buffer.reserve(count)
        ShortBytes.copy(Self.lineStarts.utf8Start + skip, to: out, count: prefix)
        out[prefix] = UInt8(ascii: "\"")
        if let name = name.baseAddress { ShortBytes.copy(name, to: out + prefix + 1, count: count - prefix - 4) }
        out[count - 3] = UInt8(ascii: "\"")
        out[count - 2] = UInt8(ascii: ":")
        out[count - 1] = UInt8(ascii: " ")
        buffer.commit(count)
        fresh = false
        afterKey = true
    }

    /// A comma, a line break and enough spaces for `lineStartDepths - 1` levels: what comes
    /// before a key (from the line break when it is the first), sliced, with no copy of its own.
    private static var lineStarts: StaticString {
        ",\n                                                              "
    }

    public mutating func null() {
        separate()
        buffer.append(literal: "null")
    }

    public mutating func bool(_ value: Bool) {
        separate()
        buffer.append(literal: value ? "true" : "false")
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
        let out = buffer.reserve(12)
        out[0] = UInt8(ascii: "\"")
        out[1] = UInt8(48 + year / 1000 % 10)
        out[2] = UInt8(48 + year / 100 % 10)
        out[3] = UInt8(48 + year / 10 % 10)
        out[4] = UInt8(48 + year % 10)
        out[5] = UInt8(ascii: "-")
        out[6] = UInt8(48 + month / 10)
        out[7] = UInt8(48 + month % 10)
        out[8] = UInt8(ascii: "-")
        out[9] = UInt8(48 + dayOfMonth / 10)
        out[10] = UInt8(48 + dayOfMonth % 10)
        out[11] = UInt8(ascii: "\"")
        buffer.commit(12)
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
        // A whole number below 10^15 (scores, counts) is `Value.format`'s `String(Int64(value))`,
        // digit by digit: no `String` made for it. -0.0 is "0" both ways.
        if value.magnitude < 1e15, value == value.rounded(.towardZero) {
            return digits(Int64(value))
        }
        if decimals(value) { return }
        if value.isFinite {
            buffer.append(Value.format(value))
        } else {
            buffer.append(literal: "null")
        }
    }

    /// As `JSON.integer`: every digit, never through `Double` (no rounding above 2^53), nor `String`.
    public mutating func integer(_ value: Int) {
        separate()
        digits(Int64(value))
    }

    /// `value` in decimal, as `String(value)`, written in place.
    private mutating func digits(_ value: Int64) {
        pointed(value, places: 0)
    }

    /// A number of one or two decimals (a score of 18.5 or 4.25) between 0.01 and 2^40, as
    /// `String(value)` writes it: its shortest form that reads back as `value`. When the nearest
    /// `Double` to n/10 (or n/100, n not a multiple of 10) is `value` (division rounds to
    /// nearest), that form is n's digits with the point put in: any other of as many or fewer
    /// digits is 0.01 or more away, far beyond the half unit in the last place (below 2^-13)
    /// within which a text reads back as `value`. Other numbers are left to `Value.format`.
    private mutating func decimals(_ value: Double) -> Bool {
        guard value.magnitude >= 0.01, value.magnitude < 1_099_511_627_776 else { return false }
        let tenths = (value * 10).rounded()
        if tenths / 10 == value {
            pointed(Int64(tenths), places: 1)
            return true
        }
        let hundredths = (value * 100).rounded()
        if hundredths / 100 == value {
            pointed(Int64(hundredths), places: 2)
            return true
        }
        return false
    }

    /// `scaled` / 10^`places` in decimal: "-18.5", "0.05", and with no places `String(scaled)`.
    private mutating func pointed(_ scaled: Int64, places: Int) {
        var rest = scaled.magnitude
        // Digits: at most 20 (10^20 would not fit, and is never reached).
        var digits = 1
        var power: UInt64 = 10
        while digits < 20, rest >= power {
            digits += 1
            power &*= 10
        }
        digits = max(digits, places + 1)  // "0.05": a zero before the point, and after it
        let sign = scaled < 0 ? 1 : 0
        let point = places > 0 ? 1 : 0
        let length = sign + digits + point
        let out = buffer.reserve(length)
        var index = length
        for place in 0..<digits {
            index -= 1
            if point == 1, place == places {
                out[index] = UInt8(ascii: ".")
                index -= 1
            }
            out[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
        if sign == 1 { out[0] = UInt8(ascii: "-") }
        buffer.commit(length)
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
        guard buffer.count >= threshold else { return }
        buffer.withUnsafeBytes(output)
        buffer.removeAll()
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

    /// Moves this writer's bytes into the storage of `spare`, which takes this writer's storage
    /// and is left empty: a writer made for each piece of a long array (`ParallelJSONArray`)
    /// writes into the memory an earlier piece grew, rather than growing its own from nothing,
    /// round after round, for another thread to free.
    public mutating func takeStorage(of spare: inout JSONWriter) {
        spare.buffer.removeAll()
        spare.buffer.append(buffer)
        swap(&buffer, &spare.buffer)
        spare.buffer.removeAll()
    }

    /// Adds what a branch wrote, and carries on from where it stopped: the bytes are those this
    /// writer would have written itself.
    public mutating func append(_ branch: JSONWriter) {
        buffer.append(branch.buffer)
        depth = branch.depth
        fresh = branch.fresh
        afterKey = branch.afterKey
    }

    /// The end of the document: a newline, as every report file ends.
    public mutating func newline() {
        buffer.append(UInt8(ascii: "\n"))
    }

    private mutating func open(_ bracket: UInt8) {
        separate()
        buffer.append(bracket)
        depth += 1
        fresh = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !fresh { indent() }
        buffer.append(bracket)
        fresh = false
    }

    /// Before a value or key: nothing after a key or at the top; else a comma unless first, and the indentation.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        // The comma, line break and indentation in one copy.
        if pretty, depth < Self.lineStartDepths {
            let skip = fresh ? 1 : 0
            fresh = false
            let count = 2 + 2 * depth - skip
            ShortBytes.copy(Self.lineStarts.utf8Start + skip, to: buffer.reserve(count), count: count)
            return buffer.commit(count)
        }
        if !fresh { buffer.append(UInt8(ascii: ",")) }
        fresh = false
        indent()
    }

    private mutating func indent() {
        guard pretty else { return }
        // A line break and the indentation in one copy: byte by byte, they were a tenth of a report's cost.
        if depth < Self.lineStartDepths {
            ShortBytes.copy(Self.lineStarts.utf8Start + 1, to: buffer.reserve(1 + 2 * depth), count: 1 + 2 * depth)
            return buffer.commit(1 + 2 * depth)
        }
        buffer.append(UInt8(ascii: "\n"))
        buffer.append(repeating: UInt8(ascii: " "), count: 2 * depth)
    }

    private mutating func escape(_ text: String) {
        Self.withBytes(of: text) { escape(utf8: $0) }
    }

    /// A string's UTF-8 bytes, read where they are when it stores them in one piece. A copy of
    /// the string (which `withUTF8` needs) would count a reference to its storage, which other
    /// threads writing the same rule's id, file name or evidence key share.
    private static func withBytes<Result>(
        of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return text.withUTF8(body)
    }

    private mutating func escape(utf8: UnsafeBufferPointer<UInt8>) {
        // Most text is printable ASCII and needs no escaping: written whole with its quotes.
        // Anything else may hold characters that are invisible or act on a terminal (see below).
        guard !Self.needsEscaping(utf8) else {
            buffer.append(UInt8(ascii: "\""))
            escapeSlowly(utf8)
            buffer.append(UInt8(ascii: "\""))
            return
        }
        let out = buffer.reserve(utf8.count + 2)
        out[0] = UInt8(ascii: "\"")
        if let text = utf8.baseAddress { ShortBytes.copy(text, to: out + 1, count: utf8.count) }
        out[utf8.count + 1] = UInt8(ascii: "\"")
        buffer.commit(utf8.count + 2)
    }

    /// Whether none of the eight bytes of `word` is a control byte, a quote, a backslash, DEL or outside ASCII.
    @inline(__always)
    private static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // Whether any byte of `word` is zero: exact for the word as a whole.
        func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        // Bytes of 0x80 and up, and bytes below 0x20 (less than 0x20 is "minus 0x20 borrows").
        return
            !(word & highs != 0 || (word &- 0x20 &* ones) & ~word & highs != 0 || hasZero(word ^ (0x22 &* ones))
            || hasZero(word ^ (0x5C &* ones)) || hasZero(word ^ (0x7F &* ones)))
    }

    /// Whether any byte is a control byte, a quote, a backslash, DEL or outside ASCII, looked at
    /// eight bytes at a time: scanning the report's text byte by byte was a large part of its cost.
    @inline(__always)
    static func needsEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress, !utf8.isEmpty else { return false }
        let raw = UnsafeRawPointer(base)
        let count = utf8.count
        // Shorter than a word (most keys and many values): its bytes gathered into one, the rest
        // spaces; two overlapping halves, or the first, middle and last byte.
        guard count >= 8 else {
            if count >= 4 {
                let low = UInt64(raw.loadUnaligned(as: UInt32.self))
                let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
                return !isPlain(low | high << 32)
            }
            let first = UInt64(raw.load(as: UInt8.self))
            let middle = UInt64(raw.load(fromByteOffset: count / 2, as: UInt8.self))
            let last = UInt64(raw.load(fromByteOffset: count - 1, as: UInt8.self))
            return !isPlain(first | middle << 8 | last << 16 | 0x2020_2020_2000_0000)
        }
        // Whole words, then the last eight bytes (overlapping the last word looked at).
        var index = 0
        while index + 8 <= count {
            if !isPlain(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) { return true }
            index += 8
        }
        return index < count && !isPlain(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }

    /// Runs of bytes that need nothing are copied whole; only quotes, backslashes, control bytes
    /// and the scalars outside ASCII are looked at one by one (a long guidance text with one
    /// typographic dash is mostly copied).
    private mutating func escapeSlowly(_ utf8: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var runStart = 0
        let raw = UnsafeRawPointer(utf8.baseAddress)
        while index < utf8.count {
            // Eight plain bytes at a time, then one by one up to the next that needs care.
            if let raw {
                while index + 8 <= utf8.count,
                    Self.isPlain(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                {
                    index += 8
                }
                guard index < utf8.count else { break }
            }
            let byte = utf8[index]
            if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C {
                index += 1
                continue
            }
            var length = 1
            if byte >= 0x80 {
                // A Swift string is valid UTF-8: the lead byte gives the scalar's length. A
                // visible scalar stays in the run, copied with it.
                length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                for offset in 1..<length { value = value << 6 | UInt32(utf8[index + offset] & 0x3F) }
                let scalar = Unicode.Scalar(value)!
                guard VisibleText.isInvisible(scalar) else {
                    index += length
                    continue
                }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                unicodeEscape(scalar)
            } else {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case 0x22: buffer.append(literal: #"\""#)
                case 0x5C: buffer.append(literal: #"\\"#)
                case 0x0A: buffer.append(literal: #"\n"#)
                case 0x0D: buffer.append(literal: #"\r"#)
                case 0x09: buffer.append(literal: #"\t"#)
                default: unicodeEscape(Unicode.Scalar(byte))  // other C0 controls and DEL: all invisible
                }
            }
            index += length
            runStart = index
        }
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }

    /// Control, bidi, zero-width and separator characters as `\uXXXX` (UTF-16 units): the same
    /// string to a JSON reader, and nothing a terminal acts on when the file is shown.
    private mutating func unicodeEscape(_ scalar: Unicode.Scalar) {
        for unit in String(scalar).utf16 {
            let hex = String(unit, radix: 16)
            buffer.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        }
    }
}

/// A key for `JSONWriter.key(_:)` used many times: its bytes, and whether they can be written
/// as they are, found once.
///
/// ```swift
/// let srs = JSONKey("srs")
/// for point in points { json.key(srs); json.number(point.srs) }
/// ```
public struct JSONKey: Sendable {
    /// Its bytes too: a name of up to 15 bytes is held in the string itself, with no storage
    /// whose references are counted each time the key is used. A report's keys are shared by
    /// the threads writing it, and such counts on shared storage are contended between them.
    public let name: String
    /// Short enough to be written at once, and needing no escaping.
    let isPlain: Bool

    public init(_ name: String) {
        var name = name
        self.isPlain = name.withUTF8 {
            $0.count <= JSONWriter.plainKeyLimit && !JSONWriter.needsEscaping($0)
        }
        self.name = name
    }
}
