import AttuneYAML

/// Compiles the expressions written in a rule module's scalars (`match`, `where`, a signal's
/// `when`) and places every error at its character in the file, even inside a folded
/// multi-line scalar (`match: >-`), whose text no longer says where a line began.
///
/// ```swift
/// let expressions = ModuleExpressionReader(vocabulary: vocabulary, sources: ["rules/drop.yaml": bytes])
/// let compiled = expressions.expression(node, key: "match", &reader)
/// ```
struct ModuleExpressionReader: Sendable {
    let vocabulary: Vocabulary
    /// The files' bytes by path, when known.
    let sources: [String: [UInt8]]

    func expression(_ node: Node, key: String, expecting: ValueType? = .bool, _ reader: inout ScalarReader)
        -> CompiledExpression?
    {
        guard let text = reader.scalar(node, field: key) else { return nil }
        switch ExpressionCompiler(vocabulary: vocabulary).compile(text, expecting: expecting) {
        case .success(let compiled):
            return compiled
        case .failure(.errors(let errors)):
            for error in errors {
                reader.diagnostics.append(
                    .error(
                        .expression, "in '\(key)': \(error.message)",
                        at: location(of: node, offset: error.offset, reader)))
            }
            return nil
        }
    }

    /// Where a character of a scalar's text stands in the file.
    func location(of node: Node, offset: Int, _ reader: ScalarReader) -> SourceLocation {
        if let bytes = sources[reader.file], let text = node.scalarText,
            let mark = Self.sourceMark(ofOffset: offset, in: text, startingAt: node.mark, source: bytes)
        {
            return SourceLocation(file: reader.file, mark: mark)
        }
        var location = reader.location(node)
        if case .scalar(_, .quoted) = node.content { location.column += 1 }
        location.column += offset
        return location
    }

    /// Finds the `offset`-th character of a scalar's text in its source. Folding and indentation
    /// change only whitespace, so the scalar's non-blank characters appear in the source in the
    /// same order: count them from where the scalar starts (after a `|`/`>` header line or an
    /// opening quote). Offsets past the last character land just after it.
    static func sourceMark(ofOffset offset: Int, in text: String, startingAt start: Mark, source: [UInt8]) -> Mark? {
        let scalars = Array(text.unicodeScalars)
        guard offset >= 0, offset <= scalars.count else { return nil }
        var target = scalars[..<offset].filter { !$0.properties.isWhitespace }.count
        var pastEnd = false
        if !scalars[offset...].contains(where: { !$0.properties.isWhitespace }) {
            guard target > 0 else { return nil }
            target -= 1
            pastEnd = true
        }
        let lines = String(decoding: source, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { Array($0.unicodeScalars) }
        var line = start.line - 1
        var column = start.column - 1
        guard line >= 0, line < lines.count, column >= 0, column <= lines[line].count else { return nil }
        if column < lines[line].count {
            switch lines[line][column] {
            case "|", ">":
                line += 1
                column = 0
            case "'", "\"":
                column += 1
            default:
                break
            }
        }
        var seen = 0
        while line < lines.count {
            while column < lines[line].count {
                let scalar = lines[line][column]
                if !scalar.properties.isWhitespace {
                    if seen == target { return Mark(line: line + 1, column: column + 1 + (pastEnd ? 1 : 0)) }
                    seen += 1
                }
                column += 1
            }
            line += 1
            column = 0
        }
        return nil
    }
}
