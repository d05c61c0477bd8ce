/// Text from input files made safe to show: characters that a terminal, editor or browser would
/// act on or hide (control characters, escape sequences, bidi overrides, zero-width characters,
/// line and paragraph separators) are written out visibly as `\n`, `\u{1B}`, `\u{202E}`.
///
/// Ids reject these characters outright (`isInvisible`); free text such as notes keeps them,
/// and every report for people and every diagnostic shows them escaped.
///
/// ```swift
/// VisibleText.escaped("C-1\u{1B}[31m")   // "C-1\\u{1B}[31m"
/// VisibleText.escaped("x\nfile:1:1: error: forged")  // one line: "x\\nfile:1:1: error: forged"
/// ```
public enum VisibleText {
    /// Control characters (C0, DEL, C1), format characters (bidi embeddings, overrides and
    /// isolates, zero-width spaces and joiners, the byte-order mark), and line and paragraph
    /// separators.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20, scalar.value < 0x7F { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// The first invisible character of `text`, if any.
    public static func firstInvisible(in text: String) -> Unicode.Scalar? {
        // Most text is printable ASCII: checked by bytes before any scalar is decoded.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        return text.unicodeScalars.first(where: isInvisible)
    }

    /// `U+202E`, for messages that name a character.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text with every invisible character written out; the text itself when there is none.
    /// `keepingLineBreaks` leaves `\n` alone, for reports that lay out line breaks themselves.
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // Nothing to write out: printable ASCII (and kept line breaks) checked by bytes, then any
        // other text by scalars. A kept line break is not a reason to rebuild the text scalar by
        // scalar (guidance, one question per line, is shown on every finding).
        var text = text
        let plain = text.withUTF8 { bytes in
            bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || (keepingLineBreaks && $0 == 0x0A) }
        }
        if plain { return text }
        guard text.unicodeScalars.contains(where: { isInvisible($0) && !(keepingLineBreaks && $0 == "\n") }) else {
            return text
        }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard isInvisible(scalar), !(keepingLineBreaks && scalar == "\n") else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }
}
