import Foundation
import Testing

/// The HTML review as it prints: the built binary's report rendered by
/// `scripts/render-report.sh` (headless Chromium) on screen and on A4, and each PDF page read
/// back with `pdftotext`. Needs Debian's `chromium` and `poppler-utils`; without them the
/// Chromium tests are skipped (and say so), the checks of the HTML itself still run.
@Suite struct ReportPrintE2ETests {
    static let tools = ["chromium", "pdftoppm", "pdftotext"]
    static let haveChromium = tools.allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    static func review(into folder: URL) throws -> URL {
        let file = folder.appendingPathComponent("review.html")
        let result = try AttuneProcess.run([
            "review", "Examples/clinic", "--week", "2026-W48", "--format", "html", "--output", file.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return file
    }

    @Test func theReportDeclaresARunningHeaderPerTherapistAndPageNumbers() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let html = try String(contentsOf: try Self.review(into: folder), encoding: .utf8)
        for (index, therapist) in ["T-03", "T-02", "T-01"].enumerated() {
            #expect(html.contains("id=\"therapist-\(therapist)\" style=\"page: therapist-\(index + 1)\""))
            #expect(
                html.contains(
                    "@page therapist-\(index + 1) { @top-left { content: \"Therapist \(therapist) \\b7  weekly supervision review\""
                ))
        }
        #expect(html.contains("counter(page) \" of \" counter(pages)"))
    }

    @Test(.enabled(if: haveChromium, "needs chromium and poppler-utils"))
    func printedOnA4EveryPageIsNumberedNamesItsTherapistAndNoChartLosesItsClient() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let html = try Self.review(into: folder)
        let out = folder.appendingPathComponent("render")
        let rendered = try Self.run(
            "/bin/bash", [AttuneProcess.repositoryRoot.path + "/scripts/render-report.sh", html.path, out.path])
        #expect(rendered.status == 0, "\(rendered.output)")

        // The screenshot is as tall as the page measured, which is taller than the 12,000 px the
        // script used to cut at.
        let measured = try #require(
            rendered.output.components(separatedBy: "(1280 x ").dropFirst().first?
                .components(separatedBy: " px)").first.flatMap { Int($0) }, "\(rendered.output)")
        let png = try Data(contentsOf: out.appendingPathComponent("review-1280.png"))
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(height == measured)
        #expect(measured > 12_000)

        let pdf = out.appendingPathComponent("review-a4.pdf").path
        let pages = try Self.run("/usr/bin/env", ["pdftotext", "-layout", pdf, "-"]).output
            .components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count > 3)
        var therapist: String?
        for (index, page) in pages.enumerated() {
            #expect(page.contains("Page \(index + 1) of \(pages.count)"), "page \(index + 1) is not numbered")
            if let heading = page.components(separatedBy: "\nTherapist ").dropFirst().first?.prefix(4) {
                therapist = String(heading)
            }
            if page.contains("Data quality") { therapist = nil }
            // Every page of a therapist's section names that therapist in its running header.
            if let therapist {
                #expect(
                    page.contains("Therapist \(therapist) · weekly supervision review"),
                    "page \(index + 1): \(page.prefix(300))")
            }
            // A chart (its "Events" lane) never stands on a page without its client's name above it.
            let charts = page.components(separatedBy: "\n").filter {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("Events")
            }.count
            let titles = Self.occurrences(of: " · sessions and measures", in: page)
            #expect(charts == titles, "page \(index + 1): \(charts) charts, \(titles) chart titles")
            // A finding card names its client or caseload (the first card of a client sits under its
            // heading, which never ends a page), so a card that starts a page is never anonymous.
            let cards = Self.occurrences(of: "QUESTIONS FOR SUPERVISION", in: page)
            let owners = page.components(separatedBy: "\n").filter {
                let line = $0.trimmingCharacters(in: .whitespaces)
                return (line.hasPrefix("Client C-") && !line.contains("sessions and measures"))
                    || line.hasPrefix("Caseload of T-")
            }.count
            #expect(owners >= cards, "page \(index + 1): \(cards) cards, \(owners) owner lines")
        }
    }

    static func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    /// Runs a helper program, standard output and error together.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = AttuneProcess.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
