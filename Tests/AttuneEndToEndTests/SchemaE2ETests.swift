import Foundation
import Testing

/// `attune schema`: valid JSON, draft 2020-12, one per document type, site measures included.
struct SchemaE2ETests {
    @Test func everyDocumentTypePrintsADraft202012Schema() throws {
        for document in ["records", "rules", "pack", "test"] {
            let result = try AttuneProcess.run(["schema", document])
            #expect(result.status == 0, "\(document): \(result.stderr)")
            let schema = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(schema["$defs"] is [String: Any])
        }
    }

    @Test func theRulesSchemaCarriesEveryKindsParams() throws {
        let result = try AttuneProcess.run(["schema", "rules"])
        for kind in ["threshold", "window", "streak", "change", "sequence", "gap", "score", "caseload"] {
            #expect(result.stdout.contains("\"const\": \"\(kind)\""), "\(kind)")
        }
        #expect(result.stdout.contains("\"of_last\""))
        let unknown = try AttuneProcess.run(["schema", "rulez"])
        #expect(unknown.status == 2)
    }
}
