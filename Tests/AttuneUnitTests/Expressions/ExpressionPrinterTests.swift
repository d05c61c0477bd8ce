import AttuneCore
import Testing

/// The printer writes text that parses back to the same tree, with only the parentheses needed.
struct ExpressionPrinterTests {
    @Test(arguments: [
        ("measures.srs<srs_cutoff", "measures.srs < srs_cutoff"),
        ("(a.b  and c) or not (d == 'x')", "a.b and c or not d == 'x'"),
        ("a and (b or c)", "a and (b or c)"),
        ("not (a and b)", "not (a and b)"),
        ("prev.measures.srs - measures.srs >= 5", "prev.measures.srs - measures.srs >= 5"),
        ("a - (b - c) < 2 * (3 + x)", "a - (b - c) < 2 * (3 + x)"),
        ("-(a) > -3", "-a > -3"),
        ("rupture.type in ['confrontation', 'mixed']", "rupture.type in ['confrontation', 'mixed']"),
        ("x not in ['it\\'s']", "x not in ['it\\'s']"),
        (
            "overlaps(rupture.markers, masking_markers) and has(measures.srs)",
            "overlaps(rupture.markers, masking_markers) and has(measures.srs)"
        ),
        ("(a == b) == (c == d)", "(a == b) == (c == d)"),
    ])
    func printsWhatParsesBack(source: String, printed: String) throws {
        let tree = try Parser.parse(source)
        #expect(ExpressionPrinter.text(tree) == printed)
        let reparsed = try Parser.parse(printed)
        #expect(ExpressionPrinter.text(reparsed) == printed)
        #expect(Self.shape(reparsed) == Self.shape(tree))
    }

    /// The tree without offsets, to compare trees parsed from differently spaced text.
    static func shape(_ expression: Expression) -> String {
        switch expression {
        case .literal(let value, _): return "lit(\(value))"
        case .path(let components): return "path(\(components.map(\.name).joined(separator: ".")))"
        case .list(let items, _): return "list(\(items.map(shape).joined(separator: ",")))"
        case .unary(let op, let operand, _): return "\(op.rawValue)(\(shape(operand)))"
        case .binary(let op, let l, let r, _): return "\(op.rawValue)(\(shape(l)),\(shape(r)))"
        case .call(let name, let arguments, _): return "\(name)(\(arguments.map(shape).joined(separator: ",")))"
        }
    }
}
