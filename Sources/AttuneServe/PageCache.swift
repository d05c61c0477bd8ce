import Hummingbird

/// Rendered pages of `attune serve`, kept while what they were made from is unchanged (the
/// files' reading, the ledger's change mark, the week): a 100k-record week takes far longer to
/// render than to send. Pages are kept with a placeholder where the session's CSRF token goes,
/// filled in for each request; the placeholder is random, so no record text can imitate it.
/// Bounded: past `capacity` pages, all are dropped.
///
/// ```swift
/// let body = try await cache.page("glance") { placeholder in render(csrf: placeholder) }.filled(with: session.csrf)
/// ```
actor PageCache {
    let placeholder = "csrf-" + SessionStore.randomToken()
    private var pages: [String: Template] = [:]
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// A kept page, cut where the token goes: filling it in is a copy of its bytes, done outside
    /// the actor, so concurrent requests for kept pages do not queue behind one another.
    struct Template: Sendable {
        let parts: [[UInt8]]
        let size: Int

        init(_ page: String, placeholder: String) {
            let bytes = Array(page.utf8)
            let mark = Array(placeholder.utf8)
            var parts: [[UInt8]] = []
            var start = 0
            var index = 0
            while index + mark.count <= bytes.count {
                if bytes[index] == mark[0] && bytes[index..<index + mark.count].elementsEqual(mark) {
                    parts.append(Array(bytes[start..<index]))
                    index += mark.count
                    start = index
                } else {
                    index += 1
                }
            }
            parts.append(Array(bytes[start...]))
            self.parts = parts
            size = parts.reduce(0) { $0 + $1.count }
        }

        func filled(with csrf: String) -> ByteBuffer {
            let token = Array(csrf.utf8)
            var buffer = ByteBuffer()
            buffer.reserveCapacity(size + token.count * (parts.count - 1))
            for (position, part) in parts.enumerated() {
                if position > 0 { buffer.writeBytes(token) }
                buffer.writeBytes(part)
            }
            return buffer
        }
    }

    /// The page under `key`, made by `render` (given the placeholder) when it is not kept.
    func page(_ key: String, render: (String) throws(ServeError) -> String) throws(ServeError) -> Template {
        if let kept = pages[key] { return kept }
        let template = Template(try render(placeholder), placeholder: placeholder)
        if pages.count >= capacity { pages = [:] }
        pages[key] = template
        return template
    }
}
