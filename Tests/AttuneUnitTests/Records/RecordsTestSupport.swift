import AttuneCore
import AttuneTestSupport
import AttuneYAML
import Foundation

/// Helpers for the record format, CSV, error policy and hostile input tests.
enum RecordsTestSupport {
    /// A vocabulary of its own, so these tests do not move when the default pack does.
    static let vocabulary: Vocabulary = {
        var vocabulary = Vocabulary()
        vocabulary.declare(
            MeasureSpec(name: "srs", title: "Session Rating Scale", range: 0...40, better: .higher, cutoff: 36))
        vocabulary.declare(
            MeasureSpec(name: "ors", title: "Outcome Rating Scale", range: 0...40, better: .higher, cutoff: 25))
        vocabulary.declare(MeasureSpec(name: "phq9", title: "PHQ-9", range: 0...27, better: .lower, cutoff: 10))
        vocabulary.markers = ["minimal-response", "avoidant-storytelling", "complaint-about-therapist"]
        return vocabulary
    }()

    /// Reads `text` as one source in `format`.
    static func load(
        _ text: String, as format: RecordFormat, name: String = "records", map: CSVMap? = nil,
        vocabulary: Vocabulary = vocabulary
    ) -> RecordBatch {
        load(Array(text.utf8), as: format, name: name, map: map, vocabulary: vocabulary)
    }

    static func load(
        _ bytes: [UInt8], as format: RecordFormat, name: String = "records", map: CSVMap? = nil,
        vocabulary: Vocabulary = vocabulary
    ) -> RecordBatch {
        var batch = RecordBatch()
        RecordLoader(vocabulary: vocabulary, csvMap: map).read(.bytes(bytes), name: name, format: format, into: &batch)
        batch.markDuplicates()
        return batch
    }

    static func map(_ yaml: String, vocabulary: Vocabulary = vocabulary) throws(CSVMap.LoadError) -> CSVMap {
        try CSVMap.decode(.bytes(Array(yaml.utf8)), file: "map.yaml", vocabulary: vocabulary)
    }

    /// The records with their source locations cleared, for comparing what was read across formats.
    static func withoutSources(_ records: [SessionRecord]) -> [SessionRecord] {
        records.map { record in
            var record = record
            record.source = SourceLocation(file: "", line: 0, column: 0)
            return record
        }
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> String {
        let path = TestFolder.unique("attune-records").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
