import AttuneTestSupport
import Foundation

@testable import AttuneYAML

/// Small helpers shared by the YAML/JSON reader tests.
enum YAMLTestSupport {
    static func yamlItems(_ text: String, limits: DocumentLimits = .records) throws -> [Node] {
        var items: [Node] = []
        try YAMLReader.forEachItem(in: .bytes(Array(text.utf8)), limits: limits) { items.append($0) }
        return items
    }

    static func jsonItems(_ text: String, limits: DocumentLimits = .records) throws -> [Node] {
        var items: [Node] = []
        try JSONReader.forEachItem(in: .bytes(Array(text.utf8)), limits: limits) { items.append($0) }
        return items
    }

    static func jsonLines(_ text: String, limits: DocumentLimits = .records) throws -> [Node] {
        var items: [Node] = []
        try JSONReader.forEachLine(in: .bytes(Array(text.utf8)), limits: limits) { items.append($0) }
        return items
    }

    /// Runs `body` and returns the DocumentError it threw, or nil.
    static func documentError(_ body: () throws -> Void) -> DocumentError? {
        do {
            try body()
            return nil
        } catch let error as DocumentError {
            return error
        } catch {
            return nil
        }
    }

    /// Writes bytes to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> String {
        let path = TestFolder.unique("attune-yaml-test", suffix: suffix).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func removeFile(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension Node {
    /// The value for a scalar key, for terse tests.
    func yt(_ key: String) -> Node? {
        mappingPairs?.first { $0.key.scalarText == key }?.value
    }

    var ytStyle: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }

    /// A compact rendering for comparing trees: scalars as text, collections bracketed.
    var ytSketch: String {
        switch content {
        case .scalar(let text, let style): return style == .plain ? text : "'\(text)'"
        case .sequence(let items): return "[" + items.map(\.ytSketch).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key.ytSketch):\($0.value.ytSketch)" }.joined(separator: ",") + "}"
        }
    }
}
