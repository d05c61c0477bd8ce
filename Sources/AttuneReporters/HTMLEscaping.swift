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

    private static func escape(_ text: String, forAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where forAttribute: out += "&quot;"
            case "'" where forAttribute: out += "&#39;"
            case "\n" where forAttribute, "\r" where forAttribute, "\r\n" where forAttribute, "\t" where forAttribute:
                out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// A token usable in an id or class: letters, digits and hyphens only.
    package static func identifier(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }
}
