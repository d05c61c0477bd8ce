extension JSONParser {
    // MARK: Strings

    /// A string, decoded into `tape`. Runs of plain bytes are scanned in the buffer and copied in bulk.
    mutating func parseString() throws {
        let start = mark
        advance()  // the opening quote
        let begin = tape.count

        while true {
            // Scan a run of unescaped, valid characters within the current window.
            var i = input.pos
            var characters = 0
            var stop: UInt8 = 0  // 0: window ended or a multi-byte sequence needs more bytes
            let runStart = i
            var invalid = false
            input.buffer.withUnsafeBufferPointer { buf in
                let end = buf.count
                while i < end {
                    let b = buf[i]
                    if b < 0x80 {
                        if b == 0x22 || b == 0x5C || b < 0x20 {
                            stop = b == 0 ? 0xFF : b
                            return
                        }
                        i += 1
                        characters += 1
                        continue
                    }
                    let length = Self.utf8SequenceLength(buf, at: i, end: end)
                    if length < 0 {
                        invalid = true
                        return
                    }
                    if length == 0 { return }  // incomplete at the window's end
                    i += length
                    characters += 1
                }
            }

            let runLength = i - runStart
            if tape.count - begin + runLength > limits.maxScalarBytes {
                throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
            }
            tape.append(input.buffer, runStart..<i)
            input.pos = i
            column += characters

            if invalid {
                throw DocumentError("invalid UTF-8 in string", at: mark)
            }
            switch stop {
            case 0x22:
                advance()
                tape.appendScalar(from: begin, mark: start, isPlain: false)
                return
            case 0x5C:
                try parseEscape()
                if tape.count - begin > limits.maxScalarBytes {
                    throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
                }
            case 0:
                // The window ended, possibly inside a multi-byte character.
                guard try input.ensure(1) else {
                    throw DocumentError("unterminated string", at: start)
                }
                let lead = input.buffer[input.pos]
                if lead >= 0x80 {
                    let length = try input.utf8SequenceLength()
                    guard length > 0 else {
                        throw DocumentError("invalid UTF-8 in string", at: mark)
                    }
                    tape.append(input.buffer, input.pos..<(input.pos + length))
                    input.pos += length
                    column += 1
                }
            default:
                let message =
                    stop == 0x0A || stop == 0x0D
                    ? "unterminated string (a line break must be escaped as \\n)"
                    : "control character in string (must be escaped)"
                throw DocumentError(message, at: mark)
            }
        }
    }

    /// The length of the valid UTF-8 sequence starting with a non-ASCII byte at `i`:
    /// 2...4, 0 when the window ends before it does, -1 when it is invalid (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    static func utf8SequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let b0 = buf[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return -1
        }
        for k in 1..<length {
            guard i + k < end else { return 0 }
            let b = buf[i + k]
            if k == 1 {
                guard b >= low && b <= high else { return -1 }
            } else {
                guard b >= 0x80 && b <= 0xBF else { return -1 }
            }
        }
        return length
    }

    /// Decodes the escape at the backslash into `tape`.
    mutating func parseEscape() throws {
        let escapeMark = mark
        guard try input.ensure(2) else { throw DocumentError("unterminated string", at: escapeMark) }
        let c = input.buffer[input.pos + 1]
        let simple: UInt8?
        switch c {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw DocumentError("invalid escape '\\\(describe(c).trimmingQuotes)' in string", at: escapeMark)
        }
        if let simple {
            tape.append(simple)
            input.pos += 2
            column += 2
            return
        }
        var scalar = try parseHex4(escapeMark)
        if scalar >= 0xDC00 && scalar <= 0xDFFF {
            throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
        }
        if scalar >= 0xD800 && scalar <= 0xDBFF {
            guard try input.ensure(2), input.buffer[input.pos] == 0x5C, input.buffer[input.pos + 1] == UInt8(ascii: "u")
            else {
                throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
            }
            let lowMark = mark
            let low = try parseHex4(lowMark)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        appendUTF8(scalar)
    }

    /// Reads `\uXXXX` at the current position (the backslash) and returns XXXX.
    mutating func parseHex4(_ escapeMark: Mark) throws -> UInt32 {
        guard try input.ensure(6) else {
            throw DocumentError("invalid \\u escape, expected four hex digits", at: escapeMark)
        }
        var value: UInt32 = 0
        for k in 2..<6 {
            let h = input.buffer[input.pos + k]
            let digit: UInt8
            switch h {
            case 0x30...0x39: digit = h - 0x30
            case 0x41...0x46: digit = h - 0x41 + 10
            case 0x61...0x66: digit = h - 0x61 + 10
            default: throw DocumentError("invalid \\u escape, expected four hex digits", at: escapeMark)
            }
            value = value << 4 | UInt32(digit)
        }
        input.pos += 6
        column += 6
        return value
    }

    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            tape.append(UInt8(v))
        case 0x80..<0x800:
            tape.append(UInt8(0xC0 | (v >> 6)))
            tape.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            tape.append(UInt8(0xE0 | (v >> 12)))
            tape.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            tape.append(UInt8(0x80 | (v & 0x3F)))
        default:
            tape.append(UInt8(0xF0 | (v >> 18)))
            tape.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            tape.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            tape.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

extension String {
    fileprivate var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
