import Foundation
import Testing

/// Bad and hostile input through the built binary: located errors, exit 2 under --strict with no
/// report written, the rest evaluated without it; CRLF and BOM files simply work.
struct InputErrorsE2ETests {
    static let good = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 30}}\n"

    static func write(_ bytes: [UInt8], _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Small versions of each hostile file (scripts/hostile-input.sh runs the full sizes).
    static func hostileFiles(in folder: URL) throws -> [(path: String, error: String)] {
        var laughs = #"a: &a ["lol","lol","lol"]"#
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            laughs += "\n  \(name): &\(name) [*\(previous),*\(previous),*\(previous)]"
        }
        var noise: [UInt8] = []
        var state: UInt32 = 2_463_534_242
        for _ in 0..<8192 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            noise.append(UInt8(truncatingIfNeeded: state))
        }
        return [
            (
                try write(
                    Array((good.replacingOccurrences(of: "C-1", with: "C-9") + "- " + laughs + "\n").utf8),
                    "laughs.yaml", in: folder), "laughs.yaml:3:10: error: aliases are not allowed in record files"
            ),
            (
                try write(
                    Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8),
                    "deep.json", in: folder),
                "deep.json:1:65: error: nesting deeper than 64 levels"
            ),
            (
                try write(
                    Array(("- client: " + String(repeating: "x", count: 2 << 20) + "\n").utf8), "long.yaml", in: folder),
                "long.yaml:1:11: error: scalar longer than 1048576 bytes"
            ),
            (try write(noise, "noise.jsonl", in: folder), "noise.jsonl:1:1: error: expected a JSON value"),
            (
                try write(Array("client,notes\nC-1,caf".utf8) + [0xC3], "latin.csv", in: folder),
                "latin.csv:2:8: error: invalid UTF-8 in a cell"
            ),
            (
                try write(Array(#"[{"client": "C-1", "therapist": "T-1", "da"#.utf8), "cut.json", in: folder),
                "cut.json:1:40: error: unterminated string"
            ),
            (
                try write(Array(String(repeating: "---\n", count: 50_000).utf8), "empty.yaml", in: folder),
                "empty.yaml:1:1: error: no session records in this file"
            ),
        ]
    }

    @Test func hostileInputEndsInALocatedErrorAndExit2UnderStrict() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        for (path, error) in try Self.hostileFiles(in: folder) {
            let output = folder.appendingPathComponent("review.json")
            let result = try AttuneProcess.run(
                ["review", path, "--strict", "--format", "json", "--output", output.path],
                directory: folder)
            #expect(result.status == 2, "\(path): \(result.stderr)")
            #expect(result.stderr.contains(error), "\(path): \(result.stderr)")
            #expect(result.stderr.contains("under --strict; no report written"))
            #expect(!FileManager.default.fileExists(atPath: output.path), "\(path): no report under --strict")
        }
    }

    @Test func withoutStrictTheOtherFilesAreStillReviewed() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let hostile = try Self.hostileFiles(in: folder)
        let good = try Self.write(Array(Self.good.utf8), "good.yaml", in: folder)
        let result = try AttuneProcess.run(
            ["review", good] + hostile.map(\.path) + ["--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        for (_, error) in hostile { #expect(result.stderr.contains(error), "\(error) missing from \(result.stderr)") }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let census = try #require(json["census"] as? [String: Any])
        #expect(census["files"] as? Int == 8)
        #expect(
            census["clients"] as? Int == 2,
            "the good records (good.yaml, and the one before the alias in laughs.yaml) are evaluated")
        #expect((json["record_errors"] as? [Any])?.count == hostile.count)
    }

    @Test func aBadCSVRowIsLeftOutOrFailsUnderStrict() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let csv = try Self.write(
            Array(
                "client,therapist,date,attendance,srs\nC-1,T-1,2026-11-24,attended,31\nC-2,T-1,24.11.2026,attended,30\n"
                    .utf8),
            "export.csv", in: folder)
        let lenient = try AttuneProcess.run(["review", csv, "--format", "json"], directory: folder)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(
            lenient.stderr.contains(
                "export.csv:3:9: error: '24.11.2026' is not a valid date; expected a date in YYYY-MM-DD (row 3, column 'date')"
            ))
        #expect(lenient.stdout.contains("\"records_left_out\": 1"))
        let strict = try AttuneProcess.run(["review", csv, "--strict"], directory: folder)
        #expect(strict.status == 2)
        #expect(strict.stdout.isEmpty)
    }

    @Test func crlfAndByteOrderMarkFilesSimplyWork() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let crlf = Self.good.replacingOccurrences(of: "\n", with: "\r\n")
        let paths = [
            try Self.write(bom + Array(crlf.utf8), "windows.yaml", in: folder),
            try Self.write(
                bom
                    + Array(
                        #"[{"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"}]"#.utf8
                    ) + [0x0D, 0x0A],
                "windows.json", in: folder),
            try Self.write(
                bom + Array("client,therapist,date,attendance\r\nC-3,T-1,2026-11-24,attended\r\n".utf8), "windows.csv",
                in: folder),
        ]
        let result = try AttuneProcess.run(["review"] + paths + ["--strict", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("\"clients\": 3"))
    }
}
