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
struct ItemTape {
    var events: [ItemEvent] = []
    /// Scalars' bytes: the first `count` are in use, the rest is room to append into without
    /// `Array.append`'s per-call work (appends here are a bounds check and a copy).
    private var storage: [UInt8] = []
    private(set) var count = 0

    mutating func reset() {
        events.removeAll(keepingCapacity: true)
        count = 0
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == storage.count { grow(to: count + 1) }
        storage[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        let start = count
        if start + bytes.count > storage.count { grow(to: start + bytes.count) }
        storage.withUnsafeMutableBufferPointer {
            $0.baseAddress!.advanced(by: start).update(from: source, count: bytes.count)
        }
        count = start + bytes.count
    }

    /// Appends `array[range]`.
    @inline(__always)
    mutating func append(_ array: [UInt8], _ range: Range<Int>) {
        array.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    private mutating func grow(to needed: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(needed, storage.count * 2, 1024) - storage.count))
    }

    /// Appends a scalar event whose bytes were appended since `start` (a `count` taken before).
    mutating func appendScalar(from start: Int, mark: Mark, isPlain: Bool, isDecorated: Bool = false) {
        events.append(
            ItemEvent(
                .scalar, mark: mark, isPlain: isPlain, isDecorated: isDecorated, start: start, length: count - start))
    }

    /// Appends the events of a node built the general way (depth bounded by the reader's limits).
    mutating func append(_ node: Node) {
        switch node.content {
        case .scalar(let text, let style):
            let start = count
            var text = text
            text.withUTF8 { append($0) }
            appendScalar(from: start, mark: node.mark, isPlain: style == .plain)
        case .sequence(let items):
            events.append(ItemEvent(.sequenceStart, mark: node.mark))
            for item in items { append(item) }
            events.append(ItemEvent(.sequenceEnd, mark: node.mark))
        case .mapping(let pairs):
            events.append(ItemEvent(.mappingStart, mark: node.mark))
            for pair in pairs {
                append(pair.key)
                append(pair.value)
            }
            events.append(ItemEvent(.mappingEnd, mark: node.mark))
        }
    }

    /// Hands the collected events to `body`, then forgets them.
    mutating func deliver(_ body: (ItemEvents) throws -> Void) throws {
        defer { reset() }
        try events.withUnsafeBufferPointer { events in
            try storage.withUnsafeBufferPointer { bytes in
                try body(ItemEvents(events: events, bytes: UnsafeBufferPointer(rebasing: bytes[0..<count])))
            }
        }
    }
}
