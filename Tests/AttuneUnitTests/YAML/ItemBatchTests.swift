import Testing

@testable import AttuneYAML

/// The YAML reader delivers record items in batches (`ItemTape.holdsBatch`), yet what a reader
/// sees is as if each item came when it ended: every item before an error, none after, and a
/// receiver that stops the reading stops it at its own item.
struct ItemBatchTests {
    /// `count` records as a YAML sequence, with `broken` (if any) replaced by a line that does
    /// not parse.
    static func records(_ count: Int, broken: Int? = nil) -> [UInt8] {
        let lines = (0..<count).map { index in
            index == broken
                ? "- {client: C-\(index), date: [2026-01-01\n" : "- {client: C-\(index), date: 2026-01-01}\n"
        }
        return Array(lines.joined().utf8)
    }

    static func clients(_ bytes: [UInt8], stopAt stop: Int? = nil) -> (clients: [String], error: (any Error)?) {
        struct Stop: Error {}
        var clients: [String] = []
        do {
            try YAMLReader.forEachItemEvents(in: .bytes(bytes), limits: .records) { item in
                if clients.count == stop { throw Stop() }
                clients.append(String(decoding: item.text(item.events[2]), as: UTF8.self))
            }
            return (clients, nil)
        } catch {
            return (clients, error)
        }
    }

    /// More records than a batch holds, several times over, arrive whole and in order.
    @Test func everyItemArrivesInOrder() {
        let count = ItemTape.itemsPerBatch * 3 + 5
        let (clients, error) = Self.clients(Self.records(count))
        #expect(error == nil)
        #expect(clients == (0..<count).map { "C-\($0)" })
    }

    /// A syntax error in the middle of a batch comes after every record before it.
    @Test func anErrorComesAfterTheItemsBeforeIt() throws {
        let broken = ItemTape.itemsPerBatch * 2 + 3
        let (clients, error) = Self.clients(Self.records(broken + 40, broken: broken))
        #expect(clients == (0..<broken).map { "C-\($0)" })
        let documentError = try #require(error as? DocumentError)
        #expect(documentError.mark.line > broken)
    }

    /// A receiver that throws on an item sees nothing after it, and its error, not a later syntax
    /// error of the same batch, ends the reading.
    @Test func aReceiverThatThrowsStopsAtItsItem() {
        let (clients, error) = Self.clients(Self.records(ItemTape.itemsPerBatch, broken: 9), stopAt: 4)
        #expect(clients == (0..<4).map { "C-\($0)" })
        #expect(error != nil && !(error is DocumentError))
    }
}
