import Foundation
import Testing

@testable import AttuneCLI

/// A report written in pieces, long enough for its writing to disk to be started on the way
/// (`AtomicFile.Writeback`), arrives whole, in order, replacing what was there.
struct AtomicFileTests {
    @Test func aLongFileWrittenInPiecesArrivesWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attune-atomic-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("report.json").path
        try AtomicFile.write("an older report", to: path)
        // 2.5 steps of writeback, in pieces of a size that does not divide a step.
        let piece = 1_000_003
        let pieces = AtomicFile.Writeback.step * 5 / 2 / piece + 1
        var expected = Data()
        try AtomicFile.write(to: path) { output in
            for index in 0..<pieces {
                let bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: piece)
                expected.append(contentsOf: bytes)
                bytes.withUnsafeBytes(output)
            }
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(written.count == pieces * piece)
        #expect(written == expected)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // No temporary file left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.json"])
    }
}
