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
        UTF8Rewriting.rewrite(
            text, where: { needsEscape($0, forAttribute: forAttribute) },
            by: { byte, bytes, next, out in
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
                default:
                    // A line break or tab in an attribute: a space (CR LF, one line break, one space).
                    out.append(UInt8(ascii: " "))
                    if byte == UInt8(ascii: "\r") { UTF8Rewriting.takeLineFeed(after: bytes, at: &next) }
                }
            })
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
