/// Report text handed on in pieces: each reporter appends to a string and, between sections,
/// passes what it holds to the output once that is a chunk or more, so a large report (a year of
/// findings is tens of megabytes) goes to its file as it is rendered, never whole in memory.
///
/// ```swift
/// ReportChunks.flush(&out, over: chunkSize, to: output)   // between two clients
/// ReportChunks.flush(&out, over: 0, to: output)           // at the end
/// ```
enum ReportChunks {
    /// Bytes held before they are handed on, unless a reporter is told otherwise.
    static let defaultSize = 1 << 20

    /// Hands `text` to `output` as UTF-8 and empties it, when it holds `size` bytes or more.
    static func flush(_ text: inout String, over size: Int, to output: (UnsafeRawBufferPointer) -> Void) {
        guard !text.isEmpty, text.utf8.count >= size else { return }
        text.withUTF8 { output(UnsafeRawBufferPointer($0)) }
        text.removeAll(keepingCapacity: true)
    }

    /// The whole report as one string: what `render` hands on, put together.
    static func collect(_ render: (_ output: (UnsafeRawBufferPointer) -> Void) -> Void) -> String {
        var bytes: [UInt8] = []
        render { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
