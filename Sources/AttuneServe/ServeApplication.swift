import AttuneLedger
import Hummingbird

/// `attune serve`: opens the ledger, reads the records and packs, and serves the weekly review on
/// `configuration.host` until stopped (SIGINT or SIGTERM end it gracefully).
///
/// ```swift
/// try await ServeApplication.run(ServeConfiguration(records: ["records/"], ledger: "supervision.db")) { port in print(port) }
/// ```
public enum ServeApplication {
    /// The application, ready to run or to test: the ledger opened (created, 0600, when missing)
    /// and the files read, so a problem with either stops it before it listens.
    public static func make(
        _ configuration: ServeConfiguration,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        if let problem = configuration.problem { throw ServeError.badRequest(problem) }
        let ledger = try Ledger.open(path: configuration.ledger, create: true)
        let store = try ReviewStore(configuration: configuration, ledger: ledger)
        let router = Router()
        router.add(middleware: SecurityHeaders())
        ServeRoutes(store: store, sessions: SessionStore(), ledger: ledger, configuration: configuration).add(
            to: router)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) })
    }

    public static func run(_ configuration: ServeConfiguration, onRunning: @escaping @Sendable (Int) async -> Void)
        async throws
    {
        try await make(configuration, onRunning: onRunning).runService()
    }
}
