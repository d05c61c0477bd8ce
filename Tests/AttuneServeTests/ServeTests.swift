import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneLedger
import AttuneReporters
import AttuneTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AttuneServe

/// `attune serve` through Hummingbird's test client: the pages, the decision forms writing to the
/// ledger, and the defences (CSRF, headers, escaping, notes, body cap, sign-in off loopback).
@Suite struct ServeTests {
    static let clinic = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/clinic").path

    static func directory() throws -> URL {
        let url = TestFolder.unique("attune-serve-tests")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func configuration(records: [String] = [clinic], _ change: (inout ServeConfiguration) -> Void = { _ in })
        throws -> ServeConfiguration
    {
        var configuration = ServeConfiguration(
            records: records, ledger: try directory().appendingPathComponent("supervision.db").path,
            supervisor: "A. Supervisor", changeCheckInterval: 0, attuneVersion: "test")
        change(&configuration)
        return configuration
    }

    static func test(
        _ configuration: ServeConfiguration, _ body: @escaping @Sendable (inout ServeClient) async throws -> Void
    ) async throws {
        let app = try ServeApplication.make(configuration)
        try await app.test(.router) { client in
            var browser = ServeClient(client)
            try await body(&browser)
        }
    }

    /// The first finding id on a page, from its link to the finding's page.
    static func firstFindingID(in page: String) -> String? {
        guard let range = page.range(of: "/finding?id=") else { return nil }
        return String(page[range.upperBound...].prefix { $0.isLetter || $0.isNumber })
    }

    @Test func loopbackOnlyWithoutAToken() throws {
        #expect(ServeConfiguration.isLoopback("127.0.0.1"))
        #expect(ServeConfiguration.isLoopback("127.1.2.3"))
        #expect(ServeConfiguration.isLoopback("::1"))
        #expect(ServeConfiguration.isLoopback("localhost"))
        #expect(!ServeConfiguration.isLoopback("0.0.0.0"))
        #expect(!ServeConfiguration.isLoopback("192.168.1.4"))
        #expect(!ServeConfiguration.isLoopback("127.0.0.1.example.org"))
        let open = try Self.configuration { $0.host = "0.0.0.0" }
        #expect(open.problem?.contains("not a loopback address") == true)
        #expect(throws: ServeError.self) { _ = try ServeApplication.make(open) }
        let short = try Self.configuration {
            $0.host = "0.0.0.0"
            $0.accessToken = "short"
        }
        #expect(short.problem?.contains("shorter than 16") == true)
        let guarded = try Self.configuration {
            $0.host = "0.0.0.0"
            $0.accessToken = SessionStore.randomToken()
        }
        #expect(guarded.problem == nil)
    }

    @Test func theWeekTherapistAndFindingPages() async throws {
        try await Self.test(try Self.configuration()) { browser in
            let glance = try await browser.get("/?week=2026-W48")
            #expect(glance.status == 200)
            #expect(glance.body.contains("At a glance"))
            #expect(glance.body.contains("<option value=\"2026-W48\" selected>"))
            #expect(glance.body.contains("href=\"/therapist?id=T-02&amp;week=2026-W48\""))
            #expect(glance.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(
                glance.header("Content-Security-Policy")?.contains("script") == false,
                "no script source is allowed at all")
            #expect(glance.header("X-Content-Type-Options") == "nosniff")
            #expect(glance.header("Referrer-Policy") == "no-referrer")
            #expect(glance.header("Access-Control-Allow-Origin") == nil)
            #expect(glance.header("Set-Cookie")?.contains("HttpOnly; SameSite=Strict") == true)
            #expect(!glance.body.contains("<script"))

            let therapist = try await browser.get("/therapist?id=T-02&week=2026-W48")
            #expect(therapist.status == 200)
            #expect(therapist.body.contains("Therapist T-02"))
            #expect(therapist.body.contains("<svg"), "the client's chart, as in the HTML report")
            let id = try #require(Self.firstFindingID(in: therapist.body))

            let finding = try await browser.get("/finding?id=\(id)&week=2026-W48")
            #expect(finding.status == 200)
            #expect(finding.body.contains("Questions for supervision"))
            #expect(finding.body.contains("What reviews saw"))
            #expect(finding.body.contains("<label for=\"discuss-note\">"))
            #expect(finding.body.contains("No decision yet."))

            let unknown = try await browser.get("/therapist?id=T-2&week=2026-W48")
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("did you mean"))
            let badWeek = try await browser.get("/?week=2026-W99")
            #expect(badWeek.status == 400)
        }
    }

    @Test func aDecisionGoesIntoTheLedgerOnlyWithTheSessionsToken() async throws {
        let configuration = try Self.configuration()
        try await Self.test(configuration) { browser in
            let therapist = try await browser.get("/therapist?id=T-02&week=2026-W48")
            let id = try #require(Self.firstFindingID(in: therapist.body))
            let fields = [
                ("finding", id), ("kind", "discuss"), ("week", "2026-W48"), ("by", "A. Supervisor"),
                ("on", "2026-11-30"),
                ("note", "Talked it through"), ("action", "Ask about the break"), ("due", "2026-12-07"),
            ]

            let forged = try await browser.post("/decide", fields, csrf: false)
            #expect(forged.status == 403)
            var stranger = browser
            // One character changed: "0" in front would be the same token whenever it begins with "0".
            let token = try #require(browser.csrf)
            stranger.csrf = (token.first == "0" ? "1" : "0") + String(token.dropFirst())
            let wrongToken = try await stranger.post("/decide", fields)
            #expect(wrongToken.status == 403)
            let otherSite = try await browser.post("/decide", fields, extraHeaders: [.origin: "http://evil.example"])
            #expect(otherSite.status == 403)
            #expect(try Ledger.open(path: configuration.ledger, create: false).finding(id).decisions.isEmpty)

            let recorded = try await browser.post("/decide", fields)
            #expect(recorded.status == 303)
            #expect(recorded.header("Location") == "/finding?id=\(id)&week=2026-W48&recorded=1")
            let decisions = try Ledger.open(path: configuration.ledger, create: false).finding(id).decisions
            #expect(decisions.count == 1)
            #expect(decisions.first?.action == "Ask about the break")
            #expect(decisions.first?.by == "A. Supervisor")

            let page = try await browser.get("/finding?id=\(id)&week=2026-W48&recorded=1")
            #expect(page.body.contains("Decision recorded in the ledger."))
            #expect(page.body.contains("state-discussed"))
            #expect(page.body.contains("Ask about the break"))

            let incomplete = try await browser.post(
                "/decide", [("finding", id), ("kind", "snooze"), ("by", "A. Supervisor"), ("reason", "Later")])
            #expect(incomplete.status == 400)
            #expect(incomplete.body.contains("needs until DATE"))
            let unknown = try await browser.post(
                "/decide", [("finding", "zzzzzzzzzz"), ("kind", "dismiss"), ("by", "A"), ("reason", "x")])
            #expect(unknown.status == 404)
        }
        let mode =
            try FileManager.default.attributesOfItem(atPath: configuration.ledger)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func aDismissedFindingLeavesTheWeekAndComesBackWhenReopened() async throws {
        try await Self.test(try Self.configuration()) { browser in
            let before = try await browser.get("/therapist?id=T-02&week=2026-W48")
            let id = try #require(Self.firstFindingID(in: before.body))
            _ = try await browser.post(
                "/decide", [("finding", id), ("kind", "dismiss"), ("by", "A"), ("reason", "Data-entry slip")])
            let glance = try await browser.get("/?week=2026-W48")
            #expect(glance.body.contains("1 dismissed"))
            let afterDismissal = try await browser.get("/therapist?id=T-02&week=2026-W48")
            #expect(!afterDismissal.body.contains("/finding?id=\(id)&"))
            _ = try await browser.post("/decide", [("finding", id), ("kind", "reopen"), ("by", "A")])
            let afterReopening = try await browser.get("/therapist?id=T-02&week=2026-W48")
            #expect(afterReopening.body.contains("/finding?id=\(id)&"))
        }
    }

    @Test func aDecisionMadeElsewhereShowsOnTheKeptPages() async throws {
        let configuration = try Self.configuration()
        try await Self.test(configuration) { browser in
            let before = try await browser.get("/therapist?id=T-02&week=2026-W48")
            let id = try #require(Self.firstFindingID(in: before.body))
            #expect(!before.body.contains("state-discussed"))
            // As `attune ledger discuss` in another process would.
            try Ledger.open(path: configuration.ledger, create: false)
                .decide(
                    DecisionRequest(
                        finding: id, kind: .discuss, on: Day(iso: "2026-11-30")!, by: "B. Supervisor",
                        note: "From the terminal"))
            let after = try await browser.get("/therapist?id=T-02&week=2026-W48")
            #expect(after.body.contains("From the terminal"))
            let glance = try await browser.get("/?week=2026-W48")
            #expect(glance.body.contains("1 discussed"))
            #expect(!glance.body.contains("value=\"csrf-"), "the kept page's placeholder is filled in")
            #expect(browser.csrf?.count == 64)
        }
    }

    @Test func recordValuesAreShownAsText() async throws {
        let folder = try Self.directory()
        let file = folder.appendingPathComponent("records.yaml")
        var yaml = ""
        for (index, score) in [30, 12, 10].enumerated() {
            yaml += """
                - client: "<script>alert(1)</script>"
                  therapist: "T-<img src=x onerror=alert(2)>"
                  date: 2026-11-\(23 + index)
                  session: \(index + 1)
                  attendance: attended
                  measures: {srs: 39, ors: \(score), phq9: 20, phq9_i9: 2}
                  notes: "Synthetic note with <b>markup</b>"

                """
        }
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        try await Self.test(try Self.configuration(records: [file.path])) { browser in
            let glance = try await browser.get("/?week=2026-W48")
            #expect(glance.status == 200)
            #expect(!glance.body.contains("<script>"))
            #expect(!glance.body.contains("<img"))
            #expect(glance.body.contains("&lt;img src=x onerror=alert(2)&gt;"))
            let therapist = try await browser.get(
                "/therapist?id=\(ServeClient.encode("T-<img src=x onerror=alert(2)>"))&week=2026-W48")
            #expect(therapist.status == 200)
            #expect(therapist.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!therapist.body.contains("<script>"))
            #expect(!therapist.body.contains("markup"), "notes only with --include-notes")
        }
        try await Self.test(try Self.configuration(records: [file.path]) { $0.includeNotes = true }) { browser in
            let therapist = try await browser.get(
                "/therapist?id=\(ServeClient.encode("T-<img src=x onerror=alert(2)>"))&week=2026-W48")
            #expect(therapist.body.contains("Synthetic note with &lt;b&gt;markup&lt;/b&gt;"))
        }
    }

    @Test func requestBodiesAreCapped() async throws {
        try await Self.test(try Self.configuration { $0.bodyLimit = 1_000 }) { browser in
            _ = try await browser.get("/")
            let response = try await browser.post(
                "/decide", [("finding", "x"), ("kind", "discuss"), ("note", String(repeating: "a", count: 5_000))])
            #expect(response.status == 413)
        }
    }

    @Test func aChangedRecordFileIsReadAgain() async throws {
        let folder = try Self.directory()
        for name in ["2026-W47.yaml", "2026-W48.yaml"] {
            try FileManager.default.copyItem(
                atPath: Self.clinic + "/" + name, toPath: folder.appendingPathComponent(name).path)
        }
        try await Self.test(try Self.configuration(records: [folder.path])) { browser in
            let before = try await browser.get("/?week=2026-W48")
            #expect(!before.body.contains("T-77"))
            let extra =
                "- client: C-7001\n  therapist: T-77\n  date: 2026-11-26\n  session: 1\n  attendance: no-show\n"
                + "- {client: C-7001, therapist: T-77, date: 2026-11-27, session: 2, attendance: no-show}\n"
                + "- {client: C-7001, therapist: T-77, date: 2026-11-28, session: 3, attendance: \"what?\"}\n"
            try extra.write(to: folder.appendingPathComponent("late.yaml"), atomically: true, encoding: .utf8)
            let after = try await browser.get("/?week=2026-W48")
            #expect(after.body.contains("T-77"))
            #expect(after.body.contains("late.yaml:"), "the record error, located, in data quality")

            let reload = try await browser.post("/reload", [("week", "2026-W48")])
            #expect(reload.status == 303)
            #expect(reload.header("Location") == "/?week=2026-W48")
        }
    }

    @Test func aPackWithErrorsKeepsTheLastGoodPacksAndSaysSo() async throws {
        let pack = try Self.directory()
        try FileManager.default.copyItem(
            atPath: Self.clinic + "/../custom-rules", toPath: pack.appendingPathComponent("p").path)
        let folder = pack.appendingPathComponent("p").path
        try await Self.test(try Self.configuration { $0.packFolders = [folder] }) { browser in
            let unchanged = try await browser.get("/?week=2026-W48")
            #expect(unchanged.status == 200)
            let manifest = folder + "/pack.yaml"
            let original = try String(contentsOfFile: manifest, encoding: .utf8)
            try (original + "\nthis is: [not yaml\n").write(toFile: manifest, atomically: true, encoding: .utf8)
            let page = try await browser.get("/?week=2026-W48")
            #expect(page.status == 200)
            #expect(page.body.contains("Reading the packs and records"))
            #expect(page.body.contains("pack.yaml:"))
            #expect(page.body.contains("last read without errors"))
        }
    }

    /// Packs load as in every other command: a pack that declares a WebAssembly kind works here too.
    @Test func aPackWithAPluginKindLoads() async throws {
        let folder = Self.clinic + "/../plugins/wasm-streak"
        try await Self.test(try Self.configuration { $0.packFolders = [folder] }) { browser in
            let page = try await browser.get("/?week=2026-W48")
            #expect(page.status == 200)
            #expect(!page.body.contains("Reading the packs and records"))
        }
    }

    /// As in review: a record dated after today is an error for that record, and the week shown
    /// never follows it to a mistyped year.
    @Test func aRecordDatedAfterTodayNeverMovesTheWeek() async throws {
        let future = try Self.directory().appendingPathComponent("typo.yaml")
        try "- {client: C-1018, therapist: T-03, date: 2062-11-24, attendance: attended}\n".write(
            to: future, atomically: true, encoding: .utf8)
        try await Self.test(
            try Self.configuration(records: [Self.clinic, future.path]) { $0.fixedToday = Day(iso: "2026-11-29") }
        ) { browser in
            let page = try await browser.get("/")
            #expect(page.status == 200)
            #expect(page.body.contains("Week 2026-W48"))
            #expect(page.body.contains("is after today (2026-11-29)"))
        }
    }

    @Test func thePrintViewIsTheHTMLReport() async throws {
        let configuration = try Self.configuration()
        try await Self.test(configuration) { browser in
            let print = try await browser.get("/print?week=2026-W48")
            #expect(print.status == 200)
            #expect(print.header("Content-Security-Policy")?.contains("script") == false)
            // The same review as `attune review --week 2026-W48 --ledger` builds, rendered by the HTML reporter.
            let ruleSet = PackLoader(registry: BuiltinKinds.registry).load([DefaultPack.source])
            let batch = try RecordLoader(vocabulary: ruleSet.vocabulary).load(paths: [Self.clinic])
            var request = ReviewRequest()
            request.setWeek(Day(isoWeek: "2026-W48")!)
            var review = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: request)
            review.applyLedger(try Ledger.open(path: configuration.ledger, create: false).states(for: review))
            #expect(print.body == HTMLReporter().render(review, options: ReportOptions()))
        }
    }

    @Test func offLoopbackEveryPageNeedsTheAccessToken() async throws {
        let token = SessionStore.randomToken()
        try await Self.test(
            try Self.configuration {
                $0.host = "0.0.0.0"
                $0.accessToken = token
            }
        ) { browser in
            let first = try await browser.get("/?week=2026-W48")
            #expect(first.status == 302)
            #expect(first.header("Location") == "/signin")
            let signIn = try await browser.get("/signin")
            #expect(signIn.body.contains("<label for=\"token\">Access token</label>"))
            let wrongSignIn = try await browser.post("/signin", [("token", "wrong")])
            #expect(wrongSignIn.status == 403)
            let historyBefore = try await browser.get("/history")
            #expect(historyBefore.status == 302)
            let signedIn = try await browser.post("/signin", [("token", token)])
            #expect(signedIn.status == 303)
            let glance = try await browser.get("/?week=2026-W48")
            #expect(glance.status == 200)
            let history = try await browser.get("/history")
            #expect(history.status == 200)
        }
    }
}
