/// A finding's stable id: the same finding gets the same id in every review, in every format and
/// in the supervision ledger, because it is derived only from what makes it that finding — its
/// rule, its subject (client and episode, or the therapist for a caseload finding) and the day it
/// opened. Severity, message and evidence may change from week to week; the id does not. A
/// finding that closes and later opens again is a new finding with a new id.
///
/// Ten characters of Crockford's base 32 (50 bits, no i, l, o or u), easy to read out and type:
/// a collision is unlikely below some millions of findings.
///
/// ```swift
/// FindingID.of(rule: "unresolved-rupture", subject: .episode(client: "C-1010", episode: "1"), opened: day)  // "k3x9m7qd2a"
/// ```
public enum FindingID {
    public static let length = 10
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    public static func of(rule: String, subject: Finding.Subject, opened: Day) -> String {
        var hash = self.hash(rule: rule, subject: subject)
        combine(opened, into: &hash)
        // Written straight into the string: the report asks for every finding's id, and a list of
        // characters made first cost an allocation of its own.
        return String(unsafeUninitializedCapacity: length) { characters in
            var value = hash.value >> 14
            for index in (0..<length).reversed() {
                characters[index] = alphabet[Int(value & 31)]
                value >>= 5
            }
            return length
        }
    }

    /// What comes before the day: the rule, then the subject, each part a string.
    static func hash(rule: String, subject: Finding.Subject) -> StableHash {
        var hash = StableHash()
        hash.combine(rule)
        switch subject {
        case .episode(let client, let episode):
            hash.combine("client")
            hash.combine(client)
            hash.combine(episode)
        case .therapist(let therapist):
            hash.combine("therapist")
            hash.combine(therapist)
        }
        return hash
    }

    /// `hash.combine(day.description)`, from the date's digits: no string is made for them.
    private static func combine(_ day: Day, into hash: inout StableHash) {
        let (year, month, dayOfMonth) = day.components
        guard (0...9999).contains(year) else { return hash.combine(day.description) }
        // "YYYY-MM-DD", as `Day.description` writes a date of these years.
        let digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            UInt8(48 + year / 1000 % 10), UInt8(48 + year / 100 % 10), UInt8(48 + year / 10 % 10),
            UInt8(48 + year % 10),
            UInt8(ascii: "-"), UInt8(48 + month / 10), UInt8(48 + month % 10), UInt8(ascii: "-"),
            UInt8(48 + dayOfMonth / 10), UInt8(48 + dayOfMonth % 10)
        )
        withUnsafeBytes(of: digits) { hash.combine($0) }
        hash.combine(byte: StableHash.separator)
    }

    /// Whether `text` has the shape of an id (it may still be unknown to a ledger).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}

extension Finding {
    /// The stable id (see `FindingID`).
    public var id: String { FindingID.of(rule: rule, subject: subject, opened: opened) }
}
