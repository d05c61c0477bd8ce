/// Escapes text for HTML and SVG: every piece of record or rule text goes through here, so a
/// client id or note can never become markup.
///
/// ```swift
/// HTMLEscaping.text("<b> & co")        // "&lt;b&gt; &amp; co"
/// HTMLEscaping.attribute("say \"hi\"")  // "say &quot;hi&quot;"
/// ```
package enum HTMLEscaping {
    /// Element content.
    package static func text(_ text: String) -> String {
        escape(text, forAttribute: false)
    }

    /// A double-quoted attribute value: also quotes, and line breaks as spaces.
    package static func attribute(_ text: String) -> String {
        escape(text, forAttribute: true)
    }

    /// Byte by byte over the UTF-8: every `&`, `<`, `>` (and in an attribute `"`, `'`, and a line
    /// break or tab, CR LF as one) is replaced wherever it stands, and text with none of them is
    /// returned as it is. Not by `Character`: a quote followed by a combining mark is one
    /// character that is not `"`, so it went out unescaped and ended the attribute; and comparing
    /// every character with each case cost some 800 instructions a character.
    private static func escape(_ text: String, forAttribute: Bool) -> String {
        var text = text
        let escaped = text.withUTF8 { bytes -> String? in
            guard let first = bytes.firstIndex(where: { needsEscape($0, forAttribute: forAttribute) }) else {
                return nil
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: bytes[..<first])
            var index = first
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: forAttribute ? "&quot;".utf8 : "\"".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: forAttribute ? "&#39;".utf8 : "'".utf8)
                case UInt8(ascii: "\r") where forAttribute:
                    out.append(UInt8(ascii: " "))
                    // CR LF is one line break: one space.
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\n") { index += 1 }
                case UInt8(ascii: "\n") where forAttribute, UInt8(ascii: "\t") where forAttribute:
                    out.append(UInt8(ascii: " "))
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? text
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8, forAttribute: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"): return true
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
            return forAttribute
        default: return false
        }
    }

    /// A token usable in an id or class: letters, digits and hyphens only.
    package static func identifier(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }
}
