import ArgumentParser
import AttuneCore
import Foundation

/// Today's date, for the check that no record is dated in the future. `ATTUNE_TODAY=YYYY-MM-DD`
/// sets it, so that tests and reproducible runs do not depend on the day they run.
///
/// ```sh
/// ATTUNE_TODAY=2026-11-29 attune review records/
/// ```
enum Clock {
    static let variable = "ATTUNE_TODAY"

    /// The day in UTC, or the variable's date; a variable that is not a date is a usage error.
    static func today() throws -> Day {
        try fixed() ?? .systemToday
    }

    /// The variable's date, or nil when it is not set (a long-running server then reads the day as it goes).
    static func fixed() throws -> Day? {
        guard let text = ProcessInfo.processInfo.environment[variable] else { return nil }
        guard let day = Day(iso: text), text.utf8.count == 10 else {
            Terminal.standardError("error: \(variable)='\(text)' is not a date YYYY-MM-DD")
            throw ExitCode(2)
        }
        return day
    }
}
