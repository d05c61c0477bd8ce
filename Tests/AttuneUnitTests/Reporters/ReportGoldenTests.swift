import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// Every format on Examples/clinic for 2026-W48 against a reviewed golden file.
/// Re-record after an intended change with `ATTUNE_RECORD_GOLDEN=1 swift test --filter ReportGoldenTests`,
/// then read the diff before committing it.
@Suite struct ReportGoldenTests {
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden")
    static let recording = ProcessInfo.processInfo.environment["ATTUNE_RECORD_GOLDEN"] == "1"

    static let cases: [(format: String, file: String, notes: Bool)] = [
        ("text", "clinic-2026-W48.txt", false),
        ("markdown", "clinic-2026-W48.md", false),
        ("html", "clinic-2026-W48.html", false),
        ("json", "clinic-2026-W48.json", false),
        ("csv", "clinic-2026-W48.csv", false),
        ("json", "clinic-2026-W48-notes.json", true),
    ]

    @Test(arguments: cases.indices)
    func matchesGolden(_ index: Int) throws {
        let item = Self.cases[index]
        let actual = ReportFixtures.render(item.format, ReportFixtures.clinic(includeNotes: item.notes))
        let url = Self.goldenFolder.appendingPathComponent(item.file)
        if Self.recording {
            try FileManager.default.createDirectory(at: Self.goldenFolder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let actualLines = actual.components(separatedBy: "\n")
            let expectedLines = expected.components(separatedBy: "\n")
            let first =
                zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(actualLines.count, expectedLines.count)
            Issue.record(
                """
                \(item.file) differs from the golden file at line \(first + 1):
                  expected: \(first < expectedLines.count ? expectedLines[first] : "<end of file>")
                  actual:   \(first < actualLines.count ? actualLines[first] : "<end of file>")
                Re-record with ATTUNE_RECORD_GOLDEN=1 if the change is intended.
                """)
        }
    }

    @Test func everyFormatHasAGolden() {
        let covered = Set(Self.cases.map(\.format))
        #expect(covered == Set(Reporters.formats))
    }
}
