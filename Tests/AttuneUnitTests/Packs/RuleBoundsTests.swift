import AttuneCore
import Testing

/// Packs built to hang or blow up the engine: long chains and cycles of rules reading rules,
/// messages with thousands of placeholders. Each ends in a located lint error, quickly.
struct RuleBoundsTests {
    static let base =
        "- {id: r0, title: R0, severity: low, kind: threshold, match: \"attendance == 'attended'\", message: m}\n"

    static func caseload(_ id: Int, reads input: Int) -> String {
        "- {id: r\(id), title: R\(id), severity: low, kind: caseload, params: {rules: [r\(input)], at_least: 1}, message: m}\n"
    }

    /// A chain r0 ← r1 ← … ← r`length`, written against dependency order (r`length` first).
    static func chain(_ length: Int) -> String {
        base + stride(from: length, through: 1, by: -1).map { caseload($0, reads: $0 - 1) }.joined()
    }

    @Test func aChainAtTheDepthLimitLoadsAndRunsInDependencyOrder() throws {
        let ruleSet = Fixtures.ruleSet(
            ["pack.yaml": Fixtures.minimalPackYAML, "chain.yaml": Self.chain(PackLoader.maxReadingDepth)], alone: true)
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics.errors)")
        let order = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary).rules.map(\.id)
        #expect(order == (0...PackLoader.maxReadingDepth).map { "r\($0)" })
        let (records, _) = Fixtures.records("- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n")
        let day = Fixtures.day("2026-11-24")
        let output = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
            .run(timelines: Engine.timelines(from: records, asOf: day), options: .init(asOf: day))
        #expect(
            output.findings.map(\.rule).sorted() == ["r0", "r1"],
            "r2 and on read therapist findings, which count no client")
    }

    @Test func aThousandRuleChainIsOneErrorAtTheFirstRulePastTheLimit() {
        let ruleSet = Fixtures.ruleSet(
            ["pack.yaml": Fixtures.minimalPackYAML, "chain.yaml": Self.chain(1_000)], alone: true)
        let errors = ruleSet.diagnostics.errors.map(\.description)
        #expect(errors.count == 1, "\(errors.prefix(3))")
        #expect(
            errors.first?.contains(
                "rule 'r17' reads findings 17 levels deep (a rule reading a rule reading …); at most 16 levels are allowed"
            ) == true,
            "\(errors)")
        // Ordering the chain for the engine is linear too: every rule after the one it reads.
        let order = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary).rules.map(\.id)
        #expect(order == (0...1_000).map { "r\($0)" })
    }

    @Test func aTwentyThousandRuleCycleIsOneShortErrorNotAStackOverflow() {
        let count = 20_000
        let rules = (0..<count).map { Self.caseload($0, reads: ($0 + 1) % count) }.joined()
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "cycle.yaml": rules], alone: true)
        let errors = ruleSet.diagnostics.errors.map(\.description)
        #expect(
            errors == [
                "site/cycle.yaml:1:54: error: rules read each other's findings in a cycle: r0 → r1 → r2 → r3 → r4 → … 19994 more … → r19999 → r0"
            ])
        #expect(
            Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary).rules.count == count,
            "a cycle still runs, in file order")
    }

    @Test func shortCyclesAreNamedInFull() {
        let rules =
            Self.base + Self.caseload(1, reads: 2) + Self.caseload(2, reads: 3) + Self.caseload(3, reads: 1)
            + Self.caseload(4, reads: 4)
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "cycle.yaml": rules], alone: true)
        let errors = ruleSet.diagnostics.errors.map(\.message)
        #expect(
            errors.sorted() == [
                "rule 'r4' reads its own findings", "rules read each other's findings in a cycle: r1 → r2 → r3 → r1",
            ])
    }

    /// Did-you-mean compares an unknown id with every id: only the first 100 unknown ids get
    /// one, so that 20,000 rules reading unknown rules lint in linear time.
    @Test func onlyTheFirstHundredUnknownRuleIdsGetASuggestion() {
        let rules = (0..<150).map {
            "- {id: a\($0), title: A, severity: low, kind: caseload, params: {rules: [a\($0)z], at_least: 1}, message: m}\n"
        }
        let ruleSet = Fixtures.ruleSet(
            ["pack.yaml": Fixtures.minimalPackYAML, "unknown.yaml": rules.joined()], alone: true)
        let errors = ruleSet.diagnostics.errors.map(\.message)
        #expect(errors.count == 150)
        #expect(errors.filter { $0.contains("did you mean") }.count == 100)
        #expect(errors.first == "rule 'a0' reads unknown rule 'a0z'; did you mean 'a0'?")
    }

    static func rule(message: String) -> String {
        "id: m\ntitle: M\nseverity: low\nkind: threshold\nmatch: \"attendance == 'attended'\"\nmessage: \"\(message)\"\n"
    }

    @Test func aMessageHasAtMost32PlaceholdersAndAThousandCharacters() {
        func errors(_ message: String) -> [String] {
            Fixtures.ruleSet(
                ["pack.yaml": Fixtures.minimalPackYAML, "m.yaml": Self.rule(message: message)], alone: true
            )
            .diagnostics.errors.map(\.description)
        }
        #expect(errors(String(repeating: "{client} ", count: 32)).isEmpty)
        #expect(
            errors(String(repeating: "{client}", count: 100_000)) == [
                "site/m.yaml:6:10: error: message has 100000 placeholders; at most 32 are allowed"
            ])
        #expect(errors(String(repeating: "x", count: 1_000)).isEmpty)
        #expect(
            errors(String(repeating: "é", count: 1_001)) == [
                "site/m.yaml:6:10: error: message is 1001 characters long; at most 1000 are allowed"
            ])
    }

    @Test func aRenderedMessageIsCutAtTwoThousandCharacters() throws {
        let template = try MessageTemplate.parse("clients: {clients} and {count}").get()
        let clients = Value.list((0..<10_000).map { .string("C-\($0)") })
        let rendered = template.render(["clients": clients, "count": .number(3)])
        #expect(rendered.count == MessageTemplate.maxRenderedLength + 1)
        #expect(rendered.hasPrefix("clients: C-0, C-1, C-2"))
        #expect(rendered.hasSuffix("…"))
        #expect(template.render(["clients": .list([.string("C-1")]), "count": .number(3)]) == "clients: C-1 and 3")
    }

    /// The cut counts characters piece by piece, the way the rule reads: a message cut near the
    /// limit by long values, non-ASCII text, a CR LF pair or a combining accent (one character
    /// with the letter before it, counted apart here because it starts a value) is cut where
    /// counting every piece's characters from the start cuts it.
    @Test func aMessageIsCutWhereCountingEveryCharacterCutsIt() throws {
        let template = try MessageTemplate.parse("{a}: {b} and {c}").get()
        let pieces = [
            "", "x", "é", "e\u{301}", "\u{301}start", "\r\n", "line\r", "\nnext", "🧑‍⚕️",
            String(repeating: "ab", count: 600), String(repeating: "é", count: 700),
            String(repeating: "x", count: 1_990), String(repeating: "x", count: 1_994),
            String(repeating: "y", count: 2_000),
            String(repeating: "\r\n", count: 999), String(repeating: "e\u{301}", count: 1_001),
        ]
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let values: [String: Value] = ["a": .string(a), "b": .string(b), "c": .string(c)]
                    #expect(template.render(values) == Self.cutByCountingEveryCharacter([a, ": ", b, " and ", c]))
                }
            }
        }
    }

    /// A message is made from its pieces at its size; a template of one piece (text alone, or
    /// one placeholder) gives that piece; past the limit in bytes but not in characters, nothing is cut.
    @Test func aMessageIsItsPiecesJoined() throws {
        let text = try MessageTemplate.parse("No session since the first week.").get()
        #expect(text.render([:]) == "No session since the first week.")
        let alone = try MessageTemplate.parse("{a}").get()
        #expect(alone.render(["a": .string("é🧑‍⚕️")]) == "é🧑‍⚕️")
        #expect(alone.render([:]) == "{a}")
        let template = try MessageTemplate.parse("{a}: {b} and {{c}}").get()
        for a in ["", "x", String(repeating: "é", count: 999), String(repeating: "x", count: 1_990)] {
            for b in ["", "y", "\u{301}z", String(repeating: "é", count: 500)] {
                let joined = a + ": " + b + " and {c}"
                let rendered = template.render(["a": .string(a), "b": .string(b)])
                #expect(rendered == Self.cutByCountingEveryCharacter([a, ": ", b, " and {c}"]))
                // (A piece starting with a combining accent is counted apart: left to the test above.)
                if joined.utf8.count <= MessageTemplate.maxRenderedLength
                    || !b.hasPrefix("\u{301}") && joined.count <= 2_000
                {
                    #expect(rendered == joined)
                }
            }
        }
    }

    /// Every piece's characters counted up to the room left: what `render` must give.
    static func cutByCountingEveryCharacter(_ pieces: [String]) -> String {
        var result = ""
        var length = 0
        for piece in pieces {
            let room = MessageTemplate.maxRenderedLength - length
            let cut = piece.index(piece.startIndex, offsetBy: room, limitedBy: piece.endIndex) ?? piece.endIndex
            result += piece[..<cut]
            if cut < piece.endIndex { return result + "…" }
            length += piece.distance(from: piece.startIndex, to: cut)
        }
        return result
    }
}

/// A record error repeats at most the first 60 characters of a bad value: a thousand errors
/// about megabyte values stay a short list, not a gigabyte report.
struct ShownValueTests {
    @Test func aLongBadValueIsShownByItsStart() {
        let value = String(repeating: "é", count: 400_000)
        let (_, errors) = Fixtures.records(
            "- client: C-1\n  therapist: T-1\n  date: 2026-11-24\n  attendance: \(value)\n  \(value.prefix(200)): 1\n")
        let messages = errors.map(\.message)
        #expect(messages.count == 2)
        #expect(
            messages.contains(
                "'" + String(repeating: "é", count: 60)
                    + "…' is not a valid attendance (attended, cancelled, late-cancel, no-show)"))
        #expect(messages.contains("unknown field '" + String(repeating: "é", count: 60) + "…'"))
        #expect(ScalarReader.shown("no-show") == "no-show")
    }
}
