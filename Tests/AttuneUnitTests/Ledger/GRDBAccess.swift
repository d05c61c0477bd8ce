import GRDB

/// Direct access to a ledger file, for tests that look under the store's API (triggers, pragmas).
enum GRDBAccess {
    static func queue(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
