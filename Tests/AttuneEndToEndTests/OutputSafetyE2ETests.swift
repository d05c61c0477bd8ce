import Foundation
import Testing

/// `--output` never destroys what the review reads, never turns a device or FIFO into a regular
/// file, and leaves no temporary file behind when a signal ends the review (issue 12, items 1, 2, 5).
@Suite struct OutputSafetyE2ETests {
    static let record = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}}\n"

    /// A folder holding `data.yaml` and `recs/a.yaml`, and the bytes of both.
    private func inputs() throws -> (folder: URL, bytes: Data) {
        let folder = try AttuneProcess.temporaryDirectory()
        let bytes = Data(Self.record.utf8)
        try bytes.write(to: folder.appendingPathComponent("data.yaml"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("recs"), withIntermediateDirectories: false)
        try bytes.write(to: folder.appendingPathComponent("recs/a.yaml"))
        return (folder, bytes)
    }

    @Test(arguments: [
        (["data.yaml"], "data.yaml", "is the records file data.yaml"),
        (["recs"], "recs/2026-W48.yaml", "is inside the records folder recs"),
        (["recs"], "recs/sub/../../recs/report.json", "is inside the records folder recs"),
        (["data.yaml"], "link.yaml", "is the records file data.yaml"),
        (["data.yaml"], "hard.yaml", "is the records file data.yaml"),
        (["recs"], "hard-to-a.yaml", "is the records file recs/a.yaml"),
        (["data.yaml", "--rules", "pack"], "pack/extra.yaml", "is inside the rule pack folder pack"),
        (["data.yaml", "--csv-map", "map.yaml"], "map.yaml", "is the CSV map file map.yaml"),
    ])
    func anOutputThatIsAnInputIsRefused(_ arguments: [String], _ output: String, _ reason: String) throws {
        let (folder, bytes) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("recs/sub"), withIntermediateDirectories: false)
        try manager.createSymbolicLink(
            atPath: folder.appendingPathComponent("link.yaml").path, withDestinationPath: "data.yaml")
        try manager.linkItem(
            at: folder.appendingPathComponent("data.yaml"), to: folder.appendingPathComponent("hard.yaml"))
        try manager.linkItem(
            at: folder.appendingPathComponent("recs/a.yaml"), to: folder.appendingPathComponent("hard-to-a.yaml"))
        try manager.createDirectory(at: folder.appendingPathComponent("pack"), withIntermediateDirectories: false)
        try Data("name: site\nversion: 1.0.0\n".utf8).write(to: folder.appendingPathComponent("pack/pack.yaml"))
        try Data("columns: {client: client}\n".utf8).write(to: folder.appendingPathComponent("map.yaml"))
        let before = try snapshot(folder)

        let result = try AttuneProcess.run(["review"] + arguments + ["--output", output], directory: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: --output \(output) \(reason)"), "\(result.stderr)")
        #expect(try snapshot(folder) == before, "nothing written, nothing replaced")
        #expect(try Data(contentsOf: folder.appendingPathComponent("data.yaml")) == bytes)
    }

    @Test func standardInputRedirectedFromTheOutputIsRefused() throws {
        let (folder, bytes) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "\"$0\" review - --output data.yaml < data.yaml 2>err.txt", AttuneProcess.executable.path,
        ]
        process.currentDirectoryURL = folder
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(try Data(contentsOf: folder.appendingPathComponent("data.yaml")) == bytes)
        #expect(
            try String(contentsOf: folder.appendingPathComponent("err.txt"), encoding: .utf8)
                .contains("error: --output data.yaml is the file standard input reads"))
    }

    @Test(arguments: ["", "recs/"])
    func anOutputWithoutAFileNameIsAUsageError(_ output: String) throws {
        let (folder, _) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let result = try AttuneProcess.run(["review", "data.yaml", "--output", output], directory: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--output needs a file name, not '\(output)'"), "\(result.stderr)")
    }

    @Test func aReportBesideTheRecordsInAnotherFormatIsWritten() throws {
        let (folder, _) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let result = try AttuneProcess.run(
            ["review", "recs", "--format", "html", "--output", "recs/review.html"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("recs/review.html").path))
    }

    /// Every name in the folder (hidden ones too) with its bytes.
    private func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let name = enumerator?.nextObject() as? String {
            let path = folder.appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            result[name] = isFolder.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return result
    }

    @Test func aDeviceIsWrittenToAsAStreamAndStaysADevice() throws {
        let (folder, _) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let null = try AttuneProcess.run(["review", "data.yaml", "--output", "/dev/null"], directory: folder)
        #expect(null.status == 0, "\(null.stderr)")
        let full = try AttuneProcess.run(["review", "data.yaml", "--output", "/dev/full"], directory: folder)
        #expect(full.status == 2)
        #expect(full.stderr.contains("/dev/full: error: cannot write the report: No space left on device"))
        // A symlink to a device is the device.
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("out.txt").path, withDestinationPath: "/dev/null")
        let linked = try AttuneProcess.run(["review", "data.yaml", "--output", "out.txt"], directory: folder)
        #expect(linked.status == 0, "\(linked.stderr)")
        for device in ["/dev/null", "/dev/full"] {
            let type = try FileManager.default.attributesOfItem(atPath: device)[.type] as? FileAttributeType
            #expect(type == .typeCharacterSpecial, "\(device) is still a device")
        }
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("out.txt").path)
                == "/dev/null")
    }

    @Test func aFIFOIsWrittenToAsAStream() throws {
        let (folder, _) = try inputs()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let fifo = folder.appendingPathComponent("report.fifo")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            // Opening for reading waits for the writer, as a FIFO does.
            let descriptor = open(fifo.path, O_RDONLY)
            guard descriptor >= 0 else { return }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                guard count > 0 else { break }
                received.append(contentsOf: buffer[0..<count])
            }
        }
        reader.start()
        let result = try AttuneProcess.run(["review", "data.yaml", "--output", fifo.path], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        while !reader.isFinished { usleep(10_000) }
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("Attune supervision review"))
        var info = stat()
        #expect(stat(fifo.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO is still a FIFO")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "data.yaml", "recs", "report.fifo",
            ])
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func aSignalDuringTheWriteLeavesNoTemporaryFile(_ signal: Int32) throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        // Large enough that the report takes a while to write: the signal lands while the
        // temporary file exists.
        var text = ""
        for client in 0..<3_000 {
            for day in 1...12 {
                text +=
                    "- {client: C-\(client), therapist: T-\(client % 7), date: 2026-11-\(day < 10 ? "0" : "")\(day), "
                    + "attendance: attended, measures: {srs: \(20 + day)}, notes: 'note \(client) \(day)'}\n"
            }
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent("big.yaml"))
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)

        let process = Process()
        process.executableURL = AttuneProcess.executable
        process.arguments = [
            "review", "big.yaml", "--format", "json", "--include-notes", "--jobs", "1", "--output", "out/review.json",
        ]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["ATTUNE_TODAY": AttuneProcess.today]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the temporary file; signal as soon as it is there.
        var sawTemporary = false
        while process.isRunning, !sawTemporary {
            sawTemporary =
                (try? FileManager.default.contentsOfDirectory(atPath: out.path))?.contains { $0.contains(".tmp-") }
                ?? false
            if !sawTemporary { usleep(2_000) }
        }
        if sawTemporary { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        try #require(sawTemporary, "the review finished before its temporary file was seen; make the input larger")
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == signal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == [])
    }
}
