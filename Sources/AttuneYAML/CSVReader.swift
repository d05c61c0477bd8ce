/// Reads CSV (RFC 4180 as spreadsheets write it) into rows of located cells.
///
/// Quoted cells may hold delimiters, doubled quotes and line breaks (CR LF read as LF); LF,
/// CR LF and lone CR all end a row; a leading UTF-8 BOM is skipped; blank lines are skipped. Every cell is checked for
/// valid UTF-8 and control characters (a binary file fails on its first bad byte), and the
/// limits bound a cell's length and a row's width, so hostile input ends in a located error.
///
/// ```swift
/// try CSVReader.forEachRow(in: .file(path: "export.csv"), delimiter: nil, limits: .records) { row in
///     print(row.number, row.cells.map(\.text))
/// }
/// ```
public enum CSVReader {
    /// Streams the rows of a CSV source. `delimiter` nil means: the most frequent of `,` `;` and
    /// tab outside quotes on the first line (`,` when none occurs).
    public static func forEachRow(
        in source: DocumentSource, delimiter: UInt8?, limits: DocumentLimits,
        _ body: (CSVRow) throws -> Void
    ) throws {
        try ByteInput.withInput(source) { input in
            var parser = CSVParser(input: input, limits: limits)
            try parser.skipBOM()
            parser.delimiter = try delimiter ?? parser.detectDelimiter()
            while let row = try parser.nextRow() {
                try body(row)
            }
        }
    }
}

/// One row of a CSV file: its cells, its 1-based row number (the header is row 1, as in a
/// spreadsheet; blank lines are not counted) and the line it starts on.
public struct CSVRow: Sendable {
    public var number: Int
    public var mark: Mark
    public var cells: [CSVCell]
}

/// One cell: its text (quotes removed) and where it starts.
public struct CSVCell: Sendable, Hashable {
    public var text: String
    public var mark: Mark
    public var quoted: Bool

    public init(text: String, mark: Mark, quoted: Bool = false) {
        self.text = text
        self.mark = mark
        self.quoted = quoted
    }
}

/// The CSV state machine over a `ByteInput`, tracking line and column (in characters).
struct CSVParser {
    var input: ByteInput
    let limits: DocumentLimits
    var delimiter = UInt8(ascii: ",")
    var line = 1
    var column = 1
    var rowNumber = 0
    var scratch: [UInt8] = []

    init(input: ByteInput, limits: DocumentLimits) {
        self.input = input
        self.limits = limits
    }

    var mark: Mark { Mark(line: line, column: column) }

    mutating func skipBOM() throws {
        if try input.ensure(3), input.buffer[input.pos] == 0xEF, input.buffer[input.pos + 1] == 0xBB,
            input.buffer[input.pos + 2] == 0xBF
        {
            input.pos += 3
        }
    }

    /// Looks at the first line (up to 64 KiB) without consuming it.
    mutating func detectDelimiter() throws -> UInt8 {
        _ = try input.ensure(64 << 10)
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 0x09: 0]
        var inQuotes = false
        var i = input.pos
        while i < input.buffer.count {
            let b = input.buffer[i]
            if b == 0x22 {
                inQuotes.toggle()
            } else if !inQuotes, b == 0x0A || b == 0x0D {
                break
            } else if !inQuotes, counts[b] != nil {
                counts[b]! += 1
            }
            i += 1
        }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
        return best.value > 0 ? best.key : UInt8(ascii: ",")
    }

    @inline(__always)
    mutating func peek() throws -> UInt8? {
        if input.pos < input.buffer.count { return input.buffer[input.pos] }
        return try input.ensure(1) ? input.buffer[input.pos] : nil
    }

    /// Consumes LF, CR LF or a lone CR.
    mutating func consumeLineBreak() throws {
        let b = input.buffer[input.pos]
        input.pos += 1
        if b == 0x0D, try peek() == 0x0A { input.pos += 1 }
        line += 1
        column = 1
    }

    /// The next non-blank row, or nil at the end of the input.
    mutating func nextRow() throws -> CSVRow? {
        while true {
            guard let b = try peek() else { return nil }
            guard b == 0x0A || b == 0x0D else { break }
            try consumeLineBreak()  // a blank line
        }
        rowNumber += 1
        let start = mark
        var cells: [CSVCell] = []
        var rowBytes = 0
        while true {
            let cell = try nextCell()
            rowBytes += cell.text.utf8.count
            if rowBytes > limits.tokenInputBudget {
                throw DocumentError("row \(rowNumber) is longer than \(limits.tokenInputBudget) bytes", at: start)
            }
            cells.append(cell)
            if cells.count > limits.maxNodes {
                throw DocumentError("row \(rowNumber) has more than \(limits.maxNodes) cells", at: start)
            }
            guard let b = try peek() else { break }
            if b == delimiter {
                input.pos += 1
                column += 1
                continue
            }
            try consumeLineBreak()  // nextCell stops only at a delimiter, a line break or the end
            break
        }
        return CSVRow(number: rowNumber, mark: start, cells: cells)
    }

    mutating func nextCell() throws -> CSVCell {
        let start = mark
        scratch.removeAll(keepingCapacity: true)
        guard try peek() == 0x22 else {
            while let b = try peek(), b != delimiter, b != 0x0A, b != 0x0D {
                try takeCharacter(cellStart: start)
            }
            return CSVCell(text: String(decoding: scratch, as: UTF8.self), mark: start, quoted: false)
        }
        input.pos += 1
        column += 1
        while true {
            guard let b = try peek() else {
                throw DocumentError("unterminated quoted cell (the file ends inside it)", at: start)
            }
            if b == 0x22 {
                input.pos += 1
                column += 1
                guard try peek() == 0x22 else { break }  // the closing quote
                input.pos += 1  // a doubled quote stands for one
                column += 1
                scratch.append(0x22)
            } else if b == 0x0A || b == 0x0D {
                // CR LF inside a cell is read as LF, as YAML reads line breaks: a Windows export
                // and a Unix one of the same notes give the same text. A lone CR is kept.
                let crlf = try b == 0x0D && input.ensure(2) && input.buffer[input.pos + 1] == 0x0A
                scratch.append(crlf ? 0x0A : b)
                try consumeLineBreak()
            } else {
                try takeCharacter(cellStart: start)
            }
            try checkLength(start)
        }
        if let b = try peek(), b != delimiter, b != 0x0A, b != 0x0D {
            throw DocumentError(
                "unexpected \(describe(b)) after the closing quote of a cell (a quote inside a quoted cell is written \"\")",
                at: mark)
        }
        return CSVCell(text: String(decoding: scratch, as: UTF8.self), mark: start, quoted: true)
    }

    /// Appends one character (validated) to `scratch`.
    @inline(__always)
    mutating func takeCharacter(cellStart: Mark) throws {
        let b = input.buffer[input.pos]
        if b < 0x80 {
            if b < 0x20 && b != 0x09 || b == 0x7F {
                throw DocumentError("control character \(describe(b)) in a cell (is this a binary file?)", at: mark)
            }
            scratch.append(b)
            input.pos += 1
        } else {
            guard try input.takeUTF8Sequence(into: &scratch) else {
                throw DocumentError("invalid UTF-8 in a cell (the file must be UTF-8)", at: mark)
            }
        }
        column += 1
        if scratch.count > limits.maxScalarBytes { try checkLength(cellStart) }
    }

    func checkLength(_ start: Mark) throws {
        if scratch.count > limits.maxScalarBytes {
            throw DocumentError("cell longer than \(limits.maxScalarBytes) bytes", at: start)
        }
    }

    func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x\(hex.count < 2 ? "0" + hex : hex)"
    }
}
