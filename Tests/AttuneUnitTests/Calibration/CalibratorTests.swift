import AttuneAuthoring
import AttuneCore
import Foundation
import Testing

/// `Calibrator`: bands, percentiles, order independence, closed episodes only, refusals with counts.
struct CalibratorTests {
    static var orsSettings: Calibrator.Settings {
        var settings = Calibrator.Settings(
            measure: "ors", measureIndex: Fixtures.vocabulary.measureIndex("ors")!, better: .higher, range: 0...40)
        settings.horizon = 4
        settings.minimumPerBand = 20
        settings.minimumPerCell = 10
        settings.maximumBands = 2
        settings.smoothingWindow = 1
        settings.percentiles = [25, 50, 75]
        return settings
    }

    /// Episode `i` starts at ORS 10 + i/5 (clients 0–99) and gains `i % 5` points a session;
    /// only episodes with `closed` get an episode_end.
    static func history(episodes: Int = 100, closed: (Int) -> Bool = { _ in true }) -> [SessionRecord] {
        let ors = Fixtures.vocabulary.measureIndex("ors")!
        var records: [SessionRecord] = []
        for i in 0..<episodes {
            for session in 0..<4 {
                var measures = MeasureValues()
                measures[ors] = 10 + Double(i / 5) + Double(session * (i % 5))
                let day = Fixtures.day("2026-01-05").adding(days: 7 * session + i)
                records.append(
                    SessionRecord(
                        client: "C-\(i)", therapist: "T-1", date: day, session: session + 1, attendance: .attended,
                        measures: measures, episodeEnd: session == 3 && closed(i) ? .planned : nil))
            }
        }
        return records
    }

    @Test func bandsByBaselineAndPercentilesOfChange() throws {
        var calibrator = Calibrator(settings: Self.orsSettings)
        for record in Self.history() { calibrator.add(record) }
        let expected = try calibrator.result(madeBy: "test", digest: "0")
        #expect(expected.bands.count == 2)
        #expect(expected.bands.map(\.episodes) == [50, 50])
        #expect(expected.bands[0].low == 0 && expected.bands[0].high == 20 && expected.bands[1].high == 40)
        // Gains per session are 0,1,2,3,4 in equal numbers: at session 3 (two sessions on) the
        // changes are 0,2,4,6,8, ten of each; type-7 percentiles 2, 4, 6.
        let cell = try #require(expected.cell(in: expected.bands[0], session: 3))
        #expect(cell.episodes == 50)
        #expect(cell.values == [2, 4, 6])
        #expect(expected.inputs.records == 400 && expected.inputs.episodesUsed == 100)
        #expect(expected.inputs.firstDate == Fixtures.day("2026-01-05"))
        // Past the horizon, the horizon's cell.
        #expect(expected.cell(in: expected.bands[0], session: 9)?.session == 4)
    }

    @Test func recordOrderDoesNotMatterAndDuplicatesCountOnce() throws {
        var inOrder = Calibrator(settings: Self.orsSettings)
        for record in Self.history() { inOrder.add(record) }
        var shuffled = Calibrator(settings: Self.orsSettings)
        var generator = YAMLTestRandom(seed: 7)
        let records = Self.history()
        for record in (records + records.prefix(40)).shuffled(using: &generator) { shuffled.add(record) }
        let a = try inOrder.result(madeBy: "test", digest: "0")
        let b = try shuffled.result(madeBy: "test", digest: "0")
        #expect(a.bands == b.bands)
    }

    @Test func openEpisodesAreLeftOutAndTooFewIsARefusalWithCounts() {
        var calibrator = Calibrator(settings: Self.orsSettings)
        for record in Self.history(closed: { $0 < 15 }) { calibrator.add(record) }
        #expect(throws: Calibrator.Refusal.self) { try calibrator.result(madeBy: "test", digest: "0") }
        do {
            _ = try calibrator.result(madeBy: "test", digest: "0")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "15 closed episodes with a baseline ors (of 15 closed, 100 in all, in 400 records); a calibration needs at least 20"
                ),
                "\(error.description)")
        }
    }

    @Test func aThinCellRefusesAndSaysWhichHorizonWouldHold() {
        var settings = Self.orsSettings
        settings.horizon = 6
        var calibrator = Calibrator(settings: settings)
        for record in Self.history() { calibrator.add(record) }
        do {
            _ = try calibrator.result(madeBy: "test", digest: "0")
            Issue.record("expected a refusal: nobody has a session 5")
        } catch {
            #expect(error.description.contains("band 0–20 at session 5: 0 episodes"), "\(error.description)")
            #expect(error.description.contains("--horizon 4 would hold"), "\(error.description)")
        }
    }

    @Test func theFileReadsBackAsWrittenAndHoldsNoClientID() throws {
        var calibrator = Calibrator(settings: Self.orsSettings)
        for record in Self.history() { calibrator.add(record) }
        let expected = try calibrator.result(madeBy: "attune test", digest: "ab12")
        let text = expected.yaml()
        #expect(!text.contains("C-"), "no client id")
        #expect(!text.contains("T-1"), "no therapist id")
        var diagnostics: [Diagnostic] = []
        let decoded = ExpectedResponse.decode(Array(text.utf8), file: "ors.yaml", diagnostics: &diagnostics)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(decoded == expected)
    }

    @Test func aBrokenFileGivesLocatedErrors() {
        let text = """
            format: attune.expected/1
            measure: ors
            better: higher
            made_by: x
            method: {minimum_per_band: 1}
            inputs: {records: 1, closed_episodes: 1, episodes_used: 1, first_date: 2026-01-05, last_date: 2026-01-05, digest: "sha256:0"}
            percentiles: [25, 75]
            horizon: 3
            bands:
              - baseline: [0, 40]
                episodes: 1
                sessions:
                  - {session: 2, episodes: 1, p25: 3, p75: 1}
                  - {session: 3, episodes: 1, p25: 1, p75: 2}
            """
        var diagnostics: [Diagnostic] = []
        #expect(ExpectedResponse.decode(Array(text.utf8), file: "ors.yaml", diagnostics: &diagnostics) == nil)
        #expect(
            diagnostics.map(\.description) == ["ors.yaml:13:9: error: the percentiles of a session must not decrease"])
    }

    @Test func sha256OfKnownTextsAndInPieces() {
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        #expect(abc.hexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var empty = SHA256()
        #expect(empty.hexDigest() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var whole = SHA256()
        whole.update(long)
        var pieces = SHA256()
        pieces.update(long[0..<7])
        pieces.update(long[7..<30])
        pieces.update(long[30...])
        #expect(whole.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(pieces.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
