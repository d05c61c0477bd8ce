import AttuneYAML

/// Where something came from: a file and a 1-based line and column.
///
/// ```swift
/// let here = SourceLocation(file: "rules/drop.yaml", line: 4, column: 8)
/// print(here)   // rules/drop.yaml:4:8
/// ```
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public init(file: String, mark: Mark) {
        self.init(file: file, line: mark.line, column: mark.column)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }

    /// The file name as `VisibleText` shows it: names are input too.
    public var description: String { "\(VisibleText.escaped(file)):\(line):\(column)" }
}
