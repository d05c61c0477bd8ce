import AttuneCore
import AttuneReporters
import AttuneYAML
import PropertyBased
import Testing

/// Properties over generated records: any record survives a write/read round trip in every
/// format, and the order of records in the input never changes the report.
@Suite("Record properties")
struct RecordPropertyTests {
    typealias Support = RecordsTestSupport

    // MARK: Generators

    /// Text that tests quoting: YAML and CSV specials, look-alikes of other types, non-ASCII,
    /// quotes, line breaks. Never empty and never padded with blanks (both mean "no value" in a
    /// CSV cell); `forList` also excludes `;`, the CSV list separator. CR LF is left to the
    /// formats with escapes: a CSV cell reads it as LF, as YAML reads a literal line break.
    static func text(_ rng: inout any SeededRandomNumberGenerator, forList: Bool = false, crlf: Bool = true) -> String {
        let specials = [
            "0012", "NO", "yes", "null", "~", "- dash", "a: b", "#hash", "quote\"d", "it's", "comma,semi", "[x]",
            "{y}", "&anchor", "*alias", "!tag", "%", "@", "`", "1e3", ".inf", "2026-11-24", "C-1042", "T-07",
            "ünïcödé", "漢字", "😀", "a\u{2028}b", "x\u{85}y", "tab\there", "line\nbreak", "lone\rcr", "cr\r\nlf",
            "back\\slash", "greek\u{37E}question", "\"\u{301}accent", "e\u{301}",
        ]
        if Int.random(in: 0..<3, using: &rng) == 0 {
            let pick = specials.randomElement(using: &rng)!
            if (!forList || !pick.contains(";")) && (crlf || !pick.contains("\r\n")) { return pick }
        }
        let pools: [ClosedRange<UInt32>] = [
            0x21...0x7E, 0x21...0x7E, 0xA0...0x24F, 0x370...0x3FF, 0x4E00...0x4FFF, 0x1F600...0x1F64F,
        ]
        var scalars = String.UnicodeScalarView()
        for position in 0..<Int.random(in: 1...12, using: &rng) {
            let pool = pools.randomElement(using: &rng)!
            var scalar = Unicode.Scalar(UInt32.random(in: pool, using: &rng))!
            if forList, scalar == ";" { scalar = "_" }
            scalars.append(position > 0 && Int.random(in: 0..<8, using: &rng) == 0 ? " " : scalar)
        }
        if scalars.last == " " { scalars.append("z") }
        return String(scalars)
    }

    static func optional<T>(
        _ rng: inout any SeededRandomNumberGenerator, _ make: (inout any SeededRandomNumberGenerator) -> T
    ) -> T? {
        Bool.random(using: &rng) ? make(&rng) : nil
    }

    /// Any valid record under `vocabulary`: every field, every enumeration, measures anywhere in their range.
    static func anyRecord(vocabulary: Vocabulary, crlf: Bool) -> Generator<SessionRecord, Shrink.None<SessionRecord>> {
        Generator { rng in
            func text(_ rng: inout any SeededRandomNumberGenerator, forList: Bool = false) -> String {
                RecordPropertyTests.text(&rng, forList: forList, crlf: crlf)
            }
            /// Ids and codes are visible text with no space at either end: anything else is a record error.
            func id(_ rng: inout any SeededRandomNumberGenerator, forList: Bool = false) -> String {
                var scalars = String.UnicodeScalarView(
                    text(&rng, forList: forList).unicodeScalars.map { VisibleText.isInvisible($0) ? "_" : $0 })
                if scalars.first?.properties.isWhitespace == true {
                    scalars.replaceSubrange(scalars.startIndex...scalars.startIndex, with: ["_"])
                }
                if scalars.last?.properties.isWhitespace == true {
                    scalars.removeLast()
                    scalars.append("_")
                }
                return String(scalars)
            }
            let date = Day(number: Int32.random(in: 18_000...22_000, using: &rng))
            var measures = MeasureValues()
            for (index, spec) in vocabulary.measures.enumerated() where Bool.random(using: &rng) {
                measures[index] =
                    Int.random(in: 0..<3, using: &rng) == 0
                    ? Double(Int.random(in: Int(spec.range.lowerBound)...Int(spec.range.upperBound), using: &rng))
                    : Double.random(in: spec.range, using: &rng)
            }
            let rupture = optional(&rng) { rng in
                Rupture(
                    type: Rupture.Kind.allCases.randomElement(using: &rng)!,
                    markers: vocabulary.markers.sorted().filter { _ in Bool.random(using: &rng) },
                    intensity: Int.random(in: 1...5, using: &rng),
                    resolution: Rupture.Resolution.allCases.randomElement(using: &rng)!,
                    reportedBy: optional(&rng) { Rupture.Reporter.allCases.randomElement(using: &$0)! })
            }
            return SessionRecord(
                client: id(&rng), therapist: id(&rng), episode: id(&rng), date: date,
                session: optional(&rng) { Int.random(in: 1...500, using: &$0) },
                attendance: Attendance.allCases.randomElement(using: &rng)!, measures: measures, rupture: rupture,
                repair: optional(&rng) { Repair.allCases.randomElement(using: &$0)! },
                tags: (0..<Int.random(in: 0...3, using: &rng)).map { _ in id(&rng, forList: true) },
                nextAppointment: optional(&rng) { date.adding(days: Int.random(in: 0...60, using: &$0)) },
                episodeEnd: optional(&rng) { EpisodeEnd.allCases.randomElement(using: &$0)! },
                notes: optional(&rng) { text(&$0) })
        }
    }

    /// Reads `text` without marking duplicates (generated records may share a key).
    static func read(_ text: String, as format: RecordFormat, vocabulary: Vocabulary) -> RecordBatch {
        var batch = RecordBatch()
        RecordLoader(vocabulary: vocabulary).read(.bytes(Array(text.utf8)), name: "p", format: format, into: &batch)
        return batch
    }

    @Test(arguments: RecordFormat.allCases)
    func anyRecordSurvivesAWriteReadRoundTrip(format: RecordFormat) async {
        let vocabulary = Support.vocabulary
        await propertyCheck(
            count: 150, input: Self.anyRecord(vocabulary: vocabulary, crlf: format != .csv).array(of: 1...6)
        ) { records in
            let styles: [RecordWriter.YAMLStyle] = format == .yaml ? [.block, .flowLines] : [.flowLines]
            for style in styles {
                let text = RecordWriter(vocabulary: vocabulary, yamlStyle: style).write(records, as: format)
                let batch = Self.read(text, as: format, vocabulary: vocabulary)
                #expect(batch.errors.isEmpty, "\(batch.errors.prefix(3))\n\(text)")
                #expect(Support.withoutSources(batch.records) == Support.withoutSources(records), "\(text)")
            }
        }
    }

    // MARK: Order

    /// Records a clinic might send: few clients, weekly-ish dates, measures, ruptures, so that the
    /// default pack's rules open and close findings.
    static let clinicRecords = Generator<[SessionRecord], Shrink.None<[SessionRecord]>> { rng in
        let start = Day(iso: "2026-09-01")!
        var records: [SessionRecord] = []
        var keys = Set<String>()
        for _ in 0..<Int.random(in: 10...60, using: &rng) {
            let client = Int.random(in: 1...5, using: &rng)
            let date = start.adding(days: Int.random(in: 0...89, using: &rng))
            let session = optional(&rng) { Int.random(in: 1...3, using: &$0) }
            let episode = Int.random(in: 0..<6, using: &rng) == 0 ? "2" : "1"
            // duplicates depend on order by design
            guard keys.insert("\(client)|\(episode)|\(date)|\(session ?? 0)").inserted else { continue }
            let attended = Int.random(in: 0..<10, using: &rng) < 7
            var measures = MeasureValues()
            if attended {
                measures[0] = Double(Int.random(in: 20...40, using: &rng))
                measures[1] = Double(Int.random(in: 5...40, using: &rng))
                if Bool.random(using: &rng) { measures[2] = Double(Int.random(in: 0...27, using: &rng)) }
            }
            records.append(
                SessionRecord(
                    client: "C-\(client)", therapist: "T-\(client % 2 + 1)", episode: episode, date: date,
                    session: session,
                    attendance: attended ? .attended : [.noShow, .lateCancel, .cancelled].randomElement(using: &rng)!,
                    measures: measures,
                    rupture: attended && Int.random(in: 0..<4, using: &rng) == 0
                        ? Rupture(
                            type: Rupture.Kind.allCases.randomElement(using: &rng)!, markers: ["minimal-response"],
                            intensity: Int.random(in: 1...5, using: &rng))
                        : nil,
                    tags: Int.random(in: 0..<4, using: &rng) == 0 ? ["distancing"] : [],
                    nextAppointment: Bool.random(using: &rng) ? date.adding(days: 7) : nil))
        }
        return records
    }

    /// Shuffles with a generator seeded from `seed`, independent of the property's own generator.
    static func shuffled<T>(_ items: [T], seed: UInt64) -> [T] {
        var state = seed
        var result = items
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            result.swapAt(i, Int((z ^ (z >> 31)) % UInt64(i + 1)))
        }
        return result
    }

    @Test func recordOrderNeverChangesTheReport() async {
        let ruleSet = Fixtures.defaultRuleSet
        let request = ReviewRequest(asOf: Day(iso: "2026-11-29"), since: Day(iso: "2026-11-01"), includeNotes: true)
        var reportsWithFindings = 0
        await propertyCheck(count: 25, input: zip(Self.clinicRecords, Gen.uint64(in: 0...UInt64.max))) {
            records, seed in
            // Read from a file, so each record carries its own source location into the evidence.
            let batch = Self.read(
                RecordWriter(vocabulary: ruleSet.vocabulary, yamlStyle: .block).write(records, as: .yaml),
                as: .yaml, vocabulary: ruleSet.vocabulary)
            #expect(batch.errors.isEmpty, "\(batch.errors.prefix(3))")
            var shuffled = batch
            shuffled.records = Self.shuffled(batch.records, seed: seed)
            let builder = ReviewBuilder(ruleSet: ruleSet)
            let original = JSONReporter().render(
                builder.build(batch: batch, request: request), options: ReportOptions())
            let reordered = JSONReporter().render(
                builder.build(batch: shuffled, request: request), options: ReportOptions())
            #expect(original == reordered, "seed \(seed)")
            if original.contains("\"rule\": ") { reportsWithFindings += 1 }
        }
        #expect(reportsWithFindings > 5, "the generated clinics should give the rules something to find")
    }
}
