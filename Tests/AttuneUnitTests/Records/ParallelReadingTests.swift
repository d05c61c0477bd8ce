import AttuneCore
import AttuneTestSupport
import AttuneYAML
import Foundation
import Testing

/// Splitting a YAML file at top-level items and reading the parts side by side gives exactly
/// what reading it whole gives: the same records, errors, lines and columns, in the same order.
struct ParallelReadingTests {
    func write(_ text: String) throws -> String {
        let path = TestFolder.unique("attune-split", suffix: ".yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Records of several shapes, with comments, blank lines, CR LF line ends and some bad records.
    func sample(_ count: Int, lineEnd: String = "\n") -> String {
        var text = "# synthetic records\n"
        for i in 0..<count {
            text +=
                "- client: C-\(i % 37)\n  therapist: T-\(i % 5)\n  date: 2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))\n"
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

    /// Every part of a split file is read through the descriptor opened once, so a file replaced
    /// (`mv`) after it was opened is still read whole as the version that was opened.
    @Test func partsReadTheFileAsOpenedEvenWhenThePathIsReplaced() throws {
        let path = try write(sample(400))
        let input = try InputFile.open(path)
        let parts = YAMLFilePart.split(input, into: 3, minimumSize: 1)
        #expect(parts.count == 3)
        let replacement = try write(sample(100).replacingOccurrences(of: "client: C-", with: "client: X-"))
        #expect(rename(replacement, path) == 0)
        var clients: [String] = []
        for part in parts {
            _ = try YAMLReader.forEachItem(in: part, limits: .records) { node in
                clients.append(node.mappingPairs?.first { $0.key.scalarText == "client" }?.value.scalarText ?? "")
            }
        }
        #expect(clients.count == 400)
        #expect(clients.allSatisfy { $0.hasPrefix("C-") })
        // Only a new open sees the new file.
        #expect(YAMLFilePart.split(path, into: 3, minimumSize: 1).first?.input.size == Array(sample(100).utf8).count)
    }

    /// Errors are capped across the whole input, not only per file: the first `maxErrors` in
    /// input order are kept, the rest counted, for any number of jobs; good records still count.
    @Test func errorsAreCappedAcrossFilesTheSameForAnyNumberOfJobs() throws {
        let folder = TestFolder.unique("attune-cap").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in 0..<30 {
            var text = "- {client: C-\(file), therapist: T-1, date: 2026-11-24, attendance: attended}\n"
            for row in 0..<50 {
                text +=
                    "- {client: C-\(file), therapist: T-1, date: 2026-11-\(String(format: "%02d", row % 28 + 1)), attendance: row\(row)}\n"
            }
            // Every third file is large enough to be split into parts.
            if file % 3 == 0 { text += String(repeating: "# padding\n", count: 200) }
            try text.write(toFile: folder + "/\(String(format: "%02d", file)).yaml", atomically: true, encoding: .utf8)
        }
        func load(jobs: Int) throws -> RecordBatch {
            var loader = RecordLoader(vocabulary: Fixtures.vocabulary)
            loader.jobs = jobs
            loader.splitThreshold = 1_000
            loader.maxErrors = 120
            return try loader.load(paths: [folder])
        }
        let one = try load(jobs: 1)
        #expect(one.errors.count == 120)
        #expect(one.errorsNotShown == 30 * 50 - 120)
        #expect(
            one.errors.last?.description.hasPrefix(folder + "/02.yaml:") == true,
            "the first 120 in input order: 50, 50, then 20 of the third file")
        #expect(one.records.count == 30)
        #expect(one.leftOut == 1_500)
        #expect(one.notShownNote == "1380 more record errors not shown (only the first 120 are kept)")
        for jobs in [2, 3, 8] {
            let many = try load(jobs: jobs)
            same(one, many)
            #expect(many.errorsNotShown == one.errorsNotShown)
        }
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

    /// A file holding its records twice: every record of the second half is a duplicate of one in
    /// another part, reported in input order and naming the first, as with one job.
    @Test func duplicatesAcrossPartsAreFoundAsWithOneJob() throws {
        let path = try write(sample(300) + sample(300))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = try load(path, jobs: 1)
        #expect(whole.errors.filter { $0.message.hasPrefix("duplicate record") }.count > 200)
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

    @Test(
        "files that are not a plain list of items are read whole",
        arguments: [
            "records:\n- {client: C-1}\n",  // a mapping at the root
            "---\n- {client: C-1}\n",  // document markers
            "[\n{client: C-1}]\n",  // flow style
            "- a\r- b\n",  // a lone carriage return
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
        var lines = 0
        var items = 0
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
