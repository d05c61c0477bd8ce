import Foundation
import Testing

/// Process plugins (`exec:`) through the command line: refused without `--allow-exec-plugins`,
/// one process per run with it, and every way a plugin can fail (too slow, crashing, garbage,
/// too much output, a changed script) ends in an error naming it, never a crash or a quiet report.
///
/// The failing plugins are `plugins/probe.py`: the example's `py_streak.py` with one behaviour
/// changed, in a copy of the example pack.
struct ProcessPluginE2ETests {
    static let example = "Examples/plugins/process-python"
    static let allow = "--allow-exec-plugins"

    @Test func theExamplePackLintsAndPassesItsTestsWithTheFlag() throws {
        let lint = try AttuneProcess.run(["lint", Self.example, Self.allow])
        #expect(lint.status == 0, "\(lint.stderr)")
        let test = try AttuneProcess.run(["test", Self.example, Self.allow])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("PASS  python-plugin-missed-in-a-row › a no-show then a late cancellation"))
        #expect(test.stdout.contains("PASS  kind py-streak (plugin py-streak) › a broken run is a near miss"))
    }

    @Test(arguments: [
        ["lint", example], ["test", example], ["rules", "--rules", example],
        ["review", "Examples/clinic", "--rules", example],
    ])
    func withoutTheFlagEveryCommandStopsNamingThePluginAndTheFlag(_ arguments: [String]) throws {
        let result = try AttuneProcess.run(arguments)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stderr.contains(
                "pack.yaml:13:3: error: plugin py-streak: runs a program on this computer with your rights (python3 plugins/py_streak.py)"
            ), "\(result.stderr)")
        #expect(result.stderr.contains("--allow-exec-plugins"))
    }

    @Test func oneProcessServesAWholeReviewInThePackFolder() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "evaluate":
                with open("pids.txt", "a") as pids:
                    pids.write(f"{os.getpid()}\\n")
            """)
        let result = try AttuneProcess.run(
            ["review", "Examples/clinic", "--rules", pack.path, Self.allow, "--format", "json"])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(!result.stdout.contains("plugin probe"), "no evaluation error: \(result.stdout)")
        let pids = try String(contentsOf: pack.appendingPathComponent("pids.txt"), encoding: .utf8)
            .split(separator: "\n")
        // The kind batches: the clinic's 21 timelines go in one request per evaluation, not one each.
        #expect(!pids.isEmpty && pids.count < 21, "a request per batch of timelines: \(pids)")
        #expect(Set(pids).count == 1, "one process for the whole review: \(Set(pids))")
        // `attune test` sends each test and example alone: still one process for them all.
        let tested = try AttuneProcess.run(["test", pack.path, Self.allow])
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
        let testPids = try String(contentsOf: pack.appendingPathComponent("pids.txt"), encoding: .utf8)
            .split(separator: "\n").dropFirst(pids.count)
        #expect(testPids.count >= 5, "a request per test and example")
        #expect(Set(testPids).count == 1, "one process for the whole run: \(Set(testPids))")
        // Ended at exit, and reaped: no process of that id is left.
        let pid = try #require(pid_t(String(pids[0])))
        #expect(kill(pid, 0) != 0)
    }

    @Test func aPluginThatDoesNotAnswerInTimeIsStoppedWithAnErrorNamingIt() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "evaluate":
                time.sleep(60)
            """, timeout: 1)
        let started = Date()
        let result = try AttuneProcess.run(["test", pack.path, Self.allow])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(
            result.stdout.contains("plugin probe: did not answer within 1 s (timeout: in pack.yaml"),
            "\(result.stdout)")
        // Stopped at the first timeout: the later calls fail at once rather than wait again.
        #expect(result.stdout.contains("plugin probe: is not running: did not answer within 1 s"), "\(result.stdout)")
        #expect(Date().timeIntervalSince(started) < 30, "bounded by the timeout, not the plugin's 60 s sleep")
    }

    @Test func aPluginThatCrashesMidRunIsAnEvaluationErrorInTheReport() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "evaluate" and requests >= 2:
                os._exit(3)
            """)
        let result = try AttuneProcess.run([
            "review", "Examples/clinic", "--rules", pack.path, Self.allow, "--format", "json",
        ])
        // The batch's call fails, so each timeline is asked about alone; the plugin is gone by
        // then, and each error says why.
        #expect(
            result.stdout.contains(
                "plugin probe: is not running: closed its output before answering: it exited with status 3"),
            "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("python-plugin-missed-in-a-row"))
    }

    @Test func garbageOutputIsAnEvaluationErrorNamingThePluginAndTheRule() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "evaluate":
                sys.stdout.write("this is not JSON\\n")
                sys.stdout.flush()
                continue
            """)
        let result = try AttuneProcess.run(["test", pack.path, Self.allow])
        #expect(result.status == 1)
        #expect(result.stdout.contains("plugin probe"), "\(result.stdout)")
        #expect(result.stdout.contains("python-plugin-missed-in-a-row"), "\(result.stdout)")
    }

    @Test func oversizedOutputIsRefusedAndThePluginStopped() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "evaluate":
                sys.stdout.write("x" * (17 << 20))
                sys.stdout.flush()
            """)
        let result = try AttuneProcess.run(["test", pack.path, Self.allow])
        #expect(result.status == 1)
        #expect(
            result.stdout.contains("plugin probe: wrote more than 16 MiB without ending its response line"),
            "\(result.stdout.prefix(2000))")
    }

    @Test func itsStandardErrorIsPassedThroughEscapedAndPrefixedWithItsName() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "declare":
                print("fitting the model \\x1b[31mred", file=sys.stderr, flush=True)
            """)
        let result = try AttuneProcess.run(["lint", pack.path, Self.allow])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("plugin probe: fitting the model \\u{1B}[31mred"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}"))
    }

    @Test func itGetsOnlyTheDocumentedEnvironment() throws {
        let pack = try Self.probePack(
            """
            if request.get("type") == "declare":
                print("environment " + ",".join(sorted(os.environ)), file=sys.stderr, flush=True)
            """)
        let result = try AttuneProcess.run(
            ["lint", pack.path, Self.allow], environment: ["ATTUNE_SECRET_PROBE": "not for plugins"])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("plugin probe: environment") })
        #expect(!line.contains("ATTUNE"), "\(line)")
        #expect(line.contains("PATH"))
    }

    @Test func aChangedScriptIsALoadErrorAndNeverRuns() throws {
        let pack = try Self.probePack("")
        let script = pack.appendingPathComponent("plugins/probe.py")
        let text = try String(contentsOf: script, encoding: .utf8)
        try (text + "\n# changed after pinning\n").write(to: script, atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["lint", pack.path, Self.allow])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("error: plugin probe: plugins/probe.py has sha256"),
            "\(result.stderr)")
        #expect(result.stderr.contains("but pack.yaml pins"))
    }

    // MARK: - A copy of the example pack whose plugin is probe.py

    /// `behaviour`: Python run for each request before it is answered (`request` is the decoded
    /// request, `requests` how many came so far; `continue` skips the normal answer).
    static func probePack(_ behaviour: String, timeout: Double = 10) throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        let source = AttuneProcess.repositoryRoot.appendingPathComponent(example)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        for file in ["missed-in-a-row.yaml", "plugins/py_streak.py"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let indented = behaviour.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "        " + $0 }.joined(separator: "\n")
        let probe = """
            import json, os, sys, time
            sys.path.insert(0, "plugins")
            import py_streak

            requests = 0
            for line in sys.stdin.buffer:
                request = json.loads(line)
                requests += 1
                if True:
            \(indented)
                    pass
                sys.stdout.write(json.dumps(py_streak.answer(request)) + "\\n")
                sys.stdout.flush()

            """
        let script = folder.appendingPathComponent("plugins/probe.py")
        try probe.write(to: script, atomically: true, encoding: .utf8)
        let hash = try AttuneProcess.run(program: URL(fileURLWithPath: "/usr/bin/sha256sum"), [script.path])
        let sha256 = String(hash.stdout.prefix(64))
        try """
        name: probe-pack
        version: 0.1.0
        plugins:
          probe: {exec: [python3, plugins/probe.py], sha256: \(sha256), timeout: \(timeout)}
        """.write(to: folder.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        // The rule's kind is the plugin's kind; only the plugin behind it changes.
        return folder
    }
}
