import AttuneCore

/// Accumulates the lines of a text report: wraps words to the width (breaking words that are
/// longer than a line), and colours only when the options allow it.
///
/// ```swift
/// var out = TextWriter(options: ReportOptions(width: 80))
/// out.wrapped("a long message …", indent: 4)
/// ```
struct TextWriter {
    let options: ReportOptions
    var text = ""

    init(options: ReportOptions) {
        self.options = options
    }

    var width: Int { max(options.width, 40) }

    mutating func line(_ line: String) { text += line + "\n" }
    mutating func blank() { text += "\n" }

    mutating func rule(_ title: String) {
        line(title)
        line(dim(String(repeating: "─", count: width - 2)))
    }

    /// Words to the width. `lead` replaces the first line's indent (it may hold colour codes, so
    /// its visible width is given as `leadWidth`); `hanging` indents continuation lines.
    /// `byCharacter` reads ASCII text the general way too (for tests that compare the two ways).
    mutating func wrapped(
        _ content: String, indent: Int, hanging: Int? = nil, lead: String? = nil, leadWidth: Int = 0,
        byCharacter: Bool = false
    ) {
        let next = hanging ?? indent
        var current = lead ?? String(repeating: " ", count: indent)
        var visible = lead == nil ? indent : leadWidth
        var hasWord = false
        // ASCII with no CR (most text): a character is a byte, so words are found, measured and
        // cut by bytes; splitting by `Character` cost more than the rest of the text report.
        var content = content
        let isASCII = !byCharacter && content.withUTF8 { $0.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
        let pieces =
            isASCII
            ? content.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A }).map { Substring($0) }
            : content.split(whereSeparator: { $0 == " " || $0 == "\n" })
        for piece in pieces {
            var word = piece
            // Counted once and then kept up to date: `count` walks the word, and asking it again
            // for every line a long word is broken into made a 1 MB word cost minutes.
            var length = isASCII ? word.utf8.count : word.count
            if hasWord, visible + 1 + length > width {
                line(current)
                current = String(repeating: " ", count: next)
                visible = next
                hasWord = false
            }
            // A word longer than a whole line (a long path) is broken rather than overflowing.
            while visible + (hasWord ? 1 : 0) + length > width, width - visible - (hasWord ? 1 : 0) > 0 {
                let room = width - visible - (hasWord ? 1 : 0)
                let cut =
                    isASCII
                    ? word.utf8.index(word.startIndex, offsetBy: room) : word.index(word.startIndex, offsetBy: room)
                line(current + (hasWord ? " " : "") + word[..<cut])
                word = word[cut...]
                length -= room
                current = String(repeating: " ", count: next)
                visible = next
                hasWord = false
            }
            guard length > 0 else { continue }
            current += (hasWord ? " " : "") + word
            visible += (hasWord ? 1 : 0) + length
            hasWord = true
        }
        if hasWord || lead != nil { line(hasWord ? current : current.trimmingTrailingSpaces) }
    }

    /// Phrases joined by " · ", a line breaking only between two of them (`204 records read`
    /// stays whole); continuation lines are indented by `hanging`. A phrase longer than a whole
    /// line is wrapped by words.
    mutating func phrases(_ phrases: [String], hanging: Int) {
        let separator = " · "
        var current: [String] = []
        var visible = 0
        var isFirstLine = true
        for phrase in phrases {
            let indent = isFirstLine ? 0 : hanging
            if !current.isEmpty, indent + visible + separator.count + phrase.count > width {
                wrapped(current.joined(separator: separator), indent: indent, hanging: hanging)
                current = []
                visible = 0
                isFirstLine = false
            }
            visible += (current.isEmpty ? 0 : separator.count) + phrase.count
            current.append(phrase)
        }
        if !current.isEmpty {
            wrapped(current.joined(separator: separator), indent: isFirstLine ? 0 : hanging, hanging: hanging)
        }
    }

    func bold(_ text: String) -> String { options.colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { options.colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// Severity colours; the severity is always spelled out too, so nothing depends on hue.
    func colour(_ text: String, _ severity: Severity) -> String {
        guard options.colour else { return text }
        let code: String
        switch severity {
        case .critical: code = "1;37;41"
        case .high: code = "1;31"
        case .medium: code = "33"
        case .low: code = "36"
        case .info: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    /// Pads to `width` columns, always leaving at least one space after the text.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
