import AttuneCore
import AttuneKinds
import AttuneRuleTesting
import Testing

/// Every example every built-in kind declares, run as a test: the examples in the docs are true.
struct KindExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: KindDeclaration
        let example: KindExample
        var testDescription: String { "\(kind.name): \(example.name)" }
    }

    static let cases: [Case] = BuiltinKinds.all.flatMap { kind in
        kind.declaration.examples.map { Case(kind: kind.declaration, example: $0) }
    }

    @Test("kind example", arguments: cases)
    func example(_ testCase: Case) {
        let runner = KindExampleRunner(registry: BuiltinKinds.registry, vocabulary: Fixtures.vocabulary)
        let outcome = runner.run(testCase.example, of: testCase.kind)
        #expect(outcome.passed, "\(outcome.report)")
    }

    @Test func everyKindDeclaresExamplesWithAFindingAndANearMiss() {
        for kind in BuiltinKinds.all {
            let examples = kind.declaration.examples
            #expect(
                examples.contains { !$0.expect.isEmpty }, "\(kind.declaration.name) has no example that finds something"
            )
            #expect(
                examples.contains { $0.expect.isEmpty }, "\(kind.declaration.name) has no example that expects nothing")
        }
    }

    @Test func kindNamesAreUnique() {
        let names = BuiltinKinds.all.map { $0.declaration.name }
        #expect(Set(names).count == names.count)
    }
}
