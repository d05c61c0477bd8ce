import HTTPTypes
import Hummingbird

/// The headers every response of `attune serve` carries: a Content-Security-Policy that allows no
/// script at all and nothing from elsewhere, no MIME sniffing, no referrer, no framing, no
/// caching of pages that hold clinical findings. No CORS header is ever sent, so other origins
/// cannot read a page.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    /// The app's pages: no script of any kind; the stylesheet at /style.css, plus the style
    /// attributes the report's markup carries (print page names, a margin); forms back to this server only.
    static var pagePolicy: String {
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// The print view and the history page are the reports themselves, whose styles are inline;
    /// still no script, and no forms.
    static var reportPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        let name = { (text: String) in HTTPField.Name(text)! }
        if response.headers[name("Content-Security-Policy")] == nil {
            response.headers[name("Content-Security-Policy")] = Self.pagePolicy
        }
        response.headers[name("X-Content-Type-Options")] = "nosniff"
        response.headers[name("Referrer-Policy")] = "no-referrer"
        response.headers[name("X-Frame-Options")] = "DENY"
        response.headers[name("Cross-Origin-Opener-Policy")] = "same-origin"
        response.headers[name("Cache-Control")] = "no-store"
        return response
    }
}
