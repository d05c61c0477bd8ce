import CYAML

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads YAML through libyaml's event API and hands out located, untyped nodes.
///
/// Events rather than `yaml_parser_load`: a record file of a million sessions is a root
/// sequence that we never build; each element is handed to the caller as soon as its last
/// event arrives, then dropped. Limits are checked as events arrive, so hostile input
/// (deep nesting, billion laughs, huge scalars) fails before it costs memory.
///
/// ```swift
/// try YAMLReader.forEachItem(in: .file(path: "sessions.yaml"), limits: .records) { session in
///     print(session.mark, session.mappingPairs?.count ?? 0)
/// }
/// let modules = try YAMLReader.documents(in: .bytes(ruleBytes), limits: .rules)
/// ```
public enum YAMLReader {
    /// Streams the items of a YAML stream: the elements of a root sequence, or a root mapping
    /// or scalar as one item, document after document; an empty document yields nothing.
    /// Reader errors throw `DocumentError` after the preceding items were delivered; errors
    /// thrown by `body` propagate unchanged.
    public static func forEachItem(in source: DocumentSource, limits: DocumentLimits, _ body: (Node) throws -> Void)
        throws
    {
        try YAMLEventParser.run(source: source, limits: limits, streamsRootSequence: true, deliver: body)
    }

    /// `forEachItem` for readers that decode items straight from their events (record files):
    /// each item's events go to `body`, which may build the item's `Node` (`ItemEvents.node()`)
    /// to read it the general way. With aliases allowed, items are built as nodes and handed over
    /// as their events are not (an alias needs the node it names).
    public static func forEachItemEvents(
        in source: DocumentSource, limits: DocumentLimits, _ body: (ItemEvents) throws -> Void
    ) throws {
        try YAMLEventParser.run(
            source: source, limits: limits, streamsRootSequence: true, deliver: { _ in }, wantsEvents: true,
            deliverEvents: body)
    }

    /// The root node of every non-empty document, built whole: for small files such as rule modules.
    public static func documents(in source: DocumentSource, limits: DocumentLimits) throws -> [Node] {
        var roots: [Node] = []
        try YAMLEventParser.run(source: source, limits: limits, streamsRootSequence: false) { roots.append($0) }
        return roots
    }
}

/// Drives libyaml and turns its events into nodes with an explicit stack (no recursion, so
/// depth is bounded by `maxDepth`, not by the thread's stack).
struct YAMLEventParser {
    /// A collection under construction.
    struct Frame {
        var isMapping: Bool
        var mark: Mark
        var anchor: String?
        /// Where this collection's children start in `childItems` or `childPairs`.
        var start: Int
        var pendingKey: Node?
        /// Nodes in this subtree so far, counting itself: what an alias to it would add.
        var nodeCount = 1
        /// Collection levels in this subtree, counting itself.
        var height = 1
        /// The root sequence of a streamed document: its elements go to the caller, not here.
        var streamsItems = false
    }

    /// An anchored node, with the sizes an alias to it would add, computed once at the anchor.
    struct Anchored {
        var node: Node
        var nodeCount: Int
        var height: Int
    }

    let limits: DocumentLimits
    let streamsRootSequence: Bool
    var stack: [Frame] = []
    /// Children of the open collections, innermost last. One shared buffer instead of an array
    /// per frame: a finished collection is copied out at its exact size, one allocation, rather
    /// than grown append by append.
    var childItems: [Node] = []
    var childPairs: [Node.Pair] = []
    var anchors: [String: Anchored] = [:]
    var expandedNodes = 0
    /// Nodes of the item being built (reset when one is delivered).
    var itemNodes = 0
    /// Line breaks libyaml counted up to the end of the stream.
    var lines = 0
    /// Items are collected as events (`ItemEvents`) rather than built as nodes.
    var tapesItems = false
    let tape = ItemTape()
    /// Collections open in the item being taped.
    var tapeDepth = 0

    /// Reads `source` (or, with `part`, that byte range of a file) and returns how many lines it spanned.
    @discardableResult
    static func run(
        source: DocumentSource, limits: DocumentLimits, streamsRootSequence: Bool, part: YAMLFilePart? = nil,
        deliver: (Node) throws -> Void, wantsEvents: Bool = false,
        deliverEvents: (ItemEvents) throws -> Void = { _ in }
    ) throws -> (lines: Int, feed: YAMLInputFeed) {
        // The parser stores a pointer to itself (read_handler_data), so it must not move: heap-allocate it.
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw DocumentError("cannot initialise the YAML parser (out of memory)", at: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(parser) }

        // A file is opened once: the pass that locates an error reads the same file as the parse.
        var input: InputFile?
        var bytes: [UInt8] = []
        switch source {
        case .file(let path): input = try InputFile.opened(path)
        case .opened(let file): input = file
        case .bytes(let given): bytes = given
        }
        let source = input.map(DocumentSource.opened) ?? source
        let feed: YAMLInputFeed
        if let input, let part {
            feed = YAMLInputFeed(input: input, budget: limits.tokenInputBudget, range: part.range)
        } else if let input {
            // A stream cannot be read twice: it keeps what an error found late may need.
            if !input.isRegular { input.keepHistory(limits.tokenInputBudget + (1 << 20)) }
            feed = YAMLInputFeed(input: input, budget: limits.tokenInputBudget)
        } else {
            feed = YAMLInputFeed(bytes: bytes, budget: limits.tokenInputBudget)
        }
        var state = YAMLEventParser(limits: limits, streamsRootSequence: streamsRootSequence)
        state.tapesItems = wantsEvents && !limits.allowsAliases
        try withExtendedLifetime(feed) {
            yaml_parser_set_input(parser, YAMLInputFeed.readHandler, Unmanaged.passUnretained(feed).toOpaque())
            if wantsEvents, !state.tapesItems {
                try state.consume(
                    parser, feed: feed, source: source,
                    deliver: { node in try Self.deliverAsEvents(node, deliverEvents) }, deliverEvents: deliverEvents)
            } else {
                try state.consume(parser, feed: feed, source: source, deliver: deliver, deliverEvents: deliverEvents)
            }
        }
        return (state.lines, feed)
    }

    mutating func consume(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, feed: YAMLInputFeed, source: DocumentSource,
        deliver: (Node) throws -> Void, deliverEvents: (ItemEvents) throws -> Void
    ) throws {
        // Items taped but not yet delivered go first, whatever ends the reading: an error
        // comes after the items before it, as it would if each were delivered when it ended.
        do {
            try consumeEvents(parser, feed: feed, source: source, deliver: deliver, deliverEvents: deliverEvents)
        } catch {
            try tape.deliverItems(deliverEvents)
            throw error
        }
    }

    private mutating func consumeEvents(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, feed: YAMLInputFeed, source: DocumentSource,
        deliver: (Node) throws -> Void, deliverEvents: (ItemEvents) throws -> Void
    ) throws {
        var event = yaml_event_t()
        var lastEnd = Mark(line: 1, column: 1)
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                if feed.exceededBudget {
                    // libyaml holds a whole token in memory before it says anything about it, so
                    // the feed stopped it: report where that token starts.
                    throw DocumentError(
                        "a scalar (or comment) longer than \(limits.maxScalarBytes) bytes",
                        at: ByteInput.mark(ofLongTokenAfter: lastEnd, longerThan: limits.maxScalarBytes, in: source))
                }
                throw Self.parserError(parser.pointee, source: source)
            }
            defer { yaml_event_delete(&event) }
            feed.bytesSinceEvent = 0
            let mark = Mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            lastEnd = Mark(line: Int(event.end_mark.line) + 1, column: Int(event.end_mark.column) + 1)
            if tapesItems, tapeDepth > 0 || startsItem(event.type),
                try collect(&event, mark: mark, deliver: deliverEvents)
            {
                continue
            }
            // Anything else (a node, a document's start or end, the end) comes after the items
            // taped before it.
            if tape.pendingItems > 0 { try tape.deliverItems(deliverEvents) }

            switch event.type {
            case YAML_STREAM_END_EVENT:
                lines = Int(event.end_mark.line)
                return

            case YAML_DOCUMENT_START_EVENT:
                stack.removeAll(keepingCapacity: true)
                childItems.removeAll(keepingCapacity: true)
                childPairs.removeAll(keepingCapacity: true)
                anchors.removeAll()
                expandedNodes = 0
                itemNodes = 0
                tape.reset()
                tapeDepth = 0

            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let length = Int(scalar.length)
                guard length <= limits.maxScalarBytes else {
                    throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: mark)
                }
                if stack.isEmpty, length == 0, scalar.anchor == nil, scalar.tag == nil,
                    scalar.style == YAML_PLAIN_SCALAR_STYLE
                {
                    continue  // an empty document: nothing to deliver
                }
                try count(1, at: mark)
                let text =
                    length == 0
                    ? "" : String(decoding: UnsafeBufferPointer(start: scalar.value, count: length), as: UTF8.self)
                let style: Node.ScalarStyle = scalar.style == YAML_PLAIN_SCALAR_STYLE ? .plain : .quoted
                try complete(
                    Node(.scalar(text, style), mark: mark), nodeCount: 1, height: 0,
                    anchor: Self.string(scalar.anchor), deliver: deliver)

            case YAML_SEQUENCE_START_EVENT:
                try open(isMapping: false, mark: mark, anchor: Self.string(event.data.sequence_start.anchor))

            case YAML_MAPPING_START_EVENT:
                try open(isMapping: true, mark: mark, anchor: Self.string(event.data.mapping_start.anchor))

            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                if frame.streamsItems { continue }
                let node: Node
                if frame.isMapping {
                    node = Node(.mapping(Array(childPairs[frame.start...])), mark: frame.mark)
                    childPairs.removeSubrange(frame.start...)
                } else {
                    node = Node(.sequence(Array(childItems[frame.start...])), mark: frame.mark)
                    childItems.removeSubrange(frame.start...)
                }
                try complete(
                    node, nodeCount: frame.nodeCount, height: frame.height, anchor: frame.anchor, deliver: deliver)

            case YAML_ALIAS_EVENT:
                guard limits.allowsAliases else {
                    throw DocumentError("aliases are not allowed in record files", at: mark)
                }
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw DocumentError("unknown alias '*\(name)'", at: mark)
                }
                // Check the sizes computed at the anchor before any copy exists.
                expandedNodes += target.nodeCount
                guard expandedNodes <= limits.aliasExpansionBudget else {
                    throw DocumentError("aliases expand to more than \(limits.aliasExpansionBudget) nodes", at: mark)
                }
                guard stack.count + target.height <= limits.maxDepth else {
                    throw DocumentError("alias '*\(name)' nests deeper than \(limits.maxDepth) levels", at: mark)
                }
                try count(target.nodeCount, at: mark)
                var copy = target.node  // copy-on-write: shares storage with the anchored node
                copy.mark = mark
                try complete(copy, nodeCount: target.nodeCount, height: target.height, anchor: nil, deliver: deliver)

            default:
                break  // stream start, document end, none
            }
        }
    }

    private mutating func open(isMapping: Bool, mark: Mark, anchor: String?) throws {
        guard stack.count < limits.maxDepth else {
            throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: mark)
        }
        try count(1, at: mark)
        var frame = Frame(
            isMapping: isMapping, mark: mark, anchor: anchor, start: isMapping ? childPairs.count : childItems.count)
        frame.streamsItems = streamsRootSequence && stack.isEmpty && !isMapping
        stack.append(frame)
    }

    /// Counts nodes of the item being built against `limits.maxNodes`.
    @inline(__always)
    mutating func count(_ nodes: Int, at mark: Mark) throws {
        itemNodes += nodes
        if itemNodes > (streamsRootSequence ? limits.maxNodes : limits.maxDocumentNodes) {
            throw tooManyNodes(at: mark)
        }
    }

    private func tooManyNodes(at mark: Mark) -> DocumentError {
        streamsRootSequence
            ? DocumentError("more than \(limits.maxNodes) values in one item", at: mark)
            : DocumentError("more than \(limits.maxDocumentNodes) values in one document", at: mark)
    }

    /// Attaches a finished node to its parent, or delivers it.
    private mutating func complete(
        _ node: Node, nodeCount: Int, height: Int, anchor: String?, deliver: (Node) throws -> Void
    ) throws {
        if let anchor {
            anchors[anchor] = Anchored(node: node, nodeCount: nodeCount, height: height)
        }
        guard !stack.isEmpty else {
            itemNodes = 0
            try deliver(node)
            return
        }
        let top = stack.count - 1
        if stack[top].streamsItems {
            itemNodes = 1  // the root sequence itself stays counted
            try deliver(node)
            return
        }
        stack[top].nodeCount += nodeCount
        if height + 1 > stack[top].height { stack[top].height = height + 1 }
        if stack[top].isMapping {
            if let key = stack[top].pendingKey {
                childPairs.append(Node.Pair(key: key, value: node))
                stack[top].pendingKey = nil
            } else {
                stack[top].pendingKey = node
            }
        } else {
            childItems.append(node)
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// libyaml's error, located: scanner and parser errors carry a mark; reader errors
    /// (bad encoding, control characters) carry only a byte offset, which we convert.
    private static func parserError(_ parser: yaml_parser_t, source: DocumentSource) -> DocumentError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            var message = problem
            if parser.problem_value >= 0 {
                let hex = String(parser.problem_value, radix: 16, uppercase: true)
                message += " (#\(hex.count < 2 ? "0" + hex : hex))"
            }
            return DocumentError(message, at: ByteInput.mark(atByteOffset: Int(parser.problem_offset), in: source))
        case YAML_MEMORY_ERROR:
            return DocumentError(
                "out of memory while reading YAML",
                at: Mark(line: Int(parser.mark.line) + 1, column: Int(parser.mark.column) + 1))
        default:
            let context = parser.context.map { String(cString: $0) }
            let message = context.map { "\($0), \(problem)" } ?? problem
            let mark = parser.problem_mark
            return DocumentError(message, at: Mark(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
        }
    }
}
