/// A timeline plugin kind configured for one rule, adapted to the protocol built-in timeline
/// kinds conform to: the engine calls `detect` and cannot tell the difference.
///
/// Each call sends one timeline (the records passing `where`, with the kind's expressions
/// evaluated on each) and checks the findings that come back; anything the plugin gets wrong is
/// an `EvaluationError` naming the plugin, which the report shows as an evaluation error.
struct PluginTimelineDetector: TimelineDetector {
    let transport: any PluginTransport
    let kind: PluginKindDeclaration
    let parameters: [String: ParameterValue]

    var branches: [KindBranch] { kind.branches }

    func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        let request = try KindProtocol.evaluateRequest(
            kind: kind, parameters: parameters, timeline: timeline)
        do {
            let answer = try KindProtocol.answer(
                from: try transport.call(request), kind: kind, sent: timeline.indices, asOf: timeline.asOf,
                plugin: transport.plugin)
            for branch in answer.branches { timeline.reached(branch) }
            for draft in answer.findings {
                timeline.trace(
                    draft.evidence.last ?? timeline.indices.last ?? 0,
                    "plugin \(transport.plugin) reports a finding opened \(draft.opened)")
            }
            return answer.findings
        } catch {
            throw EvaluationError(error.description)
        }
    }
}
