import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser's part in the tests: it keeps the session cookie the server sets, reads the CSRF
/// token from the page's forms, and sends forms as a browser does.
struct ServeClient {
    var client: any TestClientProtocol
    var cookie: String?
    var csrf: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        var status: Int
        var headers: HTTPFields
        var body: String

        func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    }

    mutating func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil)
    }

    /// A form POST; `csrf: true` adds the session's token as the page's forms do.
    mutating func post(_ uri: String, _ fields: [(String, String)], csrf: Bool = true, extraHeaders: HTTPFields = [:])
        async throws -> Page
    {
        var fields = fields
        if csrf, let token = self.csrf { fields.append(("csrf", token)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: body, extraHeaders: extraHeaders)
    }

    private mutating func send(_ uri: String, method: HTTPRequest.Method, body: String?, extraHeaders: HTTPFields = [:])
        async throws -> Page
    {
        var headers = extraHeaders
        if let cookie { headers[.cookie] = cookie }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        if let set = response.headers[.setCookie], let pair = set.split(separator: ";").first { cookie = String(pair) }
        let text = String(buffer: response.body)
        if let range = text.range(of: "name=\"csrf\" value=\"") {
            csrf = String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        return Page(status: Int(response.status.code), headers: response.headers, body: text)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
