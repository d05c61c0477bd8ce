import AttuneLedger

/// What a request to `attune serve` can fail with, each shown as a page with its HTTP status.
public enum ServeError: Error, Sendable, CustomStringConvertible {
    case badRequest(String)
    case notFound(String)
    case forbidden(String)
    case ledger(LedgerError)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .notFound: 404
        case .forbidden: 403
        // An id the ledger does not know is not found; a problem with the file is the server's.
        case .ledger(let error): error.reason.hasPrefix("no finding") ? 404 : 500
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let message), .notFound(let message), .forbidden(let message): message
        case .ledger(let error): error.description
        }
    }
}
