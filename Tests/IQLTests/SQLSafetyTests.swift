import Foundation
import Testing
import IQL
import IQLPostgres

/// Text a user gives (values, parameters, column and dataset names) reaches compiled SQL only
/// as an escaped literal or a quoted identifier: it comes back from DuckDB and PostgreSQL
/// exactly as given, and nothing of it is left once those are taken out of the SQL.
struct SQLSafetyTests {
    static let hostile = [
        "O'Brien", "'; DROP TABLE t; --", "\\'", "\\\\", "a\\", "$$", "$tag$ x $tag$", "/* c */ x", "-- c", "\"quoted\"",
        "E'x'", "a\nb", "tab\there", "Ünïcødé ✓ 👩‍👩‍👧", "'' OR ''=''", "\\'; SELECT 1; --", "%_", "\r\n", "'", "\\",
    ]

    /// The SQL with every quoted identifier and escape-string literal taken out.
    static func outsideQuotes(_ sql: String) -> String {
        var out = "", chars = Array(sql.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if c == "\"" {
                while let d = chars.popFirst() {
                    if d == "\"" { if chars.first == "\"" { chars.removeFirst() } else { break } }
                }
                out += " ID "
            } else if c == "E", chars.first == "'" {
                chars.removeFirst()
                while let d = chars.popFirst() {
                    if d == "\\" { _ = chars.popFirst(); continue }
                    if d == "'" { if chars.first == "'" { chars.removeFirst() } else { break } }
                }
                out += " LIT "
            } else if c == "'" {
                // The compiler's own literals: rating wording, dates, double text.
                while let d = chars.popFirst() {
                    if d == "'" { if chars.first == "'" { chars.removeFirst() } else { break } }
                }
                out += " OWN "
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func engine() throws -> Engine {
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "id,g\n1,a\n2,b\n", as: "t")
        return e
    }

    @Test func compiledSQLHoldsUserTextOnlyInsideQuotes() throws {
        let e = try Self.engine()
        for s in Self.hostile {
            for dialect in SQLDialect.allCases {
                for q in ["param s\nfrom t | take 1 | select x = $s", "param s\nfrom t | where g == $s or starts_with(g, $s) | count",
                          "param s\nfrom t | derive y = if(g > $s, $s, g) | sort y | select y",
                          "param s\nlet old = from t | where g != $s\nfrom t | derive g = $s | diff old on id"] {
                    let statements = try e.sql(q, dialect: dialect, parameters: ["s": .text(s)])
                    for st in statements {
                        let rest = Self.outsideQuotes(st.text)
                        for bad in [";", "--", "/*", "$", "\\", "DROP", "\"", "'"] {
                            #expect(!rest.contains(bad), "\(dialect) \(s.debugDescription): \(bad) outside quotes in\n\(st.text)")
                        }
                    }
                }
            }
        }
    }

    @Test func textWithNULHasNoSQLForm() throws {
        let e = try Self.engine()
        #expect(throws: IQLError.self) { try e.sql("param s\nfrom t | where g == $s | count", dialect: .postgres, parameters: ["s": .text("a\u{0}b")]) }
        do {
            _ = try e.sql("param s\nfrom t | where g == $s | count", dialect: .duckdb, parameters: ["s": .text("a\u{0}b")])
        } catch {
            #expect(error.diagnostics.first?.code == .noSQLForm)
            #expect(error.diagnostics.first?.message.contains("NUL") == true)
        }
    }

    /// The hostile text, given as a parameter, comes back from each engine exactly; compared
    /// with it, nothing matches; hostile column names come back as the values under them.
    @Test func hostileTextComesBackExactly() throws {
        let e = try Self.engine()
        var queries: [String] = []
        for s in Self.hostile {
            queries.append(try e.sql("param s\nfrom t | take 1 | select x = $s", dialect: .duckdb, parameters: ["s": .text(s)])[0].text)
            queries.append(try e.sql("param s\nfrom t | where g == $s | count", dialect: .duckdb, parameters: ["s": .text(s)])[0].text)
        }
        var names = Engine(bundledData: false)
        // And a column named as the compiler names its own order columns, which it then avoids.
        let header = Self.hostile.prefix(8).enumerated().map { "\"\($1.replacingOccurrences(of: "\"", with: "\"\""))\($0)\"" }.joined(separator: ",")
            + ",iql_order_1"
        try names.registerCSV(text: header + "\n" + (1...9).map(String.init).joined(separator: ",") + "\n", as: "h")
        let hostileNames = try names.sql("from h", dialect: .duckdb)[0].text
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var script = ".mode csv\n.headers off\n.nullvalue ''\n" + (try e.exportSQL(dialect: .duckdb)) + (try names.exportSQL(dialect: .duckdb))
        for (k, q) in (queries + [hostileNames]).enumerated() { script += "SELECT '@@\(k)';\n\(q);\n" }
        let url = dir.appendingPathComponent("hostile.sql")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let (out, err) = try Self.duckdb(url)
        #expect(err.isEmpty, "DuckDB: \(err)")
        let results = CSVRecords.results(out, count: queries.count + 1)
        for (i, s) in Self.hostile.enumerated() {
            // DuckDB's CSV ends records with \r\n; a lone \r inside a quoted field stays.
            let back = results[2 * i].first?.first
            #expect(back == s || (s == "\r\n" && back == "\n"), "DuckDB gave \(String(describing: back?.debugDescription)) for \(s.debugDescription)")
            #expect(results[2 * i + 1] == [["0"]])
        }
        #expect(results[queries.count] == [(1...9).map(String.init)])

        // The same in PostgreSQL.
        var pg = try e.exportSQL(dialect: .postgres) + (try names.exportSQL(dialect: .postgres))
        var pgQueries: [String] = []
        for s in Self.hostile {
            pgQueries.append(try e.sql("param s\nfrom t | take 1 | select x = $s", dialect: .postgres, parameters: ["s": .text(s)])[0].text)
        }
        pgQueries.append(try names.sql("from h", dialect: .postgres)[0].text)
        for (k, q) in pgQueries.enumerated() { pg += "SELECT '@@\(k)';\n\(q);\n" }
        let (pgOut, pgErr) = try PostgresServer.run(pg, in: dir)
        #expect(pgErr.isEmpty, "PostgreSQL: \(pgErr)")
        let pgResults = CSVRecords.results(pgOut, count: pgQueries.count)
        for (i, s) in Self.hostile.enumerated() {
            let back = pgResults[i].first?.first
            #expect(back == s || (s == "\r\n" && back == "\n"), "PostgreSQL gave \(String(describing: back?.debugDescription)) for \(s.debugDescription)")
        }
        #expect(pgResults[Self.hostile.count] == [(1...9).map(String.init)])
        #expect(hostileNames.contains("\"iql__order_"), "\(hostileNames)")
    }

    /// A false `assert` fails in the database too, with the assertion in the error.
    @Test func aFailedAssertionIsAnErrorInBothEngines() throws {
        let e = try Self.engine()
        let script = "from t | count\nassert first(n) == 999"
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let duck = try e.exportSQL(dialect: .duckdb) + (try e.sql(script, dialect: .duckdb).map { $0.text + ";\n" }.joined())
        let url = dir.appendingPathComponent("assert.sql")
        try duck.write(to: url, atomically: true, encoding: .utf8)
        let (_, err) = try Self.duckdb(url)
        #expect(err.contains("assertion failed: first(n) == 999"), "\(err)")
        let pg = try e.exportSQL(dialect: .postgres) + (try e.sql(script, dialect: .postgres).map { $0.text + ";\n" }.joined())
        let (_, pgErr) = try PostgresServer.run(pg, in: dir)
        #expect(pgErr.contains("assertion failed: first(n) == 999"), "\(pgErr)")
        // And a true one is one row, true.
        let ok = try e.sql("from t | count\nassert first(n) == 2", dialect: .duckdb)
        #expect(ok.map(\.kind) == [.result, .assertion])
    }

    /// A pivot in SQL keeps iql's meaning at its edges: a cell takes the last row's value (a
    /// null included, as iql overwrites), rows whose head is not listed still make their row,
    /// no rows make no row, and two values for one cell are an error in both databases.
    @Test func pivotEdgesAgreeInBothEngines() throws {
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "k,h,v\na,x,1\na,x,\na,y,2\nb,z,3\nb,x,\nb,x,4\n", as: "p")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = [
            "from p | pivot h v values [\"x\", \"y\"]",
            "from p | where k == \"none\" | select h, v | pivot h v values [\"x\"]",
            "from p | pivot h v values [\"x\", \"y\"] | unpivot x, y into head, value",
        ]
        let expected = try queries.map { BundledSQLTests.rows(try e.query($0)) }
        #expect(expected[0] == [["a", "", "2"], ["b", "4", ""]])
        #expect(expected[1].isEmpty)
        let (duck, pg) = try Self.inBothDatabases(e, queries, dir: dir)
        #expect(duck == expected)
        #expect(pg == expected)
        let url = dir.appendingPathComponent("pivot.sql")
        // Two values for the cell (a, x): iql refuses, and so does each database.
        try e.registerCSV(text: "k,h,v\na,x,1\na,x,5\n", as: "p")
        let twice = "from p | pivot h v values [\"x\"]"
        #expect(throws: IQLError.self) { try e.query(twice) }
        try (try e.exportSQL(dialect: .duckdb) + (try e.sql(twice, dialect: .duckdb)[0].text) + ";\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try Self.duckdb(url).1.contains("pivot: two values for one cell of h"))
        let (_, twiceErr) = try PostgresServer.run(try e.exportSQL(dialect: .postgres) + (try e.sql(twice, dialect: .postgres)[0].text) + ";\n", in: dir)
        #expect(twiceErr.contains("pivot: two values for one cell of h"), "\(twiceErr)")
    }

    /// Each query's result rows in DuckDB and in PostgreSQL, the engine's datasets exported
    /// into each (neither may report an error).
    static func inBothDatabases(_ e: Engine, _ queries: [String], dir: URL) throws -> (duck: [[[String]]], pg: [[[String]]]) {
        var duck = ".mode csv\n.headers off\n.nullvalue ''\n" + (try e.exportSQL(dialect: .duckdb))
        var pg = try e.exportSQL(dialect: .postgres)
        for (i, q) in queries.enumerated() {
            duck += "SELECT '@@\(i)';\n" + (try e.sql(q, dialect: .duckdb)[0].text) + ";\n"
            pg += "SELECT '@@\(i)';\n" + (try e.sql(q, dialect: .postgres)[0].text) + ";\n"
        }
        let url = dir.appendingPathComponent("both.sql")
        try duck.write(to: url, atomically: true, encoding: .utf8)
        let (out, err) = try Self.duckdb(url)
        #expect(err.isEmpty, "\(err)")
        let (pgOut, pgErr) = try PostgresServer.run(pg, in: dir)
        #expect(pgErr.isEmpty, "\(pgErr)")
        return (CSVRecords.results(out, count: queries.count), CSVRecords.results(pgOut, count: queries.count))
    }

    /// The council-name table every export makes cannot be overwritten by a dataset of its
    /// name, nor one overwrite it: the export refuses, saying why.
    @Test func noDatasetTakesTheLookupsName() throws {
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "key\nx\n", as: SQLExport.councilLookup)
        for dialect in SQLDialect.allCases {
            do {
                _ = try e.exportSQL(dialect: dialect)
                Issue.record("\(dialect): exported a dataset named \(SQLExport.councilLookup)")
            } catch {
                #expect(error.diagnostics.map(\.code) == [.noSQLForm])
                #expect(error.diagnostics.first?.message.contains("the council-name table") == true)
            }
        }
        #expect(try Engine(bundledData: false).exportSQL(dialect: .postgres).contains("CREATE TABLE \"\(SQLExport.councilLookup)\""))
    }

    /// `diff` compiled: keys of two columns matching null to null, unchanged rows left out, a
    /// null against a value a change, the rows in key order with nulls last, a `let` table as
    /// the earlier side; a key that picks out two rows is an error in each database as in iql;
    /// connected, the note counting each kind of row is iql's.
    @Test func diffEdgesAgreeInBothEngines() throws {
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "k,j,v,w\na,1,1,x\na,2,2,y\nb,,3,\n,1,4,z\nc,1,5,q\n", as: "p")
        try e.registerCSV(text: "k,j,v,w\na,1,1,x\na,2,9,y\nb,,3,w\n,1,4,z\nd,1,6,r\n", as: "q")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let queries = [
            "from p | diff q on k, j",
            "from p | diff q on k, j | count by change",
            "let old = from q | where v > 1 | select k, v\nfrom p | where k != \"a\" | select k, v | diff old on k",
        ]
        let expected = try queries.map { BundledSQLTests.rows(try e.query($0)) }
        #expect(expected[0].map { $0[2] } == ["changed", "changed", "added", "removed"])
        #expect(expected[0][1] == ["b", "", "changed", "3", "3", "w", ""])
        let (duck, pg) = try Self.inBothDatabases(e, queries, dir: dir)
        #expect(duck == expected)
        #expect(pg == expected)
        let url = dir.appendingPathComponent("diff.sql")
        // Two rows with the key a on each side: iql refuses, and so does each database (which
        // side it finds first is the database's choice).
        let twice = "from p | diff q on k"
        #expect(throws: IQLError.self) { try e.query(twice) }
        let message = "have the same key; diff needs keys that pick out one row in each table"
        try (try e.exportSQL(dialect: .duckdb) + (try e.sql(twice, dialect: .duckdb)[0].text) + ";\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try Self.duckdb(url).1.contains(message))
        let (_, twiceErr) = try PostgresServer.run(try e.exportSQL(dialect: .postgres) + (try e.sql(twice, dialect: .postgres)[0].text) + ";\n", in: dir)
        #expect(twiceErr.contains(message), "\(twiceErr)")
        // Connected: run in the database, with iql's note.
        let address = try ConnectedEngineTests.database("diff")
        try e.export(to: PostgresDatabase(connecting: address))
        var remote = try Engine(database: PostgresDatabase(connecting: address))
        for q in queries {
            var local = e
            let want = try local.run(q), got = try remote.run(q)
            #expect(want.tables.map(BundledSQLTests.rows) == got.tables.map(BundledSQLTests.rows), "\(q)")
            let diffNote = { (t: Table?) in (t?.notes ?? []).map(\.message).filter { $0.hasPrefix("diff against") } }
            #expect(diffNote(want.tables.last) == diffNote(got.tables.last) && !diffNote(got.tables.last).isEmpty, "\(q)")
            #expect(try remote.explain(q).pipelines.allSatisfy { !$0.plan.contains("then in iql") }, "\(q) runs in the database")
        }
    }

    /// docs/sql.md's table of differences, where it can be shown: `length` counts what a
    /// reader sees in iql, code points in both databases; a sample CSV stands in for a
    /// table's schema.
    @Test func theDocumentedDifferencesHold() throws {
        // From a column, so that no constant is folded before the SQL is made.
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "w\ne\u{301}\n", as: "t")
        let q = "from t | select n = length(w)"
        #expect(try e.query(q)[0, "n"]?.int == 1)
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("length.sql")
        let duck = ".mode csv\n.headers off\n" + (try e.exportSQL(dialect: .duckdb)) + (try e.sql(q, dialect: .duckdb)[0].text) + ";\n"
        try duck.write(to: url, atomically: true, encoding: .utf8)
        let (out, err) = try Self.duckdb(url)
        #expect(err.isEmpty && out.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "\(out)\(err)")
        let pg = try e.exportSQL(dialect: .postgres) + (try e.sql(q, dialect: .postgres)[0].text) + ";\n"
        let (pgOut, pgErr) = try PostgresServer.run(pg, in: dir)
        #expect(pgErr.isEmpty && pgOut.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "\(pgOut)\(pgErr)")
        let sample = dir.appendingPathComponent("sample.csv")
        try "case_id,opened,team\n1,2024-01-02,North\n".write(to: sample, atomically: true, encoding: .utf8)
        let r = try CLITests.iql(["--data", "cases=\(sample.path)", "--sql", "postgres", "-c", "from cases | where opened >= 2024-01-01 | count by team"])
        #expect(r.status == 0 && r.stdout.contains("FROM \"cases\"") && r.stdout.contains("DATE '2024-01-01'"), "\(r.stdout)\(r.stderr)")
    }

    static func duckdb(_ script: URL) throws -> (String, String) {
        let binary = try #require(DifferentialTests.duckdbPath(), "the DuckDB CLI is missing: scripts/setup-bench-peers installs it")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-bail"]
        p.standardInput = try FileHandle(forReadingFrom: script)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (o, e)
    }
}
