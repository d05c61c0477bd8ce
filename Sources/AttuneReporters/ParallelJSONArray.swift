import AttuneCore

/// The elements of an open JSON array written on several threads and handed on in order: the
/// bytes are those of writing them one after the other.
///
/// Elements are written in pieces of `elementsPerPiece`, a few pieces per thread at a time
/// (threads take the next piece as they finish, so uneven elements even out); each round's
/// pieces are added to the writer and flushed by one thread while the others write the next
/// round's, so a report is never held whole in memory (two rounds at most). A round's pieces write
/// into the storage of the round before last, grown once rather than every round.
///
/// ```swift
/// json.beginArray()
/// ParallelJSONArray(count: items.count, jobs: 2).write(into: &json, flushOver: chunkSize, to: output) { index, json in
///     finding(items[index], into: &json)
/// }
/// json.endArray()
/// ```
struct ParallelJSONArray {
    /// How many elements there are.
    var count: Int
    var jobs: Int
    var elementsPerPiece = 32 {
        didSet { elementsPerPiece = max(1, elementsPerPiece) }
    }
    /// Pieces each thread is given per round.
    static let piecesPerThread = 4

    /// Writes element `index` with `element`, for every index in order. An element may open
    /// what a later one closes (a therapist's object around its clients); `startingAt` then gives
    /// the empty writer a piece starting at an element begins in (`JSONWriter.branch`), which is
    /// otherwise this writer's place in its array.
    func write(
        into json: inout JSONWriter, flushOver chunkSize: Int, to output: (UnsafeRawBufferPointer) -> Void,
        startingAt: ((Int) -> JSONWriter)? = nil, element: (Int, inout JSONWriter) -> Void
    ) {
        guard jobs > 1, count > elementsPerPiece else {
            for index in 0..<count {
                element(index, &json)
                json.flush(over: chunkSize, to: output)
            }
            return
        }
        let piecesPerRound = jobs * Self.piecesPerThread
        var start = 0
        // The last round's pieces: added and flushed by one thread while the others write the
        // next round's, so that the output does not wait for the elements or they for it.
        var written: [JSONWriter] = []
        // The writers of the round before last, whose bytes are in the report: their storage
        // goes to the next round's pieces. Pieces grown anew each round, and freed on the thread
        // adding them, made the allocator return and fault in pages all through a report.
        var spare: [JSONWriter] = []
        while start < count || !written.isEmpty {
            let end = min(count, start + elementsPerPiece * piecesPerRound)
            let pieces = (end - start + elementsPerPiece - 1) / elementsPerPiece
            // An empty copy of the writer's place: a copy of the writer would share its bytes, and
            // copy them when they grow. Its depth is the same before and after the last round is
            // added: those elements are whole values (a piece starting inside one uses `startingAt`).
            let (roundStart, base) = (start, json.branch(afterValues: false))
            var writers = (0..<pieces).map { piece in
                let first = start + piece * elementsPerPiece
                var writer = startingAt?(first) ?? base.branch(afterValues: first > 0)
                if var used = spare.popLast() { writer.takeStorage(of: &used) }
                return writer
            }
            withUnsafeMutablePointer(to: &json) { json in
                writers.withUnsafeMutableBufferPointer { buffer in
                    written.withUnsafeMutableBufferPointer { previous in
                        let slots = UnsafeSendableBuffer(buffer)
                        let previous = UnsafeSendableBuffer(previous)
                        withoutActuallyEscaping(element) { element in
                            withoutActuallyEscaping(output) { output in
                                let work = UnsafeSendableWork(element)
                                let sink = UnsafeSendableOutput(json: json, output: output)
                                // Items are handed out in order: the writing (item 0) starts as the elements do.
                                let writes = previous.buffer.isEmpty ? 0 : 1
                                Parallel.forEach(Array(0..<(writes + pieces)), jobs: jobs) { iteration in
                                    guard iteration >= writes else {
                                        for piece in previous.buffer.indices {
                                            sink.json.pointee.append(previous.buffer[piece])
                                            sink.json.pointee.flush(over: chunkSize, to: sink.output)
                                        }
                                        return
                                    }
                                    let piece = iteration - writes
                                    let first = roundStart + piece * elementsPerPiece
                                    // Written in a writer of this thread's own, moved in and out of
                                    // its slot: the slots lie side by side, and a writer's count
                                    // changes with every byte, so writing in the slot would make
                                    // the threads contend for the memory their slots share.
                                    var writer = JSONWriter()
                                    swap(&writer, &slots.buffer[piece])
                                    for index in first..<min(end, first + elementsPerPiece) {
                                        work.element(index, &writer)
                                    }
                                    swap(&writer, &slots.buffer[piece])
                                }
                            }
                        }
                    }
                }
            }
            spare = written
            written = writers
            start = end
        }
    }
}

/// The report's writer and output, used by one thread at a time: the one adding a round's pieces.
// Unchecked: only the writing iteration of each round touches them, and rounds follow one another.
private struct UnsafeSendableOutput: @unchecked Sendable {
    let json: UnsafeMutablePointer<JSONWriter>
    let output: (UnsafeRawBufferPointer) -> Void
}

/// The element writer, called from the threads of `Parallel.forEach`.
// Unchecked: the writer reads a review that nothing changes while the report is written, and
// writes only into the piece it is given.
private struct UnsafeSendableWork: @unchecked Sendable {
    let element: (Int, inout JSONWriter) -> Void
    init(_ element: @escaping (Int, inout JSONWriter) -> Void) { self.element = element }
}
