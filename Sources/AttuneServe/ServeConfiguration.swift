import AttuneCore
import AttuneKinds

/// What `attune serve` serves and how: the record paths and packs (re-read when they change), the
/// ledger decisions are written to, where it listens, and what it may show.
///
/// ```swift
/// let configuration = ServeConfiguration(records: ["records/"], ledger: "supervision.db")
/// ```
public struct ServeConfiguration: Sendable {
    public var records: [String]
    public var ledger: String
    /// Rule pack folders loaded after the default pack (unless `defaultPack` is off).
    public var packFolders: [String]
    public var defaultPack: Bool
    /// `--allow-exec-plugins`: whether the packs' process plugins may start (each reload starts them anew).
    public var allowsProcessPlugins = false
    public var host: String
    public var port: Int
    /// Session notes appear in findings' evidence only when this is on.
    public var includeNotes: Bool
    /// Who a decision is by when the form's field is left as it is (`--by`, else ATTUNE_SUPERVISOR).
    public var supervisor: String
    /// Needed to open any page when `host` is not a loopback address; nil on loopback.
    public var accessToken: String?
    /// Largest request body read, in bytes: a decision's words fit with room to spare.
    public var bodyLimit: Int
    /// How often, at most, files are looked at for changes (seconds).
    public var changeCheckInterval: Double
    /// Recorded with each review in the ledger.
    public var attuneVersion: String
    /// Today as `ATTUNE_TODAY` fixes it; nil reads the system's day at each use (a server runs for days).
    public var fixedToday: Day? = nil
    /// The kinds a rule may name: the built-in ones, or those of a site's own `attune` (AttuneCLI.main).
    public var kinds: KindRegistry = BuiltinKinds.registry

    /// The day records may not be after, and a decision's default day.
    public var today: Day {
        fixedToday ?? .systemToday
    }

    public init(
        records: [String], ledger: String, packFolders: [String] = [], defaultPack: Bool = true,
        host: String = "127.0.0.1",
        port: Int = 8080, includeNotes: Bool = false, supervisor: String = "", accessToken: String? = nil,
        bodyLimit: Int = 32 * 1024, changeCheckInterval: Double = 1, attuneVersion: String = ""
    ) {
        self.records = records
        self.ledger = ledger
        self.packFolders = packFolders
        self.defaultPack = defaultPack
        self.host = host
        self.port = port
        self.includeNotes = includeNotes
        self.supervisor = supervisor
        self.accessToken = accessToken
        self.bodyLimit = bodyLimit
        self.changeCheckInterval = changeCheckInterval
        self.attuneVersion = attuneVersion
    }

    /// `127.0.0.1`, `::1`, `localhost` and the rest of 127.0.0.0/8: only this machine can connect.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// A problem that keeps the server from starting, or nil.
    public var problem: String? {
        if !(1...65_535).contains(port), port != 0 { return "--port \(port) is not a port number (1 to 65535)" }
        if !Self.isLoopback(host), accessToken == nil {
            return "--host \(host) is not a loopback address: anyone on the network could reach the review; "
                + "give --access-token-file FILE (or --generate-access-token) so that only people with the token can open it"
        }
        if let accessToken, accessToken.count < 16 { return "the access token is shorter than 16 characters" }
        return nil
    }
}
