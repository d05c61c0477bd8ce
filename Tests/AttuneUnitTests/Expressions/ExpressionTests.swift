import AttuneCore
import Testing

/// The expression language: syntax errors at their column, type errors before any record is
/// read, and the null semantics of rules.md at run time.
struct ExpressionTests {
    let compiler = ExpressionCompiler(vocabulary: Fixtures.vocabulary)

    func errors(_ text: String, expecting type: ValueType? = .bool) -> [ExpressionError] {
        if case .failure(.errors(let errors)) = compiler.compile(text, expecting: type) { return errors }
        return []
    }

    /// Evaluates `text` on the last of `records` (YAML), with test defaults for client and therapist.
    func evaluate(_ text: String, on records: String) throws -> Value {
        let (decoded, diagnostics) = Fixtures.records(records, defaults: .ruleTests)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let timeline = Timeline(client: "C-1", episode: "1", records: decoded)
        let compiled = try compiler.compile(text, expecting: nil).get()
        return try compiled.evaluate(EvaluationRow(timeline: timeline, index: timeline.count - 1))
    }

    @Test(
        "syntax errors point at the offending token",
        arguments: [
            ("measures.srs < ", 15, "expression ends too soon; expected a value"),
            ("attendance = 'attended'", 11, "'=' is not an operator; use '==' to compare"),
            ("(measures.srs < 3", 17, "expected ')' to close '(', found the end of the expression"),
            ("'distancing' in tags)", 20, "unexpected ')'; expected an operator or the end of the expression"),
            ("measures.srs && true", 13, "'&' is not an operator; use 'and' / 'or'"),
            ("a < b < c", 6, "comparisons do not chain; combine them with 'and'"),
            ("'open", 0, "unterminated string"),
            ("measures.", 9, "expected a name after '.', found the end of the expression"),
        ])
    func syntaxErrors(_ text: String, _ offset: Int, _ message: String) {
        let found = errors(text)
        #expect(found == [ExpressionError(message, offset: offset)], "\(found)")
    }

    @Test(
        "type and name errors are caught by lint",
        arguments: [
            ("measures.srs == 'high'", 13, "cannot compare a number with a string"),
            ("measures.ssr < 36", 9, "unknown measure 'ssr'; did you mean 'srs'?"),
            (
                "overlaps(rupture.markers, withdrawl_markers)", 26,
                "unknown name 'withdrawl_markers'; did you mean 'withdrawal_markers'?"
            ),
            (
                "attendance == 'atended'", 14,
                "'atended' is never a value of attendance (attended, cancelled, late-cancel, no-show); did you mean 'attended'?"
            ),
            ("rupture.kind == 'mixed'", 8, "rupture has no field 'kind'"),
            ("count(measures.srs) > 1", 6, "count() takes a list, found a number"),
            ("lenght(tags) > 1", 0, "unknown function 'lenght'"),
            ("measures.srs + 1", 0, "expression gives a number, but a boolean is needed here"),
            ("not measures.srs", 4, "'not' needs a boolean, found a number"),
            ("date < '2026-01-01'", 7, "'<' compares numbers or dates, not a string"),
        ])
    func typeErrors(_ text: String, _ offset: Int, _ message: String) {
        let found = errors(text)
        #expect(found.first?.offset == offset, "\(found)")
        #expect(found.first?.message.hasPrefix(message) == true, "\(found)")
    }

    @Test func allTypeErrorsOfAnExpressionAreReported() {
        let found = errors("measures.ssr < 3 and attendance == 'atended'")
        #expect(found.map(\.offset) == [9, 35])
    }

    @Test func nullComparesFalseAndArithmeticStaysNull() throws {
        let record = "- {date: 2026-01-05, attendance: attended}"
        #expect(try evaluate("measures.srs < 36", on: record) == .bool(false))
        #expect(try evaluate("measures.srs >= 36", on: record) == .bool(false))
        #expect(try evaluate("measures.srs != 36", on: record) == .bool(false))
        #expect(try evaluate("measures.srs + 1", on: record) == .null)
        #expect(try evaluate("not (measures.srs < 36)", on: record) == .bool(true))
        #expect(try evaluate("has(measures.srs)", on: record) == .bool(false))
        #expect(try evaluate("measures.srs == null", on: record) == .bool(true))
        #expect(try evaluate("rupture.type == 'withdrawal'", on: record) == .bool(false))
        #expect(try evaluate("overlaps(rupture.markers, withdrawal_markers)", on: record) == .bool(false))
        #expect(try evaluate("prev == null", on: record) == .bool(true))
        #expect(try evaluate("prev.measures.srs < 36", on: record) == .bool(false))
    }

    @Test func derivedValuesAndOperators() throws {
        let records = """
            - {date: 2026-01-05, attendance: attended, measures: {srs: 38, ors: 20}}
            - {date: 2026-01-12, attendance: no-show}
            - {date: 2026-01-19, attendance: attended, measures: {srs: 31, ors: 22.5}, tags: [distancing],
               rupture: {type: withdrawal, markers: [minimal-response], intensity: 4}}
            """
        #expect(try evaluate("n", on: records) == .number(3))
        #expect(try evaluate("attended_n", on: records) == .number(2))
        #expect(try evaluate("days_since_prev", on: records) == .number(7))
        #expect(try evaluate("prev.measures.srs - measures.srs", on: records) == .number(7))
        #expect(try evaluate("first.measures.ors", on: records) == .number(20))
        #expect(try evaluate("'distancing' in tags", on: records) == .bool(true))
        #expect(try evaluate("'unfocused' not in tags", on: records) == .bool(true))
        #expect(try evaluate("overlaps(rupture.markers, withdrawal_markers)", on: records) == .bool(true))
        #expect(try evaluate("rupture.intensity >= 3 and rupture.resolution != 'full'", on: records) == .bool(true))
        #expect(try evaluate("measures.srs < srs_cutoff", on: records) == .bool(true))
        #expect(try evaluate("days(prev.date, date)", on: records) == .number(14))
        #expect(try evaluate("date >= date('2026-01-19')", on: records) == .bool(true))
        #expect(try evaluate("max(measures.srs, 35, 2 * 10)", on: records) == .number(35))
        #expect(try evaluate("abs(-2.5) + min(1, 3)", on: records) == .number(3.5))
        #expect(try evaluate("count(tags) == 1 or 1 / 0 > 0", on: records) == .bool(true))
    }

    @Test func divisionByZeroIsAnEvaluationErrorNotACrash() throws {
        #expect(throws: EvaluationError("division by zero")) {
            try evaluate("measures.srs / 0", on: "- {date: 2026-01-05, attendance: attended, measures: {srs: 30}}")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 200) + "true" + String(repeating: ")", count: 200)
        #expect(errors(deep).first?.message.contains("nested more than") == true)
        let negations = String(repeating: "not ", count: 200) + "true"
        #expect(errors(negations).first?.message.contains("nested more than") == true)
        let huge = String(repeating: "(", count: 100_000)
        #expect(errors(huge).first?.message.contains("longer than") == true)
    }
}
