import Synchronization

/// A file name interned for the life of the process, held as a 4-byte number.
///
/// Every session record says where it was read from; a number into one shared table of names
/// costs a record 4 bytes, where a `String` costs 16 and, for a long path, a reference count.
/// The table only grows: it holds each distinct name once, and a review reads a handful of files.
///
/// ```swift
/// let file = SourceFile("week48.yaml")
/// file.name                              // "week48.yaml"
/// file == SourceFile("week48.yaml")      // true: the same name is the same number
/// ```
public struct SourceFile: Sendable, Hashable {
    public let index: UInt32

    public init(_ name: String) {
        index = Self.table.withLock { $0.intern(name) }
    }

    /// The file interned as `index` (`InlineSourceLocation` holds indices in fewer bits).
    init(index: UInt32) {
        self.index = index
    }

    public var name: String {
        Self.table.withLock { $0.names[Int(index)] }
    }

    private static let table = Mutex(Table())

    private struct Table {
        var names: [String] = []
        var indices: [String: UInt32] = [:]
        /// Records of one file are made one after another: the last name answers most lookups
        /// without hashing it.
        var last: (name: String, index: UInt32)?

        mutating func intern(_ name: String) -> UInt32 {
            if let last, last.name == name { return last.index }
            let index: UInt32
            if let known = indices[name] {
                index = known
            } else {
                // Four billion distinct file names in one process would exhaust memory long before.
                index = UInt32(names.count)
                names.append(name)
                indices[name] = index
            }
            last = (name, index)
            return index
        }
    }
}
