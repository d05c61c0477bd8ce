/// Text rewritten byte by byte over its UTF-8, for the reports' escaping (HTML, Markdown, CSV):
/// a special byte is replaced wherever it stands, even where it begins a longer `Character`
/// (a quote followed by a combining mark is one character that is not `"`), and text with no
/// special byte is handed back as it is, with no copy.
///
/// ```swift
/// UTF8Rewriting.rewrite("a|b", where: { $0 == UInt8(ascii: "|") }, by: { byte, _, _, out in
///     out.append(UInt8(ascii: "\\")); out.append(byte)
/// })   // "a\\|b"
/// ```
enum UTF8Rewriting {
    /// `text` with each byte for which `isSpecial` holds handed to `replace`, which appends what
    /// stands for it to `out` and may move `next` (the index after the byte) past bytes it takes
    /// with it, such as the LF of a CR LF; every other byte is copied.
    @inline(__always)
    static func rewrite(
        _ text: String, where isSpecial: (UInt8) -> Bool,
        by replace: (_ byte: UInt8, _ bytes: UnsafeBufferPointer<UInt8>, _ next: inout Int, _ out: inout [UInt8]) ->
            Void
    ) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let first = bytes.firstIndex(where: isSpecial) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[..<first])
            var index = first
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if isSpecial(byte) { replace(byte, bytes, &index, &out) } else { out.append(byte) }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// In `replace`: a CR followed by LF is one line break, so the LF is taken with it.
    @inline(__always)
    static func takeLineFeed(after bytes: UnsafeBufferPointer<UInt8>, at next: inout Int) {
        if next < bytes.count, bytes[next] == UInt8(ascii: "\n") { next += 1 }
    }
}
