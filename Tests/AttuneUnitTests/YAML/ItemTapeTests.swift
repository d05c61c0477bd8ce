import Testing

@testable import AttuneYAML

/// The tape readers collect an item's events and bytes into: raw memory that grows as needed.
struct ItemTapeTests {
    /// Past its first capacity (64 events, 1,024 bytes), more than once, every event and byte is
    /// kept in order; a reset empties it and it fills again from the start.
    @Test func growsAndKeepsEveryEventAndByte() throws {
        let tape = ItemTape()
        for round in 0..<2 {
            tape.appendEvent(ItemEvent(.sequenceStart, mark: Mark(line: 1, column: 1)))
            var expected: [[UInt8]] = []
            for index in 0..<500 {
                let text = Array("scalar \(index) of round \(round)".utf8)
                let start = tape.count
                if index.isMultiple(of: 2) {
                    text.withUnsafeBufferPointer { tape.append($0) }
                } else {
                    for byte in text { tape.append(byte) }
                }
                tape.appendScalar(from: start, mark: Mark(line: index + 2, column: 3), isPlain: index.isMultiple(of: 3))
                expected.append(text)
            }
            tape.appendEvent(ItemEvent(.sequenceEnd, mark: Mark(line: 502, column: 1)))
            var delivered = 0
            try tape.deliver { item in
                delivered += 1
                #expect(item.events.count == 502)
                #expect(item.events.first?.kind == .sequenceStart)
                #expect(item.events.last?.kind == .sequenceEnd)
                for (offset, text) in expected.enumerated() {
                    let event = item.events[offset + 1]
                    #expect(event.kind == .scalar)
                    #expect(event.mark == Mark(line: offset + 2, column: 3))
                    #expect(event.isPlain == offset.isMultiple(of: 3))
                    #expect(Array(item.text(event)) == text)
                }
            }
            #expect(delivered == 1)
            // Delivered and forgotten: the next item starts from nothing.
            #expect(tape.events.isEmpty)
            #expect(tape.count == 0)
        }
    }

    /// A scalar longer than the whole first capacity is copied whole.
    @Test func aScalarLongerThanTheCapacity() throws {
        let tape = ItemTape()
        let long = (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }
        long.withUnsafeBufferPointer { tape.append($0) }
        tape.appendScalar(from: 0, mark: Mark(line: 1, column: 1), isPlain: false)
        try tape.deliver { item in
            #expect(Array(item.text(item.events[0])) == long)
        }
    }

    /// Items ended one after another are delivered in order, each with its own events and text,
    /// and the tape is empty after; an unfinished item is forgotten, not delivered.
    @Test func deliversEndedItemsInOrder() throws {
        let tape = ItemTape()
        for index in 0..<5 {
            let start = tape.count
            Array("item \(index)".utf8).withUnsafeBufferPointer { tape.append($0) }
            tape.appendScalar(from: start, mark: Mark(line: index + 1, column: 1), isPlain: true)
            tape.endItem()
        }
        tape.appendEvent(ItemEvent(.mappingStart, mark: Mark(line: 6, column: 1)))  // unfinished
        #expect(tape.pendingItems == 5)
        var texts: [String] = []
        try tape.deliverItems { item in
            #expect(item.events.count == 1)
            texts.append(String(decoding: item.text(item.events[0]), as: UTF8.self))
        }
        #expect(texts == (0..<5).map { "item \($0)" })
        #expect(tape.pendingItems == 0)
        #expect(tape.events.isEmpty)
        #expect(tape.count == 0)
    }

    /// A batch is held until it reaches its count of items, events or bytes.
    @Test func holdsABatchAtItsBounds() {
        let tape = ItemTape()
        for _ in 0..<(ItemTape.itemsPerBatch - 1) {
            tape.appendEvent(ItemEvent(.mappingStart, mark: Mark(line: 1, column: 1)))
            tape.appendEvent(ItemEvent(.mappingEnd, mark: Mark(line: 1, column: 1)))
            tape.endItem()
        }
        #expect(!tape.holdsBatch)
        tape.endItem()
        #expect(tape.holdsBatch)
        tape.reset()
        let long = [UInt8](repeating: 65, count: ItemTape.bytesPerBatch)
        long.withUnsafeBufferPointer { tape.append($0) }
        tape.appendScalar(from: 0, mark: Mark(line: 1, column: 1), isPlain: true)
        tape.endItem()
        #expect(tape.holdsBatch)
    }

    /// When the receiver throws on an item, the items after it are never delivered and the tape
    /// is empty: as if each had been delivered when it ended and reading had stopped there.
    @Test func stopsAtTheItemThatThrows() {
        struct Stop: Error {}
        let tape = ItemTape()
        for _ in 0..<4 {
            tape.appendEvent(ItemEvent(.sequenceStart, mark: Mark(line: 1, column: 1)))
            tape.appendEvent(ItemEvent(.sequenceEnd, mark: Mark(line: 1, column: 1)))
            tape.endItem()
        }
        var seen = 0
        #expect(throws: Stop.self) {
            try tape.deliverItems { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
        #expect(tape.pendingItems == 0)
        #expect(tape.events.isEmpty)
    }
}
