/// One lexical token of an expression, with its 0-based character offset in the source text.
struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(String)  // and or not in true false null
        case symbol(String)  // == != < <= > >= + - * / ( ) [ ] , .
        case end
    }

    var kind: Kind
    var offset: Int
    var length: Int

    var text: String {
        switch kind {
        case .number(let n): return Value.format(n)
        case .string(let s): return "'\(s)'"
        case .identifier(let s), .keyword(let s), .symbol(let s): return s
        case .end: return "end of expression"
        }
    }
}

/// A syntax or type error inside an expression, at a character offset of its text.
public struct ExpressionError: Error, Sendable, Hashable {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}
