import Foundation
import Testing

/// Dot commands on lines of their own in piped input, script files and `.read`, as sqlite3 and
/// DuckDB accept theirs: through the real binary.
struct ShellScriptTests {
    @Test func dotCommandsInPipedInput() throws {
        let r = try CLITests.iql([], stdin: ".mode csv\n.timer on\nfrom authorities | count\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("n\n153\n"), "\(r.stdout)")
        #expect(r.stdout.contains("Time: "))
        #expect(r.stderr == "")
    }

    @Test func dotCommandsInAScriptFileWithLetsAndParametersAcrossThem() throws {
        let dir = try CLITests.temporaryDirectory()
        let script = dir.appendingPathComponent("s.iql").path
        try """
            param region = "London"
            let councils = from authorities
              | where region == $region
            .mode json
            from councils | count
            .mode csv
            # a dot command between statements keeps what came before
            from councils | where authority == "Camden" | select authority, region
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try CLITests.iql([script])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "[\n  {\"n\": 33}\n]\nauthority,region\nCamden,London\n", "\(r.stdout)")
    }

    @Test func readRunsAFileWithDotCommandsAndStopsAtASelfReadingLoop() throws {
        let dir = try CLITests.temporaryDirectory()
        let inner = dir.appendingPathComponent("inner.iql").path
        try ".mode csv\nfrom authorities | where region == \"North East\" | count\n"
            .write(toFile: inner, atomically: true, encoding: .utf8)
        let r = try CLITests.iql([], stdin: ".read \(inner)\nfrom authorities | count\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "n\n12\nn\n153\n")

        let loop = dir.appendingPathComponent("loop.iql").path
        try ".read \(loop)\n".write(toFile: loop, atomically: true, encoding: .utf8)
        let l = try CLITests.iql([loop])
        #expect(l.status == 1)
        #expect(l.stderr.contains("nested more than 16 deep; does '\(loop)' read itself?"), "\(l.stderr)")
    }

    @Test func theFirstErrorStopsTheScriptAndNamesItsLine() throws {
        // An unknown command: the file and line, a suggestion, nothing after it runs.
        let r = try CLITests.iql([], stdin: "from authorities | count\n.mdoe csv\nfrom authorities | take 1\n")
        #expect(r.status == 1)
        #expect(r.stderr == "stdin:2: error: unknown command '.mdoe'; did you mean '.mode'?\n")
        #expect(r.stdout.contains("153"))
        #expect(!r.stdout.contains("authority_code"))
        // A query error after a dot command points at the line in the whole input.
        let q = try CLITests.iql([], stdin: ".mode csv\n\nfrom authorities\n| where regin == \"London\"\n| count\n.mode json\n")
        #expect(q.status == 1)
        #expect(q.stderr.contains("--> stdin:4:9"), "\(q.stderr)")
        #expect(q.stderr.contains("did you mean 'region'?"))
        #expect(q.stdout == "")
    }

    @Test func aDotLineInsideAnUnfinishedStatementIsPartOfIt() throws {
        // As in sqlite3, a dot command is one only between statements: here the statement is
        // unfinished, so the line is reported as the IQL it then is, and no mode changes.
        let r = try CLITests.iql([], stdin: "from authorities | where region ==\n.mode csv\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("--> stdin:2:1"), "\(r.stderr)")
        #expect(r.stderr.contains("expected an expression, found '.'"), "\(r.stderr)")
    }

    @Test func checkLooksAtDotCommandsToo() throws {
        let dir = try CLITests.temporaryDirectory()
        let good = dir.appendingPathComponent("good.iql").path
        try ".mode csv\nfrom authorities | count\n".write(toFile: good, atomically: true, encoding: .utf8)
        let ok = try CLITests.iql(["check", good])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "\(good): ok\n")
        let bad = dir.appendingPathComponent("bad.iql").path
        try ".mode csv\n.tmier on\nfrom authorities | count\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let no = try CLITests.iql(["check", bad])
        #expect(no.status == 1)
        #expect(no.stderr == "\(bad):2: error: unknown command '.tmier'; did you mean '.timer'?\n")
    }

    @Test func safeRefusesFileCommandsInScripts() throws {
        let dir = try CLITests.temporaryDirectory()
        let out = dir.appendingPathComponent("out.csv").path
        let r = try CLITests.iql(["--safe"], stdin: ".output \(out)\nfrom authorities | count\n")
        #expect(r.status == 1)
        #expect(r.stderr == "stdin:1: error: .output reads or writes files, which --safe does not allow\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        // Dot commands that touch no file are fine under --safe.
        let m = try CLITests.iql(["--safe"], stdin: ".mode csv\nfrom authorities | count\n")
        #expect(m.status == 0)
        #expect(m.stdout == "n\n153\n")
    }

    @Test func scriptResultsAreShownWholeNotFittedToATerminal() throws {
        // At the prompt a table is cut at 40 rows; a script's output is every row.
        let r = try CLITests.iql([], stdin: ".mode table\nfrom authorities | select authority\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("153 rows"))
        #expect(r.stdout.contains("York"))
        #expect(!r.stdout.contains(".mode csv or .output FILE"))
    }
}
