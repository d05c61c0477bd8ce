import AttuneYAML
import Dispatch
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
    /// Threads for reading: files are read side by side, and a large YAML file is split at
    /// top-level items and read by several libyaml parsers at once. The result is the same
    /// for any number of jobs.
    public var jobs = 1
    /// YAML files at least this large are split for parallel reading.
    public var splitThreshold = YAMLFilePart.minimumSplitSize

    public init(vocabulary: Vocabulary, inputFormat: RecordFormat? = nil, csvMap: CSVMap? = nil) {
        self.vocabulary = vocabulary
        self.inputFormat = inputFormat
        self.csvMap = csvMap
    }

    /// A path given on the command line that names nothing readable.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): error: \(reason)" }
    }

    /// The files a list of paths stands for: folders recursively (`*.yaml *.yml *.json *.jsonl
    /// *.csv`, sorted, hidden entries skipped), files as given, `-` for standard input.
    public static func expand(_ paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            if path == "-" {
                files.append(path)
                continue
            }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(path: path, reason: "no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found: [String]
            do {
                found = try FolderListing.files(under: path) { RecordFormat.forPath($0) != nil }
            } catch {
                throw InputError(path: path, reason: "cannot list the folder")
            }
            // A folder named on the command line that holds nothing to read is a mistake (the wrong
            // folder, an export not yet written), never an empty week.
            guard !found.isEmpty else {
                throw InputError(path: path, reason: "no record files in this folder (looked for "
                    + RecordFormat.fileExtensions.map { "*." + $0 }.joined(separator: ", ") + ", in subfolders too; hidden ones skipped)")
            }
            let root = path.hasSuffix("/") ? String(path.dropLast()) : path
            files += found.map { root + "/" + $0 }
        }
        return files
    }

    public func load(paths: [String]) throws(InputError) -> RecordBatch {
        let files = try Self.expand(paths)
        // Standard input is read up front, on this thread.
        let standardInput: [UInt8]? = files.contains("-") ? [UInt8](FileHandle.standardInput.readDataToEndOfFile()) : nil

        // One piece of work per file, or per part of a large YAML file.
        var work: [(file: Int, part: YAMLFilePart?)] = []
        var partsOfFile = [[YAMLFilePart]](repeating: [], count: files.count)
        for (index, file) in files.enumerated() {
            let format = file == "-" ? nil : (inputFormat ?? RecordFormat.forPath(file) ?? .yaml)
            if jobs > 1, format == .yaml {
                let parts = YAMLFilePart.split(file, into: jobs, minimumSize: splitThreshold)
                if parts.count > 1 {
                    partsOfFile[index] = parts
                    work += parts.map { (index, $0) }
                    continue
                }
            }
            work.append((index, nil))
        }

        var results = [PartResult](repeating: PartResult(), count: work.count)
        let plan = work
        let run: @Sendable (Int) -> PartResult = { [self] item in
            let work = plan
            let (fileIndex, part) = work[item]
            if let part { return readPart(part, name: files[fileIndex]) }
            var batch = RecordBatch()
            readWhole(files[fileIndex], standardInput: standardInput, into: &batch)
            return PartResult(batch: batch)
        }
        if jobs <= 1 || work.count == 1 {
            for item in work.indices { results[item] = run(item) }
        } else {
            results.withUnsafeMutableBufferPointer { buffer in
                let slots = SendableSlots(buffer)
                DispatchQueue.concurrentPerform(iterations: work.count) { item in slots.buffer[item] = run(item) }
            }
        }

        // Merge in input order, so that the batch does not depend on the number of jobs.
        var batch = RecordBatch()
        var item = 0
        for (index, file) in files.enumerated() {
            let parts = partsOfFile[index]
            if parts.isEmpty {
                batch.absorb(results[item].batch)
                item += 1
                continue
            }
            let pieces = Array(results[item..<(item + parts.count)])
            item += parts.count
            let errors = pieces.reduce(0) { $0 + $1.batch.errors.count }
            if pieces.contains(where: \.unusable) || errors >= maxErrorsPerFile {
                // Not a plain list of items, or an error: read it whole, for exactly the same result.
                read(.file(path: file), name: file, format: .yaml, into: &batch)
                continue
            }
            batch.files.append(file)
            var lineOffset = 0
            var items = 0
            for piece in pieces {
                var part = piece.batch
                if lineOffset > 0 { part.shiftLines(by: lineOffset) }
                lineOffset += piece.lines
                items += part.itemsRead
                batch.absorb(part, files: false)
            }
            if items == 0 {
                batch.errors.append(.error("no session records in this file", at: SourceLocation(file: file, line: 1, column: 1)))
            }
        }
        batch.markDuplicates()
        return batch
    }

    /// One file, start to end, in its format.
    private func readWhole(_ file: String, standardInput: [UInt8]?, into batch: inout RecordBatch) {
        if file == "-" {
            let bytes = standardInput ?? []
            let format = inputFormat ?? RecordFormat.sniff(Array(bytes.prefix(4096)))
            read(.bytes(bytes), name: "<stdin>", format: format, into: &batch)
        } else {
            read(.file(path: file), name: file, format: inputFormat ?? RecordFormat.forPath(file) ?? .yaml, into: &batch)
        }
    }

    /// What reading one part gave; `unusable` when the whole file must be read instead.
    struct PartResult: Sendable {
        var batch = RecordBatch()
        var lines = 0
        var unusable = false
    }

    /// One part of a split YAML file; marks count from the part's first line until merged.
    private func readPart(_ part: YAMLFilePart, name: String) -> PartResult {
        let decoder = RecordDecoder(vocabulary: vocabulary)
        var result = PartResult()
        let limit = maxErrorsPerFile
        do {
            let reading = try YAMLReader.forEachItem(in: part, limits: .records) { node in
                result.batch.itemsRead += 1
                var diagnostics: [Diagnostic] = []
                if let record = decoder.decode(node, file: name, diagnostics: &diagnostics), diagnostics.isEmpty {
                    result.batch.records.append(record)
                } else {
                    result.batch.leftOut += 1
                    result.batch.errors += diagnostics
                    if result.batch.errors.count >= limit { throw TooManyErrors() }
                }
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
    public func forEachRecord(paths: [String], _ body: @escaping (SessionRecord) -> Void) throws(InputError) -> RecordBatch {
        var batch = RecordBatch()
        for file in try Self.expand(paths) {
            guard file != "-" else { throw InputError(path: "-", reason: "standard input cannot be read record by record here; give files") }
            read(.file(path: file), name: file, format: inputFormat ?? RecordFormat.forPath(file) ?? .yaml, into: &batch, each: body)
        }
        return batch
    }

    /// Reads one source of records, in any record format, into `batch` (or, with `each`, hands
    /// each valid record to it).
    public func read(_ source: DocumentSource, name: String, format: RecordFormat, into batch: inout RecordBatch,
                     each: ((SessionRecord) -> Void)? = nil) {
        let decoder = RecordDecoder(vocabulary: vocabulary)
        batch.files.append(name)
        let itemsBefore = batch.itemsRead
        var errorsInFile = 0
        let limit = maxErrorsPerFile
        func accept(_ record: SessionRecord?, _ diagnostics: [Diagnostic]) throws {
            batch.itemsRead += 1
            if let record, diagnostics.isEmpty {
                if let each { each(record) } else { batch.records.append(record) }
            } else {
                batch.leftOut += 1
            }
            batch.errors += diagnostics.prefix(max(0, limit - errorsInFile))
            errorsInFile += diagnostics.count
            if errorsInFile >= limit { throw TooManyErrors() }
        }
        func body(_ node: Node) throws {
            var diagnostics: [Diagnostic] = []
            let record = decoder.decode(node, file: name, diagnostics: &diagnostics)
            try accept(record, diagnostics)
        }
        do {
            switch format {
            case .yaml: try YAMLReader.forEachItem(in: source, limits: .records, body)
            case .json: try JSONReader.forEachItem(in: source, limits: .records, body)
            case .jsonl: try JSONReader.forEachLine(in: source, limits: .records, body)
            case .csv: try CSVImporter(map: csvMap, decoder: decoder).read(source, name: name, accept)
            }
        } catch let error as DocumentError {
            batch.errors.append(.error(error.message + " (the rest of this file was not read)", at: SourceLocation(file: name, mark: error.mark)))
            batch.unreadableFiles += 1
            return
        } catch let error as CSVImporter.HeaderError {
            batch.errors += error.diagnostics.map { .error($0.message + " (this file was not read)", at: $0.location) }
            batch.unreadableFiles += 1
            return
        } catch is TooManyErrors {
            batch.errors.append(.error("\(errorsInFile) or more errors; the rest of this file was not read", at: SourceLocation(file: name, line: 1, column: 1)))
            batch.unreadableFiles += 1
            return
        } catch {
            batch.errors.append(.error("\(error) (the rest of this file was not read)", at: SourceLocation(file: name, line: 1, column: 1)))
            batch.unreadableFiles += 1
            return
        }
        if batch.itemsRead == itemsBefore {
            batch.errors.append(.error("no session records in this file", at: SourceLocation(file: name, line: 1, column: 1)))
        }
    }
}

/// What reading records gave: the valid records, and every error with its location.
public struct RecordBatch: Sendable {
    public var records: [SessionRecord] = []
    public var errors: [Diagnostic] = []
    public var files: [String] = []
    /// Top-level items seen (valid or not).
    public var itemsRead = 0
    /// Items that failed validation (duplicates included).
    public var leftOut = 0
    /// Files that ended in a syntax or encoding error.
    public var unreadableFiles = 0

    public init() {}

    /// Appends another batch read after this one.
    mutating func absorb(_ other: RecordBatch, files includeFiles: Bool = true) {
        records += other.records
        errors += other.errors
        if includeFiles { files += other.files }
        itemsRead += other.itemsRead
        leftOut += other.leftOut
        unreadableFiles += other.unreadableFiles
    }

    /// Renumbers lines of a part read on its own, once the lines before it are known.
    mutating func shiftLines(by offset: Int) {
        for index in records.indices { records[index].source.line += offset }
        for index in errors.indices { errors[index].location.line += offset }
    }

    /// Two records for the same client, episode, date and session number: the later in input order is an error.
    public mutating func markDuplicates() {
        // An open-addressing table of first occurrences, hashed once per record: a Dictionary
        // would hash each key twice (lookup, then insert) and again on every resize. Equality is
        // String's own, and so is the hash (Hasher), so canonically equal ids still meet.
        let capacity = max(16, 1 << (Int.bitWidth - (records.count * 2).leadingZeroBitCount))
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var duplicates: [Int] = []
        for index in records.indices {
            let record = records[index]
            var hasher = Hasher()
            hasher.combine(record.client)
            hasher.combine(record.episode)
            hasher.combine(record.date.number)
            hasher.combine(record.session)
            var slot = hasher.finalize() & mask
            while slots[slot] >= 0 {
                let earlier = records[Int(slots[slot])]
                if earlier.date == record.date, earlier.session == record.session,
                   earlier.client == record.client, earlier.episode == record.episode {
                    errors.append(.error("duplicate record for client \(record.client), episode \(record.episode), \(record.date)"
                        + (record.session.map { " session \($0)" } ?? "") + "; first given at \(earlier.source)", at: record.source))
                    leftOut += 1
                    duplicates.append(index)
                    break
                }
                slot = (slot + 1) & mask
            }
            if slots[slot] < 0 { slots[slot] = Int32(index) }
        }
        guard !duplicates.isEmpty else { return }
        var kept: [SessionRecord] = []
        kept.reserveCapacity(records.count - duplicates.count)
        var next = 0  // into `duplicates`, which is in index order
        for (index, record) in records.enumerated() {
            if next < duplicates.count, duplicates[next] == index { next += 1 } else { kept.append(record) }
        }
        records = kept
    }
}

/// Lets concurrent readers write disjoint slots of one buffer.
private struct SendableSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
