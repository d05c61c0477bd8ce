import AttuneCore
import AttuneDefaultPack
import AttuneLedger
import AttunePlugins
import Foundation

/// The records and packs `attune serve` reviews, and the reviews built from them, one per ISO
/// week asked for (kept without the ledger's states, which are applied afresh on every request,
/// so a decision shows at once). Files are looked at (size and modification time) at most once per
/// `changeCheckInterval`; when one changed, appeared or went away, everything is read again.
/// A pack with errors keeps the last good packs in use and shows its errors, so a half-saved rule
/// file never empties the page. Each week's review is recorded in the ledger the first time it is
/// shown after a (re)read, so that decisions can name its findings.
///
/// ```swift
/// let store = try ReviewStore(configuration: configuration, ledger: ledger)
/// let shown = try await store.review(week: "2026-W48")
/// ```
public actor ReviewStore {
    /// A week's review and what reading the files said.
    public struct Shown: Sendable {
        /// With the ledger's states as they are now: snoozed and dismissed findings set aside.
        public var review: Review
        /// Before the ledger: every finding of the week, set aside or not.
        public var base: Review
        public var week: String
        /// ISO weeks with records, latest first.
        public var weeks: [String]
        /// Pack diagnostics (errors and warnings) and record-file problems, located.
        public var problems: [String]
        public var loadedAt: String
        /// What the page was made from: the files' reading, the ledger's change mark, the week.
        /// Pages made from the same version are the same (but for the session's CSRF token).
        public var version: String
    }

    /// Why nothing can be shown: the records or the packs could not be read at all.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    let configuration: ServeConfiguration
    let ledger: Ledger
    private var ruleSet: RuleSet
    private var sources: [PackSource]
    private var batch: RecordBatch {
        didSet { weeks = Self.weeks(in: batch.records) }
    }
    /// ISO weeks with records, latest first.
    private var weeks: [String] = []
    private var packProblems: [String] = []
    private var inputProblem: String?
    private var fingerprint: [String: String] = [:]
    private var lastCheck = Date.distantPast
    private var reviews: [String: Review] = [:]
    /// Each week's review with the ledger's states, and the ledger's change mark they were read at.
    private var withStates: [String: (mark: String, review: Review)] = [:]
    private var loadedAt = Ledger.timestamp()
    /// How many times the files have been read; the tests and the page's footer show it.
    public private(set) var generation = 1

    public init(configuration: ServeConfiguration, ledger: Ledger) throws(LoadError) {
        self.configuration = configuration
        self.ledger = ledger
        let (ruleSet, sources, problems) = try Self.loadPacks(configuration)
        if ruleSet.diagnostics.hasErrors { throw LoadError(description: problems.joined(separator: "\n")) }
        self.ruleSet = ruleSet
        self.sources = sources
        self.packProblems = problems
        do {
            batch = try Self.loader(configuration, ruleSet).load(paths: configuration.records)
        } catch {
            throw LoadError(description: error.description)
        }
        weeks = Self.weeks(in: batch.records)
        fingerprint = Self.fingerprint(of: configuration)
        lastCheck = Date()
    }

    /// The review of an ISO week (`2026-W48`; nil: the week of the latest record), read again first
    /// when a file changed.
    public func review(week: String?) throws(ServeError) -> Shown {
        refreshIfChanged()
        let asked = week ?? weeks.first ?? configuration.today.isoWeek
        guard let monday = Day(isoWeek: asked) else {
            throw .badRequest("'\(asked)' is not an ISO week such as 2026-W48")
        }
        // Written back as the week's own name: only this goes into links and forms.
        let chosen = monday.isoWeek
        var review: Review
        if let cached = reviews[chosen] {
            let mark: String
            do {
                mark = try ledger.changeMark()
                if let known = withStates[chosen], known.mark == mark {
                    review = known.review
                } else {
                    review = cached
                    review.applyLedger(try ledger.states(for: cached))
                    withStates[chosen] = (mark, review)
                }
            } catch {
                throw .ledger(error)
            }
        } else {
            var request = ReviewRequest(
                includeNotes: configuration.includeNotes, jobs: ProcessInfo.processInfo.activeProcessorCount)
            request.setWeek(monday)
            let built = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: request)
            let provenance = ReviewProvenance(
                ruleSet: ruleSet, sources: sources, inputDigest: try? InputDigest.of(paths: batch.files),
                attuneVersion: configuration.attuneVersion)
            review = built
            do {
                review.applyLedger(try ledger.record(built, provenance: provenance))
            } catch {
                throw .ledger(error)
            }
            reviews[chosen] = built
        }
        var problems = packProblems
        if let inputProblem { problems.append(inputProblem) }
        let version = "\(generation)|\(withStates[chosen]?.mark ?? "new")|\(chosen)"
        return Shown(
            review: review, base: reviews[chosen] ?? review, week: chosen, weeks: weeks, problems: problems,
            loadedAt: loadedAt,
            version: version)
    }

    /// Reads everything again now (the reload button).
    public func reload() {
        lastCheck = .distantPast
        fingerprint = [:]
        refreshIfChanged()
    }

    private func refreshIfChanged() {
        let now = Date()
        guard now.timeIntervalSince(lastCheck) >= configuration.changeCheckInterval else { return }
        lastCheck = now
        let current = Self.fingerprint(of: configuration)
        guard current != fingerprint else { return }
        fingerprint = current
        generation += 1
        loadedAt = Ledger.timestamp()
        reviews = [:]
        withStates = [:]
        do {
            let (newRules, newSources, problems) = try Self.loadPacks(configuration)
            packProblems = problems
            if newRules.diagnostics.hasErrors {
                packProblems.append(
                    "error: the rule packs have errors; the review uses the packs as they were last read without errors"
                )
            } else {
                ruleSet = newRules
                sources = newSources
            }
        } catch {
            packProblems = [error.description, "error: the review uses the packs as they were last read"]
        }
        do {
            batch = try Self.loader(configuration, ruleSet).load(paths: configuration.records)
            inputProblem = nil
        } catch {
            inputProblem = error.description + " (the review shows the records as they were last read)"
        }
    }

    // MARK: - Pieces

    static func loadPacks(_ configuration: ServeConfiguration) throws(LoadError) -> (RuleSet, [PackSource], [String]) {
        var folders: [PackSource] = []
        for folder in configuration.packFolders {
            do {
                folders.append(try PackSource.directory(folder))
            } catch {
                throw LoadError(description: error.description)
            }
        }
        // Loaded as every command loads packs: the same stacking, and the plugin kinds they declare.
        let sources = DefaultPack.stacked(folders, including: configuration.defaultPack)
        let ruleSet = PackLoader(
            registry: configuration.kinds,
            plugins: PluginLoader(allowsProcesses: configuration.allowsProcessPlugins)
        ).load(sources)
        return (
            ruleSet, sources,
            ruleSet.diagnostics.filter(\.isShownWhenPacksAreUsed).sortedByLocation().map(\.description)
        )
    }

    static func loader(_ configuration: ServeConfiguration, _ ruleSet: RuleSet) -> RecordLoader {
        var loader = RecordLoader(vocabulary: ruleSet.vocabulary)
        loader.jobs = ProcessInfo.processInfo.activeProcessorCount
        // A record dated after today is an error, as in review: a mistyped year never moves the week.
        loader.today = configuration.today
        return loader
    }

    /// Every record file and pack file with its size and modification time.
    static func fingerprint(of configuration: ServeConfiguration) -> [String: String] {
        var files = (try? RecordLoader.expand(configuration.records)) ?? configuration.records
        for folder in configuration.packFolders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let name = walker.nextObject() as? String { files.append(folder + "/" + name) }
        }
        var result: [String: String] = [:]
        for path in files {
            var status = stat()
            result[path] =
                stat(path, &status) == 0
                ? "\(status.st_size):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)" : "missing"
        }
        return result
    }

    /// ISO weeks from the latest record's back to the earliest's (at most three years).
    static func weeks(in records: [SessionRecord]) -> [String] {
        guard let last = records.lazy.map(\.date).max(), let first = records.lazy.map(\.date).min() else { return [] }
        var weeks: [String] = []
        var monday = last.adding(days: 1 - last.isoWeekday)
        while monday.adding(days: 6) >= first, weeks.count < 157 {
            weeks.append(monday.isoWeek)
            monday = monday.adding(days: -7)
        }
        return weeks
    }
}
