import AttuneCore
import Testing

@testable import AttuneReporters

/// The report text helpers read ASCII text byte by byte and any other text character by
/// character: both ways give the same text, and escaping happens wherever a special byte is.
struct TextFastPathTests {
    /// Random ASCII strings over the bytes the helpers treat specially (line breaks, tabs,
    /// spaces, hyphens, quotes, `&<>`), letters and digits: seeded, so a failure repeats.
    static func samples(count: Int = 3_000) -> [String] {
        let alphabet = Array("aZ09-- \t\t\n\r\r\n\u{0B}\u{0C}&<>\"'.,:;()[]{}xyzT".unicodeScalars)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let fixed = [
            "", " ", "\r\n", "C-1 and T-016 on 2026-09-20", "-a- b-c- -", "OQ-45 < 64 & PHQ-9 > 10",
            String(repeating: "x-", count: 30), "a" + String(repeating: "-b", count: 20) + " c-d",
            "  What happened\tat 2026-11-02?  \r\n\r\n\tHow did it go? \n",
        ]
        return fixed
            + (0..<count).map { _ in
                String(String.UnicodeScalarView((0..<(next() % 60)).map { _ in alphabet[next() % alphabet.count] }))
            }
    }

    @Test func proseReadsASCIIAsTheCharacterPathDoes() {
        let reporter = HTMLReporter()
        for text in Self.samples() {
            var bytes = text
            let fast = bytes.withUTF8 { reporter.asciiProse($0) }
            #expect(fast == reporter.proseByCharacter(text), "\(text.debugDescription)")
        }
        // Non-ASCII text is read by characters: an accented letter ends a word.
        #expect(reporter.prose("C-1\u{301}x") == reporter.proseByCharacter("C-1\u{301}x"))
        var accented = "C-1 é"
        #expect(accented.withUTF8 { reporter.asciiProse($0) } == nil)
        #expect(
            reporter.prose("on 2026-09-20 & C-1")
                == "on <span class=\"id\">2026-09-20</span> &amp; <span class=\"id\">C-1</span>")
    }

    @Test func questionsReadASCIIAsTheCharacterPathDoes() {
        for text in Self.samples() {
            var bytes = text
            let fast = bytes.withUTF8 { ReportText.asciiQuestions($0) }
            #expect(fast == ReportText.questionsByCharacter(in: text), "\(text.debugDescription)")
        }
        #expect(ReportText.questions(in: " What happened?\r\n\n\tHow was it? ") == ["What happened?", "How was it?"])
        #expect(ReportText.questions(in: "Was it hard?\u{2028}What helped?") == ["Was it hard?", "What helped?"])
    }

    /// Every special byte is escaped, even where it begins a longer character: a quote followed by
    /// a combining mark is one `Character`, and must still not end the attribute.
    @Test func escapingFindsEverySpecialByte() {
        #expect(
            HTMLEscaping.attribute("x\"\u{301} onmouseover=\"alert(1)") == "x&quot;\u{301} onmouseover=&quot;alert(1)")
        #expect(HTMLEscaping.text("<\u{301}b>&\u{301}") == "&lt;\u{301}b&gt;&amp;\u{301}")
        #expect(HTMLEscaping.attribute("a\r\nb\rc\nd\te") == "a b c d e")
        #expect(HTMLEscaping.text("a\r\nb \"q\" 'r'") == "a\r\nb \"q\" 'r'")
        #expect(HTMLEscaping.attribute("it's \"x\" & <y>") == "it&#39;s &quot;x&quot; &amp; &lt;y&gt;")
        #expect(HTMLEscaping.text("plain text, é and 😀") == "plain text, é and 😀")
    }

    /// Words wrapped by bytes break exactly where the character path breaks them: at several
    /// widths and indents, with words longer than a line, runs of spaces and line breaks.
    @Test func wrappingReadsASCIIAsTheCharacterPathDoes() {
        let long = String(repeating: "abcdefghij-", count: 12)
        for text in Self.samples(count: 600) + [long, "a " + long + " b", "  lead  and  trail  "] {
            for (width, indent, hanging) in [(40, 0, nil), (40, 4, 6), (60, 2, 8 as Int?), (80, 38, nil)] {
                var fast = TextWriter(options: ReportOptions(width: width))
                var slow = TextWriter(options: ReportOptions(width: width))
                fast.wrapped(text, indent: indent, hanging: hanging)
                slow.wrapped(text, indent: indent, hanging: hanging, byCharacter: true)
                #expect(fast.text == slow.text, "\(text.debugDescription) at width \(width)")
                var leadFast = TextWriter(options: ReportOptions(width: width))
                var leadSlow = TextWriter(options: ReportOptions(width: width))
                leadFast.wrapped(text, indent: indent, lead: "  - ", leadWidth: 4)
                leadSlow.wrapped(text, indent: indent, lead: "  - ", leadWidth: 4, byCharacter: true)
                #expect(leadFast.text == leadSlow.text)
            }
        }
    }

    /// Markdown escapes every special byte, even one that begins a longer character.
    @Test func markdownEscapesEverySpecialByte() {
        #expect(MarkdownReporter.inline("*\u{301}bold*\u{301}") == "\\*\u{301}bold\\*\u{301}")
        #expect(
            MarkdownReporter.inline("a_b [c](d) `e` \\ <f> & g") == "a\\_b \\[c\\](d) \\`e\\` \\\\ &lt;f&gt; &amp; g")
        #expect(MarkdownReporter.inline("one\r\ntwo\rthree\nfour\tfive") == "one two three four five")
        #expect(MarkdownReporter.inline("plain, é and 😀") == "plain, é and 😀")
        #expect(MarkdownReporter.cell("a | b |\u{301} c") == "a \\| b \\|\u{301} c")
        #expect(MarkdownReporter.cell("no pipes") == "no pipes")
    }

    /// A CSV field is quoted for any comma, quote or line break byte, and every quote doubled.
    @Test func csvQuotesEverySpecialByte() {
        #expect(CSVReporter.field("plain") == "plain")
        #expect(CSVReporter.field("a,b") == "\"a,b\"")
        #expect(CSVReporter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVReporter.field("x\"\u{301}") == "\"x\"\"\u{301}\"")
        #expect(CSVReporter.field("one\r\ntwo") == "\"one\r\ntwo\"")
        #expect(CSVReporter.field("é, ü") == "\"é, ü\"")
    }

    /// Chart coordinates written digit by digit are what `String(Double)` writes.
    @Test func chartCoordinatesAsTheDescriptionWritesThem() {
        var state: UInt64 = 42
        var values: [Double] = [0, -0.0, 0.05, -0.05, 0.14, 0.15, -0.15, 0.25, 1.95, -1.95, 99.95, 1e13 + 0.3, -7.25]
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let unit = Double(state >> 11) / Double(1 << 53)
            values.append((unit - 0.5) * [2, 20, 2_000, 2e6, 2e12][Int(state % 5)])
        }
        for value in values {
            #expect(TrajectoryChart.coordinate(value) == TrajectoryChart.coordinateByDescription(value), "\(value)")
        }
    }

    @Test func visibleTextKeepsLineBreaksWithoutRebuilding() {
        #expect(VisibleText.escaped("one\ntwo", keepingLineBreaks: true) == "one\ntwo")
        #expect(VisibleText.escaped("one\ntwo") == "one\\ntwo")
        #expect(VisibleText.escaped("one\ntwo\tthree", keepingLineBreaks: true) == "one\ntwo\\tthree")
        #expect(VisibleText.escaped("é\n\u{202E}", keepingLineBreaks: true) == "é\n\\u{202E}")
        #expect(VisibleText.escaped("é and ü\n", keepingLineBreaks: true) == "é and ü\n")
    }
}
