import Foundation
import GRDB
import Testing

/// `attune review --ledger`, `attune ledger …` and `attune history` as a supervisor runs them, and
/// the ledger's reliability: two processes at once, a process killed mid-write.
@Suite struct LedgerE2ETests {
    static func ledger() throws -> String {
        try AttuneProcess.temporaryDirectory().appendingPathComponent("supervision.db").path
    }

    /// Records the clinic's W48 review and returns the ids of its findings, in report order.
    static func recordWeek48(_ ledger: String, extra: [String] = []) throws -> [String] {
        let result = try AttuneProcess.run(
            ["review", "Examples/clinic", "--week", "2026-W48", "--format", "json", "--ledger", ledger] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        return findings.compactMap { $0["id"] as? String }
    }

    static func integrity(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    static func count(_ table: String, in path: String) throws -> Int {
        try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    @Test func aSupervisorsWeek() throws {
        let ledger = try Self.ledger()
        let ids = try Self.recordWeek48(ledger)
        #expect(ids.count > 4)
        let mode = try FileManager.default.attributesOfItem(atPath: ledger)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let discuss = try AttuneProcess.run([
            "ledger", "discuss", ids[0], "--note", "Risk assessment seen", "--action", "Check the plan",
            "--due", "2026-11-29", "--by", "A. Supervisor", "--ledger", ledger,
        ])
        #expect(discuss.status == 0, "\(discuss.stderr)")
        #expect(discuss.stdout.hasPrefix("Recorded decision #1 on \(ids[0])"))
        let snooze = try AttuneProcess.run([
            "ledger", "snooze", ids[1], "--until", "2026-12-14", "--on", "2026-11-27", "--reason", "Plan reviewed",
            "--by", "A. Supervisor", "--ledger", ledger,
        ])
        #expect(snooze.status == 0, "\(snooze.stderr)")
        let dismiss = try AttuneProcess.run([
            "ledger", "dismiss", ids[2], "--reason", "Known slip", "--by", "A. Supervisor", "--ledger", ledger,
        ])
        #expect(dismiss.status == 0, "\(dismiss.stderr)")

        let text = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W48", "--ledger", ledger])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Supervision ledger"))
        #expect(text.stdout.contains("Appendix: dismissed findings"))
        #expect(ReportCollapse.collapsed(text.stdout).contains("1 snoozed · 1 dismissed · 1 action due"))

        let show = try AttuneProcess.run(["ledger", "show", ids[0], "--ledger", ledger])
        #expect(show.status == 0)
        #expect(show.stdout.contains("#1 discussed on") && show.stdout.contains("Risk assessment seen"))
        #expect(show.stdout.contains("review #1 as of 2026-11-29"))

        let history = try AttuneProcess.run(["history", "--ledger", ledger, "--format", "csv"])
        #expect(history.status == 0)
        #expect(history.stdout.contains("all,2026-W48,2026-11-23,"))

        let folder = URL(fileURLWithPath: ledger).deletingLastPathComponent()
        let export = folder.appendingPathComponent("export.json").path
        #expect(try AttuneProcess.run(["ledger", "export", "--ledger", ledger, "--output", export]).status == 0)
        let moved = folder.appendingPathComponent("moved.db").path
        let imported = try AttuneProcess.run(["ledger", "import", export, "--ledger", moved])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try Self.count("decisions", in: moved) == 3)
    }

    @Test func anUnknownIDGetsADidYouMean() throws {
        let ledger = try Self.ledger()
        let ids = try Self.recordWeek48(ledger)
        let typo = String(ids[0].prefix(9)) + (ids[0].last == "a" ? "b" : "a")
        let result = try AttuneProcess.run(["ledger", "discuss", typo, "--note", "n", "--by", "A", "--ledger", ledger])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("\(ledger): error: no finding '\(typo)' in this ledger; did you mean '\(ids[0])'?"))
        let history = try AttuneProcess.run(["history", "--ledger", ledger, "--therapist", "T-3"])
        #expect(history.status == 2)
        #expect(history.stderr.contains("did you mean 'T-03'?"))
    }

    @Test func readingCommandsNeverCreateALedger() throws {
        let ledger = try Self.ledger()
        for arguments in [["history"], ["ledger", "show", "abcdefghjk"], ["ledger", "export"]] {
            let result = try AttuneProcess.run(arguments + ["--ledger", ledger])
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(ledger): error: no ledger here"))
        }
        #expect(!FileManager.default.fileExists(atPath: ledger))
    }

    @Test func twoProcessesRecordingDecisionsAtOnceBothLand() throws {
        let ledger = try Self.ledger()
        let ids = try Self.recordWeek48(ledger)
        let perProcess = 15
        let script = """
            for i in $(seq 1 \(perProcess)); do
              "$ATTUNE" ledger discuss "$ID" --note "note $WHO $i" --by "$WHO" --ledger "$LEDGER" > /dev/null || exit 1
            done
            """
        let processes = try ["A", "B"].enumerated().map { index, who in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = [
                "ATTUNE": AttuneProcess.executable.path, "ID": ids[index], "WHO": who, "LEDGER": ledger,
                "PATH": "/usr/bin:/bin",
            ]
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        #expect(try Self.count("decisions", in: ledger) == 2 * perProcess)
        #expect(try Self.integrity(ledger) == "ok")
    }

    @Test(arguments: ["review", "decision"])
    func aProcessKilledMidWriteLeavesTheLedgerConsistent(_ what: String) throws {
        let ledger = try Self.ledger()
        let ids = try Self.recordWeek48(ledger)
        #expect(
            try AttuneProcess.run(["ledger", "discuss", ids[0], "--note", "kept", "--by", "A", "--ledger", ledger])
                .status == 0)
        let before = (
            reviews: try Self.count("reviews", in: ledger), decisions: try Self.count("decisions", in: ledger),
            changes: try Self.count("finding_changes", in: ledger)
        )

        let process = Process()
        process.executableURL = AttuneProcess.executable
        process.currentDirectoryURL = AttuneProcess.repositoryRoot
        process.arguments =
            what == "review"
            ? ["review", "Examples/clinic", "--week", "2026-W47", "--ledger", ledger]
            : ["ledger", "discuss", ids[1], "--note", "lost", "--by", "A", "--ledger", ledger]
        var environment = ProcessInfo.processInfo.environment
        environment["ATTUNE_LEDGER_PAUSE_BEFORE_COMMIT"] = "30"
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until it is inside its transaction, then kill it there.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("pausing before commit") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said.append(chunk)
        }
        #expect(String(decoding: said, as: UTF8.self).contains("pausing before commit"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        #expect(try Self.integrity(ledger) == "ok")
        #expect(try Self.count("reviews", in: ledger) == before.reviews)
        #expect(try Self.count("decisions", in: ledger) == before.decisions)
        #expect(try Self.count("finding_changes", in: ledger) == before.changes)
        // And it is still usable.
        #expect(
            try AttuneProcess.run(["ledger", "discuss", ids[1], "--note", "after", "--by", "A", "--ledger", ledger])
                .status == 0)
        #expect(try Self.count("decisions", in: ledger) == before.decisions + 1)
    }

    @Test func aFileThatIsNotALedgerIsNamed() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("not a database".utf8).write(to: notes)
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--ledger", notes.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(notes.path): error: not a SQLite database"))
        #expect(result.stdout.isEmpty)
        #expect(try String(contentsOf: notes, encoding: .utf8) == "not a database")
    }
}

/// Wrapped text joined back into one line, to find phrases that wrapping split.
enum ReportCollapse {
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
