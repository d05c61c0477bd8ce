import AttuneYAML
import Foundation

/// Reads session records from files, folders and standard input, validating each one.
///
/// Bad records are reported with their location and left out; everything else is kept. A file
/// that stops being readable part-way (a syntax error) keeps the records before the error.
///
/// ```swift
/// let batch = RecordLoader(vocabulary: ruleSet.vocabulary).load(paths: ["records/"])
/// print(batch.records.count, "records,", batch.errors.count, "errors")
/// ```
public struct RecordLoader: Sendable {
    public let vocabulary: Vocabulary
    /// Overrides the format given by file extensions and sniffed on standard input.
    public var inputFormat: DocumentFormat?

    public init(vocabulary: Vocabulary, inputFormat: DocumentFormat? = nil) {
        self.vocabulary = vocabulary
        self.inputFormat = inputFormat
    }

    /// A path given on the command line that names nothing readable.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): error: \(reason)" }
    }

    /// The files a list of paths stands for: folders recursively (`*.yaml *.yml *.json *.jsonl`,
    /// sorted, hidden entries skipped), files as given, `-` for standard input.
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
                if DocumentFormat.forPath(next) != nil { found.append(next) }
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
                let format = inputFormat ?? DocumentFormat.sniff(Array(bytes.prefix(4096)))
                read(.bytes(bytes), name: "<stdin>", format: format, into: &batch)
            } else {
                read(.file(path: file), name: file, format: inputFormat ?? DocumentFormat.forPath(file) ?? .yaml, into: &batch)
            }
        }
        batch.markDuplicates()
        return batch
    }

    /// Reads one document source into `batch`.
    public func read(_ source: DocumentSource, name: String, format: DocumentFormat, into batch: inout RecordBatch) {
        let decoder = RecordDecoder(vocabulary: vocabulary)
        batch.files.append(name)
        let body: (Node) throws -> Void = { node in
            batch.itemsRead += 1
            if let record = decoder.decode(node, file: name, diagnostics: &batch.errors) {
                batch.records.append(record)
            } else {
                batch.leftOut += 1
            }
        }
        do {
            switch format {
            case .yaml: try YAMLReader.forEachItem(in: source, limits: .records, body)
            case .json: try JSONReader.forEachItem(in: source, limits: .records, body)
            case .jsonl: try JSONReader.forEachLine(in: source, limits: .records, body)
            }
        } catch let error as DocumentError {
            batch.errors.append(.error(error.message + " (the rest of this file was not read)", at: SourceLocation(file: name, mark: error.mark)))
            batch.unreadableFiles += 1
        } catch {
            batch.errors.append(.error("\(error) (the rest of this file was not read)", at: SourceLocation(file: name, line: 1, column: 1)))
            batch.unreadableFiles += 1
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
