import AttuneYAML
import Foundation

/// Reads session records from files, folders and standard input, validating each one.
///
/// Bad records are reported with their location and left out; everything else is kept. A file
/// that stops being readable part-way (a syntax error) keeps the records before the error; a
/// file that cannot be read at all is an error for that file alone. A file that holds no
/// records is an error too (an empty export should not pass for a quiet week).
///
/// ```swift
/// let batch = RecordLoader(vocabulary: ruleSet.vocabulary).load(paths: ["records/"])
/// print(batch.records.count, "records,", batch.errors.count, "errors")
/// ```
public struct RecordLoader: Sendable {
    public let vocabulary: Vocabulary
    /// Overrides the format given by file extensions and sniffed on standard input.
    public var inputFormat: RecordFormat?
    /// How CSV columns map to fields; nil means the header must name record fields.
    public var csvMap: CSVMap?
    /// Errors reported for one file before the rest of it is skipped: bounds the memory a file
    /// of a million bad records costs, while still showing far more than anyone reads.
    public var maxErrorsPerFile = 1_000
    /// Errors kept across the whole input; later ones are only counted (`errorsNotShown`), so
    /// a thousand files of bad records cost no more memory, report or terminal than one.
    public var maxErrors = 1_000
    /// Threads for reading: files are read side by side, and a large YAML file is split at
    /// top-level items and read by several libyaml parsers at once. The result is the same
    /// for any number of jobs.
    public var jobs = 1
    /// Records dated after this day are errors (see `RecordDecoder.today`); nil checks nothing.
    public var today: Day?
    /// Parts a large YAML file is split into per job: more than one, so that a thread slowed by
    /// another process (or a part slower to read) leaves the others work to take instead of a wait.
    static let partsPerJob = 4
    /// YAML files at least this large are split for parallel reading.
    public var splitThreshold = YAMLFilePart.minimumSplitSize
    /// Whether well-formed YAML and JSON records are read straight from the reader's events
    /// (`WellFormedRecordReader`), every other item through its `Node`. False reads every item
    /// through its `Node`: the reference the differential test and the fuzz target compare with.
    public var readsRecordsFromEvents = true

    public init(vocabulary: Vocabulary, inputFormat: RecordFormat? = nil, csvMap: CSVMap? = nil) {
        self.vocabulary = vocabulary
        self.inputFormat = inputFormat
        self.csvMap = csvMap
    }

    /// A path given on the command line that names nothing readable.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(VisibleText.escaped(path)): error: \(reason)" }
    }

    /// The files a list of paths stands for: folders recursively (`*.yaml *.yml *.json *.jsonl
    /// *.csv`, sorted, hidden entries skipped), files as given, `-` for standard input.
    public static func expand(_ paths: [String]) throws(InputError) -> [String] {
        try entries(paths).map(\.path)
    }

    /// Spreadsheet files, which attune does not read: in a records folder they are named in a
    /// warning, never left out unseen (a week's export saved as .xlsx is not a quiet week).
    static let spreadsheetExtensions = ["xlsx", "xlsm", "xls", "ods", "numbers"]
    static let spreadsheetAdvice = "save each as CSV and review that (with --csv-map if its columns are not attune's)"

    static func isSpreadsheet(_ path: String) -> Bool {
        spreadsheetExtensions.contains { path.lowercased().hasSuffix("." + $0) }
    }

    /// Each file, and whether it was found in a folder (then only a regular file is read:
    /// a FIFO or device there is skipped with a warning; named on the command line, it is read).
    static func entries(_ paths: [String]) throws(InputError) -> [(path: String, inFolder: Bool)] {
        try listing(paths).files
    }

    /// The files to read, and the spreadsheets found beside them in the folders named: one walk
    /// of each folder gives both.
    static func listing(_ paths: [String]) throws(InputError) -> (
        files: [(path: String, inFolder: Bool)], spreadsheets: [String]
    ) {
        var files: [(path: String, inFolder: Bool)] = []
        var spreadsheets: [String] = []
        let manager = FileManager.default
        for path in paths {
            if path == "-" {
                files.append((path, false))
                continue
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(path: path, reason: "no such file or folder" + Suggestion.phrase(forMissingPath: path))
            }
            guard isDirectory.boolValue else {
                files.append((path, false))
                continue
            }
            let listed: [String]
            do {
                listed = try FolderListing.files(under: path) { RecordFormat.forPath($0) != nil || isSpreadsheet($0) }
            } catch {
                throw InputError(path: path, reason: "cannot list the folder")
            }
            let found = listed.filter { !isSpreadsheet($0) }
            let sheets = listed.filter(isSpreadsheet)
            // A folder named on the command line that holds nothing to read is a mistake (the wrong
            // folder, an export not yet written), never an empty week.
            guard !found.isEmpty else {
                throw InputError(
                    path: path,
                    reason: "no record files in this folder (looked for "
                        + RecordFormat.fileExtensions.map { "*." + $0 }.joined(separator: ", ")
                        + ", in subfolders too; hidden ones skipped)"
                        + (sheets.isEmpty
                            ? ""
                            : "; it holds \(sheets.count) spreadsheet(s) (\(sheets.prefix(3).joined(separator: ", "))"
                                + (sheets.count > 3 ? ", …" : "") + "), which attune does not read: "
                                + Self.spreadsheetAdvice))
            }
            let root = path.hasSuffix("/") ? String(path.dropLast()) : path
            files += found.map { (root + "/" + $0, true) }
            spreadsheets += sheets.map { root + "/" + $0 }
        }
        return (files, spreadsheets)
    }

    public func load(paths: [String]) throws(InputError) -> RecordBatch {
        let (entries, spreadsheets) = try Self.listing(paths)
        var batch = RecordBatch()
        batch.errorLimit = maxErrors
        // Left out of the review, and said so: a week exported as .xlsx is not a quiet week.
        for sheet in spreadsheets {
            batch.report(
                .warning(
                    .invalidValue, "skipped: a spreadsheet, which attune does not read; " + Self.spreadsheetAdvice,
                    at: SourceLocation(file: sheet, line: 1, column: 1)))
        }
        // Files are read in windows of a few pieces per job, each merged before the next starts,
        // so that a piece keeps only the errors that can still be shown (their memory is bounded
        // by the window, not by the input) and only a window's files are open at once. The merge
        // is in input order, so the batch does not depend on the number of jobs.
        let window = jobs <= 1 ? 1 : jobs * 4
        var next = 0
        while next < entries.count {
            // Each file is opened once; every read of it, parts and fallbacks included, uses that
            // descriptor, so a file replaced during the review is still read as one snapshot.
            var planned: [(entry: Int, input: InputFile?, parts: [YAMLFilePart])] = []
            var pieces = 0
            while next < entries.count, planned.isEmpty || pieces < window {
                let path = entries[next].path
                var input: InputFile?
                var parts: [YAMLFilePart] = []
                if jobs > 1, path != "-", format(of: path) == .yaml,
                    let opened = try? InputFile.open(path, regularOnly: true)
                {
                    input = opened
                    let split = YAMLFilePart.split(
                        opened, into: jobs * Self.partsPerJob, minimumSize: splitThreshold)
                    if split.count > 1 { parts = split }
                }
                planned.append((next, input, parts))
                pieces += max(1, parts.count)
                next += 1
            }
            let work = planned.indices.flatMap { index in
                planned[index].parts.isEmpty ? [(index, nil)] : planned[index].parts.map { (index, Optional($0)) }
            }
            let errorBudget = max(0, maxErrors - batch.errors.count)
            let plan = planned
            let run: @Sendable (Int) -> PartResult = { [self] item in
                let (index, part) = work[item]
                let (path, inFolder) = entries[plan[index].entry]
                if let part { return readPart(part, name: path, errorLimit: errorBudget) }
                var batch = RecordBatch()
                batch.errorLimit = errorBudget
                readWhole(path, opened: plan[index].input, inFolder: inFolder, into: &batch)
                return PartResult(batch: batch)
            }
            var results = [PartResult](repeating: PartResult(), count: work.count)
            if work.count == 1 {
                results[0] = run(0)
            } else {
                results.withUnsafeMutableBufferPointer { buffer in
                    let slots = UnsafeSendableBuffer(buffer)
                    Parallel.forEach(Array(buffer.indices), jobs: jobs) { item in slots.buffer[item] = run(item) }
                }
            }
            // Everything but the records is taken in input order first; then the records are moved
            // into the batch, on `jobs` threads when it has none yet, each piece let go once moved.
            var moves: [RecordMove] = []
            var item = 0
            for (entry, input, parts) in planned {
                let path = entries[entry].path
                if parts.isEmpty {
                    batch.absorb(results[item].batch, records: false)
                    moves.append(RecordMove(piece: item, lineShift: 0))
                    item += 1
                    continue
                }
                merge(&results, item..<(item + parts.count), of: path, input: input, into: &batch, moves: &moves)
                item += parts.count
            }
            Self.move(moves, of: &results, into: &batch, jobs: jobs)
        }
        batch.markDuplicates(jobs: jobs)
        return batch
    }

    /// The format of a file named on the command line or found in a folder.
    private func format(of path: String) -> RecordFormat {
        inputFormat ?? RecordFormat.forPath(path) ?? .yaml
    }

    /// The parts of a split YAML file, renumbered and appended (their records to `moves`); or,
    /// when a part was not a plain list of items or had errors, the whole file read again, for
    /// exactly the result of one job.
    private func merge(
        _ results: inout [PartResult], _ pieces: Range<Int>, of file: String, input: InputFile?,
        into batch: inout RecordBatch, moves: inout [RecordMove]
    ) {
        let errors = results[pieces].reduce(0) { $0 + $1.batch.errorCount }
        if results[pieces].contains(where: \.unusable) || errors >= maxErrorsPerFile {
            // Read into the first piece's place, so that its records still come in input order.
            var whole = RecordBatch()
            whole.errorLimit = max(0, maxErrors - batch.errors.count)
            read(input.map { .opened($0) } ?? .file(path: file), name: file, format: .yaml, into: &whole)
            for piece in pieces { results[piece].batch = RecordBatch() }
            batch.absorb(whole, records: false)
            results[pieces.lowerBound].batch.records = whole.records
            moves.append(RecordMove(piece: pieces.lowerBound, lineShift: 0))
            return
        }
        batch.files.append(file)
        var lineOffset = 0
        var items = 0
        for piece in pieces {
            results[piece].batch.shiftErrorLines(by: lineOffset)
            batch.absorb(results[piece].batch, files: false, records: false)
            moves.append(RecordMove(piece: piece, lineShift: lineOffset))
            lineOffset += results[piece].lines
            items += results[piece].batch.itemsRead
        }
        if items == 0 {
            batch.report(
                .error(
                    .invalidValue, "no session records in this file", at: SourceLocation(file: file, line: 1, column: 1)
                ))
        }
    }

    /// Which piece's records go next into the batch, and how far down their lines move (a part
    /// of a file read on its own numbers its lines from its first).
    struct RecordMove {
        var piece: Int
        var lineShift: Int
    }

    /// Appends the records of the pieces in `moves`, in that order, taking them out of `results`.
    /// Into a batch without records they go on `jobs` threads, each piece copied into its place
    /// of one array of the exact size and let go; otherwise one after another.
    private static func move(
        _ moves: [RecordMove], of results: inout [PartResult], into batch: inout RecordBatch, jobs: Int
    ) {
        if moves.count == 1, batch.records.capacity == 0, moves[0].lineShift == 0 {
            // A file read alone comes whole: the array is shared, not copied.
            swap(&batch.records, &results[moves[0].piece].batch.records)
            return
        }
        var offsets: [Int] = []
        var total = batch.records.count
        for move in moves {
            offsets.append(total)
            total += results[move.piece].batch.records.count
        }
        guard jobs > 1, batch.records.isEmpty, moves.count > 1 else {
            batch.records.reserveCapacity(total)
            for move in moves {
                let start = batch.records.count
                batch.records += results[move.piece].batch.records
                results[move.piece].batch.records = []
                if move.lineShift > 0 {
                    for index in start..<batch.records.count {
                        batch.records[index].shiftSourceLine(by: move.lineShift)
                    }
                }
            }
            return
        }
        let starts = offsets
        results.withUnsafeMutableBufferPointer { results in
            let pieces = UnsafeSendableBuffer(results)
            batch.records = [SessionRecord](unsafeUninitializedCapacity: total) { buffer, initialized in
                let target = UnsafeSendableBuffer(buffer)
                Parallel.forEach(Array(moves.indices), jobs: jobs) { item in
                    let move = moves[item]
                    var records: [SessionRecord] = []
                    swap(&records, &pieces.buffer[move.piece].batch.records)
                    let start = target.buffer.baseAddress! + starts[item]
                    records.withUnsafeBufferPointer { records in
                        guard let base = records.baseAddress else { return }
                        start.initialize(from: base, count: records.count)
                    }
                    if move.lineShift > 0 {
                        for index in 0..<records.count { start[index].shiftSourceLine(by: move.lineShift) }
                    }
                }
                initialized = total
            }
        }
    }

    /// One file, start to end, in its format: standard input as a stream, its format sniffed
    /// from the first bytes unless given; a file found in a folder only if it is a regular file.
    private func readWhole(_ file: String, opened: InputFile?, inFolder: Bool, into batch: inout RecordBatch) {
        if file == "-" {
            let input = InputFile.standardInput()
            let format = inputFormat ?? RecordFormat.sniff(input.prefix(4096))
            read(.opened(input), name: input.path, format: format, into: &batch)
            return
        }
        var input = opened
        if input == nil, inFolder {
            do {
                input = try InputFile.open(file, regularOnly: true)
            } catch .notRegular(let kind) {
                batch.report(
                    .warning(
                        .invalidValue, "skipped: \(kind), not a regular file",
                        at: SourceLocation(file: file, line: 1, column: 1))
                )
                return
            } catch {
                // Reported by `read`, which opens it again and says why it cannot.
            }
        }
        read(input.map { .opened($0) } ?? .file(path: file), name: file, format: format(of: file), into: &batch)
    }

    /// What reading one part gave; `unusable` when the whole file must be read instead.
    struct PartResult: Sendable {
        var batch = RecordBatch()
        var lines = 0
        var unusable = false
    }

    /// One part of a split YAML file; marks count from the part's first line until merged.
    private func readPart(_ part: YAMLFilePart, name: String, errorLimit: Int) -> PartResult {
        let decoder = RecordDecoder(vocabulary: vocabulary, today: today)
        var result = PartResult()
        result.batch.errorLimit = errorLimit
        let limit = maxErrorsPerFile
        func body(_ node: Node) throws {
            result.batch.itemsRead += 1
            var diagnostics: [Diagnostic] = []
            if let record = decoder.decode(node, file: name, diagnostics: &diagnostics), diagnostics.isEmpty {
                result.batch.records.append(record)
            } else {
                result.batch.leftOut += 1
                for diagnostic in diagnostics { result.batch.report(diagnostic) }
                if result.batch.errorCount >= limit { throw TooManyErrors() }
            }
        }
        do {
            let reading: YAMLPartReading
            if readsRecordsFromEvents {
                var reader = WellFormedRecordReader(decoder)
                reading = try YAMLReader.forEachItemEvents(in: part, limits: .records) { item in
                    if let record = reader.record(item, file: name) {
                        result.batch.itemsRead += 1
                        result.batch.records.append(record)
                    } else {
                        try body(item.node())
                    }
                }
            } else {
                reading = try YAMLReader.forEachItem(in: part, limits: .records, body)
            }
            result.lines = reading.lines
            result.unusable = !reading.isPlainItemList
        } catch {
            // Any error is reported by reading the whole file, exactly as with one job.
            result.unusable = true
        }
        return result
    }

    /// Stops reading a file that has produced `maxErrorsPerFile` errors.
    private struct TooManyErrors: Error {}

    /// Reads one document source into `batch` (the document formats are record formats too).
    @_disfavoredOverload
    public func read(_ source: DocumentSource, name: String, format: DocumentFormat, into batch: inout RecordBatch) {
        read(source, name: name, format: RecordFormat(format), into: &batch)
    }

    /// Reads files one after another and hands each valid record to `body` instead of keeping it,
    /// so that a pass over a long history (`attune calibrate`) holds one record at a time. The
    /// returned batch has the files, counts and errors, and no records.
    public func forEachRecord(paths: [String], _ body: @escaping (SessionRecord) -> Void) throws(InputError)
        -> RecordBatch
    {
        var batch = RecordBatch()
        for file in try Self.expand(paths) {
            guard file != "-" else {
                throw InputError(path: "-", reason: "standard input cannot be read record by record here; give files")
            }
            read(
                .file(path: file), name: file, format: inputFormat ?? RecordFormat.forPath(file) ?? .yaml, into: &batch,
                each: body)
        }
        return batch
    }

    /// Reads one source of records, in any record format, into `batch` (or, with `each`, hands
    /// each valid record to it).
    public func read(
        _ source: DocumentSource, name: String, format: RecordFormat, into batch: inout RecordBatch,
        each: ((SessionRecord) -> Void)? = nil
    ) {
        let decoder = RecordDecoder(vocabulary: vocabulary, today: today)
        batch.files.append(name)
        let itemsBefore = batch.itemsRead
        var errorsInFile = 0
        let limit = maxErrorsPerFile
        // Not `consuming`: with SessionRecord's boxed storage (an indirect enum) that crashes
        // Swift 6.3.1's move-only checker (swift-frontend signal 11).
        func keep(_ record: SessionRecord) {
            batch.itemsRead += 1
            if let each { each(record) } else { batch.records.append(record) }
        }
        func accept(_ record: SessionRecord?, _ diagnostics: [Diagnostic]) throws {
            if let record, diagnostics.isEmpty { return keep(record) }
            batch.itemsRead += 1
            batch.leftOut += 1
            // In file order: a missing field is found after the fields present, but is located first.
            for diagnostic in diagnostics.sortedByLocation().prefix(max(0, limit - errorsInFile)) {
                batch.report(diagnostic)
            }
            errorsInFile += diagnostics.count
            if errorsInFile >= limit { throw TooManyErrors() }
        }
        func body(_ node: Node) throws {
            var diagnostics: [Diagnostic] = []
            let record = decoder.decode(node, file: name, diagnostics: &diagnostics)
            try accept(record, diagnostics)
        }
        var reader = WellFormedRecordReader(decoder)
        func item(_ item: ItemEvents) throws {
            if readsRecordsFromEvents, let record = reader.record(item, file: name) { return keep(record) }
            try body(item.node())
        }
        do {
            switch format {
            case .yaml where !readsRecordsFromEvents: try YAMLReader.forEachItem(in: source, limits: .records, body)
            case .yaml: try YAMLReader.forEachItemEvents(in: source, limits: .records, item)
            case .json: try JSONReader.forEachItemEvents(in: source, limits: .records, item)
            case .jsonl: try JSONReader.forEachLineEvents(in: source, limits: .records, item)
            case .csv: try CSVImporter(map: csvMap, decoder: decoder).read(source, name: name, accept)
            }
        } catch let error as DocumentError {
            batch.report(
                .error(
                    .yamlSyntax,
                    error.message + " (the rest of this file was not read)",
                    at: SourceLocation(file: name, mark: error.mark)))
            batch.unreadableFiles += 1
            return
        } catch let error as CSVImporter.HeaderError {
            for diagnostic in error.diagnostics {
                batch.report(
                    .error(diagnostic.check, diagnostic.message + " (this file was not read)", at: diagnostic.location))
            }
            batch.unreadableFiles += 1
            return
        } catch is TooManyErrors {
            batch.report(
                .error(
                    .invalidValue,
                    "\(errorsInFile) or more errors; the rest of this file was not read",
                    at: SourceLocation(file: name, line: 1, column: 1)))
            batch.unreadableFiles += 1
            return
        } catch {
            batch.report(
                .error(
                    .invalidValue,
                    "\(error) (the rest of this file was not read)", at: SourceLocation(file: name, line: 1, column: 1))
            )
            batch.unreadableFiles += 1
            return
        }
        if batch.itemsRead == itemsBefore {
            batch.report(
                .error(
                    .invalidValue, "no session records in this file", at: SourceLocation(file: name, line: 1, column: 1)
                ))
        }
    }
}
