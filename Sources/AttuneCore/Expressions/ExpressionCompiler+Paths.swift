/// Paths: what `measures.srs`, `prev.attendance`, a constant or a set names, and its type.
extension ExpressionCompiler {
    func resolvePath(_ components: [Expression.PathComponent], _ errors: inout [ExpressionError]) -> CheckedExpression {
        let head = components[0]
        let pathText = components.map(\.name).joined(separator: ".")
        // Record fields shadow pack names; the pack loader reports a constant or set that collides.
        if head.name == "baseline" {
            return resolveBaseline(components, pathText, &errors)
        }
        if head.name == "prev" || head.name == "first" {
            let isPrevious = head.name == "prev"
            let base: @Sendable (Timeline, Int) -> Int?
            if isPrevious {
                base = { t, i in t.previousAttendedIndex(at: i) }
            } else {
                base = { t, _ in t.firstAttendedIndex }
            }
            if components.count == 1 {
                return CheckedExpression(type: .record) { row throws(EvaluationError) in
                    base(row.timeline, row.index) == nil ? .null : .bool(true)
                }
            }
            if components[1].name == "prev" || components[1].name == "first" {
                errors.append(
                    ExpressionError(
                        "'\(head.name).\(components[1].name)' is not available; use '\(components[1].name)'",
                        offset: components[1].offset))
                return .invalid()
            }
            guard var field = resolveField(Array(components.dropFirst()), pathText, &errors) else { return .invalid() }
            let accessor = field.evaluate
            field.evaluate = { row throws(EvaluationError) in
                guard let index = base(row.timeline, row.index) else {
                    row.probe?.read(pathText, .null, isMeasure: false)
                    return .null
                }
                return try accessor(EvaluationRow(timeline: row.timeline, index: index, probe: row.probe))
            }
            // The typed forms move to the other record the same way; no record there reads as
            // null without flagging a missing measure, as above.
            if let number = field.number {
                field.number = { t, i, p throws(EvaluationError) in
                    guard let index = base(t, i) else { return nil }
                    return try number(t, index, p)
                }
            }
            if let strings = field.strings {
                field.strings = { t, i in
                    guard let index = base(t, i) else { return nil }
                    return strings(t, index)
                }
            }
            if let membership = field.membership {
                field.membership = { literals in
                    let isOneOf = membership(literals)
                    return { t, i in
                        guard let index = base(t, i) else { return nil }
                        return isOneOf(t, index)
                    }
                }
            }
            return field
        }
        if RecordPath.fields[head.name] != nil || RecordPath.structuredFields.contains(head.name) {
            return resolveField(components, pathText, &errors) ?? .invalid()
        }
        if let constant = vocabulary.constants[head.name] {
            guard components.count == 1 else {
                errors.append(
                    ExpressionError(
                        "constant '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            return CheckedExpression(constant: constant.value, type: Self.type(of: constant.value))
        }
        if let set = vocabulary.sets[head.name] {
            guard components.count == 1 else {
                errors.append(
                    ExpressionError(
                        "set '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            return CheckedExpression(constant: .list(set.members.map(Value.string)), type: .list(.string))
        }
        let candidates = RecordPath.allTopLevelNames + Array(vocabulary.constants.keys) + Array(vocabulary.sets.keys)
        errors.append(
            ExpressionError(
                "unknown name '\(head.name)'" + Suggestion.phrase(for: head.name, in: candidates), offset: head.offset))
        return .invalid()
    }

    /// `baseline.measures.ors` (the first recorded ORS of the episode) and `baseline.ors.date`,
    /// `baseline.ors.session`, … (any field of the record it came from). The baseline is the
    /// first attended record that carries the measure, never one after the record evaluated; a
    /// baseline that does not exist yet reads as null and, for the measure itself, counts the
    /// record as "could not judge". Explain shows where each baseline came from.
    private func resolveBaseline(
        _ components: [Expression.PathComponent], _ pathText: String, _ errors: inout [ExpressionError]
    ) -> CheckedExpression {
        let usage =
            "write baseline.measures.NAME for the first recorded value of a measure, or baseline.NAME.date (any record field) for where it came from"
        guard components.count >= 2 else {
            errors.append(ExpressionError("'baseline' needs a measure: \(usage)", offset: components[0].offset))
            return .invalid()
        }
        let byValue = components[1].name == "measures"
        let measurePosition = byValue ? 2 : 1
        guard components.count > measurePosition else {
            errors.append(ExpressionError("name a measure, as in baseline.measures.ors", offset: components[1].offset))
            return .invalid()
        }
        let measureName = components[measurePosition].name
        guard let measure = vocabulary.measureIndex(measureName) else {
            errors.append(
                ExpressionError(
                    "unknown measure '\(measureName)'"
                        + Suggestion.phrase(for: measureName, in: vocabulary.measureNames),
                    offset: components[measurePosition].offset))
            return .invalid()
        }
        let fieldComponents = byValue ? Array(components.dropFirst()) : Array(components.dropFirst(2))
        guard !fieldComponents.isEmpty else {
            errors.append(
                ExpressionError(
                    "'baseline.\(measureName)' is the record the baseline came from; name one of its fields, as in baseline.\(measureName).date, or \(usage)",
                    offset: components[1].offset))
            return .invalid()
        }
        if let nested = fieldComponents.first?.name, ["prev", "first", "baseline"].contains(nested) {
            errors.append(
                ExpressionError("'\(nested)' is not available inside baseline", offset: fieldComponents[0].offset))
            return .invalid()
        }
        guard var field = resolveField(fieldComponents, pathText, &errors) else { return .invalid() }
        let base: @Sendable (Timeline, Int) -> Int? = { t, i in t.baselineIndex(measure: measure, at: i) }
        let accessor = field.evaluate
        let isValue = byValue
        field.evaluate = { row throws(EvaluationError) in
            guard let index = base(row.timeline, row.index) else {
                row.probe?.read(pathText + " (none recorded yet)", .null, isMeasure: isValue)
                return .null
            }
            // Read without the probe, then tell it once, naming the record the value came from.
            let value = try accessor(EvaluationRow(timeline: row.timeline, index: index, probe: nil))
            if let probe = row.probe {
                let origin = row.timeline.records[index]
                let session = origin.session.map { ", session \($0)" } ?? ""
                probe.read(
                    pathText
                        + " (from \(origin.date)\(session), attended session \(row.timeline.attendedNumber(at: index) ?? 0))",
                    value, isMeasure: false)
            }
            return value
        }
        if let number = field.number {
            field.number = { t, i, p throws(EvaluationError) in
                guard let index = base(t, i) else {
                    if isValue { p?.missedMeasure = true }
                    return nil
                }
                return try number(t, index, nil)
            }
        }
        if let strings = field.strings {
            field.strings = { t, i in
                guard let index = base(t, i) else { return nil }
                return strings(t, index)
            }
        }
        if let membership = field.membership {
            field.membership = { literals in
                let isOneOf = membership(literals)
                return { t, i in
                    guard let index = base(t, i) else { return nil }
                    return isOneOf(t, index)
                }
            }
        }
        return field
    }

    /// Resolves a path relative to one record (`measures.srs`, `rupture.type`, `attended_n`).
    private func resolveField(
        _ components: [Expression.PathComponent], _ pathText: String, _ errors: inout [ExpressionError]
    ) -> CheckedExpression? {
        let head = components[0]
        func noFurther(_ count: Int) -> Bool {
            guard components.count > count else { return true }
            errors.append(
                ExpressionError(
                    "'\(components[..<count].map(\.name).joined(separator: "."))' has no field '\(components[count].name)'",
                    offset: components[count].offset))
            return false
        }
        func wrap(_ path: RecordPath, isMeasure: Bool = false) -> CheckedExpression {
            let accessor = path.accessor
            let unrecorded = path.unrecorded
            var checked = CheckedExpression(type: path.type) { row throws(EvaluationError) in
                let value = accessor(row.timeline, row.index)
                // Read in place: `if let probe` would copy it (a reference count) on every read.
                if row.probe != nil {
                    row.probe!.read(pathText, value, isMeasure: isMeasure)
                    if let unrecorded, unrecorded(row.timeline, row.index) { row.probe!.missedMeasure = true }
                }
                return value
            }
            checked.allowedValues = path.allowedValues
            checked.pathName = pathText
            // Only measures can be missing in a way that leaves a rule unable to judge.
            if let number = path.number {
                checked.number = { t, i, p throws(EvaluationError) in
                    let value = number(t, i)
                    // The probe looked at only when the value is missing: `if let probe = p` first
                    // copied it (a reference count) on every measure read.
                    if value == nil, p != nil, isMeasure || unrecorded?(t, i) == true {
                        p!.missedMeasure = true
                    }
                    return value
                }
            }
            // A path's own readers already take the row's parts.
            checked.strings = path.strings
            checked.membership = path.membership
            return checked
        }
        switch head.name {
        case "measures":
            guard components.count >= 2 else {
                errors.append(ExpressionError("name a measure, as in measures.srs", offset: head.offset))
                return nil
            }
            let name = components[1].name
            guard let index = vocabulary.measureIndex(name) else {
                errors.append(
                    ExpressionError(
                        "unknown measure '\(name)'" + Suggestion.phrase(for: name, in: vocabulary.measureNames),
                        offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            var path = RecordPath(type: .number, allowedValues: nil) { t, i in
                t.records[i].measures[index].map(Value.number) ?? .null
            }
            path.number = { t, i in t.records[i].measures[index] }
            return wrap(path, isMeasure: true)
        case "rupture":
            if components.count == 1 {
                return wrap(
                    RecordPath(type: .record, allowedValues: nil) { t, i in
                        t.records[i].rupture == nil ? .null : .bool(true)
                    })
            }
            let name = components[1].name
            guard let field = RecordPath.ruptureFields[name] else {
                errors.append(
                    ExpressionError(
                        "rupture has no field '\(name)'"
                            + Suggestion.phrase(for: name, in: RecordPath.ruptureFields.keys),
                        offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            return wrap(field)
        default:
            guard let field = RecordPath.fields[head.name] else {
                errors.append(
                    ExpressionError(
                        "unknown field '\(head.name)'"
                            + Suggestion.phrase(for: head.name, in: RecordPath.allTopLevelNames), offset: head.offset))
                return nil
            }
            guard noFurther(1) else { return nil }
            return wrap(field)
        }
    }
}
