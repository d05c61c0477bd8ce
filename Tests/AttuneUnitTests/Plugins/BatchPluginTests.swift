import AttuneAuthoring
import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneYAML
import Foundation
import Synchronization
import Testing

/// Kinds that take many timelines per call (`batch: true`) and the binary record layout
/// (docs/plugins.md, "Many timelines a call"), with a scripted transport.
struct BatchPluginTests {
    /// Counts evaluate calls and answers each timeline of a batch: a finding on the second
    /// no-show, an error for client C-7; a request naming C-3 (alone or not) is not JSON at all.
    final class Calls: Sendable {
        let count = Mutex(0)
        let timelinesSeen = Mutex<[Int]>([])

        func answer(_ request: String) -> String {
            count.withLock { $0 += 1 }
            guard
                let object = try? JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: Any],
                let timelines = object["timelines"] as? [[String: Any]]
            else { return #"{"error": "not a batch request"}"# }
            timelinesSeen.withLock { $0.append(timelines.count) }
            if timelines.contains(where: { $0["client"] as? String == "C-3" }) { return "garbage" }
            let results = timelines.map { timeline -> String in
                if timeline["client"] as? String == "C-7" { return #"{"error": "cannot judge C-7"}"# }
                let records = timeline["records"] as? [[String: Any]] ?? []
                guard records.count >= 2 else { return "{}" }
                return
                    #"{"findings": [{"opened": "2026-01-12", "closed": null, "evidence": [0, 1], "values": {"count": 2}}]}"#
            }
            return #"{"results": ["# + results.joined(separator: ",") + "]}"
        }
    }

    /// `clients` clients with two no-shows each, reviewed with `jobs` workers.
    static func review(_ ruleSet: RuleSet, clients: Int, jobs: Int = 1) -> Engine.Output {
        var yaml = ""
        for client in 0..<clients {
            yaml += "- {client: C-\(client), therapist: T-1, episode: '1', date: 2026-01-05, attendance: no-show}\n"
            yaml += "- {client: C-\(client), therapist: T-1, episode: '1', date: 2026-01-12, attendance: no-show}\n"
        }
        let (records, _) = Fixtures.records(yaml)
        let asOf = Day(iso: "2026-01-12")!
        let rules = ruleSet.activeRules.filter { $0.id == "scripted-run" }
        return Engine(rules: rules, vocabulary: ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf, jobs: jobs))
    }

    static func batchingPlugin(_ calls: Calls) -> ScriptedPlugin {
        ScriptedPlugin(
            "scripted",
            declaration: ScriptedPlugin.declaring("scripted-streak", extra: #", "reads": ["date"], "batch": true"#)
        ) { calls.answer($0) }
    }

    @Test func aBatchingKindGetsUpTo1024TimelinesACall() throws {
        let calls = Calls()
        let ruleSet = try PluginKindTests.load(Self.batchingPlugin(calls))
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let output = Self.review(ruleSet, clients: 2_500)
        // The batch holding C-3 fails as a whole, so each of its timelines is then asked about alone.
        let clients = (0..<2_500).map { "C-\($0)" }.sorted()
        let failingBatch = try #require(clients.firstIndex(of: "C-3")) / 1_024
        let seen = calls.timelinesSeen.withLock { $0 }
        #expect(seen.filter { $0 > 1 } == [1_024, 1_024, 452])
        #expect(seen.filter { $0 == 1 }.count == [1_024, 1_024, 452][failingBatch])
        // C-3's batch was not JSON: each of its timelines was asked about alone, and only C-3 fails.
        #expect(output.failures.map(\.client).sorted() == ["C-3", "C-7"], "\(output.failures)")
        #expect(output.findings.count == 2_498)
        #expect(output.findings.allSatisfy { $0.message == "2 in a row" && $0.records.count == 2 })
        let failures = Dictionary(uniqueKeysWithValues: output.failures.map { ($0.client, $0.message) })
        #expect(failures["C-7"]?.contains("kind scripted-streak reports an error: cannot judge C-7") == true)
        #expect(failures["C-3"]?.contains("plugin scripted: its evaluate response is not JSON") == true)
    }

    @Test func batchingGivesTheSameFindingsAsOneCallATimelineForAnyNumberOfJobs() throws {
        let oneAtATime = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak")) {
            request in
            request.contains(#""client":"C-3""#) || request.contains(#""client":"C-7""#)
                ? #"{"error": "no"}"#
                : #"{"findings": [{"opened": "2026-01-12", "closed": null, "evidence": [0, 1], "values": {"count": 2}}]}"#
        }
        let expected = Self.review(try PluginKindTests.load(oneAtATime), clients: 1_100).findings
        #expect(expected.count == 1_098)
        for jobs in [1, 2, 3] {
            let batched = Self.review(
                try PluginKindTests.load(Self.batchingPlugin(Calls())), clients: 1_100, jobs: jobs)
            #expect(batched.findings == expected, "jobs \(jobs)")
        }
    }

    @Test func aResponseWithTheWrongNumberOfResultsFailsTheCall() throws {
        let kind = try #require(
            try KindProtocol.declarations(
                from: Array(ScriptedPlugin.declaring("k", extra: #", "batch": true"#).utf8), plugin: "p"
            ).first)
        let day = Day(iso: "2026-01-12")!
        #expect(throws: PluginError.self) {
            try KindProtocol.answers(
                from: Array(#"{"results": [{}]}"#.utf8), kind: kind, sent: [[0], [0]], asOf: day, plugin: "p")
        }
        do {
            _ = try KindProtocol.answers(
                from: Array(#"{"results": [{}]}"#.utf8), kind: kind, sent: [[0], [0]], asOf: day, plugin: "p")
        } catch {
            #expect(error.description.contains("answered 1 results for 2 timelines"), "\(error)")
        }
        let answers = try KindProtocol.answers(
            from: Array(#"{"results": [{}, {"findings": [{"opened": "2026-01-12", "evidence": [3]}]}]}"#.utf8),
            kind: kind, sent: [[0], [0]], asOf: day, plugin: "p")
        #expect((try? answers[0].get())?.findings.isEmpty == true)
        // Evidence 3 was not sent: that timeline's answer fails, the other stands.
        #expect(throws: PluginError.self) { try answers[1].get() }
    }

    @Test func eachAttendanceHasTheCodeItsPositionInTheHeaderGives() {
        for (position, attendance) in KindProtocol.BinaryRecords.attendanceCodes.enumerated() {
            #expect(KindProtocol.BinaryRecords.code(attendance) == UInt32(position))
        }
        #expect(KindProtocol.BinaryRecords.attendanceCodes.count == Attendance.allCases.count)
    }

    /// The binary layout, byte for byte: header, zero byte, padding to 8, then each timeline's
    /// count and rows in the documented field order, whatever order `reads` lists the fields in.
    @Test func theBinaryLayoutIsTheDocumentedOne() throws {
        let declaration = ScriptedPlugin.declaring(
            "scripted-streak",
            extra:
                #", "reads": ["measures", "session", "attendance", "date"], "batch": true, "record_layout": "binary""#
        )
        let ruleSet = try PluginKindTests.load(ScriptedPlugin("scripted", declaration: declaration))
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let rule = try #require(ruleSet.rule("scripted-run"))
        let kind = try #require(
            try KindProtocol.declarations(from: Array(declaration.utf8), plugin: "scripted").first)
        let (records, diagnostics) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-01-05, attendance: no-show, session: 4, measures: {srs: 31.5}}
            - {client: C-1, therapist: T-1, date: 2026-01-12, attendance: attended}
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let asOf = Day(iso: "2026-01-12")!
        let engine = Engine(rules: [rule], vocabulary: ruleSet.vocabulary)
        let timeline = try #require(Engine.timelines(from: records, asOf: asOf).first)
        let view = try engine.ruleTimeline(rule, timeline, asOf: asOf, probe: nil, tracer: nil)
        let request = KindProtocol.evaluateRequest(
            kind: kind, parameters: ["length": .integer(2)], timelines: [view, view])
        #expect(request.sent == [0, 1])
        let bytes = request.bytes
        let zero = try #require(bytes.firstIndex(of: 0))
        let header = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[..<zero])) as? [String: Any])
        let measures = try #require(header["measures"] as? [String])
        #expect(measures == ruleSet.vocabulary.measures.map(\.name))
        #expect(header["record_layout"] as? String == "binary")
        #expect(header["timelines"] as? Int == 2)
        #expect(header["coverage"] as? Bool == false)
        let rowBytes = 4 + 4 + 4 + 4 + 8 * measures.count + 4
        #expect(header["record_bytes"] as? Int == rowBytes)
        let table = (zero + 1 + 7) / 8 * 8
        #expect(bytes[(zero + 1)..<table].allSatisfy { $0 == 0 })
        #expect(bytes.count == table + 2 * (4 + 2 * rowBytes))
        func u32(_ at: Int) -> UInt32 { bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func f64(_ at: Int) -> Double {
            Double(bitPattern: bytes[at..<at + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        #expect(u32(table) == 2)
        let first = table + 4
        let second = first + rowBytes
        #expect([u32(first), u32(second)] == [0, 1])
        #expect(Int32(bitPattern: u32(first + 4)) == Day(iso: "2026-01-05")!.number)
        #expect(u32(first + 8) == KindProtocol.BinaryRecords.code(.noShow))
        #expect(u32(second + 8) == KindProtocol.BinaryRecords.code(.attended))
        #expect([u32(first + 12), u32(second + 12)] == [4, 0])
        let srs = try #require(measures.firstIndex(of: "srs"))
        #expect(f64(first + 16 + 8 * srs) == 31.5)
        #expect(f64(second + 16 + 8 * srs).isNaN)
        // match (attendance == 'no-show') is bit 0.
        #expect([u32(first + rowBytes - 4), u32(second + rowBytes - 4)] == [1, 0])
        #expect(u32(table + 4 + 2 * rowBytes) == 2)
        let json = JSONSchemaValidator.instance(
            try JSONReader.document(in: .bytes(Array(bytes[..<zero])), limits: .rules))
        let errors = JSONSchemaValidator(root: KindProtocolSchema.schema).validate(json)
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test func aBatchRequestFitsTheSchema() throws {
        let calls = Calls()
        let requests = Mutex<[String]>([])
        let plugin = ScriptedPlugin(
            "scripted",
            declaration: ScriptedPlugin.declaring("scripted-streak", extra: #", "batch": true"#)
        ) { request in
            requests.withLock { $0.append(request) }
            return calls.answer(request)
        }
        _ = Self.review(try PluginKindTests.load(plugin), clients: 2)
        let request = try #require(requests.withLock { $0.first })
        let json = JSONSchemaValidator.instance(
            try JSONReader.document(in: .bytes(Array(request.utf8)), limits: .rules))
        let errors = JSONSchemaValidator(root: KindProtocolSchema.schema).validate(json)
        #expect(errors.isEmpty, "\(errors)")
        #expect(request.contains(#""timelines":[{"client":"C-0","episode":"1","records":[{"index":0,"#))
    }

    @Test func aProcessPluginCannotAskForTheBinaryLayout() throws {
        let folder = try ScriptedPlugin.pack(rule: PluginKindTests.rule)
        let pack = try String(contentsOfFile: folder + "/pack.yaml", encoding: .utf8)
        try pack.replacingOccurrences(of: "wasm: plugins/scripted.bin", with: "exec: [python3, plugins/scripted.bin]")
            .write(toFile: folder + "/pack.yaml", atomically: true, encoding: .utf8)
        let plugin = ScriptedPlugin(
            "scripted",
            declaration: ScriptedPlugin.declaring(
                "scripted-streak", extra: #", "reads": ["date"], "batch": true, "record_layout": "binary""#))
        let ruleSet = PackLoader(registry: BuiltinKinds.registry, plugins: plugin).load([
            DefaultPack.source, try PackSource.directory(folder),
        ])
        #expect(
            ruleSet.diagnostics.errors.contains {
                $0.message.contains("record_layout binary, which is for WebAssembly plugins")
            }, "\(ruleSet.diagnostics)")
    }
}

extension BatchPluginTests {
    @Test func theColumnsLayoutSendsAnArrayPerField() throws {
        let plugin = ScriptedPlugin(
            "scripted",
            declaration: ScriptedPlugin.declaring(
                "scripted-streak", extra: #", "reads": ["date", "session"], "record_layout": "columns""#)
        ) { request in
            request.contains(
                #""records":{"index":[0,1],"date":["2026-01-05","2026-01-12"],"session":[null,null],"expressions":{"match":[true,true]}}"#
            )
                ? #"{"findings": [{"opened": "2026-01-12", "closed": null, "evidence": [0, 1], "values": {"count": 2}}]}"#
                : #"{"error": "not the columns expected"}"#
        }
        let output = Self.review(try PluginKindTests.load(plugin), clients: 1)
        #expect(output.failures.isEmpty, "\(output.failures)")
        #expect(output.findings.count == 1)
    }
}
