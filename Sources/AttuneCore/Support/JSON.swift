/// A JSON value with ordered object keys, written deterministically: the same review always
/// gives the same bytes, which keeps golden files and diffs meaningful.
///
/// ```swift
/// let json: JSON = .object([("schema", .string("attune.report/1")), ("count", .number(3))])
/// print(json.rendered())
/// ```
public indirect enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool { a.rendered(pretty: false) == b.rendered(pretty: false) }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered(pretty: false)) }

    public static func optional(_ text: String?) -> JSON { text.map(JSON.string) ?? .null }
    public static func integer(_ value: Int) -> JSON { .number(Double(value)) }

    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(n)
        case .string(let s): self = .string(s)
        case .date(let d): self = .string(d.description)
        case .list(let items): self = .array(items.map(JSON.init))
        }
    }

    /// Two-space indentation when pretty; always a trailing newline-free text.
    public func rendered(pretty: Bool = true) -> String {
        var writer = JSONWriter(pretty: pretty)
        write(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writes this value through the writer reports use, so that a tree and a streamed report lay out alike.
    public func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let b): writer.bool(b)
        case .number(let n): writer.number(n)
        case .string(let s): writer.string(s)
        case .array(let items):
            writer.beginArray()
            for item in items { item.write(into: &writer) }
            writer.endArray()
        case .object(let pairs):
            writer.beginObject()
            for (key, value) in pairs {
                writer.key(key)
                value.write(into: &writer)
            }
            writer.endObject()
        }
    }
}
