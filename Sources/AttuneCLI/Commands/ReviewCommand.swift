import ArgumentParser
import AttuneCore
import AttuneLedger
import AttuneReporters
import AttuneYAML
import Foundation

/// `attune review`: the weekly supervision review.
///
/// ```sh
/// attune review records/ --week 2026-W48 --format html --output review.html
/// ```
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Read session records, run the rule packs, and print the supervision review.",
        discussion: """
            The period is the seven days ending at the latest record, an ISO --week, or --since to \
            --as-of. Every report says where the data ends (the latest record). A period that starts \
            after it, or ends before the earliest record, is an error; an as-of more than \(Review.staleDataDays) days after it is a warning, \
            and rules that count days (gaps, windows running out) never count past it. No records to \
            review, and a --therapist that names nobody in the records, are errors too. A record dated \
            after today is an error, so a mistyped year never moves the period (ATTUNE_TODAY=YYYY-MM-DD \
            sets today, for tests and reproducible runs).

            \(PackStack.help)

            The report goes to standard output, or whole to --output FILE (never one of the inputs); its format is text (the \
            default, 80 columns) or the --format given (the list below). Errors and warnings go to \
            standard error.

            Exit status: 0 the review was written; 1 with --fail-on SEVERITY when a reported finding \
            is that severe or more; 2 for a usage error, input that cannot be read, no records to \
            review, a --therapist that matches nobody, a period outside the data, rule pack errors, or \
            any record error under --strict (then no report is written).

            Examples:
              attune review Examples/clinic
              attune review Examples/clinic --week 2026-W48 --format html --output r.html
              attune review Examples/clinic --therapist T-02 --min-severity medium
              attune review Examples/clinic --rules Examples/custom-rules --format json
            """)

    @Argument(
        help: ArgumentHelp(
            "Record files or folders (folders are read recursively); '-' reads standard input.", valueName: "records"))
    var records: [String]

    @OptionGroup var packOptions: PackOptions

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Review as of this date (default: the latest record date).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp("Start of the review period (default: six days before as-of).", valueName: "YYYY-MM-DD"))
    var since: String?

    @Option(help: ArgumentHelp("An ISO week: Monday to Sunday, as of the Sunday.", valueName: "YYYY-Www"))
    var week: String?

    @Option(name: .customLong("therapist"), help: ArgumentHelp("Only this therapist (repeatable).", valueName: "id"))
    var therapists: [String] = []

    @Option(name: .customLong("min-severity"), help: "Leave out findings below this severity.")
    var minSeverity: Severity = .info

    @Option(
        help: ArgumentHelp(
            "Output format: \(SiteRegistries.current.reporters.formatHelp).", valueName: "format"))
    var format: String?

    @Option(
        help: ArgumentHelp(
            "Write the report to this file (atomically, owner-readable only; never an input) instead of standard output.",
            valueName: "file"))
    var output: String?

    @Flag(
        name: .customLong("include-notes"),
        help: "Show records' free-text notes in the evidence of findings. Off by default: notes are sensitive.")
    var includeNotes = false

    @Flag(help: "Any record error fails the review (exit 2) and no report is written.")
    var strict = false

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a reported finding has this severity or higher.")
    var failOn: Severity?

    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp(
            "Format of the records: yaml, json, jsonl, csv (default: by file extension; sniffed on standard input).",
            valueName: "format"))
    var inputFormat: String?

    @Option(
        name: .customLong("csv-map"),
        help: ArgumentHelp(
            "How the columns of CSV exports map to record fields (see 'Record formats' in the README).",
            valueName: "map.yaml"))
    var csvMap: String?

    @Option(
        help: ArgumentHelp(
            "Worker threads for reading and evaluation (default: all cores); the report is the same for any number.",
            valueName: "n"))
    var jobs: Int?

    @Option(
        help: ArgumentHelp(
            "Record the review in this supervision ledger (SQLite; created on first use, owner-only) and show its decisions: finding states, snoozed and dismissed findings, actions due.",
            valueName: "file"))
    var ledger: String?

    @Flag(help: ArgumentHelp("Print the time each phase took to standard error.", visibility: .hidden))
    var timings = false

    func validate() throws {
        if week != nil, since != nil || asOf != nil {
            throw ValidationError("--week sets the period; give it without --since or --as-of")
        }
        if let week, Day(isoWeek: week) == nil {
            throw ValidationError("'\(week)' is not an ISO week such as 2026-W48")
        }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("'\(asOf)' is not a date YYYY-MM-DD (--as-of)") }
        if let since, Day(iso: since) == nil { throw ValidationError("'\(since)' is not a date YYYY-MM-DD (--since)") }
        let reporters = SiteRegistries.current.reporters
        if let format, reporters.reporter(for: format) == nil {
            // `md` and `txt` are what a file would be called: suggest the format they stand for.
            let meant = ["md": "markdown", "txt": "text"][format.lowercased()] ?? format
            throw ValidationError(
                "unknown format '\(format)'\(Self.suggestion(for: meant, in: reporters.formats)); "
                    + "use one of: \(reporters.formats.joined(separator: ", "))")
        }
        if let inputFormat, RecordFormat(rawValue: inputFormat) == nil {
            throw ValidationError(
                "unknown input format '\(inputFormat)'"
                    + "\(Self.suggestion(for: inputFormat, in: ["yaml", "json", "jsonl", "csv"])); use yaml, json, jsonl or csv"
            )
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let output { try Self.checkOutput(output, format: format ?? "text") }
        // Findings below --min-severity are not reported, so they could never trip --fail-on: a CI
        // gate that cannot fail is worse than none.
        if let failOn, failOn < minSeverity {
            throw ValidationError(
                "--fail-on \(failOn.rawValue) is below --min-severity \(minSeverity.rawValue): findings between "
                    + "them are left out of the report and could not fail the run; lower --min-severity or raise --fail-on"
            )
        }
    }

    func run() throws {
        try Self.checkNotRulePacks(records)
        if let output, let refusal = OutputGuard.refusal(for: output, inputs: inputsToKeep) {
            Terminal.standardError("error: " + refusal)
            throw ExitCode(2)
        }
        let today = try Clock.today()
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let stack = packOptions.stack
        let sources = try stack.sourcesForUse()
        // With threads to spare, the records are read while the rules load: the load is most of a
        // short review's start, and reading needs only the vocabulary, which the packs' pack.yaml
        // files give. One after the other with --jobs 1, and with a --csv-map (read first, with
        // its own errors).
        let early =
            jobs > 1 && csvMap == nil
            ? PackLoader.vocabulary(of: sources).map { vocabulary in
                RecordReading(
                    vocabulary: vocabulary, loader: recordLoader(vocabulary: vocabulary, today: today, jobs: jobs),
                    paths: records)
            } : nil
        let ruleSet = try stack.loadForUse(sources)
        let timer = PhaseTimer(notesMemory: timings)
        let batch = try loadRecords(
            vocabulary: ruleSet.vocabulary, today: today, jobs: jobs, timer: timer, early: early)

        // No records is never a quiet week: the errors above (if any) say why.
        guard let data = ReviewBuilder.dataRange(of: batch.records) else {
            Terminal.standardError(Self.noRecordsMessage(batch))
            throw ExitCode(2)
        }
        try Self.checkTherapists(therapists, in: batch.records)
        let request = try reviewRequest(jobs: jobs, data: data)

        // The builder takes the batch: its records move into the timelines rather than living twice.
        var review = ReviewBuilder(ruleSet: ruleSet).build(batch: consume batch, request: request, timer: timer)
        for warning in review.warnings { Terminal.standardError("warning: " + warning) }
        if let ledger {
            try timer.measure("ledger") {
                try LedgerAccess.record(
                    &review, ledger: ledger, ruleSet: ruleSet, sources: sources,
                    records: records)
            }
        }
        try writeReport(review, jobs: jobs, timer: timer)
        // The process ends next: the review's memory goes back with it, not allocation by allocation.
        ProcessEnd.reclaims(review)
        if timings { Terminal.standardError(timer.report) }
        if let failOn, review.allFindings.contains(where: { $0.finding.severity >= failOn }) {
            throw ExitCode(1)
        }
    }

    /// Reads the records, printing each record error; a whole input that cannot be read, a CSV map
    /// that applies to nothing, and any error under `--strict` end the run.
    /// `early`: the records already being read against a vocabulary, used when it is the rules'.
    private func loadRecords(
        vocabulary: Vocabulary, today: Day, jobs: Int, timer: PhaseTimer, early: RecordReading?
    ) throws -> RecordBatch {
        var loader = recordLoader(vocabulary: vocabulary, today: today, jobs: jobs)
        if let csvMap {
            do {
                loader.csvMap = try CSVMap.load(path: csvMap, vocabulary: vocabulary)
            } catch {
                Terminal.standardError(error.description)
                throw ExitCode(2)
            }
        }
        let batch: RecordBatch
        do {
            // The vocabulary from the pack.yaml files is the one the load merges from them; were
            // it ever another, the records are read again against the rules' own.
            var read: (records: Result<RecordBatch, RecordLoader.InputError>, seconds: Double)?
            if let early {
                let outcome = early.wait()
                if early.vocabulary == vocabulary { read = outcome }
            }
            if let read {
                timer.note("read", seconds: read.seconds)
                batch = try read.records.get()
            } else {
                batch = try timer.measure("read") { () throws(RecordLoader.InputError) -> RecordBatch in
                    try loader.load(paths: records)
                }
            }
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
        for error in batch.errors { Terminal.standardError(error.description) }
        if let note = batch.notShownNote { Terminal.standardError("note: " + note) }
        // A map that applied to nothing means the export was not what the user thinks it is.
        if let csvMap, inputFormat != RecordFormat.csv.rawValue,
            !batch.files.contains(where: { $0 == "<stdin>" || RecordFormat.forPath($0) == .csv })
        {
            Terminal.standardError(
                "error: --csv-map \(csvMap) is given, but none of the \(batch.files.count) record files is CSV "
                    + "(*.csv, standard input, or --input-format csv): the map applied to nothing")
            throw ExitCode(2)
        }
        if strict, batch.errorCount > 0 {
            Terminal.standardError(
                "error: \(batch.errorCount) record error\(batch.errorCount == 1 ? "" : "s") under --strict; no report written"
            )
            throw ExitCode(2)
        }
        return batch
    }

    /// The reader of the records given, against `vocabulary`, with the options given (but the CSV map).
    private func recordLoader(vocabulary: Vocabulary, today: Day, jobs: Int) -> RecordLoader {
        var loader = RecordLoader(
            vocabulary: vocabulary, inputFormat: inputFormat.flatMap(RecordFormat.init(rawValue:)))
        loader.jobs = jobs
        loader.today = today
        return loader
    }

    /// The period and filters asked for; a period with no data in it (after the latest record, or
    /// before the earliest) is an error naming the weeks that have data.
    private func reviewRequest(jobs: Int, data: ClosedRange<Day>) throws -> ReviewRequest {
        var request = ReviewRequest(
            therapists: therapists, minimumSeverity: minSeverity, includeNotes: includeNotes,
            jobs: jobs)
        if let week, let monday = Day(isoWeek: week) { request.setWeek(monday) }
        if let asOf { request.asOf = Day(iso: asOf) }
        if let since { request.since = Day(iso: since) }
        guard let period = ReviewBuilder.period(for: request, data: data) else {
            let asOfDate = ReviewBuilder.asOf(for: request, data: data).map { "\($0)" } ?? ""
            Terminal.standardError(
                "error: --since \(since ?? "") is after the as-of date \(asOfDate)"
                    + (asOf == nil ? " (the latest record, which is the as-of date when --as-of is not given)" : ""))
            throw ExitCode(2)
        }
        if period.lowerBound > data.upperBound {
            Terminal.standardError(
                "error: the period starts on \(period.lowerBound), after the latest record (\(data.upperBound)): "
                    + "there is no data to review. The records run from \(data.lowerBound) to \(data.upperBound); "
                    + "the last week with data is --week \(data.upperBound.isoWeek) (or leave out --week, --since and --as-of "
                    + "for the seven days up to \(data.upperBound)).")
            throw ExitCode(2)
        }
        // A year typo (--week 2025-W48) lands before every record: no rule could run, so it is
        // no more a week to review than one after the data.
        if period.upperBound < data.lowerBound {
            Terminal.standardError(
                "error: the period ends on \(period.upperBound), before the earliest record (\(data.lowerBound)): "
                    + "there is no data to review. The records run from \(data.lowerBound) to \(data.upperBound); "
                    + "the first week with data is --week \(data.lowerBound.isoWeek) (or leave out --week, --since and --as-of "
                    + "for the seven days up to \(data.upperBound)).")
            throw ExitCode(2)
        }
        return request
    }

    /// Renders the review in the format asked for, to `--output` or standard output; a format
    /// without room for the data quality says it on standard error.
    private func writeReport(_ review: Review, jobs: Int, timer: PhaseTimer) throws {
        let format = format ?? "text"
        guard let reporter = SiteRegistries.current.reporters.reporter(for: format) else {
            // validate() refused any other format; this is a guard, never a crash.
            Terminal.standardError("error: unknown format '\(format)'")
            throw ExitCode(2)
        }
        let options = ReportOptions(colour: format == "text" && output == nil && Terminal.wantsColour, jobs: jobs)
        do {
            if let streaming = reporter.streaming {
                // Rendered and written together, a chunk at a time: the timings show them as one phase.
                try timer.measure("render") {
                    try Self.write(to: output) { streaming.render(review, options: options, output: $0) }
                }
            } else {
                let text = timer.measure("render") { reporter.render(review, options: options) }
                try timer.measure("write") { try Self.write(to: output) { output in Self.withUTF8(text, output) } }
            }
        } catch {
            Terminal.standardError("\(error)")
            throw ExitCode(2)
        }
        if !type(of: reporter).showsDataQuality {
            for line in DataQualityNote.lines(review, format: format) { Terminal.standardError("note: " + line) }
        }
    }

    /// What `--output` must never overwrite: the records, the rule packs and the CSV map.
    var inputsToKeep: [OutputGuard.Input] {
        OutputGuard.records(records, csvMap: csvMap)
            + packOptions.packs.map { OutputGuard.Input(path: $0, reads: PackSource.readsFile, role: "rule pack") }
    }

    /// Why there is nothing to review: no items at all, or every one left out.
    static func noRecordsMessage(_ batch: RecordBatch, toDo verb: String = "review") -> String {
        let files = "\(batch.files.count) file\(batch.files.count == 1 ? "" : "s")"
        if batch.itemsRead == 0 {
            let readable = batch.files.count - batch.unreadableFiles
            if readable == 0 {
                return "error: no session records to \(verb): "
                    + (batch.files.count == 1
                        ? "the 1 file given could not be read" : "none of the \(files) given could be read")
                    + " (the errors above say why and where)"
            }
            return "error: no session records to \(verb): the \(readable) file\(readable == 1 ? "" : "s") read "
                + "\(readable == 1 ? "holds" : "hold") no records"
                + (batch.unreadableFiles > 0 ? ", and \(batch.unreadableFiles) more could not be read (see above)" : "")
        }
        let records = batch.itemsRead == 1 ? "the 1 record" : "all \(batch.itemsRead) records"
        return
            "error: no session records to \(verb): \(records) in the \(files) read \(batch.itemsRead == 1 ? "was" : "were") left out "
            + "(the errors above say why and where)"
    }

    /// Every `--therapist` must name a therapist of the records: one that matches nothing would
    /// print a quiet week for someone who is simply not there (a typo, `T-3` for `T-03`).
    static func checkTherapists(_ wanted: [String], in records: [SessionRecord]) throws {
        guard !wanted.isEmpty else { return }
        let known = Set(records.map(\.therapist))
        let missing = wanted.filter { !known.contains($0) }
        guard !missing.isEmpty else { return }
        let sorted = known.sorted()
        for id in missing {
            Terminal.standardError(
                "error: no records for therapist '\(id)' (--therapist)" + Suggestion.phrase(for: id, in: sorted)
                    + " (therapists in the input: \(sorted.prefix(20).joined(separator: ", "))\(sorted.count > 20 ? ", …" : ""))"
            )
        }
        throw ExitCode(2)
    }

    /// "; did you mean 'html'?" for a format name mistyped; format names are short, so only a
    /// near one that starts with the same letter is offered ('xml' is not a typo of 'yaml').
    static func suggestion(for format: String, in formats: [String]) -> String {
        guard let meant = Suggestion.closest(to: format, in: formats), meant.first == format.lowercased().first else {
            return ""
        }
        return "; did you mean '\(meant)'?"
    }

    /// A rule pack given where records go (`attune review rules`) would be read as hundreds of
    /// bad records; it is one error that says where it goes.
    static func checkNotRulePacks(_ paths: [String]) throws {
        for path in paths where path != "-" {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
            let name = (path as NSString).lastPathComponent
            let isPack =
                isFolder.boolValue
                ? ["pack.yaml", "pack.yml"].contains {
                    FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent($0))
                }
                : name == "pack.yaml" || name == "pack.yml"
            guard isPack else { continue }
            let folder = isFolder.boolValue ? path : (path as NSString).deletingLastPathComponent
            Terminal.standardError(
                "error: \(path) is a rule pack (it holds pack.yaml), not session records: "
                    + "give it with --rules \(folder.isEmpty ? "." : folder), and the records files or folders as the arguments"
            )
            throw ExitCode(2)
        }
    }

    /// An `--output` that names a folder, or a file in a folder that does not exist, is said
    /// before any record is read, with what to give instead.
    static func checkOutput(_ path: String, format: String) throws {
        let example = "review." + (["markdown": "md", "text": "txt"][format] ?? format)
        guard !path.isEmpty else {
            throw ValidationError("--output needs a file name, not ''; name the report file, such as \(example)")
        }
        var isFolder: ObjCBool = false
        if path.hasSuffix("/")
            || (FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue)
        {
            let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
            throw ValidationError(
                "--output needs a file name, not '\(path)', a folder; name the report file, such as \(folder)/\(example)"
            )
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) || !isFolder.boolValue {
            throw ValidationError(
                "--output \(path): the folder \(parent) does not exist; create it (mkdir -p \(parent)) "
                    + "or name a file in a folder that does")
        }
    }

    /// To the file, atomically, or to standard output when there is none.
    static func write(to path: String?, _ produce: (_ output: (UnsafeRawBufferPointer) -> Void) -> Void) throws {
        if let path { return try AtomicFile.write(to: path, produce) }
        var failure: Int32?
        produce { bytes in
            if failure == nil, !AtomicFile.writeAll(bytes, to: STDOUT_FILENO) { failure = errno }
        }
        if let failure {
            throw AtomicFile.WriteError(path: "standard output", reason: String(cString: strerror(failure)))
        }
    }

    /// A native string's UTF-8 storage itself, not a copy of it.
    static func withUTF8(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        var text = text
        text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}
