import ArgumentParser
import AttuneAuthoring
import AttuneCore
import Foundation

/// `attune calibrate`: a clinic's expected treatment response, from its own closed episodes.
///
/// ```sh
/// attune calibrate history/ --measure ors --out site-rules/expected/ors.yaml
/// ```
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Make a calibration file (expected treatment response) for one measure from closed episodes.",
        discussion: """
            Reads the records one at a time and keeps, per episode, only whether it has closed (a record \
            with episode_end) and its first --horizon attended sessions. The baseline is the first recorded \
            value of the measure in the episode, at an attended session. Closed episodes with a baseline are \
            split into intake bands of baseline scores, cut at quantiles so that each band holds at least \
            --min-band episodes (at most --bands bands); for each band and attended session 2 to --horizon, \
            the percentiles 10, 25, 50, 75 and 90 of the change from baseline (counted the good way for the \
            measure) are written with the number of episodes behind them, smoothed over neighbouring sessions. \
            When a band or a cell has too few episodes, nothing is written: the command says how many there \
            are and how many are needed. The file records the method, the inputs (record and episode counts, \
            date range, SHA-256 of the input files) and the attune version; it holds no client or therapist id.

            Put the file in a pack folder under expected/ and a rule of kind trajectory reads it; the \
            default pack's off-expected-trajectory rule reads expected/ors.yaml.

            Examples:
              attune calibrate history/ --measure ors --out site-rules/expected/ors.yaml
              attune review records/ --rules site-rules
            """)

    @Argument(
        help: ArgumentHelp(
            "Record files or folders of past episodes (folders are read recursively).", valueName: "records"))
    var records: [String]

    @Option(
        help: ArgumentHelp("The measure to calibrate, by its vocabulary name (ors, phq9, …).", valueName: "measure"))
    var measure: String

    @Option(
        help: ArgumentHelp(
            "The calibration file to write (atomically), such as site-rules/expected/ors.yaml.", valueName: "file"))
    var out: String

    @Option(help: "The last attended session number calibrated.")
    var horizon = 10

    @Option(name: .customLong("min-band"), help: "Fewest closed episodes in an intake band.")
    var minimumPerBand = 100

    @Option(
        name: .customLong("min-cell"),
        help: "Fewest episodes with a value behind each band's percentiles at each session.")
    var minimumPerCell = 30

    @Option(name: .customLong("bands"), help: "Most intake bands.")
    var maximumBands = 5

    @OptionGroup var packOptions: PackOptions

    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp(
            "Format of the records: yaml, json, jsonl, csv (default: by file extension).", valueName: "format"))
    var inputFormat: String?

    @Option(
        name: .customLong("csv-map"),
        help: ArgumentHelp("How the columns of CSV exports map to record fields.", valueName: "map.yaml"))
    var csvMap: String?

    func validate() throws {
        if !(2...1000).contains(horizon) {
            throw ValidationError("--horizon must be from 2 to 1000 (session 1 is the baseline)")
        }
        if minimumPerBand < 1 || minimumPerCell < 1 {
            throw ValidationError("--min-band and --min-cell must be at least 1")
        }
        if !(1...20).contains(maximumBands) { throw ValidationError("--bands must be from 1 to 20") }
        if let inputFormat, RecordFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown input format '\(inputFormat)'; use yaml, json, jsonl or csv")
        }
    }

    func run() throws {
        let ruleSet = try packOptions.loadRuleSet()
        let vocabulary = ruleSet.vocabulary
        guard let spec = vocabulary.measure(measure), let index = vocabulary.measureIndex(measure) else {
            Terminal.standardError(
                "error: unknown measure '\(measure)'" + Suggestion.phrase(for: measure, in: vocabulary.measureNames)
                    + " (measures: \(vocabulary.measureNames.joined(separator: ", ")))")
            throw ExitCode(2)
        }
        var loader = RecordLoader(
            vocabulary: vocabulary, inputFormat: inputFormat.flatMap(RecordFormat.init(rawValue:)))
        loader.today = try Clock.today()
        if let csvMap {
            do {
                loader.csvMap = try CSVMap.load(path: csvMap, vocabulary: vocabulary)
            } catch {
                Terminal.standardError(error.description)
                throw ExitCode(2)
            }
        }
        let files: [String]
        do {
            files = try RecordLoader.expand(records)
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
        // The same file by device and inode (links count), or a record file the next run would read.
        if let refusal = OutputGuard.refusal(
            for: out, option: "--out", inputs: OutputGuard.records(records, csvMap: csvMap))
        {
            Terminal.standardError("error: " + refusal)
            throw ExitCode(2)
        }

        var settings = Calibrator.Settings(
            measure: measure, measureIndex: index, better: spec.better, range: spec.range)
        settings.horizon = horizon
        settings.minimumPerBand = minimumPerBand
        settings.minimumPerCell = minimumPerCell
        settings.maximumBands = maximumBands
        // A class box: the record callback may outlive the call's frame as far as the compiler knows.
        final class Box {
            var calibrator: Calibrator
            init(_ c: Calibrator) { calibrator = c }
        }
        let box = Box(Calibrator(settings: settings))
        let batch: RecordBatch
        do {
            batch = try loader.forEachRecord(paths: files) { box.calibrator.add($0) }
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
        for error in batch.errors { Terminal.standardError(error.description) }
        let digest: String
        do {
            digest = try Self.digest(of: files)
        } catch {
            Terminal.standardError("\(error)")
            throw ExitCode(2)
        }
        let expected: ExpectedResponse
        do {
            expected = try box.calibrator.result(madeBy: "attune \(Attune.configuration.version)", digest: digest)
        } catch {
            Terminal.standardError("error: no calibration written: \(error.description)")
            throw ExitCode(1)
        }
        do {
            try AtomicFile.write(expected.yaml(), to: out)
        } catch {
            Terminal.standardError("\(error)")
            throw ExitCode(2)
        }
        let bands = expected.bands.map { "\($0.label) (\($0.episodes))" }.joined(separator: ", ")
        Terminal.standardOutput(
            "calibrated \(measure) from \(expected.inputs.episodesUsed) closed episodes "
                + "(\(expected.inputs.records) records, \(expected.inputs.firstDate) to \(expected.inputs.lastDate)"
                + (batch.leftOut > 0 ? "; \(batch.leftOut) records left out, see above" : "")
                + "), sessions 2 to \(horizon), intake bands \(bands): wrote \(out)\n")
    }

    struct UnreadableFile: Error, CustomStringConvertible { var description: String }

    /// SHA-256 of the files' bytes in the order given, read a megabyte at a time.
    static func digest(of files: [String]) throws -> String {
        var hash = SHA256()
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw UnreadableFile(description: "\(file): error: cannot read the file")
            }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hash.update(chunk)
            }
        }
        return hash.hexDigest()
    }
}
