/// One event of a streamed item: a scalar, or the start or end of a mapping or sequence.
///
/// A scalar's text is `length` bytes at `start` in the item's byte buffer (`ItemEvents.bytes`),
/// decoded already (escapes resolved, UTF-8 validated by the reader), with no `String` made.
public struct ItemEvent: Sendable {
    public enum Kind: UInt8, Sendable {
        case scalar, mappingStart, mappingEnd, sequenceStart, sequenceEnd
    }

    public var kind: Kind
    /// Plain (unquoted) scalar: YAML plain style, or a JSON number, `true`, `false` or `null`.
    public var isPlain: Bool
    /// Carries an anchor or a tag (YAML): readers that only know plain data should not guess.
    public var isDecorated: Bool
    public var mark: Mark
    public var start: Int
    public var length: Int

    @inlinable
    init(_ kind: Kind, mark: Mark, isPlain: Bool = false, isDecorated: Bool = false, start: Int = 0, length: Int = 0) {
        self.kind = kind
        self.isPlain = isPlain
        self.isDecorated = isDecorated
        self.mark = mark
        self.start = start
        self.length = length
    }
}

/// The events of one streamed item (a record), valid only while the reader's callback runs:
/// a consumer reads them straight, with no `Node` or `String` per value, and asks for `node()`
/// when it needs the general path (to report an error exactly as the node readers do).
/// `events` are the item's own; `bytes` may hold other items' text too (an event's `start` is an
/// offset into it), so read a scalar with `text(_:)`.
///
/// ```swift
/// try YAMLReader.forEachItemEvents(in: source, limits: .records) { item in
///     if item.events.first?.kind == .mappingStart { … } else { handle(item.node()) }
/// }
/// ```
public struct ItemEvents {
    public let events: UnsafeBufferPointer<ItemEvent>
    public let bytes: UnsafeBufferPointer<UInt8>

    @usableFromInline
    init(events: UnsafeBufferPointer<ItemEvent>, bytes: UnsafeBufferPointer<UInt8>) {
        self.events = events
        self.bytes = bytes
    }

    /// No events: what a reader of items holds before the first.
    public init() {
        self.init(events: UnsafeBufferPointer(start: nil, count: 0), bytes: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The text bytes of a scalar event.
    @inlinable
    public func text(_ event: ItemEvent) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[event.start..<(event.start + event.length)])
    }

    /// The item as the node readers build it: the same content, styles and marks.
    public func node() -> Node {
        var open: [(isMapping: Bool, mark: Mark, start: Int)] = []
        var children: [Node] = []
        for event in events {
            let node: Node
            switch event.kind {
            case .scalar:
                let text = event.length == 0 ? "" : String(decoding: self.text(event), as: UTF8.self)
                node = Node(.scalar(text, event.isPlain ? .plain : .quoted), mark: event.mark)
            case .mappingStart, .sequenceStart:
                open.append((event.kind == .mappingStart, event.mark, children.count))
                continue
            case .mappingEnd, .sequenceEnd:
                let frame = open.removeLast()
                let items = children[frame.start...]
                if frame.isMapping {
                    var pairs: [Node.Pair] = []
                    pairs.reserveCapacity(items.count / 2)
                    var index = items.startIndex
                    while index + 1 < items.endIndex {
                        pairs.append(Node.Pair(key: items[index], value: items[index + 1]))
                        index += 2
                    }
                    node = Node(.mapping(pairs), mark: frame.mark)
                } else {
                    node = Node(.sequence(Array(items)), mark: frame.mark)
                }
                children.removeSubrange(frame.start...)
            }
            children.append(node)
        }
        return children[0]
    }
}

/// Where a reader collects the events of the item being read; reused from item to item.
///
/// A class over raw memory rather than two arrays: a record is some 25 events, each appended
/// with `Array.append`'s uniqueness and capacity checks, which cost more than the copy itself.
/// One tape per reader, never shared between threads; its counters skip the runtime's
/// exclusivity checks for the same reason.
final class ItemTape {
    /// The events collected, `eventCount` of them at `eventBase`.
    @exclusivity(unchecked) private(set) var eventCount = 0
    @exclusivity(unchecked) private var eventCapacity = 0
    @exclusivity(unchecked) private var eventBase: UnsafeMutablePointer<ItemEvent>
    /// Scalars' bytes: the first `count` are in use.
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var byteCapacity = 0
    @exclusivity(unchecked) private var byteBase: UnsafeMutablePointer<UInt8>
    /// Complete items not yet delivered: where each one's events and bytes end.
    @exclusivity(unchecked) private var itemEnds: [(events: Int, bytes: Int)] = []

    /// How many complete items a reader holds before delivering them (`deliverItems`), and how
    /// many of their events or bytes. Delivered one at a time, a record's decoding evicted
    /// libyaml's code from the instruction cache and libyaml evicted the decoder's, on every
    /// record; in batches each stays in the cache for a run of records. The bounds keep a batch
    /// small enough for the data cache, and bound its memory whatever the records hold.
    static let itemsPerBatch = 32
    static let eventsPerBatch = 2_048
    static let bytesPerBatch = 32_768

    init() {
        eventCapacity = 64
        eventBase = .allocate(capacity: eventCapacity)
        byteCapacity = 1024
        byteBase = .allocate(capacity: byteCapacity)
    }

    deinit {
        eventBase.deallocate()
        byteBase.deallocate()
    }

    /// The events collected so far, valid until the next append or reset.
    var events: UnsafeBufferPointer<ItemEvent> { UnsafeBufferPointer(start: eventBase, count: eventCount) }

    func reset() {
        eventCount = 0
        count = 0
        if !itemEnds.isEmpty { itemEnds.removeAll(keepingCapacity: true) }
    }

    /// Complete items collected and not yet delivered.
    var pendingItems: Int { itemEnds.count }

    /// Whether the complete items held make a batch to deliver.
    var holdsBatch: Bool {
        itemEnds.count >= Self.itemsPerBatch || eventCount >= Self.eventsPerBatch || count >= Self.bytesPerBatch
    }

    /// Ends the item being collected: it is delivered with the others by `deliverItems`.
    func endItem() {
        itemEnds.append((eventCount, count))
    }

    @inline(__always)
    func appendEvent(_ event: ItemEvent) {
        if eventCount == eventCapacity { growEvents() }
        (eventBase + eventCount).initialize(to: event)
        eventCount += 1
    }

    private func growEvents() {
        let larger = UnsafeMutablePointer<ItemEvent>.allocate(capacity: eventCapacity * 2)
        larger.moveInitialize(from: eventBase, count: eventCount)
        eventBase.deallocate()
        eventBase = larger
        eventCapacity *= 2
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == byteCapacity { growBytes(to: count + 1) }
        byteBase[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > byteCapacity { growBytes(to: count + bytes.count) }
        // A record's scalars are short: copied by words, not by a call to `memmove` each.
        ShortBytes.copy(source, to: byteBase + count, count: bytes.count)
        count += bytes.count
    }

    /// Appends `array[range]`.
    @inline(__always)
    func append(_ array: [UInt8], _ range: Range<Int>) {
        array.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    private func growBytes(to needed: Int) {
        let capacity = max(needed, byteCapacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.update(from: byteBase, count: count)
        byteBase.deallocate()
        byteBase = larger
        byteCapacity = capacity
    }

    /// Appends a scalar event whose bytes were appended since `start` (a `count` taken before).
    @inline(__always)
    func appendScalar(from start: Int, mark: Mark, isPlain: Bool, isDecorated: Bool = false) {
        appendEvent(
            ItemEvent(
                .scalar, mark: mark, isPlain: isPlain, isDecorated: isDecorated, start: start, length: count - start))
    }

    /// Appends the events of a node built the general way (depth bounded by the reader's limits).
    func append(_ node: Node) {
        switch node.content {
        case .scalar(let text, let style):
            let start = count
            var text = text
            text.withUTF8 { append($0) }
            appendScalar(from: start, mark: node.mark, isPlain: style == .plain)
        case .sequence(let items):
            appendEvent(ItemEvent(.sequenceStart, mark: node.mark))
            for item in items { append(item) }
            appendEvent(ItemEvent(.sequenceEnd, mark: node.mark))
        case .mapping(let pairs):
            appendEvent(ItemEvent(.mappingStart, mark: node.mark))
            for pair in pairs {
                append(pair.key)
                append(pair.value)
            }
            appendEvent(ItemEvent(.mappingEnd, mark: node.mark))
        }
    }

    /// Hands the collected events to `body`, then forgets them.
    func deliver(_ body: (ItemEvents) throws -> Void) throws {
        defer { reset() }
        try body(ItemEvents(events: events, bytes: UnsafeBufferPointer(start: byteBase, count: count)))
    }

    /// Hands each complete item (`endItem`) to `body` in order, then forgets everything collected,
    /// an unfinished item too. When `body` throws, the items after that one are never delivered:
    /// as if each had been delivered when it ended and reading had stopped there.
    func deliverItems(_ body: (ItemEvents) throws -> Void) throws {
        defer { reset() }
        let bytes = UnsafeBufferPointer(start: byteBase, count: count)
        var first = 0
        for end in itemEnds {
            try body(
                ItemEvents(
                    events: UnsafeBufferPointer(start: eventBase + first, count: end.events - first), bytes: bytes))
            first = end.events
        }
    }
}
