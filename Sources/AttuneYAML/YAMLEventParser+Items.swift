import CYAML

/// Streamed items collected as events (`ItemEvents`) instead of nodes, for record files.
extension YAMLEventParser {
    /// Whether an event of this type begins a streamed item: a value at a document's root, or
    /// an element of a streamed root sequence.
    func startsItem(_ type: yaml_event_type_t) -> Bool {
        guard type == YAML_SCALAR_EVENT || type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT
        else { return false }
        if let top = stack.last { return top.streamsItems }
        return !(streamsRootSequence && type == YAML_SEQUENCE_START_EVENT)
    }

    /// Records an event of a streamed item, with the checks `open`, `count` and the scalar
    /// case make on the node path (same messages, same marks), and ends the item after its last
    /// event: items are delivered in batches (`ItemTape.holdsBatch`), and `consume` delivers
    /// those held before anything else happens (a node, an error, the end). False for what the
    /// node path handles: an alias (an error in record files) and an empty document.
    /// The event is passed in place: libyaml's event is over 100 bytes, copied per event when
    /// passed by value.
    mutating func collect(_ event: inout yaml_event_t, mark: Mark, deliver: (ItemEvents) throws -> Void) throws
        -> Bool
    {
        switch event.type {
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let length = Int(scalar.length)
            guard length <= limits.maxScalarBytes else {
                throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: mark)
            }
            let isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            let isDecorated = scalar.anchor != nil || scalar.tag != nil
            if stack.isEmpty, tapeDepth == 0, length == 0, !isDecorated, isPlain { return false }
            try count(1, at: mark)
            let start = tape.count
            tape.append(UnsafeBufferPointer(start: scalar.value, count: length))
            tape.appendScalar(from: start, mark: mark, isPlain: isPlain, isDecorated: isDecorated)
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            guard stack.count + tapeDepth < limits.maxDepth else {
                throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: mark)
            }
            try count(1, at: mark)
            let isMapping = event.type == YAML_MAPPING_START_EVENT
            let isDecorated =
                isMapping
                ? event.data.mapping_start.anchor != nil || event.data.mapping_start.tag != nil
                : event.data.sequence_start.anchor != nil || event.data.sequence_start.tag != nil
            tape.appendEvent(
                ItemEvent(isMapping ? .mappingStart : .sequenceStart, mark: mark, isDecorated: isDecorated))
            tapeDepth += 1
            return true
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            tapeDepth -= 1
            tape.appendEvent(ItemEvent(event.type == YAML_MAPPING_END_EVENT ? .mappingEnd : .sequenceEnd, mark: mark))
        default:
            return false
        }
        guard tapeDepth == 0 else { return true }
        itemNodes = stack.isEmpty ? 0 : 1  // as `complete` counts: the root sequence stays counted
        tape.endItem()
        if tape.holdsBatch { try tape.deliverItems(deliver) }
        return true
    }

    /// A node built the general way (aliases allowed), handed over as events.
    static func deliverAsEvents(_ node: Node, _ body: (ItemEvents) throws -> Void) throws {
        let tape = ItemTape()
        tape.append(node)
        try tape.deliver(body)
    }
}
