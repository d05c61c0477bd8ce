import Synchronization

/// What one rule's tests exercised, recorded while they run (`attune test --coverage`): each
/// condition's outcomes and each kind branch taken. Made for an instrumented copy of the rule;
/// the rule as loaded never carries one, so reviews pay nothing for it.
///
/// ```swift
/// let coverage = RuleCoverage()
/// let instrumented = RuleRebuilder(vocabulary: vocabulary).rebuild(rule, coverage: coverage)
/// ```
public final class RuleCoverage: Sendable {
    /// A condition: a whole `where`/`match`/signal expression, or a comparison inside one.
    public struct Condition: Sendable, Hashable {
        /// The rule key it belongs to: `where`, `match`, `until`, `signal 'label'`.
        public var key: String
        /// The condition as written (normalised spacing).
        public var text: String
        /// Whether it is the key's whole expression rather than a part of it.
        public var isWhole: Bool
        public var timesTrue = 0
        public var timesFalse = 0
    }

    /// Tests of one rule may run on several threads; the compiler checks that every access
    /// goes through the lock.
    private struct State {
        var conditions: [Condition] = []
        var branches: [String: Int] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    public var conditions: [Condition] { state.withLock { $0.conditions } }
    public var branchesTaken: [String: Int] { state.withLock { $0.branches } }

    /// A condition to watch; its outcomes go to the returned slot. A rule compiled again (a test
    /// that fixes constants) reports into the slots it had.
    func register(key: String, text: String, isWhole: Bool) -> Int {
        state.withLock { state in
            if let slot = state.conditions.firstIndex(where: {
                $0.key == key && $0.text == text && $0.isWhole == isWhole
            }) {
                return slot
            }
            state.conditions.append(Condition(key: key, text: text, isWhole: isWhole))
            return state.conditions.count - 1
        }
    }

    func record(_ slot: Int, _ outcome: Bool) {
        state.withLock { state in
            if outcome { state.conditions[slot].timesTrue += 1 } else { state.conditions[slot].timesFalse += 1 }
        }
    }

    @usableFromInline func reach(_ branch: String) {
        state.withLock { $0.branches[branch, default: 0] += 1 }
    }
}
