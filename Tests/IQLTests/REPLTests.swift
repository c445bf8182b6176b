import Foundation
import PTYSpawn
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `iql` binary on a pseudo-terminal, typed at as a person would.
@Suite(.serialized)
struct REPLTests {
    /// One `iql` session on a pty.
    final class Terminal {
        let pid: pid_t
        let master: Int32
        private(set) var screen = ""
        let historyPath: String
        private let ownsHistory: Bool

        init(historyPath: String? = nil, columns: Int = 200, arguments: [String] = []) throws {
            let history = historyPath ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("iql-history-\(UUID().uuidString)").path
            self.historyPath = history
            ownsHistory = historyPath == nil
            let path = CLITests.binary.path
            var env = ProcessInfo.processInfo.environment
            env["IQL_HISTORY"] = history
            env["NO_COLOR"] = "1"
            env["TERM"] = "xterm"
            env["HOME"] = FileManager.default.temporaryDirectory.path
            let argv = [path] + arguments
            let envp = env.map { "\($0.key)=\($0.value)" }
            var master: Int32 = -1
            let pid = Terminal.withCStrings(argv) { a in
                Terminal.withCStrings(envp) { e in pty_spawn(path, a, e, &master, 50, Int32(columns)) }
            }
            guard pid > 0 else { throw POSIXError(.ECHILD) }
            self.pid = pid
            self.master = master
        }

        deinit {
            _ = pty_kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            close(master)
            if ownsHistory { try? FileManager.default.removeItem(atPath: historyPath) }
        }

        static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
            var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
            pointers.append(nil)
            defer { for p in pointers { free(p) } }
            return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
        }

        func send(_ text: String) {
            var bytes = Array(text.utf8)
            _ = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress, $0.count) }
        }

        /// Reads until the screen (since `mark`) contains `text`; false on timeout.
        @discardableResult
        func waitFor(_ text: String, after mark: String.Index? = nil, timeout: Double = 10) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let start = mark ?? screen.startIndex
                if screen[start...].contains(text) { return true }
                var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                if poll(&fds, 1, 50) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let n = read(master, &buffer, buffer.count)
                    if n <= 0 { return screen[start...].contains(text) }
                    screen += String(decoding: buffer[0..<n], as: UTF8.self)
                }
            }
            return false
        }

        var mark: String.Index { screen.endIndex }

        /// Waits for the process to end and returns its exit status.
        func exitStatus(timeout: Double = 10) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            var status: Int32 = 0
            while Date() < deadline {
                _ = waitFor("\u{0}", timeout: 0.05)
                if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            }
            return nil
        }
    }

    @Test func runsAQueryAndShowsTheBanner() throws {
        let t = try Terminal()
        #expect(t.waitFor("Type .help for help"))
        #expect(t.waitFor("iql> "))
        let m = t.mark
        t.send("from children_in_care | where authority == \"Oxfordshire\" and year == 2019 | select children\r")
        #expect(t.waitFor("779", after: m))
        #expect(t.waitFor("1 row", after: m))
    }

    @Test func explainShowsEachStagesRowsAndAChartDraws() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send(".explain from authorities | where region == \"North East\" | select authority\r")
        #expect(t.waitFor("Filter region == \"North East\"", after: m))
        #expect(t.waitFor("12 rows  (141 fewer)", after: m))
        #expect(t.waitFor("      authority text\r\n", after: m))
        m = t.mark
        t.send(".plan from authorities | sort authority | take 2\r")
        #expect(t.waitFor("optimised (top-n", after: m))
        #expect(t.waitFor("TopN 2 by authority", after: m))
        m = t.mark
        t.send("from child_population | where authority == \"Hartlepool\" and year == 2024 | chart bar authority children\r")
        #expect(t.waitFor("Hartlepool █", after: m))
        #expect(t.waitFor("21090", after: m))
    }

    /// `.connect` runs the session's queries in PostgreSQL (the bundled data exported there),
    /// Ctrl-C cancels a slow one on the server and the session goes on, `.disconnect` comes back.
    @Test func connectRunsQueriesInPostgreSQL() throws {
        let address = try ConnectedEngineTests.bundled.get()
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send(".connect \(address)\r")
        #expect(t.waitFor("connected to PostgreSQL database", after: m))
        m = t.mark
        t.send(".connect\r")
        #expect(t.waitFor("queries run there", after: m))
        m = t.mark
        t.send("from children_in_care | where authority == \"Oxfordshire\" and year == 2019 | select children\r")
        #expect(t.waitFor("779", after: m))
        m = t.mark
        t.send("from providers | select region | join providers on region | join providers on region | count\r")
        Thread.sleep(forTimeInterval: 0.5)
        t.send("\u{3}")
        #expect(t.waitFor("query cancelled", after: m))
        m = t.mark
        t.send("from inspections | where overal == good | count\r")
        #expect(t.waitFor("did you mean 'overall'?", after: m))
        m = t.mark
        t.send(".disconnect\r")
        #expect(t.waitFor("queries run in iql on the bundled data", after: m))
        m = t.mark
        t.send(".connect postgresql:///no_such_database?host=/nonexistent\r")
        #expect(t.waitFor("IQL0615", after: m))
    }

    @Test func tabCompletesDatasetColumnAndValue() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("from inspec\t")
        #expect(t.waitFor("tions", after: m))
        m = t.mark
        t.send(" | where autho\t")
        // Two candidates share "authority": the line grows to it and a second Tab lists both.
        #expect(t.waitFor("rity", after: m))
        Thread.sleep(forTimeInterval: 0.1)
        m = t.mark
        t.send("\t")
        #expect(t.waitFor("authority_code", after: m))
        m = t.mark
        t.send(" == \"Oxf\t")
        #expect(t.waitFor("ordshire\"", after: m))
        m = t.mark
        t.send(" | count\r")
        #expect(t.waitFor("1 row", after: m))
        #expect(t.screen[m...].contains("4 │"))
    }

    @Test func upArrowRecallsThePreviousEntry() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        t.send("from authorities | count\r")
        #expect(t.waitFor("153"))
        var m = t.mark
        t.send("\u{1B}[A")
        #expect(t.waitFor("from authorities | count", after: m))
        // Running the recalled entry again does not add a second copy.
        t.send("\r")
        #expect(t.waitFor("153", after: m))
        m = t.mark
        t.send(".history\r")
        #expect(t.waitFor("2  .history", after: m))
        #expect(t.screen[m...].components(separatedBy: "from authorities | count").count == 2)
    }

    @Test func outputAndReadCommands() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("q.iql").path
        try "let london = from authorities | where region == \"London\"\nfrom london | count\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.csv").path
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        t.send(".mode csv\r.output \(out)\r.read \(script)\r.output\r")
        var m = t.mark
        t.send("from london | take 1 | select region\r")
        #expect(t.waitFor("region\r\nLondon", after: m))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "n\n33\n")
        m = t.mark
        t.send(".load \(out) AS counted\rfrom counted | select n\r")
        #expect(t.waitFor("n\r\n33", after: m))
    }

    @Test func multiLineQueryUsesTheContinuationPrompt() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("from authorities\r| count\r")
        // Two lines that arrive together are one script: the second continues the first.
        #expect(t.waitFor("153", after: m))
        #expect(!t.screen[m...].contains("error"))
        m = t.mark
        t.send("from authorities |\r")
        #expect(t.waitFor("   ...> ", after: m))
        m = t.mark
        t.send("where region == \"London\" |\r")
        #expect(t.waitFor("   ...> ", after: m))
        m = t.mark
        t.send("count\r")
        #expect(t.waitFor("33", after: m))
    }

    @Test func ctrlCClearsALineAndCancelsALongQuery() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("from authorities | where (\r")
        #expect(t.waitFor("   ...> ", after: m))
        m = t.mark
        t.send("\u{03}")
        #expect(t.waitFor("iql> ", after: m))
        m = t.mark
        t.send("let s = from providers | select sector\r")
        #expect(t.waitFor("iql> ", after: m))
        m = t.mark
        t.send("from s | join s on sector | join s on sector | count\r")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("\u{03}")
        #expect(t.waitFor("query cancelled", after: m, timeout: 20))
        m = t.mark
        t.send("from authorities | count\r")
        #expect(t.waitFor("153", after: m))
    }

    @Test func modeCSV() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        t.send(".mode csv\r")
        let m = t.mark
        t.send("from authorities | where authority == \"Oxfordshire\" | select authority, dfe_code\r")
        #expect(t.waitFor("authority,dfe_code\r\nOxfordshire,931", after: m))
    }

    @Test func historyIsPrivateAndReloadedByTheNextSession() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("iql-history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let first = try Terminal(historyPath: path)
            #expect(first.waitFor("iql> "))
            first.send("from visits | count\r")
            #expect(first.waitFor("120"))
            #expect(first.waitFor("iql> ", after: first.screen.range(of: "120")?.upperBound))
            // Ctrl-D has its own test; here the session ends the plainest way.
            first.send(".quit\r")
            #expect(first.exitStatus(timeout: 20) == 0)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        let second = try Terminal(historyPath: path)
        #expect(second.waitFor("iql> "))
        // The newest entry is the .quit that ended the first session; the query is before it.
        var m = second.mark
        second.send("\u{1B}[A")
        #expect(second.waitFor(".quit", after: m))
        m = second.mark
        second.send("\u{1B}[A")
        #expect(second.waitFor("from visits | count", after: m))
    }

    @Test func ctrlDExitsZeroAndGivesTheTerminalBack() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("let s = from providers | select sector\r")
        #expect(t.waitFor("iql> ", after: m))
        m = t.mark
        t.send("from s | join s on sector | count\r")
        // Typed while the query runs (the terminal is not in editing mode), it must still count.
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\u{04}")
        #expect(t.waitFor("1 row", after: m, timeout: 30))
        #expect(t.exitStatus(timeout: 20) == 0)
        var settings = termios()
        #expect(tcgetattr(t.master, &settings) == 0)
        let cooked = tcflag_t(ICANON | ISIG | ECHO)
        #expect(settings.c_lflag & cooked == cooked)
    }

    /// `--safe`: every dot command that reads or writes a file is refused, and nothing is written.
    @Test func safeRefusesDotCommandsThatTouchFiles() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let existing = dir.appendingPathComponent("q.iql").path
        try "from authorities | count\n".write(toFile: existing, atomically: true, encoding: .utf8)
        let t = try Terminal(arguments: ["--safe"])
        #expect(t.waitFor("iql> "))
        for command in [".output \(dir.path)/out.csv", ".read \(existing)", ".load \(existing) AS q", ".save \(dir.path)/saved.iql"] {
            let m = t.mark
            t.send(command + "\r")
            let name = String(command.prefix { $0 != " " })
            #expect(t.waitFor("\(name) reads or writes files, which --safe does not allow", after: m), "\(command)")
        }
        // .output with no file only returns to the terminal, which is allowed; queries still run.
        let m = t.mark
        t.send(".output\rfrom authorities | count\r")
        #expect(t.waitFor("153", after: m))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["q.iql"])
        t.send(".quit\r")
        #expect(t.exitStatus() == 0)
    }

    @Test func dotCommands() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send(".modee csv\r")
        #expect(t.waitFor("did you mean '.mode'?", after: m))
        m = t.mark
        t.send(".schema visits\r")
        #expect(t.waitFor("time column", after: m))
        m = t.mark
        t.send("let n = 3\r.let\r")
        #expect(t.waitFor("n: number = 3", after: m))
        m = t.mark
        t.send(".timer on\rfrom authorities | count\r")
        #expect(t.waitFor("Time: ", after: m))
        m = t.mark
        t.send(".help latest\r")
        #expect(t.waitFor("as of DATE", after: m))
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("iql-saved-\(UUID().uuidString).iql").path
        defer { try? FileManager.default.removeItem(atPath: script) }
        m = t.mark
        t.send(".save \(script)\r")
        #expect(t.waitFor("saved 2 statements", after: m))
        let saved = try String(contentsOfFile: script, encoding: .utf8)
        #expect(saved.contains("# Datasets used: authorities"))
        #expect(saved.hasSuffix("let n = 3\n\nfrom authorities | count\n"))
        let replay = try CLITests.iql([script, "--format", "csv"])
        #expect(replay.stdout == "n\n153\n")
        m = t.mark
        t.send(".quit\r")
        #expect(t.exitStatus() == 0)
    }

    @Test func pipedInputHasNoPromptOrEscapes() throws {
        let r = try CLITests.iql([], stdin: "from authorities | count\n", environment: ["NO_COLOR": "", "TERM": "xterm"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("iql>"))
        #expect(!r.stdout.contains("\u{1B}"))
        #expect(r.stdout.contains("│    153 │"))
    }

    /// Every multi-line example in README.md and docs/language.md, pasted as a terminal pastes
    /// it (with bracketed-paste markers, and without), runs as the script it is and shows the
    /// documented output.
    @Test(arguments: [true, false])
    func pastingTheDocumentationsExamplesRunsThem(bracketed: Bool) throws {
        let examples = DocumentationTests.all.filter { $0.query.contains("\n") }
        #expect(examples.count >= 25)
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        for example in examples {
            let m = t.mark
            // Terminals send a pasted line break as a carriage return.
            let text = example.query.replacingOccurrences(of: "\n", with: "\r") + "\r"
            t.send(bracketed ? "\u{1B}[200~" + text + "\u{1B}[201~" : text)
            #expect(t.waitFor("iql> ", after: m, timeout: 20), "\(example.testDescription): no prompt after the paste")
            let shown = t.screen[m...].replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\u{1B}[?2004h", with: "").replacingOccurrences(of: "\u{1B}[?2004l", with: "")
            #expect(!shown.contains("error"), "\(example.testDescription):\n\(shown)")
            guard let expected = example.output?.text else { continue }
            // The documented output, line by line and in order (the screen interleaves prompts).
            var rest = Substring(shown)
            for line in expected.split(separator: "\n") {
                // A bar is as long as the terminal is wide: its label is what must match.
                let wanted = line.contains("█") ? line.prefix { $0 != "█" } : line
                guard let r = rest.range(of: wanted) else {
                    Issue.record("\(example.testDescription): missing \(line)\nscreen:\n\(shown)")
                    break
                }
                rest = rest[r.upperBound...]
            }
        }
    }

    @Test func aLineStartingWithAPipeRefinesThePreviousStatement() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("| count\r")
        #expect(t.waitFor("adds a stage to the statement before it, and none has run yet", after: m))
        m = t.mark
        t.send("from authorities | where region == \"London\"\r")
        #expect(t.waitFor("33 rows", after: m))
        m = t.mark
        t.send("| count\r")
        #expect(t.waitFor("│     33 │", after: m))
        m = t.mark
        // A refinement that fails leaves the last good statement to refine.
        t.send("| select nosuch\r")
        #expect(t.waitFor("no column 'nosuch'", after: m))
        m = t.mark
        t.send("| select n\r")
        #expect(t.waitFor("│     33 │", after: m))
        m = t.mark
        t.send(".history\r")
        #expect(t.waitFor("from authorities | where region == \"London\"\r\n       | count\r\n       | select n", after: m))
    }

    @Test func ctrlCEndsTheLineAndDrawsAFreshPrompt() throws {
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("from auth\u{3}")
        #expect(t.waitFor("^C\r\n", after: m))
        #expect(t.waitFor("iql> ", after: m))
        // On a continuation line: the statement is dropped, and the prompt is the first one.
        m = t.mark
        t.send("from authorities |\r")
        #expect(t.waitFor("   ...> ", after: m))
        m = t.mark
        t.send("where re\u{1}\u{3}")
        #expect(t.waitFor("^C\r\n", after: m))
        #expect(t.waitFor("iql> ", after: m))
        m = t.mark
        t.send("from authorities | count\r")
        #expect(t.waitFor("153", after: m))
        #expect(!t.screen[m...].contains("error"))
    }

    @Test func wideRowsTurnVerticalAndLineModeShowsEveryField() throws {
        let t = try Terminal(columns: 80)
        #expect(t.waitFor("iql> "))
        var m = t.mark
        t.send("from inspections | where authority == \"Oldham\" | sort published\r")
        #expect(t.waitFor("4 rows\r\n", after: m))
        let shown = String(t.screen[m...])
        #expect(shown.contains("-- row 4 --"))
        #expect(shown.contains("published = 2012-02-24"), "\(shown)")
        #expect(shown.contains("overall = "))
        #expect(!shown.contains("not shown:"))
        m = t.mark
        t.send(".mode line\r")
        #expect(t.waitFor("iql> ", after: m))
        m = t.mark
        t.send("from authorities | where authority == \"Oldham\" | select authority, region\r")
        #expect(t.waitFor("authority = Oldham\r\n   region = North West\r\n", after: m))
    }

    /// Tab after a dot lists every dot command `.help` lists (one registry for both).
    @Test func tabCompletesEveryDotCommand() throws {
        let names = LanguageReferenceTests.dotCommandNames
        #expect(names.count >= 14)
        let t = try Terminal()
        #expect(t.waitFor("iql> "))
        let m = t.mark
        t.send(".\t")
        #expect(t.waitFor(".timer", after: m))
        _ = t.waitFor("\u{0}", timeout: 0.3)
        for n in names { #expect(t.screen[m...].contains(n), "\(n) does not complete") }
    }
}
