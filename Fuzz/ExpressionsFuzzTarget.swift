// libFuzzer target for the expression language: parse, type-check and compile the input as a
// rule expression, then evaluate it on every record of a small timeline. Built by
// scripts/fuzz.sh, not by `swift build`. Any crash, hang or sanitizer report is a bug;
// ExpressionError and EvaluationError are the expected outcome for bad input.
import AttuneCore

let vocabulary: Vocabulary = {
    var vocabulary = Vocabulary()
    vocabulary.declare(MeasureSpec(name: "srs", title: "SRS", range: 0...40, better: .higher, cutoff: 36))
    vocabulary.declare(MeasureSpec(name: "ors", title: "ORS", range: 0...40, better: .higher, cutoff: 25))
    vocabulary.declare(MeasureSpec(name: "phq9", title: "PHQ-9", range: 0...27, better: .lower))
    vocabulary.markers = ["minimal-response", "avoidant-storytelling"]
    return vocabulary
}()

let timeline: Timeline = {
    func day(_ text: String) -> Day { Day(iso: text)! }  // constant, valid dates
    var measures = MeasureValues()
    measures[0] = 31
    measures[1] = 18.5
    let records = [
        SessionRecord(
            client: "C-1", therapist: "T-1", date: day("2026-11-03"), session: 1, attendance: .attended,
            measures: measures,
            tags: ["distancing"], nextAppointment: day("2026-11-10")),
        SessionRecord(client: "C-1", therapist: "T-1", date: day("2026-11-10"), session: 2, attendance: .noShow),
        SessionRecord(
            client: "C-1", therapist: "T-1", date: day("2026-11-17"), session: 3, attendance: .attended,
            rupture: Rupture(type: .withdrawal, markers: ["minimal-response"], intensity: 4), repair: .partial,
            notes: "synthetic"),
    ]
    return Engine.timelines(from: records, asOf: day("2026-11-29"))[0]
}()

let compiler = ExpressionCompiler(vocabulary: vocabulary)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpressions(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Parser.parse(text)  // a syntax error is the expected outcome for most inputs
    guard case .success(let expression) = compiler.compile(text, expecting: nil) else { return 0 }
    for index in timeline.records.indices {
        // e.g. division by zero: an error, not a crash
        _ = try? expression.evaluate(EvaluationRow(timeline: timeline, index: index))
    }
    return 0
}
