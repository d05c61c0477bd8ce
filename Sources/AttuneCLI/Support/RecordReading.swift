import AttuneCore
import Dispatch
import Synchronization

/// Records read on a thread of their own while the caller does something else: `attune review`
/// reads them while the rules load.
///
/// ```swift
/// let reading = RecordReading(vocabulary: vocabulary, loader: loader, paths: ["records/"])
/// let (batch, seconds) = reading.wait()   // try batch.get()
/// ```
final class RecordReading: Sendable {
    /// What the records are read against.
    let vocabulary: Vocabulary
    private let finished = DispatchSemaphore(value: 0)
    private let outcome = Mutex<(Result<RecordBatch, RecordLoader.InputError>, seconds: Double)?>(nil)

    init(vocabulary: Vocabulary, loader: RecordLoader, paths: [String]) {
        self.vocabulary = vocabulary
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let start = DispatchTime.now().uptimeNanoseconds
            let result = Result { () throws(RecordLoader.InputError) in try loader.load(paths: paths) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            outcome.withLock { $0 = (result, seconds) }
            finished.signal()
        }
    }

    /// The records, or the error that stopped the reading, and how long it took; waits for them.
    /// Asked once: the batch moves out.
    func wait() -> (Result<RecordBatch, RecordLoader.InputError>, seconds: Double) {
        finished.wait()
        guard let outcome = outcome.withLock({ $0.take() }) else {
            preconditionFailure("a record reading was waited for twice")
        }
        return outcome
    }
}
