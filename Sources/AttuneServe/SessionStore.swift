/// Browser sessions of `attune serve`: each gets a random id (its cookie) and its own CSRF token,
/// which every form carries and every POST must return. With an access token (a non-loopback
/// host), a session opens pages only after the token was given on the sign-in page. Bounded:
/// past `capacity`, the oldest sessions are forgotten (their forms then get a 403 and a fresh page).
///
/// ```swift
/// let session = await sessions.session(for: cookieValue)
/// guard await sessions.accepts(csrf: field, for: session.id) else { /* 403 */ }
/// ```
public actor SessionStore {
    public struct Session: Sendable, Hashable {
        public var id: String
        public var csrf: String
        public var signedIn: Bool
    }

    private var sessions: [String: Session] = [:]
    private var order: [String] = []
    let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The session a cookie names, or a new one (not signed in) when it names none.
    public func session(for cookie: String?) -> (session: Session, isNew: Bool) {
        if let cookie, let session = sessions[cookie] { return (session, false) }
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), signedIn: false)
        sessions[session.id] = session
        order.append(session.id)
        if order.count > capacity {
            let dropped = order.prefix(order.count - capacity)
            for id in dropped { sessions[id] = nil }
            order.removeFirst(dropped.count)
        }
        return (session, true)
    }

    /// Whether `csrf` is the token of the session `id`; compared in constant time.
    public func accepts(csrf: String?, for id: String) -> Bool {
        guard let csrf, let session = sessions[id] else { return false }
        return Self.constantTimeEqual(csrf, session.csrf)
    }

    public func signIn(_ id: String) {
        sessions[id]?.signedIn = true
    }

    /// 32 random bytes as 64 hex digits, from the system's cryptographic generator.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let word = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }

    /// No early exit on the first differing byte, so timing tells nothing about a guess.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
