/// A recursive-descent parser for the expression language of rules.md.
///
/// Grammar, loosest first:
/// `or → and ('or' and)*`, `and → not ('and' not)*`, `not → 'not' not | comparison`,
/// `comparison → sum (op sum)?` with `== != < <= > >= in`, `not in`,
/// `sum → product (('+'|'-') product)*`, `product → unary (('*'|'/') unary)*`,
/// `unary → '-' unary | primary`, `primary → literal | list | '(' or ')' | name '(' args ')' | path`.
///
/// ```swift
/// let tree = try Parser.parse("rupture.type == 'withdrawal' or 'distancing' in tags")
/// ```
public struct Parser {
    /// Nesting bound: keeps recursion (and so the stack) bounded on hostile input.
    static let maxDepth = 48

    private var tokens: [Token]
    private var position = 0
    private var depth = 0

    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        let expression = try parser.parseOr()
        guard case .end = parser.current.kind else {
            throw ExpressionError(
                "unexpected '\(parser.current.text)'; expected an operator or the end of the expression",
                offset: parser.current.offset)
        }
        return expression
    }

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    private var current: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(symbol) = current.kind { return true }
        return false
    }

    private func isKeyword(_ word: String) -> Bool {
        if case .keyword(word) = current.kind { return true }
        return false
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(ExpressionError) {
        guard isSymbol(symbol) else {
            throw ExpressionError("expected '\(symbol)' \(context), found \(describe(current))", offset: current.offset)
        }
        _ = advance()
    }

    private func describe(_ token: Token) -> String {
        if case .end = token.kind { return "the end of the expression" }
        return "'\(token.text)'"
    }

    private mutating func nest() throws(ExpressionError) {
        depth += 1
        if depth > Parser.maxDepth {
            throw ExpressionError(
                "expression is nested more than \(Parser.maxDepth) levels deep", offset: current.offset)
        }
    }

    private mutating func parseOr() throws(ExpressionError) -> Expression {
        try nest()
        defer { depth -= 1 }
        var left = try parseAnd()
        while isKeyword("or") {
            let op = advance()
            left = .binary(.or, left, try parseAnd(), offset: op.offset)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> Expression {
        var left = try parseNot()
        while isKeyword("and") {
            let op = advance()
            left = .binary(.and, left, try parseNot(), offset: op.offset)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> Expression {
        if isKeyword("not") {
            let op = advance()
            try nest()
            defer { depth -= 1 }
            return .unary(.not, try parseNot(), offset: op.offset)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> Expression {
        let left = try parseSum()
        let op: Expression.BinaryOperator
        let opToken = current
        switch current.kind {
        case .symbol("=="): op = .equal
        case .symbol("!="): op = .notEqual
        case .symbol("<"): op = .less
        case .symbol("<="): op = .lessOrEqual
        case .symbol(">"): op = .greater
        case .symbol(">="): op = .greaterOrEqual
        case .keyword("in"): op = .in
        case .keyword("not"):
            // `x not in list`
            guard position + 1 < tokens.count, case .keyword("in") = tokens[position + 1].kind else { return left }
            _ = advance()
            op = .notIn
        default:
            return left
        }
        _ = advance()
        let right = try parseSum()
        switch current.kind {
        case .symbol("=="), .symbol("!="), .symbol("<"), .symbol("<="), .symbol(">"), .symbol(">="), .keyword("in"):
            throw ExpressionError("comparisons do not chain; combine them with 'and'", offset: current.offset)
        default:
            return .binary(op, left, right, offset: opToken.offset)
        }
    }

    private mutating func parseSum() throws(ExpressionError) -> Expression {
        var left = try parseProduct()
        while isSymbol("+") || isSymbol("-") {
            let op = advance()
            left = .binary(op.text == "+" ? .add : .subtract, left, try parseProduct(), offset: op.offset)
        }
        return left
    }

    private mutating func parseProduct() throws(ExpressionError) -> Expression {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op = advance()
            left = .binary(op.text == "*" ? .multiply : .divide, left, try parseUnary(), offset: op.offset)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> Expression {
        if isSymbol("-") {
            let op = advance()
            try nest()
            defer { depth -= 1 }
            let operand = try parseUnary()
            if case .literal(.number(let n), _) = operand { return .literal(.number(-n), offset: op.offset) }
            return .unary(.negate, operand, offset: op.offset)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Expression {
        let token = current
        switch token.kind {
        case .number(let n):
            _ = advance()
            return .literal(.number(n), offset: token.offset)
        case .string(let s):
            _ = advance()
            return .literal(.string(s), offset: token.offset)
        case .keyword("true"):
            _ = advance()
            return .literal(.bool(true), offset: token.offset)
        case .keyword("false"):
            _ = advance()
            return .literal(.bool(false), offset: token.offset)
        case .keyword("null"):
            _ = advance()
            return .literal(.null, offset: token.offset)
        case .symbol("("):
            _ = advance()
            try nest()
            defer { depth -= 1 }
            let inner = try parseOr()
            try expect(")", "to close '('")
            return inner
        case .symbol("["):
            _ = advance()
            try nest()
            defer { depth -= 1 }
            var items: [Expression] = []
            if !isSymbol("]") {
                repeat {
                    if isSymbol(",") { _ = advance() }
                    items.append(try parseOr())
                } while isSymbol(",")
            }
            try expect("]", "to close the list")
            return .list(items, offset: token.offset)
        case .identifier(let name):
            _ = advance()
            if isSymbol("(") {
                _ = advance()
                try nest()
                defer { depth -= 1 }
                var arguments: [Expression] = []
                if !isSymbol(")") {
                    arguments.append(try parseOr())
                    while isSymbol(",") {
                        _ = advance()
                        arguments.append(try parseOr())
                    }
                }
                try expect(")", "to close the arguments of \(name)()")
                return .call(name, arguments, offset: token.offset)
            }
            var components = [Expression.PathComponent(name: name, offset: token.offset)]
            while isSymbol(".") {
                _ = advance()
                guard case .identifier(let next) = current.kind else {
                    throw ExpressionError(
                        "expected a name after '.', found \(describe(current))", offset: current.offset)
                }
                components.append(Expression.PathComponent(name: next, offset: current.offset))
                _ = advance()
            }
            return .path(components)
        case .end:
            throw ExpressionError("expression ends too soon; expected a value", offset: token.offset)
        default:
            throw ExpressionError("unexpected '\(token.text)'; expected a value", offset: token.offset)
        }
    }
}
