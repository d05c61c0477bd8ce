import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// Every format is streamed to its output in chunks (`attune review` writes them to the file as
/// they come). Cut as finely as it can be, each report is still, byte for byte, its golden file:
/// the report as it was when it was built whole as one string.
@Suite struct ReportStreamingTests {
    @Test(arguments: ReportGoldenTests.cases.indices)
    func chunksJoinToTheGoldenReport(_ index: Int) throws {
        let item = ReportGoldenTests.cases[index]
        let review = ReportFixtures.clinic(includeNotes: item.notes)
        let chunks: [[UInt8]]
        switch item.format {
        case TextReporter.format: chunks = Self.chunks(of: review, reporter: { $0.chunkSize = 1 }, TextReporter())
        case MarkdownReporter.format:
            chunks = Self.chunks(of: review, reporter: { $0.chunkSize = 1 }, MarkdownReporter())
        case HTMLReporter.format: chunks = Self.chunks(of: review, reporter: { $0.chunkSize = 1 }, HTMLReporter())
        case JSONReporter.format: chunks = Self.chunks(of: review, reporter: { $0.chunkSize = 1 }, JSONReporter())
        case CSVReporter.format: chunks = Self.chunks(of: review, reporter: { $0.chunkSize = 1 }, CSVReporter())
        default:
            Issue.record("no streaming test for \(item.format)")
            return
        }
        #expect(chunks.count > 3, "\(item.format): a chunk after every client or finding")
        let streamed = String(decoding: chunks.joined(), as: UTF8.self).replacingOccurrences(
            of: Fixtures.repositoryRoot + "/", with: "")
        let golden = try String(
            contentsOf: ReportGoldenTests.goldenFolder.appendingPathComponent(item.file), encoding: .utf8)
        #expect(streamed == golden, "\(item.file)")
    }

    /// What `reporter`, set up by `setUp` (cut into the smallest chunks), hands on, chunk by chunk.
    static func chunks<R: StreamingReporter>(of review: Review, reporter setUp: (inout R) -> Void, _ reporter: R)
        -> [[UInt8]]
    {
        var reporter = reporter
        setUp(&reporter)
        var chunks: [[UInt8]] = []
        reporter.render(review, options: ReportOptions()) { chunks.append(Array($0)) }
        return chunks
    }

    @Test func everyFormatStreams() {
        for format in Reporters.formats {
            #expect(Reporters.reporter(for: format) is any StreamingReporter, "\(format)")
        }
    }
}
