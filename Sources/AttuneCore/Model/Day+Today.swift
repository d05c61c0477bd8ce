import Foundation

extension Day {
    /// The system's day, in UTC. Commands take today from `ATTUNE_TODAY` when it is set, so that
    /// tests and reproducible runs do not depend on the day they run; this is the fallback.
    ///
    /// ```swift
    /// let today = Day.systemToday   // 2026-11-29
    /// ```
    public static var systemToday: Day {
        Day(number: Int32(Int(Date().timeIntervalSince1970) / 86_400))
    }
}
