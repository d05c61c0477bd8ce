import Hummingbird
import Testing

@testable import AttuneServe

/// A kept page gets the session's token wherever its placeholder stood, and nothing else changes.
@Suite struct PageCacheTests {
    @Test(arguments: ["", "plain page, no form", "MARK", "MARK<form>MARK</form>MARK", "<p>MAR</p>MARKMARK é MARK"])
    func theTokenGoesWhereThePlaceholderStood(_ page: String) {
        let template = PageCache.Template(page, placeholder: "MARK")
        let filled = template.filled(with: "tok3n")
        #expect(String(buffer: filled) == page.replacing("MARK", with: "tok3n"))
    }

    @Test func aKeptPageIsRenderedOnce() async throws {
        let cache = PageCache()
        let counter = Counter()
        for token in ["a", "b"] {
            let template = try await cache.page("k") { placeholder in
                counter.count += 1
                return "<input value=\"\(placeholder)\">"
            }
            #expect(String(buffer: template.filled(with: token)) == "<input value=\"\(token)\">")
        }
        #expect(counter.count == 1)
    }

    final class Counter: @unchecked Sendable { var count = 0 }
}
