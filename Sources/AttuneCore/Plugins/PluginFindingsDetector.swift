/// A caseload plugin kind configured for one rule, adapted to the protocol the built-in
/// `caseload` kind conforms to: it runs after the rules it reads, once per therapist, and gets
/// their findings.
struct PluginFindingsDetector: FindingsDetector {
    let transport: any PluginTransport
    let kind: PluginKindDeclaration
    let parameters: [String: ParameterValue]

    var branches: [KindBranch] { kind.branches }

    /// Every rule its `rules` params name, in order.
    var inputRules: [String] {
        var rules: [String] = []
        for parameter in kind.declaration.parameters where parameter.type == .ruleIDs {
            if case .strings(let ids)? = parameters[parameter.name] {
                for id in ids where !rules.contains(id) { rules.append(id) }
            }
        }
        return rules
    }

    func detect(in caseload: CaseloadView) throws(EvaluationError) -> [FindingDraft] {
        let request = KindProtocol.evaluateRequest(
            kind: kind, parameters: parameters, caseload: caseload)
        do {
            let answer = try KindProtocol.answer(
                from: try transport.call(request), kind: kind, sent: nil, asOf: caseload.asOf,
                plugin: transport.plugin)
            for branch in answer.branches { caseload.reached(branch) }
            return answer.findings
        } catch {
            throw EvaluationError(error.description)
        }
    }
}
