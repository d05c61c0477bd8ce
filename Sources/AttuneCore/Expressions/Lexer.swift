/// Splits expression text into tokens. Hand-written so every error points at its column.
///
/// ```swift
/// let tokens = try Lexer.tokenize("measures.srs < srs_cutoff")
/// ```
enum Lexer {
    static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]
    /// Longer than any sensible rule condition; bounds work on hostile input.
    static let maxLength = 4096

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        let chars = Array(text.unicodeScalars)
        guard chars.count <= maxLength else {
            throw ExpressionError("expression is longer than \(maxLength) characters", offset: 0)
        }
        var tokens: [Token] = []
        var i = 0
        func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
        }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            if isIdentifierStart(c) {
                while i < chars.count, isIdentifierStart(chars[i]) || isDigit(chars[i]) { i += 1 }
                let word = String(String.UnicodeScalarView(chars[start..<i]))
                tokens.append(
                    Token(
                        kind: keywords.contains(word) ? .keyword(word) : .identifier(word), offset: start,
                        length: i - start))
                continue
            }
            if isDigit(c) {
                while i < chars.count, isDigit(chars[i]) { i += 1 }
                if i + 1 < chars.count, chars[i] == ".", isDigit(chars[i + 1]) {
                    i += 1
                    while i < chars.count, isDigit(chars[i]) { i += 1 }
                }
                let literal = String(String.UnicodeScalarView(chars[start..<i]))
                guard let value = Double(literal) else {
                    throw ExpressionError("malformed number '\(literal)'", offset: start)
                }
                // Numbers compute in Double: a whole number past 2^53 would silently become another one.
                guard value.isFinite, literal.contains(".") || value <= 9_007_199_254_740_991 else {
                    throw ExpressionError(
                        "number '\(literal)' is too large to be exact (at most 2^53 − 1)", offset: start)
                }
                if i < chars.count, isIdentifierStart(chars[i]) {
                    throw ExpressionError("unexpected '\(chars[i])' after number", offset: i)
                }
                tokens.append(Token(kind: .number(value), offset: start, length: i - start))
                continue
            }
            if c == "'" || c == "\"" {
                i += 1
                var scalars = String.UnicodeScalarView()
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count {
                        scalars.append(chars[i + 1])
                        i += 2
                        continue
                    }
                    if chars[i] == c {
                        closed = true
                        i += 1
                        break
                    }
                    scalars.append(chars[i])
                    i += 1
                }
                guard closed else { throw ExpressionError("unterminated string", offset: start) }
                tokens.append(Token(kind: .string(String(scalars)), offset: start, length: i - start))
                continue
            }
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "=" where next == "=", "!" where next == "=", "<" where next == "=", ">" where next == "=":
                tokens.append(Token(kind: .symbol(String(c) + "="), offset: start, length: 2))
                i += 2
            case "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".":
                tokens.append(Token(kind: .symbol(String(c)), offset: start, length: 1))
                i += 1
            case "=":
                throw ExpressionError("'=' is not an operator; use '==' to compare", offset: start)
            case "&", "|":
                throw ExpressionError("'\(c)' is not an operator; use 'and' / 'or'", offset: start)
            case "!":
                throw ExpressionError("'!' is not an operator; use 'not'", offset: start)
            default:
                throw ExpressionError("unexpected character '\(c)'", offset: start)
            }
        }
        tokens.append(Token(kind: .end, offset: chars.count, length: 0))
        return tokens
    }
}
