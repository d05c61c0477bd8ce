import AttuneTestSupport
import Foundation

/// Runs the built `attune` binary, as a user would, and captures what it says.
///
/// ```swift
/// let result = try AttuneProcess.run(["review", "Examples/clinic", "--format", "json"])
/// #expect(result.status == 0)
/// ```
enum AttuneProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The day the tests run on, as far as `attune` knows (`ATTUNE_TODAY`).
    static let today = "2026-11-29"

    /// The repository root, from this file's path.
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    /// The `attune` executable beside the test bundle (`.build/<triple>/<config>/attune`).
    static let executable: URL = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["ATTUNE_BINARY"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("attune"))
            folder.deleteLastPathComponent()
        }
        var fromArgument = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(fromArgument.appendingPathComponent("attune"))
            fromArgument.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            fatalError("attune binary not found near the test bundle; tried: \(candidates.map(\.path))")
        }
        return found
    }()

    /// Runs `attune` with `arguments` in the repository root (or `directory`), feeding `input` on standard input.
    static func run(
        _ arguments: [String], input: String? = nil, directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        try run(program: executable, arguments, input: input, directory: directory, environment: environment)
    }

    /// Runs another program (a shell script of Examples/, say) the same way.
    static func run(
        program: URL, _ arguments: [String], input: String? = nil, directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repositoryRoot
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // A fixed clock: records dated after "today" are errors, and tests must not depend on the day they run.
        env["ATTUNE_TODAY"] = today
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        // Read both pipes concurrently so a chatty process never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder for a test's files.
    static func temporaryDirectory() throws -> URL {
        let url = TestFolder.unique("attune-e2e")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
