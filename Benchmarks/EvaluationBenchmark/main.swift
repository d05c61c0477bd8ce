// Rule evaluation micro-benchmark (issue 7): records already in memory, nothing read or rendered.
//
//   python3 Benchmarks/generate.py --records 100000 --format jsonl --out /tmp/100k.jsonl
//   swift run -c release --scratch-path .build-eval attune-eval-bench /tmp/100k.jsonl [repetitions] [evaluation|engine]
//
// Prints a Markdown table:
//   (a) `where` + `match` of every timeline rule of the default pack on every record, one
//       thread: the engine's inner loop without the kinds' bookkeeping. One evaluation is one
//       record × one rule: `where`, then `match` when `where` holds.
//   (b) `Engine.run` over the grouped timelines with --jobs 1 and 2: kinds, findings, messages.
// Loading and grouping happen before any clock starts. Naming one part runs only that part
// (for `perf record`); its rows of the table then show zero.

import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("attune-eval-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first else {
    fail(
        "usage: attune-eval-bench RECORDS.jsonl [repetitions] [evaluation|engine]   (make records with Benchmarks/generate.py)"
    )
}
let repetitions = arguments.dropFirst().first.flatMap(Int.init) ?? 5
let only = arguments.dropFirst(2).first
if let only, only != "evaluation", only != "engine" { fail("unknown part '\(only)': evaluation or engine") }

let ruleSet = PackLoader(registry: BuiltinKinds.registry).load([DefaultPack.source])
if ruleSet.diagnostics.hasErrors { fail("the default pack does not load: \(ruleSet.diagnostics)") }
let batch: RecordBatch
do {
    batch = try RecordLoader(vocabulary: ruleSet.vocabulary).load(paths: [path])
} catch {
    fail(error.description)
}
guard !batch.records.isEmpty else { fail("\(path): no records (\(batch.errors.count) errors)") }
let asOf = batch.records.map(\.date).max()!
let timelines = Engine.timelines(from: batch.records, asOf: asOf)
let recordCount = timelines.reduce(0) { $0 + $1.count }
let timelineRules = ruleSet.activeRules.filter { $0.kind is any TimelineKind }

/// The fastest of `repetitions` timed runs of `body`, in seconds: on a shared machine the
/// least disturbed run is the closest to the code's own cost. `body`'s result is kept so the
/// optimiser cannot drop the work.
func best(_ part: String, _ body: () -> Int) -> (seconds: Double, result: Int) {
    if let only, only != part { return (0, 0) }
    var times: [Double] = []
    var result = 0
    for _ in 0..<repetitions {
        let start = ContinuousClock.now
        result = body()
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
    return (times.min() ?? 0, result)
}

// (a) Expressions alone.
let conditions = timelineRules.map { (where: $0.whereExpression, match: $0.expressions["match"]) }
let evaluation = best("evaluation") {
    var holding = 0
    for timeline in timelines {
        for index in 0..<timeline.count {
            for condition in conditions {
                do {
                    if let whereExpression = condition.where,
                        try !whereExpression.holds(EvaluationRow(timeline: timeline, index: index))
                    {
                        continue
                    }
                    if let match = condition.match, try match.holds(EvaluationRow(timeline: timeline, index: index)) {
                        holding += 1
                    }
                } catch {
                    fail("\(error) while evaluating")
                }
            }
        }
    }
    return holding
}
let evaluations = recordCount * conditions.count

// (b) Whole engine runs.
let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
func engineRun(jobs: Int) -> (seconds: Double, result: Int) {
    best("engine") {
        let output = engine.run(timelines: timelines, options: Engine.Options(asOf: asOf, jobs: jobs))
        if !output.failures.isEmpty { fail("evaluation failures: \(output.failures.prefix(3))") }
        return output.findings.count
    }
}
let single = engineRun(jobs: 1)
let double = engineRun(jobs: 2)
if single.result != double.result { fail("jobs 1 gave \(single.result) findings, jobs 2 gave \(double.result)") }

func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
/// `count` per second in millions; a dash for a part that did not run.
func rate(_ count: Int, _ seconds: Double, _ digits: Int) -> String {
    seconds > 0 ? format(Double(count) / seconds / 1e6, digits) : "–"
}
print(
    """
    \(recordCount) records in \(timelines.count) timelines, \(conditions.count) timeline rules \
    (\(ruleSet.activeRules.count) active), as of \(asOf); best of \(repetitions) runs

    | Measurement | Time (s) | Rate |
    |---|---:|---:|
    | where + match, 1 thread (\(evaluations) evaluations, \(evaluation.result) matches) | \(format(evaluation.seconds, 4)) | \(rate(evaluations, evaluation.seconds, 1)) M evaluations/s |
    | Engine.run, jobs 1 (\(single.result) findings) | \(format(single.seconds, 4)) | \(rate(recordCount, single.seconds, 2)) M records/s |
    | Engine.run, jobs 2 | \(format(double.seconds, 4)) | \(rate(recordCount, double.seconds, 2)) M records/s |
    """)
