import ArgumentParser
import AttuneServe
import Foundation
import Synchronization

/// `attune serve`: the weekly review as a local web page where supervisors record decisions in
/// the ledger.
///
/// ```sh
/// attune serve records/ --ledger supervision.db --port 8080
/// ```
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the weekly review as a local web page where supervisors record their decisions in the ledger.",
        discussion: """
            Listens on 127.0.0.1 only, unless --host names another address; then it needs an access token \
            (--access-token-file FILE, or --generate-access-token to have one printed once), asked for on a sign-in page.
            Records and packs are read again when their files change, or with the page's reload button.

            Examples:
              attune serve records/ --ledger supervision.db
              attune serve records/ --ledger supervision.db --rules site-rules --port 8081
            """)

    @Argument(help: ArgumentHelp("Record files or folders (folders are read recursively).", valueName: "records"))
    var records: [String]

    @OptionGroup var ledger: LedgerPathOption

    @OptionGroup var packOptions: PackOptions

    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port: Int = 8080

    @Option(
        help: ArgumentHelp(
            "The address to listen on; anything but a loopback address needs an access token.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(
        name: .customLong("access-token-file"),
        help: ArgumentHelp(
            "A file whose first line is the access token (16 characters or more); keep it owner-readable only.",
            valueName: "file"))
    var accessTokenFile: String?

    @Flag(
        name: .customLong("generate-access-token"),
        help: "Make a random access token and print it once, on standard error.")
    var generateAccessToken = false

    @Flag(
        name: .customLong("include-notes"),
        help: "Show records' free-text notes in the evidence of findings. Off by default: notes are sensitive.")
    var includeNotes = false

    @Option(
        help: ArgumentHelp(
            "Who decisions are by, filled into the forms (default: $ATTUNE_SUPERVISOR, else the login name).",
            valueName: "name"))
    var by: String?

    /// The forms' "By" field: --by, else ATTUNE_SUPERVISOR, else the login name; the supervisor may change it.
    static func supervisor(_ by: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        return by ?? environment["ATTUNE_SUPERVISOR"] ?? environment["USER"] ?? environment["LOGNAME"] ?? ""
    }

    func validate() throws {
        if records.contains("-") {
            throw ValidationError("serve reads files it can read again; standard input ('-') cannot be")
        }
        if accessTokenFile != nil, generateAccessToken {
            throw ValidationError("give --access-token-file or --generate-access-token, not both")
        }
    }

    func run() throws {
        var token: String?
        if let accessTokenFile {
            guard let text = try? String(contentsOfFile: accessTokenFile, encoding: .utf8),
                let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }
                ), !line.isEmpty
            else {
                Terminal.standardError("\(accessTokenFile): error: cannot read an access token from its first line")
                throw ExitCode(2)
            }
            token = line
        } else if generateAccessToken {
            token = SessionStore.randomToken()
            Terminal.standardError("access token (shown only now): \(token!)")
        }
        var configuration = ServeConfiguration(
            records: records, ledger: ledger.path, packFolders: packOptions.packs,
            defaultPack: !packOptions.defaultPack.noDefaultRules,
            host: host, port: port, includeNotes: includeNotes, supervisor: Self.supervisor(by),
            accessToken: token, attuneVersion: Attune.configuration.version)
        configuration.fixedToday = try Clock.fixed()
        configuration.allowsProcessPlugins = packOptions.execPlugins.allowExecPlugins
        // As every command: a process plugin not allowed is named, with the flag, before serving anything
        // (a folder that cannot be read is the review store's to report).
        if let sources = try? packOptions.stack.sources(), let refusal = packOptions.stack.refusal(sources) {
            try refusal.stop()
        }
        configuration.kinds = SiteRegistries.current.kinds
        if let problem = configuration.problem {
            Terminal.standardError("error: " + problem)
            throw ExitCode(2)
        }
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        let host = host
        Task {
            do {
                try await ServeApplication.run(configuration) { port in
                    Terminal.standardError(
                        "attune serve: http://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (Ctrl-C stops it)")
                }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) {
            Terminal.standardError("error: \(error)")
            throw ExitCode(2)
        }
    }
}
