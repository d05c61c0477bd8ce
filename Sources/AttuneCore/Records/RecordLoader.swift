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
            guard let enumerator = manager.enumerator(atPath: path) else {
                throw InputError(path: path, reason: "cannot list the folder")
            }
            var found: [String] = []
            while let next = enumerator.nextObject() as? String {
                if (next as NSString).lastPathComponent.hasPrefix(".") {
                    enumerator.skipDescendants()
                    continue
                }
                if RecordFormat.forPath(next) != nil { found.append(next) }
            }
            let root = path.hasSuffix("/") ? String(path.dropLast()) : path
            files += found.sorted().map { root + "/" + $0 }
        }
        return files
    }

    public func load(paths: [String]) throws(InputError) -> RecordBatch {
        var batch = RecordBatch()
        for file in try Self.expand(paths) {
            if file == "-" {
                let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
                let format = inputFormat ?? RecordFormat.sniff(Array(bytes.prefix(4096)))
                read(.bytes(bytes), name: "<stdin>", format: format, into: &batch)
            } else {
                read(.file(path: file), name: file, format: inputFormat ?? RecordFormat.forPath(file) ?? .yaml, into: &batch)
            }
        }
        batch.markDuplicates()
        return batch
    }

    /// Stops reading a file that has produced `maxErrorsPerFile` errors.
    private struct TooManyErrors: Error {}

    /// Reads one document source into `batch` (the document formats are record formats too).
    @_disfavoredOverload
    public func read(_ source: DocumentSource, name: String, format: DocumentFormat, into batch: inout RecordBatch) {
        read(source, name: name, format: RecordFormat(format), into: &batch)
    }

    /// Reads one source of records, in any record format, into `batch`.
    public func read(_ source: DocumentSource, name: String, format: RecordFormat, into batch: inout RecordBatch) {
        let decoder = RecordDecoder(vocabulary: vocabulary)
        batch.files.append(name)
        let itemsBefore = batch.itemsRead
        var errorsInFile = 0
        let limit = maxErrorsPerFile
        func accept(_ record: SessionRecord?, _ diagnostics: [Diagnostic]) throws {
            batch.itemsRead += 1
            if let record, diagnostics.isEmpty {
                batch.records.append(record)
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

    /// Two records for the same client, episode, date and session number: the later in input order is an error.
    public mutating func markDuplicates() {
        struct Key: Hashable {
            let client: String, episode: String, date: Day, session: Int?
        }
        var firstSeen: [Key: SourceLocation] = [:]
        var kept: [SessionRecord] = []
        kept.reserveCapacity(records.count)
        for record in records {
            let key = Key(client: record.client, episode: record.episode, date: record.date, session: record.session)
            if let earlier = firstSeen[key] {
                errors.append(.error("duplicate record for client \(record.client), episode \(record.episode), \(record.date)"
                    + (record.session.map { " session \($0)" } ?? "") + "; first given at \(earlier)", at: record.source))
                leftOut += 1
            } else {
                firstSeen[key] = record.source
                kept.append(record)
            }
        }
        records = kept
    }
}
