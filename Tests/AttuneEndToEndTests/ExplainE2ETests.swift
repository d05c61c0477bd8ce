import Foundation
import Testing

/// `attune explain` on the example clinic and on records given on standard input.
struct ExplainE2ETests {
    @Test func explainsARuleRecordByRecord() throws {
        let records = """
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 38}}
            - {client: C-1, therapist: T-1, date: 2026-03-09, attendance: attended, measures: {srs: 31}}
            """
        let result = try AttuneProcess.run(
            ["explain", "alliance-below-cutoff", "-", "--client", "C-1"], input: records)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("rule alliance-below-cutoff (threshold, low)"))
        #expect(result.stdout.contains("    match = false   [measures.srs = 38]\n"), "\(result.stdout)")
        #expect(result.stdout.contains("    match = true   [measures.srs = 31"))
        #expect(result.stdout.contains("    kind: match holds: point finding on 2026-03-09\n"))
        #expect(result.stdout.contains("    ▶ finding opens on 2026-03-09 (evidence: 2026-03-09): "))
    }

    @Test func aSitePackChangesTheAnswer() throws {
        let records = "- {client: C-1, therapist: T-1, date: 2026-03-09, attendance: attended, measures: {srs: 35}}\n"
        let withDefault = try AttuneProcess.run(
            ["explain", "alliance-below-cutoff", "-", "--client", "C-1"], input: records)
        #expect(withDefault.stdout.contains("  1 finding:\n"), "\(withDefault.stdout)")
        let withSite = try AttuneProcess.run(
            ["explain", "alliance-below-cutoff", "-", "--client", "C-1", "--rules", "Examples/custom-rules"],
            input: records)
        #expect(withSite.status == 0, "\(withSite.stderr)")
        #expect(withSite.stdout.contains("  no finding\n"), "\(withSite.stdout)")
    }

    @Test func unknownRuleOrClientIsAUsageError() throws {
        let records = "- {client: C-1, therapist: T-1, date: 2026-03-09, attendance: attended}\n"
        let rule = try AttuneProcess.run(["explain", "alliance-below-cutof", "-", "--client", "C-1"], input: records)
        #expect(rule.status == 2)
        #expect(
            rule.stderr.contains(
                "error: no rule 'alliance-below-cutof' in the loaded packs; did you mean 'alliance-below-cutoff'?"))
        let client = try AttuneProcess.run(
            ["explain", "alliance-below-cutoff", "-", "--client", "C-2"], input: records)
        #expect(client.status == 2)
        #expect(client.stderr.contains("error: no records for client 'C-2'"))
        let missing = try AttuneProcess.run(["explain", "alliance-below-cutoff", "-"], input: records)
        #expect(missing.status == 2)
    }
}
