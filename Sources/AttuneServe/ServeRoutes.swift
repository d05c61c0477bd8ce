import AttuneCore
import AttuneLedger
import AttuneReporters
import Foundation
import HTTPTypes
import Hummingbird

/// The routes of `attune serve` and what each does. Pages are GETs that change nothing (but for
/// recording a week's review in the ledger the first time it is shown); every change is a POST
/// that must carry the session's CSRF token (403 without it) and come from this server's own pages.
///
/// | route | what |
/// |---|---|
/// | `GET /?week=` | the week at a glance |
/// | `GET /therapist?id=&week=` | a therapist's clients, findings and charts |
/// | `GET /finding?id=&week=` | a finding's evidence, questions, ledger history and decision forms |
/// | `POST /decide` | a decision, into the ledger |
/// | `GET /history` | the ledger's history page |
/// | `GET /print?week=` | the HTML report of the week |
/// | `POST /reload` | reads records and packs again |
/// | `GET /signin`, `POST /signin` | the access token, off loopback |
struct ServeRoutes: Sendable {
    static let sessionCookie = "attune_session"

    let store: ReviewStore
    let sessions: SessionStore
    let ledger: Ledger
    let configuration: ServeConfiguration
    let cache = PageCache()

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            await respond(request) { session, _ in
                let shown = try await shown(request)
                return html(
                    try await cache.page(shown.version + "|glance") { placeholder in
                        pages(shown, csrf: placeholder).glance()
                    }.filled(with: session.csrf))
            }
        }
        router.get("/therapist") { request, _ in
            await respond(request) { session, _ in
                let shown = try await shown(request)
                let id = try parameter(request, "id")
                return html(
                    try await cache.page(shown.version + "|therapist|" + id) { placeholder throws(ServeError) in
                        try pages(shown, csrf: placeholder).therapist(id)
                    }.filled(with: session.csrf))
            }
        }
        router.get("/finding") { request, _ in
            await respond(request) { session, _ in
                let shown = try await shown(request)
                let id = try parameter(request, "id")
                let stored: LedgerFinding
                do throws(LedgerError) {
                    stored = try ledger.finding(id)
                } catch {
                    throw ServeError.ledger(error)
                }
                return html(
                    pages(shown, csrf: session.csrf).finding(
                        id, ledgerFinding: stored, recorded: request.uri.queryParameters["recorded"] != nil))
            }
        }
        router.get("/history") { request, _ in
            await respond(request) { _, _ in
                let history: LedgerHistory
                do throws(LedgerError) {
                    history = try ledger.history()
                } catch {
                    throw ServeError.ledger(error)
                }
                let page = HistoryReporter.render(history, format: "html")
                    .replacingOccurrences(
                        of: "<body>\n", with: "<body>\n<p><a href=\"/\">Back to the week at a glance</a></p>\n")
                return html(page, policy: SecurityHeaders<BasicRequestContext>.reportPolicy)
            }
        }
        router.get("/print") { request, _ in
            await respond(request) { _, _ in
                let shown = try await shown(request)
                return html(
                    HTMLReporter().render(shown.review, options: ReportOptions()),
                    policy: SecurityHeaders<BasicRequestContext>.reportPolicy)
            }
        }
        router.get("/style.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ServePages.css)))
        }
        // Browsers ask for it unprompted; nothing, rather than a 404 in their console.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.post("/decide") { request, _ in
            await respond(request, post: true) { _, body in
                let form = try decode(DecisionForm.self, from: body)
                let decision = try form.request(today: configuration.today)
                do throws(LedgerError) {
                    try ledger.decide(decision)
                } catch {
                    throw ServeError.ledger(error)
                }
                let week = form.week.flatMap { Day(isoWeek: $0) }.map(\.isoWeek)
                return .redirect(
                    to:
                        "/finding?id=\(ServePages.query(decision.finding))\(week.map { "&week=\($0)" } ?? "")&recorded=1"
                )
            }
        }
        router.post("/reload") { request, _ in
            await respond(request, post: true) { _, body in
                let form = try decode(ReloadForm.self, from: body)
                await store.reload()
                let week = form.week.flatMap { Day(isoWeek: $0) }.map(\.isoWeek)
                return .redirect(to: "/" + (week.map { "?week=\($0)" } ?? ""))
            }
        }
        router.get("/signin") { request, _ in
            await respond(request, signInPage: true) { session, _ in html(signInPage(csrf: session.csrf, failed: false))
            }
        }
        router.post("/signin") { request, _ in
            await respond(request, post: true, signInPage: true) { session, body in
                let form = try decode(SignInForm.self, from: body)
                guard let token = configuration.accessToken, SessionStore.constantTimeEqual(form.token ?? "", token)
                else {
                    var response = html(signInPage(csrf: session.csrf, failed: true))
                    response.status = .forbidden
                    return response
                }
                await sessions.signIn(session.id)
                return .redirect(to: "/")
            }
        }
    }

    // MARK: - Pieces

    /// Finds or starts the session, checks sign-in and (for a POST) reads the form, at most
    /// `bodyLimit` bytes, and checks its CSRF token and origin; then runs `body` with the session
    /// and the form's text, and turns a `ServeError` into its page.
    func respond(
        _ request: Request, post: Bool = false, signInPage: Bool = false,
        _ body: (SessionStore.Session, String) async throws -> Response
    ) async -> Response {
        let (session, isNew) = await sessions.session(for: request.cookies[Self.sessionCookie]?.value)
        var response: Response
        do {
            if configuration.accessToken != nil, !session.signedIn, !signInPage {
                response = .redirect(to: "/signin", type: .found)
            } else {
                var form = ""
                if post {
                    form = String(buffer: try await request.body.collect(upTo: configuration.bodyLimit))
                    try await checkPost(request, form: form, session: session)
                }
                response = try await body(session, form)
            }
        } catch let error as ServeError {
            response = errorPage(error, session: session)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            response = errorPage(
                .badRequest("the request is larger than \(configuration.bodyLimit) bytes"), session: session)
            response.status = .contentTooLarge
        } catch {
            response = errorPage(.badRequest("\(error)"), session: session)
        }
        if isNew {
            // SameSite=Strict: other sites' pages never send it; HttpOnly: no script could read it anyway.
            response.headers.append(
                HTTPField(
                    name: .setCookie, value: "\(Self.sessionCookie)=\(session.id); Path=/; HttpOnly; SameSite=Strict"))
        }
        return response
    }

    /// A POST is accepted only with the session's CSRF token in its form, and, when the browser
    /// says where it comes from, from this server itself.
    func checkPost(_ request: Request, form text: String, session: SessionStore.Session) async throws {
        // Under Referrer-Policy: no-referrer a browser sends `Origin: null` even from our own pages,
        // so only a named other origin, or a browser's own word that the request is cross-site, is refused here.
        if let origin = request.headers[.origin], origin != "null", origin != "http://" + (request.head.authority ?? "")
        {
            throw ServeError.forbidden("This form was sent from \(origin), not from this server; nothing was recorded.")
        }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" || site == "same-site" {
            throw ServeError.forbidden("This form was sent from another site; nothing was recorded.")
        }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") ?? false else {
            throw ServeError.badRequest("a form must be sent as application/x-www-form-urlencoded")
        }
        let form = try decode(CSRFField.self, from: text)
        guard await sessions.accepts(csrf: form.csrf, for: session.id) else {
            throw ServeError.forbidden(
                "The form's security token is missing or out of date; nothing was recorded. Open the page again and resend."
            )
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        do {
            return try URLEncodedFormDecoder().decode(T.self, from: text)
        } catch {
            throw ServeError.badRequest("the form is incomplete or malformed: \(error)")
        }
    }

    func shown(_ request: Request) async throws(ServeError) -> ReviewStore.Shown {
        try await store.review(week: request.uri.queryParameters["week"].map(String.init))
    }

    func parameter(_ request: Request, _ name: String) throws(ServeError) -> String {
        guard let value = request.uri.queryParameters[Substring(name)], !value.isEmpty else {
            throw .badRequest("the address needs ?\(name)=")
        }
        return String(value)
    }

    func pages(_ shown: ReviewStore.Shown, csrf: String) -> ServePages {
        ServePages(shown: shown, csrf: csrf, supervisor: configuration.supervisor, today: configuration.today)
    }

    func errorPage(_ error: ServeError, session: SessionStore.Session) -> Response {
        let body =
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error \(error.status)</title>"
            + "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Error \(error.status)</h1>"
            + "<p class=\"error\">\(HTMLEscaping.text(error.description))</p><p><a href=\"/\">Back to the week at a glance</a></p></main></body></html>\n"
        var response = html(body)
        response.status = HTTPResponse.Status(code: error.status)
        return response
    }

    func signInPage(csrf: String, failed: Bool) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · Attune</title>"
            + "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main><h1>Attune supervision review</h1>"
            + (failed ? "<p class=\"error\">That is not the access token.</p>" : "")
            + "<form method=\"post\" action=\"/signin\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTMLEscaping.attribute(csrf))\">"
            + "<p><label for=\"token\">Access token</label> <input id=\"token\" name=\"token\" type=\"password\" required autocomplete=\"off\"></p>"
            + "<p><button type=\"submit\">Sign in</button></p></form></main></body></html>\n"
    }

    func html(_ text: String, policy: String? = nil) -> Response {
        html(ByteBuffer(string: text), policy: policy)
    }

    func html(_ bytes: ByteBuffer, policy: String? = nil) -> Response {
        var response = Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: bytes))
        if let policy { response.headers[HTTPField.Name("Content-Security-Policy")!] = policy }
        return response
    }

    struct CSRFField: Decodable { var csrf: String? }
    struct ReloadForm: Decodable { var week: String? }
    struct SignInForm: Decodable { var token: String? }
}
