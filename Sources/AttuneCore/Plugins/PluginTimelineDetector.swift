/// A plugin kind configured for one rule, adapted to the protocol built-in timeline kinds
/// conform to: the engine calls `detect` and cannot tell the difference.
///
/// Each call sends one timeline (the records passing `where`, with the kind's expressions
/// evaluated on each) and checks the findings that come back; anything the plugin gets wrong is
/// an `EvaluationError` naming the plugin, which the report shows as an evaluation error.
struct PluginTimelineDetector: TimelineDetector {
    let transport: any PluginTransport
    let declaration: KindDeclaration
    let parameters: [String: ParameterValue]

    func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        let request = try KindProtocol.evaluateRequest(kind: declaration, parameters: parameters, timeline: timeline)
        do {
            let response = try transport.call(request)
            let drafts = try KindProtocol.findings(
                from: response, kind: declaration, timeline: timeline, plugin: transport.plugin)
            for draft in drafts {
                timeline.trace(
                    draft.evidence.last ?? timeline.indices.last ?? 0,
                    "plugin \(transport.plugin) reports a finding opened \(draft.opened)")
            }
            return drafts
        } catch {
            throw EvaluationError(error.description)
        }
    }
}
