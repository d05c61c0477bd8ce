import AttuneCore
import Dispatch

/// The elements of an open JSON array written on several threads and handed on in order: the
/// bytes are those of writing them one after the other.
///
/// Elements are written in pieces of `elementsPerPiece`, a few pieces per thread at a time
/// (threads take the next piece as they finish, so uneven elements even out); each round's
/// pieces are added to the writer and flushed before the next round starts, so a report is
/// never held whole in memory.
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
        while start < count {
            let end = min(count, start + elementsPerPiece * piecesPerRound)
            let pieces = (end - start + elementsPerPiece - 1) / elementsPerPiece
            // An empty copy of the writer's place: a copy of the writer would share its bytes, and copy them when they grow.
            let (roundStart, base) = (start, json.branch(afterValues: false))
            var writers = (0..<pieces).map { piece in
                let first = start + piece * elementsPerPiece
                return startingAt?(first) ?? base.branch(afterValues: first > 0)
            }
            writers.withUnsafeMutableBufferPointer { buffer in
                let slots = UnsafeSendableBuffer(buffer)
                withoutActuallyEscaping(element) { element in
                    let work = UnsafeSendableWork(element)
                    DispatchQueue.concurrentPerform(iterations: pieces) { piece in
                        let first = roundStart + piece * elementsPerPiece
                        for index in first..<min(end, first + elementsPerPiece) {
                            work.element(index, &slots.buffer[piece])
                        }
                    }
                }
            }
            for piece in writers.indices {
                json.append(writers[piece])
                writers[piece] = JSONWriter()  // Each piece's bytes held once: in the writer they went into.
                json.flush(over: chunkSize, to: output)
            }
            start = end
        }
    }
}

/// The element writer, called from the threads of `concurrentPerform`.
// Unchecked: the writer reads a review that nothing changes while the report is written, and
// writes only into the piece it is given.
private struct UnsafeSendableWork: @unchecked Sendable {
    let element: (Int, inout JSONWriter) -> Void
    init(_ element: @escaping (Int, inout JSONWriter) -> Void) { self.element = element }
}
