import AttuneYAML

extension KindProtocol {
    // MARK: evaluate, many timelines a call

    /// An evaluate request for the timelines of one rule that a batching kind (`batch: true`)
    /// judges in one call, and what became of each timeline: sent, or failed before sending
    /// because one of its expressions could not be evaluated.
    public struct BatchRequest {
        public var bytes: [UInt8]
        /// Positions (in the timelines given) of those the request holds, in order.
        public var sent: [Int]
        /// Why a timeline is not in the request, by position; nil for those sent.
        public var failures: [EvaluationError?]
    }

    /// The binary record layout (`record_layout: binary`, docs/plugins.md): after the request's
    /// JSON header and a zero byte, at the next multiple of 8 bytes from the request's start,
    /// each timeline is a little-endian `u32` record count followed by that many rows of
    /// `record_bytes` bytes: `index` u32, then the fields the kind reads in the order `date`
    /// (i32, days since 1970-01-01), `attendance` (u32, its position in `attendance_codes`),
    /// `session` (u32, 0 when not recorded), `measures` (f64 each in the header's `measures`
    /// order, NaN when not recorded), then the expressions as a u32 bit set (bit i: the i-th
    /// declared expression holds). Names (client, episode) are not sent at all.
    public enum BinaryRecords {
        /// Expressions fit one u32 bit set.
        public static let maximumExpressions = 32
        /// Attendance as the number a row carries: its position here.
        public static let attendanceCodes = Attendance.allCases

        public static func code(_ attendance: Attendance) -> UInt32 {
            switch attendance {
            case .attended: 0
            case .cancelled: 1
            case .lateCancel: 2
            case .noShow: 3
            }
        }

        /// Bytes per row for a kind reading `reads` with `measureCount` measures in the vocabulary.
        public static func rowBytes(reads: [PluginKindDeclaration.RecordField], measureCount: Int) -> Int {
            var bytes = 4 + 4  // index, expressions
            for field in reads {
                switch field {
                case .date, .attendance, .session: bytes += 4
                case .measures: bytes += 8 * measureCount
                case .tags: break  // refused at declare
                }
            }
            return bytes
        }
    }

    /// The request for `timelines` (those of one rule, sharing as-of), in the kind's record layout.
    public static func evaluateRequest(
        kind: PluginKindDeclaration, parameters: [String: ParameterValue], timelines: [RuleTimeline]
    ) -> BatchRequest {
        var failures = [EvaluationError?](repeating: nil, count: timelines.count)
        var sent: [Int] = []
        var bits: [[UInt32]] = []
        sent.reserveCapacity(timelines.count)
        bits.reserveCapacity(timelines.count)
        var scratch: [UInt32] = []
        for (position, timeline) in timelines.enumerated() {
            do {
                try expressionBits(kind, timeline, into: &scratch)
                sent.append(position)
                bits.append(scratch)
            } catch {
                failures[position] = error
            }
        }
        let asOf = timelines.first?.asOf ?? Day(number: 0)
        let bytes: [UInt8]
        switch kind.recordLayout {
        case .json, .columns:
            var writer = JSONWriter(
                pretty: false, capacity: 256 + sent.reduce(0) { $0 + 64 + 48 * timelines[$1].indices.count })
            header(
                &writer, kind.declaration, parameters, asOf: asOf,
                countsBranches: timelines.first?.context.coverage != nil)
            writer.key("timelines")
            writer.beginArray()
            for (position, timelineBits) in zip(sent, bits) {
                writer.beginObject()
                writeTimeline(&writer, kind, timelines[position], timelineBits)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
            bytes = writer.bytes
        case .binary:
            bytes = binaryRequest(kind, parameters, asOf: asOf, timelines: sent.map { timelines[$0] }, bits: bits)
        }
        return BatchRequest(bytes: bytes, sent: sent, failures: failures)
    }

    /// The declared expressions on each record of `timeline`, one bit each (declaration order):
    /// looked up once per timeline, not by name per record.
    static func expressionBits(
        _ kind: PluginKindDeclaration, _ timeline: RuleTimeline, into bits: inout [UInt32]
    ) throws(EvaluationError) {
        bits.removeAll(keepingCapacity: true)
        // nil: the rule leaves the expression out (`match` then holds, any other does not).
        let compiled: [(CompiledExpression?, Bool)] = kind.declaration.expressions.map { expression in
            expression.name == "match"
                ? (timeline.context.match, true) : (timeline.context.expressions[expression.name], false)
        }
        for index in timeline.indices {
            var set: UInt32 = 0
            for (bit, (expression, absentHolds)) in compiled.enumerated() {
                let holds =
                    try expression.map { e throws(EvaluationError) in try timeline.holds(e, at: index) } ?? absentHolds
                if holds { set |= 1 << UInt32(bit) }
            }
            bits.append(set)
        }
    }

    /// A timeline's keys in a request: whose it is, and its records.
    static func writeTimeline(
        _ writer: inout JSONWriter, _ kind: PluginKindDeclaration, _ timeline: RuleTimeline, _ bits: [UInt32]
    ) {
        writer.key("client")
        writer.string(timeline.timeline.client)
        writer.key("episode")
        writer.string(timeline.timeline.episode)
        writer.key("records")
        writeRecords(&writer, kind, timeline, bits)
    }

    /// A timeline's records as JSON: index, the fields the kind reads, and its expressions; one
    /// object per record, or one array per field (`record_layout: columns`).
    static func writeRecords(
        _ writer: inout JSONWriter, _ kind: PluginKindDeclaration, _ timeline: RuleTimeline, _ bits: [UInt32]
    ) {
        if kind.recordLayout == .columns {
            writeColumns(&writer, kind, timeline, bits)
            return
        }
        let expressions = kind.declaration.expressions
        let vocabulary = timeline.vocabulary
        writer.beginArray()
        for (index, set) in zip(timeline.indices, bits) {
            let record = timeline[index]
            writer.beginObject()
            writer.key("index")
            writer.integer(index)
            for field in kind.reads {
                writer.key(field.rawValue)
                switch field {
                case .date: writer.date(record.date)
                case .attendance: writer.string(record.attendance.rawValue)
                case .session: writer.integer(record.session)
                case .measures:
                    writer.beginObject()
                    for (measureIndex, value) in zip(record.measures.indices, record.measures.values) {
                        writer.key(vocabulary.measures[Int(measureIndex)].name)
                        writer.number(value)
                    }
                    writer.endObject()
                case .tags:
                    writer.beginArray()
                    for tag in record.tags { writer.string(tag) }
                    writer.endArray()
                }
            }
            writer.key("expressions")
            writer.beginObject()
            for (bit, expression) in expressions.enumerated() {
                writer.key(expression.name)
                writer.bool(set & (1 << UInt32(bit)) != 0)
            }
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
    }

    private static func writeColumns(
        _ writer: inout JSONWriter, _ kind: PluginKindDeclaration, _ timeline: RuleTimeline, _ bits: [UInt32]
    ) {
        let records = timeline.timeline.records
        writer.beginObject()
        writer.key("index")
        writer.beginArray()
        for index in timeline.indices { writer.integer(index) }
        writer.endArray()
        for field in kind.reads {
            writer.key(field.rawValue)
            switch field {
            case .date:
                writer.beginArray()
                for index in timeline.indices { writer.date(records[index].date) }
                writer.endArray()
            case .attendance:
                writer.beginArray()
                for index in timeline.indices { writer.string(records[index].attendance.rawValue) }
                writer.endArray()
            case .session:
                writer.beginArray()
                for index in timeline.indices { writer.integer(records[index].session) }
                writer.endArray()
            case .measures:
                // Every measure of the vocabulary that one of these records holds, null where not recorded.
                writer.beginObject()
                for (measureIndex, measure) in timeline.vocabulary.measures.enumerated()
                where timeline.indices.contains(where: { records[$0].measures[measureIndex] != nil }) {
                    writer.key(measure.name)
                    writer.beginArray()
                    for index in timeline.indices {
                        if let value = records[index].measures[measureIndex] {
                            writer.number(value)
                        } else {
                            writer.null()
                        }
                    }
                    writer.endArray()
                }
                writer.endObject()
            case .tags:
                writer.beginArray()
                for index in timeline.indices {
                    writer.beginArray()
                    for tag in records[index].tags { writer.string(tag) }
                    writer.endArray()
                }
                writer.endArray()
            }
        }
        writer.key("expressions")
        writer.beginObject()
        for (bit, expression) in kind.declaration.expressions.enumerated() {
            writer.key(expression.name)
            writer.beginArray()
            for set in bits { writer.bool(set & (1 << UInt32(bit)) != 0) }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
    }

    /// The JSON header, a zero byte, padding to 8, then each timeline's count and rows.
    private static func binaryRequest(
        _ kind: PluginKindDeclaration, _ parameters: [String: ParameterValue], asOf: Day, timelines: [RuleTimeline],
        bits: [[UInt32]]
    ) -> [UInt8] {
        let vocabulary = timelines.first?.vocabulary
        let measureCount = kind.reads.contains(.measures) ? vocabulary?.measures.count ?? 0 : 0
        let rowBytes = BinaryRecords.rowBytes(reads: kind.reads, measureCount: measureCount)
        var writer = JSONWriter(pretty: false, capacity: 512)
        header(
            &writer, kind.declaration, parameters, asOf: asOf, countsBranches: timelines.first?.context.coverage != nil)
        writer.key("record_layout")
        writer.string(PluginKindDeclaration.RecordLayout.binary.rawValue)
        writer.key("timelines")
        writer.integer(timelines.count)
        writer.key("record_bytes")
        writer.integer(rowBytes)
        writer.key("attendance_codes")
        writer.beginArray()
        for attendance in BinaryRecords.attendanceCodes { writer.string(attendance.rawValue) }
        writer.endArray()
        writer.key("measures")
        writer.beginArray()
        for measure in (vocabulary?.measures ?? []).prefix(measureCount) { writer.string(measure.name) }
        writer.endArray()
        writer.endObject()
        let tableStart = (writer.bytes.count + 1 + 7) & ~7
        let total = tableStart + timelines.reduce(0) { $0 + 4 + $1.indices.count * rowBytes }
        var bytes = writer.bytes
        bytes.append(contentsOf: repeatElement(0, count: total - bytes.count))
        // The fields in the layout's order, whatever order `reads` lists them in.
        let readsDate = kind.reads.contains(.date)
        let readsAttendance = kind.reads.contains(.attendance)
        let readsSession = kind.reads.contains(.session)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = tableStart
            func put(_ value: UInt32) {
                buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
            }
            for (timeline, timelineBits) in zip(timelines, bits) {
                put(UInt32(timeline.indices.count))
                timeline.timeline.records.withUnsafeBufferPointer { records in
                    for (index, set) in zip(timeline.indices, timelineBits) {
                        put(UInt32(truncatingIfNeeded: index))
                        if readsDate { put(UInt32(bitPattern: records[index].date.number)) }
                        if readsAttendance { put(BinaryRecords.code(records[index].attendance)) }
                        if readsSession { put(UInt32(clamping: records[index].session ?? 0)) }
                        for measureIndex in 0..<measureCount {
                            let value = records[index].measures[measureIndex] ?? .nan
                            buffer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt64.self)
                            offset += 8
                        }
                        put(set)
                    }
                }
            }
        }
        return bytes
    }

    /// What a batching kind said of each timeline sent (`sent`: the record indices sent per
    /// timeline, in order): `{"results": [answer, …]}`, one answer (or `{"error": …}`) per
    /// timeline. A response that is not that shape fails the whole call.
    public static func answers(
        from response: [UInt8], kind: PluginKindDeclaration, sent: [[Int]], asOf: Day, plugin: String
    ) throws(PluginError) -> [Result<Answer, PluginError>] {
        let node = try document(response, plugin: plugin, what: "evaluate response")
        let file = "<plugin \(plugin) evaluate response>"
        var results: [Node]?
        for pair in node.mappingPairs ?? [] {
            switch pair.key.scalarText {
            case "results": results = pair.value.sequenceItems
            case "error":
                throw PluginError(
                    plugin: plugin,
                    "kind \(kind.declaration.name) reports an error: \(pair.value.scalarText ?? "(not text)")")
            default:
                throw PluginError(
                    plugin: plugin,
                    "kind \(kind.declaration.name) answered outside \(version): unknown key '\(pair.key.scalarText ?? "?")' in a batch response (at \(pair.key.mark.line):\(pair.key.mark.column))"
                )
            }
        }
        guard let results else {
            throw PluginError(
                plugin: plugin,
                "kind \(kind.declaration.name) answered outside \(version): a batch response is {\"results\": [one answer per timeline]}"
            )
        }
        guard results.count == sent.count else {
            throw PluginError(
                plugin: plugin,
                "kind \(kind.declaration.name) answered \(results.count) results for \(sent.count) timelines")
        }
        return zip(results, sent).map { item, indices in
            // A quiet timeline, the usual answer: nothing to check.
            if let pairs = item.mappingPairs, pairs.isEmpty { return .success(Answer(findings: [], branches: [])) }
            do throws(PluginError) {
                return .success(
                    try answer(item, kind: kind, sent: indices, asOf: asOf, plugin: plugin, file: file))
            } catch {
                return .failure(error)
            }
        }
    }
}
