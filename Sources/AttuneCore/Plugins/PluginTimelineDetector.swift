/// A timeline plugin kind configured for one rule, adapted to the protocol built-in timeline
/// kinds conform to: the engine calls `detect` and cannot tell the difference.
///
/// A call sends one timeline, or, for a kind that declares `batch: true`, up to
/// `Engine.timelinesPerBatch` of them (the records passing `where`, with the kind's expressions
/// evaluated on each), and checks the findings that come back; anything the plugin gets wrong is
/// an `EvaluationError` naming the plugin, which the report shows as an evaluation error.
struct PluginTimelineDetector: BatchTimelineDetector {
    let transport: any PluginTransport
    let kind: PluginKindDeclaration
    let parameters: [String: ParameterValue]

    var branches: [KindBranch] { kind.branches }

    func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        if kind.batch { return try detect(in: [timeline])[0].get() }
        let request = try KindProtocol.evaluateRequest(
            kind: kind, parameters: parameters, timeline: timeline)
        do {
            let answer = try KindProtocol.answer(
                from: try transport.call(request), kind: kind, sent: timeline.indices, asOf: timeline.asOf,
                plugin: transport.plugin)
            return accept(answer, timeline)
        } catch {
            throw EvaluationError(error.description)
        }
    }

    func detect(in timelines: [RuleTimeline]) -> [Result<[FindingDraft], EvaluationError>] {
        guard kind.batch else {
            return timelines.map { timeline in
                do throws(EvaluationError) { return .success(try detect(in: timeline)) } catch {
                    return .failure(error)
                }
            }
        }
        let request = KindProtocol.evaluateRequest(kind: kind, parameters: parameters, timelines: timelines)
        var results: [Result<[FindingDraft], EvaluationError>] = request.failures.map { failure in
            failure.map { .failure($0) } ?? .success([])
        }
        guard !request.sent.isEmpty else { return results }
        do throws(PluginError) {
            let answers = try KindProtocol.answers(
                from: try transport.call(request.bytes), kind: kind, sent: request.sent.map { timelines[$0].indices },
                asOf: timelines[request.sent[0]].asOf, plugin: transport.plugin)
            for (position, answer) in zip(request.sent, answers) {
                switch answer {
                case .success(let answer): results[position] = .success(accept(answer, timelines[position]))
                case .failure(let error): results[position] = .failure(EvaluationError(error.description))
                }
            }
        } catch {
            // The whole call failed (a trap, a timeout, an answer that is not one per timeline):
            // ask about each timeline alone, so that the error lands on the one that causes it.
            for position in request.sent {
                results[position] =
                    request.sent.count == 1
                    ? .failure(EvaluationError(error.description)) : detect(in: [timelines[position]])[0]
            }
        }
        return results
    }

    /// Counts the branches the kind took and traces its findings for `attune explain`.
    private func accept(_ answer: KindProtocol.Answer, _ timeline: RuleTimeline) -> [FindingDraft] {
        for branch in answer.branches { timeline.reached(branch) }
        for draft in answer.findings {
            timeline.trace(
                draft.evidence.last ?? timeline.indices.last ?? 0,
                "plugin \(transport.plugin) reports a finding opened \(draft.opened)")
        }
        return answer.findings
    }
}
