import Foundation
import Testing
import IQL

/// Runs the real `iql` binary the way a user does.
struct CLITests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // The test bundle sits beside the products of the same build.
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("iql")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return Repo.root.appendingPathComponent(".build/debug/iql")
    }

    static func iql(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try iql(args, stdinBytes: stdin.map { Array($0.utf8) }, environment: environment)
    }

    static func iql(_ args: [String], stdinBytes: [UInt8]?, environment: [String: String] = [:]) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdinBytes { input.fileHandleForWriting.write(Data(stdinBytes)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                   stderr: String(decoding: e, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iql-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func oneQueryAsCSV() throws {
        let r = try Self.iql(["-c", #"from children_in_care | where authority == "Oxfordshire" and year in [2011, 2019] | select year, children"#,
                              "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "year,children\n2011,428\n2019,779\n")
        #expect(r.stderr == "")
    }

    @Test func tableFormatShowsRowCount() throws {
        let r = try Self.iql(["-c", "from inspections | where framework == \"ILACS\" | latest inspected by authority as of 2025-03-31 | count by overall"])
        #expect(r.status == 0)
        #expect(r.stdout.hasSuffix("4 rows\n"))
        #expect(r.stdout.contains("│ Requires improvement to be good │"))
    }

    @Test func queryErrorExitsOneWithDiagnosticOnStderr() throws {
        let r = try Self.iql(["-c", #"from inspections | where athority == "Oldham""#])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            error[IQL0201]: no column 'athority' in inspections
             --> query:1:26
              |
            1 | from inspections | where athority == "Oldham"
              |                          ^^^^^^^^ did you mean 'authority'?

            """)
    }

    @Test func usageErrorsExitTwo() throws {
        for args in [["--format", "xml", "-c", "from authorities"], ["--bogus"], ["-c"], ["-c", "x", "file.iql"],
                     ["--data", "nopath"]] {
            let r = try Self.iql(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.hasPrefix("iql: "), "\(args)")
        }
    }

    @Test func scriptFromStdinWhenNotATerminal() throws {
        let r = try Self.iql(["--format", "csv"], stdin: """
            # two statements, one result each
            let oxon = from children_in_care | where authority == "Oxfordshire"
            from oxon | where year == 2011 | select children
            from oxon | where year == 2019 | select children
            """)
        #expect(r.status == 0)
        #expect(r.stdout == "children\n428\n\nchildren\n779\n")
    }

    @Test func scriptFileWithParameters() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("cla.iql")
        try """
            param council = "Oxfordshire"
            param year = 2019
            from children_in_care | where authority == $council and year == $year | select children
            """.write(to: script, atomically: true, encoding: .utf8)
        let plain = try Self.iql([script.path, "--format", "csv"])
        #expect(plain.stdout == "children\n779\n")
        let given = try Self.iql([script.path, "--format", "csv", "--param", "council=Oldham", "--param", "year=2011"])
        #expect(given.status == 0)
        #expect(given.stdout == "children\n337\n")
        let wrong = try Self.iql([script.path, "--param", "year=soon"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("parameter 'year' takes a number like its default"))
        let unknown = try Self.iql([script.path, "--param", "yaer=2019"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown parameter 'yaer'"))
        #expect(unknown.stderr.contains("did you mean 'year'?"))
    }

    /// Notes under a result reach the user in every format: in the table view under it, on
    /// standard error for CSV, JSON and Markdown (whose output has no place for them).
    @Test func notesReachEveryFormat() throws {
        let query = #"from children_in_care | where year == 2025 and authority == "Oxfordshire" | select authority, year, rate_per_10k | compare with england"#
        for format in ["csv", "json", "markdown"] {
            let r = try Self.iql(["--format", format, "-c", query])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("note: england_value: the published England figure"), "\(format): \(r.stderr)")
            #expect(!r.stdout.contains("note:"), "\(format)")
        }
        let table = try Self.iql(["-c", query])
        #expect(table.stdout.contains("note: england_value: the published England figure"))
        #expect(!table.stderr.contains("note:"))
    }

    @Test func dataFlagAddsACSVDataset() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("targets.csv")
        try "authority,target\nOxfordshire,700\nOldham,600\n".write(to: csv, atomically: true, encoding: .utf8)
        let r = try Self.iql(["--data", "targets=\(csv.path)", "--format", "csv", "-c", """
            from children_in_care | where year == 2019 | join targets on authority
            | select authority, children, over = children - target | sort authority
            """])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "authority,children,over\nOldham,512,-88\nOxfordshire,779,79\n")
        #expect(!r.stderr.contains("IQL0613"))

        // A file loaded under a bundled dataset's name is warned about (it hides the bundled one).
        let shadow = try Self.iql(["--data", "referrals=\(csv.path)", "--format", "csv", "-c", "from referrals | count"])
        #expect(shadow.status == 0, "\(shadow.stderr)")
        #expect(shadow.stdout == "n\n2\n")
        #expect(shadow.stderr.contains("warning[IQL0613]"))
        #expect(shadow.stderr.contains("hides the bundled dataset of that name"))
        #expect(shadow.stderr.contains("my_referrals"))

        let slash = dir.appendingPathComponent("dates.csv")
        try "when\n01/02/2020\n03/04/2021\n".write(to: slash, atomically: true, encoding: .utf8)
        let refused = try Self.iql(["--data", "d=\(slash.path)", "-c", "from d"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("column 'when' holds dates written with slashes that read as day/month or month/day"))
        #expect(refused.stderr.contains("such as \"01/02/2020\", \"03/04/2021\""))
        // Told the order, the same file loads; a day above 12 needs no telling.
        let told = try Self.iql(["--data", "d=\(slash.path)", "--date-format", "DD/MM/YYYY", "--format", "csv", "-c", "from d"])
        #expect(told.stdout == "when\n2020-02-01\n2021-04-03\n", "\(told.stderr)")
        let us = try Self.iql(["--data", "d=\(slash.path)", "--date-format", "mdy", "--format", "csv", "-c", "from d | where when > 2020-06-01"])
        #expect(us.stdout == "when\n2021-03-04\n")
        let uk = dir.appendingPathComponent("uk.csv")
        try "when,n\n31/03/2024,1\n01/04/2024,2\n".write(to: uk, atomically: true, encoding: .utf8)
        let inferred = try Self.iql(["--data", "d=\(uk.path)", "--format", "csv", "-c", "from d | select m = month(when)"])
        #expect(inferred.stdout == "m\n3\n4\n", "\(inferred.stderr)")
        let shell = try Self.iql([], stdin: ".load \(slash.path) AS d --date-format dmy\n.mode csv\nfrom d\n")
        #expect(shell.stdout.hasSuffix("when\n2020-02-01\n2021-04-03\n"), "\(shell.stdout)\(shell.stderr)")
        let bad = try Self.iql(["--date-format", "ydm", "-c", "from authorities | count"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown date format 'ydm'"))
    }

    @Test func schemaListsDatasetsAndColumns() throws {
        let all = try Self.iql(["schema", "--format", "csv"])
        #expect(all.status == 0)
        #expect(all.stdout.contains("inspections,published,"))
        // Options may stand before the subcommand as well as after it.
        let one = try Self.iql(["--format", "csv", "schema", "inspections"])
        #expect(one.stdout.contains("overall,rating,overall effectiveness"))
        #expect(one.stdout.contains("published,date,time column;"))
        let bad = try Self.iql(["schema", "inspection"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("did you mean 'inspections'?"))
        // A --data file is a dataset like the others.
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        try "a,b\n1,x\n".write(to: csv, atomically: true, encoding: .utf8)
        let mine = try Self.iql(["schema", "t", "--data", "t=\(csv.path)", "--format", "csv"])
        #expect(mine.status == 0 && mine.stdout.contains("a,number"), "\(mine.stdout)\(mine.stderr)")
        // The option of earlier versions says where it went.
        let old = try Self.iql(["--schema"])
        #expect(old.status == 2)
        #expect(old.stderr.contains("`iql schema NAME`"))
    }

    @Test func timerReportsLoadAndPhases() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        try "a\n1\n2\n".write(to: csv, atomically: true, encoding: .utf8)
        let r = try Self.iql(["--timer", "--data", "t=\(csv.path)", "-c", "from t | count", "--format", "csv"])
        #expect(r.stdout == "n\n2\n")
        #expect(r.stderr.contains("Load t: 2 rows in "))
        // A count reads no column: the one there is was left out.
        #expect(r.stderr.contains(" ms (1 column the query does not read left out)"))
        #expect(r.stderr.contains("(parse "))
        #expect(r.stderr.contains(", check "))
        #expect(r.stderr.contains(", run "))
    }

    /// `--plan` prints the plan without running it, `--analyze` runs it and prints each node's
    /// rows, `--no-optimize` leaves passes out, and a --data file for -c is read only as far as
    /// the query needs.
    @Test func planAnalyzeAndNoOptimize() throws {
        let q = #"from inspections | sort published desc | where region == "London" | take 2 | select authority"#
        let plan = try Self.iql(["--plan", "-c", q])
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("plan as checked:\n  Scan inspections\n"))
        #expect(plan.stdout.contains("optimised (push-filters, top-n, prune-columns):\n"))
        #expect(plan.stdout.contains("  TopN 2 by published desc\n"))
        #expect(!plan.stdout.contains("rows"))
        let analyzed = try Self.iql(["--analyze", "-c", q])
        #expect(analyzed.stdout.contains("  Filter region == \"London\"  "))
        #expect(analyzed.stdout.contains("2 rows  ("))
        let plain = try Self.iql(["--plan", "--no-optimize", "-c", q])
        #expect(plain.stdout.hasPrefix("plan (the optimiser changed nothing):\n"), "\(plain.stdout)")
        let some = try Self.iql(["--plan", "--skip-pass", "top-n", "-c", q])
        #expect(some.stdout.contains("optimised (push-filters, prune-columns):\n"), "\(some.stdout)")
        let two = try Self.iql(["--plan", "--skip-pass=top-n,prune-columns", "-c", q])
        #expect(two.stdout.contains("optimised (push-filters):\n"), "\(two.stdout)")
        #expect(try Self.iql(["--plan", "--skip-pass=", "-c", q]).status == 2)
        let wrong = try Self.iql(["--plan", "--skip-pass", "topn", "-c", q])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("no optimiser pass 'topn' (did you mean 'top-n'?)"))
        let old = try Self.iql(["--plan", "--no-optimize=top-n", "-c", q])
        #expect(old.status == 2 && old.stderr.contains("--skip-pass PASS"))
        #expect(try Self.iql(["--plan"]).status == 2)
        // The same answers with and without the passes, from a file read in part.
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        try "a,b,c\n1,x,2020-01-01\n2,y,2021-01-01\n3,x,\n".write(to: csv, atomically: true, encoding: .utf8)
        for query in ["from t | where b == \"x\" | count", "from t | summarize s = sum(a) by b", "from t | where a > 1"] {
            let a = try Self.iql(["--timer", "--data", "t=\(csv.path)", "-c", query, "--format", "csv"])
            let b = try Self.iql(["--no-optimize", "--data", "t=\(csv.path)", "-c", query, "--format", "csv"])
            #expect(a.status == 0 && a.stdout == b.stdout, "\(query)")
            #expect(a.stderr.contains("left out") == !query.hasSuffix("a > 1"), "\(a.stderr)")
        }
    }

    /// `--time NAME=COLUMN` gives a --data file the time column previous/next order by, in a
    /// one-shot load (read in part) as in a whole one.
    @Test func timeColumnForDataFiles() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        try "k,d,v,x\na,2020-01-02,2,q\na,2020-01-01,1,q\nb,2020-01-01,5,q\n".write(to: csv, atomically: true, encoding: .utf8)
        let q = "from t | derive before = previous(v) by k | sort k, d | select k, v, before"
        let r = try Self.iql(["--data", "t=\(csv.path)", "--time", "t=d", "-c", q, "--format", "csv"])
        #expect(r.stdout == "k,v,before\na,1,\na,2,1\nb,5,\n", "\(r.stderr)")
        let none = try Self.iql(["--data", "t=\(csv.path)", "-c", q])
        #expect(none.status == 1)
        #expect(none.stderr.contains("IQL"))
        let wrong = try Self.iql(["--time", "u=d", "--data", "t=\(csv.path)", "-c", q])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("no --data u=FILE.csv"))
    }

    @Test func jsonOutputIsValidJSON() throws {
        let r = try Self.iql(["--format", "json", "-c", "from children_in_care | where authority == \"Oxfordshire\" | take 2"])
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 2)
        #expect(parsed?.first?["children"] as? Int == 449)
    }

    @Test func diagnosticsAsJSON() throws {
        let r = try Self.iql(["--diagnostics", "json", "-c", #"from inspections | where athority == "Oldham""#])
        #expect(r.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [[String: Any]]
        let d = try #require(parsed?.first)
        #expect(d["code"] as? String == "IQL0201")
        #expect(d["severity"] as? String == "error")
        #expect(d["message"] as? String == "no column 'athority' in inspections")
        #expect(d["line"] as? Int == 1 && d["column"] as? Int == 26 && d["end_column"] as? Int == 34)
        #expect(d["suggestion"] as? String == "authority")
        #expect(d["range"] as? [Int] == [25, 33])
        // Warnings too, while the query still runs.
        let w = try Self.iql(["--diagnostics", "json", "--format", "csv", "-c", #"from inspections | where authority == "Oxfordshre" | count"#])
        #expect(w.status == 0)
        let warning = try #require((try JSONSerialization.jsonObject(with: Data(w.stderr.utf8)) as? [[String: Any]])?.first)
        #expect(warning["code"] as? String == "IQL0701" && warning["severity"] as? String == "warning")
    }

    @Test func explainPrintsTheCatalogueEntry() throws {
        let r = try Self.iql(["--explain", "iql0201"])
        #expect(r.status == 0)
        #expect(r.stdout == DiagnosticCode.unknownColumn.renderedExplanation)
        #expect(r.stdout.hasPrefix("## IQL0201: Unknown column\n"))
        let bad = try Self.iql(["--explain", "IQL9999"])
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("iql: no diagnostic code 'IQL9999'"))
    }

    @Test func warningsGoToStderrAndTheQueryStillRuns() throws {
        let r = try Self.iql(["--format", "csv", "-c", #"from inspections | where authority == "Oxfordshre" | count"#])
        #expect(r.status == 0)
        #expect(r.stdout == "n\n0\n")
        #expect(r.stderr.contains("warning[IQL0701]: no row of inspections has authority \"Oxfordshre\""))
    }

    @Test func runAndCheckSubcommands() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.iql")
        try """
            param region
            # Councils in the region
            from authorities | where region == $region | count
            assert first(n) > 0
            """.write(to: good, atomically: true, encoding: .utf8)
        let run = try Self.iql(["run", good.path, "--param", "region=London", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout == "# Councils in the region\nn\n33\n")
        let check = try Self.iql(["check", good.path])
        #expect(check.status == 0)
        #expect(check.stdout == "\(good.path): ok\n")
        let missing = try Self.iql(["run", good.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing parameter 'region'"))

        let bad = dir.appendingPathComponent("bad.iql")
        try "from authorities | where regoin == \"London\"\nfrom nowhere\n".write(to: bad, atomically: true, encoding: .utf8)
        let checked = try Self.iql(["check", bad.path])
        #expect(checked.status == 1)
        #expect(checked.stderr.contains("no column 'regoin' in authorities"))
        #expect(checked.stderr.contains("no dataset or table named 'nowhere'"))

        let failing = dir.appendingPathComponent("failing.iql")
        try "# All councils\nfrom authorities | count\nassert first(n) == 152\n".write(to: failing, atomically: true, encoding: .utf8)
        let failed = try Self.iql(["run", failing.path, "--format", "csv"])
        #expect(failed.status == 1)
        #expect(failed.stdout == "# All councils\nn\n153\n")
        #expect(failed.stderr.contains("assertion failed: first(n) == 152"))
        #expect(failed.stderr.contains("failing.iql:3:8"))
        #expect(failed.stderr.contains("= note: first(n) is 153"))

        #expect(try Self.iql(["check"]).status == 2)
    }

    @Test func versionSaysHowRecentTheBundledDataIs() throws {
        let r = try CLITests.iql(["--version"])
        let vintage = try #require(Engine().dataVintage)
        #expect(r.stdout == "iql \(IQLVersion.current), bundled data to \(vintage)\n")
        // The newest date of the datasets is at least the newest inspection's publication.
        let newest = try Engine().query("from inspections | summarize d = max(published)")[0, "d"]?.day
        #expect(newest.map { vintage >= $0 } == true)
        #expect(Engine(bundledData: false).dataVintage == nil)
    }
}
