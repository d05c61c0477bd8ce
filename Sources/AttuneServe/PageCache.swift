/// Rendered pages of `attune serve`, kept while what they were made from is unchanged (the
/// files' reading, the ledger's change mark, the week): a 100k-record week takes far longer to
/// render than to send. Pages are kept with a placeholder where the session's CSRF token goes,
/// filled in for each request; the placeholder is random, so no record text can imitate it.
/// Bounded: past `capacity` pages, all are dropped.
actor PageCache {
    let placeholder = "csrf-" + SessionStore.randomToken()
    private var pages: [String: String] = [:]
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The page under `key`, made by `render` (given the placeholder) when it is not kept, with `csrf` filled in.
    func page(_ key: String, csrf: String, render: (String) throws(ServeError) -> String) throws(ServeError) -> String {
        let template: String
        if let kept = pages[key] {
            template = kept
        } else {
            template = try render(placeholder)
            if pages.count >= capacity { pages = [:] }
            pages[key] = template
        }
        return template.replacingOccurrences(of: placeholder, with: csrf)
    }
}
