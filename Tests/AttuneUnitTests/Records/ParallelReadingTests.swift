import AttuneCore
import AttuneYAML
import Foundation
import Testing

/// Splitting a YAML file at top-level items and reading the parts side by side gives exactly
/// what reading it whole gives: the same records, errors, lines and columns, in the same order.
struct ParallelReadingTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("attune-split-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Records of several shapes, with comments, blank lines, CR LF line ends and some bad records.
    func sample(_ count: Int, lineEnd: String = "\n") -> String {
        var text = "# synthetic records\n"
        for i in 0..<count {
            text += "- client: C-\(i % 37)\n  therapist: T-\(i % 5)\n  date: 2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))\n"
            text += "  session: \(i / 37 + 1)\n"
            text += i % 11 == 0 ? "  attendence: attended\n" : "  attendance: \(i % 7 == 0 ? "no-show" : "attended")\n"
            if i % 3 == 0 { text += "  measures: {srs: \(30 + i % 10), ors: \(20 + i % 15).5}\n" }
            if i % 13 == 0 { text += "\n# a comment between items\n" }
            if i % 17 == 0 { text += "  rupture:\n    type: withdrawal\n    markers: [minimal-response]\n" }
        }
        return text.replacingOccurrences(of: "\n", with: lineEnd)
    }

    func load(_ path: String, jobs: Int) throws -> RecordBatch {
        var loader = RecordLoader(vocabulary: Fixtures.vocabulary)
        loader.jobs = jobs
        loader.splitThreshold = 1
        return try loader.load(paths: [path])
    }

    func same(_ a: RecordBatch, _ b: RecordBatch) {
        #expect(a.records == b.records)
        #expect(a.errors == b.errors)
        #expect(a.itemsRead == b.itemsRead)
        #expect(a.leftOut == b.leftOut)
        #expect(a.files == b.files)
    }

    @Test(arguments: ["\n", "\r\n"])
    func partsReadTogetherEqualTheWholeFile(lineEnd: String) throws {
        let path = try write(sample(400, lineEnd: lineEnd))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(YAMLFilePart.split(path, into: 3, minimumSize: 1).count == 3)
        let whole = try load(path, jobs: 1)
        #expect(whole.errors.count > 10)
        for jobs in [2, 3, 5] { same(whole, try load(path, jobs: jobs)) }
    }

    @Test func partsStartAtItemsAndCoverTheFile() throws {
        let text = sample(200)
        let path = try write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parts = YAMLFilePart.split(path, into: 4, minimumSize: 1)
        let bytes = Array(text.utf8)
        #expect(parts.first?.range.lowerBound == 0)
        #expect(parts.last?.range.upperBound == bytes.count)
        for (a, b) in zip(parts, parts.dropFirst()) { #expect(a.range.upperBound == b.range.lowerBound) }
        for part in parts.dropFirst() {
            #expect(bytes[part.range.lowerBound] == UInt8(ascii: "-"))
            #expect(bytes[part.range.lowerBound - 1] == 0x0A)
        }
    }

    @Test("files that are not a plain list of items are read whole", arguments: [
        "records:\n- {client: C-1}\n",        // a mapping at the root
        "---\n- {client: C-1}\n",             // document markers
        "[\n{client: C-1}]\n",                // flow style
        "- a\r- b\n",                         // a lone carriage return
    ])
    func scannerRejects(_ prefix: String) throws {
        let path = try write(prefix + sample(50))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parts = YAMLFilePart.split(path, into: 2, minimumSize: 1)
        #expect(parts.count == 2)
        let reading = try? YAMLReader.forEachItem(in: parts[0], limits: .records) { _ in }
        #expect(reading?.isPlainItemList != true)
        // …and the loader falls back to reading them whole, with the same outcome as one job.
        same(try load(path, jobs: 1), try load(path, jobs: 2))
    }

    @Test func aPlainListOfItemsIsReadInParts() throws {
        let path = try write(sample(300, lineEnd: "\r\n"))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parts = YAMLFilePart.split(path, into: 3, minimumSize: 1)
        var lines = 0, items = 0
        for part in parts {
            let reading = try YAMLReader.forEachItem(in: part, limits: .records) { _ in items += 1 }
            #expect(reading.isPlainItemList, "\(part.range)")
            lines += reading.lines
        }
        #expect(items == 300)
        #expect(lines == sample(300).split(separator: "\n", omittingEmptySubsequences: false).count - 1)
    }

    @Test func aSyntaxErrorInALaterPartIsReportedAsWithOneJob() throws {
        let path = try write(sample(100) + "- client: \"unterminated\n  therapist: T-1\n" + sample(20))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try load(path, jobs: 1)
        #expect(whole.unreadableFiles == 1)
        same(whole, try load(path, jobs: 2))
    }
}
