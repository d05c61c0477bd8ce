import AttuneCore
import AttuneYAML
import Foundation
import Testing

/// The fuzz targets' inputs, replayed under `swift test`: the committed seed corpora, and every
/// input that ever crashed a target (Fuzz/corpus/<target>/crash-*, none so far). Each must end
/// in records or located errors, never a crash. The replay mirrors Fuzz/*FuzzTarget.swift.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static func inputs(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = Fixtures.repositoryRoot + "/Fuzz/corpus/" + target
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            (name, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
        }
    }

    @Test func recordInputs() throws {
        let inputs = try Self.inputs("records")
        #expect(inputs.count >= 10)
        let vocabulary = RecordsTestSupport.vocabulary
        for (name, bytes) in inputs {
            var batch = RecordBatch()
            for format in RecordFormat.allCases {
                RecordLoader(vocabulary: vocabulary).read(.bytes(bytes), name: name, format: format, into: &batch)
            }
            batch.markDuplicates()
            #expect(batch.errors.allSatisfy { $0.location.line >= 1 }, "\(name): \(batch.errors.prefix(2))")
            // Errors are expected here: rule limits allow aliases, and most inputs are no CSV map.
            _ = try? YAMLReader.documents(in: .bytes(bytes), limits: .rules)
            _ = try? CSVMap.decode(.bytes(bytes), file: name, vocabulary: vocabulary)
        }
    }

    @Test func expressionInputs() throws {
        let inputs = try Self.inputs("expressions")
        #expect(inputs.count >= 10)
        let records = RecordsTestSupport.load(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-03, session: 1, attendance: attended, measures: {srs: 31, ors: 18.5}, tags: [distancing]}
            - {client: C-1, therapist: T-1, date: 2026-11-10, session: 2, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-11-17, session: 3, attendance: attended, rupture: {type: withdrawal, intensity: 4}}
            """, as: .yaml
        ).records
        let timeline = try #require(Engine.timelines(from: records, asOf: Day(iso: "2026-11-29")!).first)
        let compiler = ExpressionCompiler(vocabulary: RecordsTestSupport.vocabulary)
        var compiled = 0
        for (_, bytes) in inputs {
            let text = String(decoding: bytes, as: UTF8.self)
            guard case .success(let expression) = compiler.compile(text, expecting: nil) else { continue }
            compiled += 1
            for index in timeline.records.indices {
                // an EvaluationError is a fine outcome
                _ = try? expression.evaluate(EvaluationRow(timeline: timeline, index: index))
            }
        }
        #expect(compiled >= 10, "the seeds are valid expressions")
    }
}
