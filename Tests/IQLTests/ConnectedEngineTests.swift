import Foundation
import Testing
import IQL
import IQLPostgres

/// An engine connected to the throwaway PostgreSQL server (`Engine(database:)` over libpq):
/// the bundled data made there by `export(to:)`, queries checked against the catalogue,
/// compiled, run in the server, and their rows read back, agreeing with the engine that
/// runs them itself.
struct ConnectedEngineTests {
    /// A database of its own on the test server (made once per test run, left for the
    /// server's removal), and its address for libpq.
    static func database(_ label: String) throws -> String {
        let (host, port) = try #require(PostgresServer.address, "no PostgreSQL server: scripts/test starts one (scripts/postgres start DIR)")
        let name = "iql_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try PostgresDatabase(connecting: "postgresql:///postgres?host=\(host)&port=\(port)&user=postgres")
        try admin.execute("CREATE DATABASE \(name) ENCODING 'UTF8' TEMPLATE template0")
        return "postgresql:///\(name)?host=\(host)&port=\(port)&user=postgres"
    }

    /// The bundled data, exported once into a database the tests share (each connects on its own).
    static let bundled: Result<String, any Error> = Result {
        let address = try database("bundled")
        try Engine().export(to: PostgresDatabase(connecting: address))
        return address
    }

    static func connected() throws -> Engine {
        try Engine(database: PostgresDatabase(connecting: bundled.get()))
    }

    /// Each table of a script's results as CSV rows, with numbers compared within rounding.
    static func same(_ a: [Table], _ b: [Table]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.schema.names == y.schema.names && x.schema.columns.map(\.type) == y.schema.columns.map(\.type)
                && sameRows(BundledSQLTests.rows(x), BundledSQLTests.rows(y))
        }
    }

    static func sameRows(_ a: [[String]], _ b: [[String]]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { r, s in
            r.count == s.count && zip(r, s).allSatisfy { DifferentialTests.same($0, $1) }
        }
    }

    /// Every saved query, every language example (charts included: they draw in iql from
    /// the rows the database sends) and a query per function and aggregate gives the same
    /// tables, titles and failures connected as in-process.
    @Test func bundledQueriesAgreeInTheDatabase() throws {
        let local = Engine()
        let remote = try Self.connected()
        var compared = 0, partly = 0
        var cases = try BundledSQLTests.cases()
        for e in DocumentationTests.examples(in: "docs/language.md") where e.query.contains("| chart") {
            cases.append(.init(name: "\(e.file):\(e.line)", script: e.query))
        }
        for c in cases {
            var l = local, r = remote
            let want = Result { () throws(IQLError) in try l.run(c.script) }
            let got = Result { () throws(IQLError) in try r.run(c.script) }
            switch (want, got) {
            case (.success(let w), .success(let g)):
                #expect(Self.same(w.tables, g.tables), "\(c.name) differs connected:\n\(c.script)\n\(w.tables.map(BundledSQLTests.rows).map { $0.prefix(5) })\n\(g.tables.map(BundledSQLTests.rows).map { $0.prefix(5) })")
                #expect(w.titles == g.titles, "\(c.name): titles")
                #expect(w.warnings.map(\.code) == g.warnings.map(\.code), "\(c.name): warnings \(w.warnings.map(\.message)) vs \(g.warnings.map(\.message))")
                compared += 1
                if (try? remote.sql(c.script, dialect: .postgres)) == nil { partly += 1 }
            case (.failure(let w), .failure(let g)):
                #expect(w.diagnostics.map(\.code) == g.diagnostics.map(\.code), "\(c.name): \(w.diagnostics.map(\.message)) vs \(g.diagnostics.map(\.message))")
            default:
                Issue.record("\(c.name): in-process \(want), connected \(got)")
            }
        }
        // Enough ran to mean something, some of them (those drawing charts) with stages iql ran
        // on the database's rows.
        #expect(compared > 80)
        #expect(partly >= 2)
    }

    /// `compare` runs in the database, through the council names `export` makes, and gives
    /// the tables and notes iql gives: published figures from the source's own rows (LAIT) or
    /// its companion, councils' averages where none is published (a `let` table as the
    /// source), neighbours short of a value, rows with no comparator (abolished councils,
    /// regions), spellings iql resolves (upper case), and stages after it.
    static let compareQueries = [
        "from children_in_care | where year >= 2019 | select authority, year, children | compare children with neighbours, region, england",
        #"from indicators | where measure == "LAC" and year >= 2015 | select authority, measure, year, value | compare with neighbours, region, england"#,
        #"from indicators | where measure == "CPP_rate" | select authority, level, measure, year, value | compare with england, region"#,
        "let recent = from children_in_care | where year >= 2022\nfrom recent | select authority, year, source, children | compare children with region, england, neighbours",
        "from child_protection_plans | where year == 2024 | select authority = upper(authority), year, children | compare children with neighbours, region | sort vs_region desc | take 12",
        "from children_in_need | select authority, year, started | compare started with england | where vs_england < 0 | count by year",
        #"from children_in_care | where authority == "Isles of Scilly" or authority == "City of London" | select authority, year, rate_per_10k | compare rate_per_10k with neighbours, region"#,
    ]

    @Test func compareRunsInTheDatabase() throws {
        let local = Engine()
        let remote = try Self.connected()
        for q in Self.compareQueries {
            var l = local, r = remote
            let want = try l.run(q), got = try r.run(q)
            #expect(Self.same(want.tables, got.tables), "\(q)\n\(want.tables.map(BundledSQLTests.rows).map { $0.prefix(4) })\n\(got.tables.map(BundledSQLTests.rows).map { $0.prefix(4) })")
            // compare's notes (a where the database runs notes nothing: docs/sql.md).
            let comparators = { (t: Table?) in (t?.notes ?? []).map(\.message).filter { $0.contains("_value") } }
            #expect(comparators(want.tables.last) == comparators(got.tables.last), "\(q): notes")
            #expect(!comparators(got.tables.last).isEmpty, "\(q): notes")
            #expect((want.tables.last?.rowCount ?? 0) > 0, "\(q) has rows")
            // All of it in the database: no stage is left for iql.
            let plans = try remote.explain(q).pipelines.map(\.plan)
            #expect(plans.allSatisfy { $0.contains("in PostgreSQL") && !$0.contains("then in iql") }, "\(q):\n\(plans)")
        }
    }

    /// A database without the council-name table (the data team's own, say) still answers
    /// `compare`: iql runs it on the rows the database sends, with the same result.
    @Test func compareWithoutTheLookupRunsInIQL() throws {
        let address = try Self.database("nolookup")
        let admin = try PostgresDatabase(connecting: address)
        try Engine().export(["children_in_care", "children_in_care_areas", "neighbours"], to: admin)
        try admin.execute("DROP TABLE iql_council_names")
        var remote = try Engine(database: PostgresDatabase(connecting: address))
        var local = Engine()
        let q = Self.compareQueries[0]
        let want = try local.run(q), got = try remote.run(q)
        #expect(Self.same(want.tables, got.tables))
        #expect(want.tables.last?.notes.map(\.message) == got.tables.last?.notes.map(\.message))
        #expect(try remote.explain(q).pipelines.allSatisfy { $0.plan.contains("then in iql") })
        #expect(throws: IQLError.self) { try remote.sql(q, dialect: .postgres) }
    }

    /// The generated differential queries agree connected as in-process, over the tables
    /// `export(to:)` made from CSV text.
    @Test func generatedQueriesAgreeInTheDatabase() throws {
        var local = Engine(bundledData: false)
        try local.registerCSV(text: DifferentialTests.tableCSV(), as: "t", timeColumn: "dt")
        try local.registerCSV(text: DifferentialTests.lookupCSV, as: "u")
        try local.registerCSV(text: DifferentialTests.pairsCSV, as: "w")
        let address = try Self.database("generated")
        try local.export(to: PostgresDatabase(connecting: address))
        let remote = try Engine(database: PostgresDatabase(connecting: address))
        #expect(remote.datasetNames == ["t", "u", "w"], "the council-name lookup is not a dataset")
        // Analysed as they are made, not when autovacuum comes round.
        #expect(try Self.unanalysed(["t", "u", "w", "iql_council_names"], in: try #require(remote.database)).isEmpty)
        #expect(remote.schema(of: "t") == local.schema(of: "t"), "the catalogue gives the types and time column iql exported")
        var differing = 0, compared = 0
        for seed in DifferentialTests.seeds.prefix(600) {
            let q = DifferentialTests.query(seed).iql
            let want = try local.query(q)
            let got = try remote.query(q)
            compared += 1
            if !Self.same([want], [got]) && differing < 10 {
                differing += 1
                Issue.record("seed \(seed) differs\n\(q)\niql:       \(BundledSQLTests.rows(want).prefix(6))\nconnected: \(BundledSQLTests.rows(got).prefix(6))")
            }
        }
        #expect(compared == 600)
    }

    /// Diagnostics come from the database's catalogue as from iql's own datasets: unknown
    /// names with did-you-mean, a literal no row holds, ratings typed by the rating domain
    /// (a view casting to it too), a table's own types read as IQL's, names IQL cannot write
    /// left out.
    @Test func theCatalogueDrivesTheChecker() throws {
        let address = try Self.database("catalogue")
        let admin = try PostgresDatabase(connecting: address)
        try Engine().export(["authorities", "inspections"], to: admin)
        try admin.execute("""
            CREATE TABLE cases (id uuid, opened timestamp, amount numeric(10,2), ratio real, flag boolean, notes jsonb, grade text);
            INSERT INTO cases VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-03-31 13:45', 12.50, 0.25, true, '{"a": 1}', 'Good'),
                                     (NULL, '2023-01-02 00:00', 3, 1.5, false, NULL, 'Inadequate');
            COMMENT ON COLUMN cases.opened IS 'iql:time';
            CREATE VIEW graded AS SELECT id, grade::iql_rating AS grade FROM cases;
            CREATE TABLE "Mixed Case" (x int);
            """)
        var engine = try Engine(database: PostgresDatabase(connecting: address))
        #expect(engine.datasetNames == ["authorities", "cases", "graded", "inspections"])
        let cases = try #require(engine.schema(of: "cases"))
        #expect(cases.columns.map(\.type) == [.text, .date, .number, .number, .bool, .text, .text])
        #expect(cases.timeColumn == "opened")
        #expect(engine.schema(of: "graded")?.columns.map(\.type) == [.text, .rating])
        #expect(engine.schema(of: "inspections")?.columns.first { $0.name == "overall" }?.type == .rating)
        // The columns' descriptions and the time column went with the export, as comments.
        #expect(engine.schema(of: "inspections") == Engine().schema(of: "inspections"))
        #expect(engine.schema(of: "inspections")?.columns.first?.summary?.isEmpty == false)

        let table = try engine.query("from cases | sort opened desc | take 1 | select id, opened, amount, ratio, flag, notes")
        #expect(BundledSQLTests.rows(table) == [["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-03-31", "12.5", "0.25", "true", "{\"a\": 1}"]])
        #expect(try engine.query("from graded | where grade >= good | count").rows == [[.int(1)]])

        func diagnostics(_ q: String) -> [Diagnostic] {
            do {
                let result = try engine.run(q)
                return result.warnings
            } catch {
                return error.diagnostics
            }
        }
        let column = diagnostics("from inspections | where overal == good | count")
        #expect(column.map(\.code) == [.unknownColumn])
        #expect(column.first?.suggestion == "overall")
        let dataset = diagnostics("from inspection | count")
        #expect(dataset.map(\.code) == [.unknownDataset])
        #expect(dataset.first?.suggestion == "inspections")
        let literal = diagnostics(#"from inspections | where authority == "Oxfordshre" | count"#)
        #expect(literal.map(\.code) == [.absentValue])
        #expect(literal.first?.suggestion == #""Oxfordshire""#)
        #expect(diagnostics("from graded | where grade == 3 | count").map(\.code) == [.comparisonTypes])
    }

    /// `let` tables are the connection's temporary tables, for later statements and later
    /// calls; one whose pipeline iql finished (a pivot) is sent back; CSV text registered
    /// goes there too.
    @Test func letTablesLiveInTheDatabase() throws {
        var engine = try Self.connected()
        try engine.run(#"let rated = from inspections | where overall >= good | select authority, region, overall"#)
        let count = try engine.query("from rated | count")
        #expect(count.rows == (try Engine().query("from inspections | where overall >= good | count").rows))
        #expect(engine.datasetNames.contains("rated"))
        #expect(try engine.sql("from rated | count", dialect: .postgres)[0].text.contains(#"FROM "rated""#))
        try engine.run("let wide = from children_in_care | where year >= 2024 | select authority, year, children | pivot year children")
        let wide = try engine.query("from wide | where authority == \"Oxfordshire\" | select `2025`")
        #expect(wide.rows == (try Engine().query("from children_in_care | where year == 2025 and authority == \"Oxfordshire\" | select children").rows))
        try engine.registerCSV(text: "authority,target\nOxfordshire,400\n", as: "targets")
        let joined = try engine.query("from children_in_care | where year == 2025 | join targets on authority | select authority, children, target")
        #expect(joined.rowCount == 1)
        #expect(joined.rows.first?.last == .int(400))
        // Each temporary table has the planner's statistics (autovacuum never makes them for
        // one), whether the database made it (rated, wide) or iql sent its rows (targets).
        #expect(try Self.unanalysed(["rated", "wide", "targets"], in: try #require(engine.database)).isEmpty)
    }

    /// Which of the tables PostgreSQL has no statistics for (`reltuples` is -1 until a table
    /// is first analysed), as the database the engine is connected to sees them.
    static func unanalysed(_ tables: [String], in database: any SQLDatabase) throws -> [String] {
        var out: [String] = []
        let names = tables.map { "'\($0)'" }.joined(separator: ", ")
        try database.query("SELECT relname FROM pg_class WHERE relname IN (\(names)) AND relkind = 'r' AND reltuples < 0 ORDER BY relname",
                           stop: { false }, columns: { _ in }, row: { fields in out.append((fields.first ?? nil) ?? "") })
        return out
    }

    /// `export(to:)` is one transaction: when a table cannot be replaced (a view of the
    /// database's own depends on it), the error is IQL0616 and none of the tables is made.
    @Test func exportIsOneTransaction() throws {
        let address = try Self.database("rollback")
        let admin = try PostgresDatabase(connecting: address)
        try admin.execute("CREATE TABLE inspections (x int); CREATE VIEW kept AS SELECT x FROM inspections")
        do {
            try Engine().export(["authorities", "inspections"], to: admin)
            Issue.record("the export replaced a table a view depends on")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.databaseFailed])
        }
        let after = try Engine(database: PostgresDatabase(connecting: address))
        #expect(after.datasetNames == ["inspections", "kept"])
        #expect(after.schema(of: "inspections")?.names == ["x"])
    }

    /// The time limit and a cancellation cancel the statement on the server: no query of
    /// iql's is left running there.
    @Test func limitsCancelOnTheServer() throws {
        var engine = try Self.connected()
        // A literal of its own, to find the statement among the server's activity.
        let slow = #"from providers | where name != "cancel-probe-7f3a" | select region | join providers on region | join providers on region | count"#
        engine.limits = EngineLimits(time: .milliseconds(300))
        let started = ContinuousClock.now
        #expect(throws: IQLError.self) { try engine.query(slow) }
        do { _ = try engine.query(slow) } catch { #expect(error.diagnostics.first?.code == .timeLimit) }
        // A let table the database makes from the statement stops as a query does.
        do { try engine.run("let slow = " + slow) } catch { #expect(error.diagnostics.first?.code == .timeLimit) }
        #expect(!engine.datasetNames.contains("slow"))
        #expect(ContinuousClock.now - started < .seconds(10))
        engine.limits = .none
        let flag = CancellationFlag()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.cancel() }
        do {
            _ = try engine.query(slow, cancellation: flag)
            Issue.record("the slow query was not cancelled")
        } catch {
            #expect(error.diagnostics.first?.code == .cancelled)
        }
        // The server has nothing of iql's still running.
        let watcher = try PostgresDatabase(connecting: Self.bundled.get())
        var active: [String] = []
        try watcher.query("SELECT query FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%cancel-probe-7f3a%' AND pid <> pg_backend_pid()",
                          stop: { false }, columns: { _ in }, row: { active.append($0.first.flatMap { $0 } ?? "") })
        #expect(active.isEmpty, "still running: \(active)")
    }

    /// The database's failures are IQL's errors: a connection refused (IQL0615), a failing
    /// statement with its SQLSTATE (IQL0616), a row limit met while rows stream in (IQL0507).
    @Test func failuresAreDiagnostics() throws {
        let (host, port) = try #require(PostgresServer.address)
        do {
            _ = try PostgresDatabase(connecting: "postgresql:///no_such_database?host=\(host)&port=\(port)&user=postgres")
            Issue.record("connected to a database that does not exist")
        } catch {
            let e = IQLError(error, database: "the database")
            #expect(e.diagnostics.map(\.code) == [.cannotConnect])
            #expect(e.diagnostics.first?.message.contains("no_such_database") == true)
        }
        var engine = try Self.connected()
        do {
            _ = try engine.query("from children_in_care | derive x = children / (year - year) | summarize s = sum(x)")
            Issue.record("division by zero ran")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.databaseFailed])
            #expect(error.diagnostics.first?.notes.contains("SQLSTATE 22012") == true)
        }
        engine.limits = EngineLimits(rows: 100)
        do {
            _ = try engine.query("from providers | select urn")
            Issue.record("the row limit did not stop the rows")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.rowLimit])
        }
        // The rows count against the memory limit as they arrive.
        engine.limits = EngineLimits(memory: 1_000_000)
        do {
            _ = try engine.query("from providers")
            Issue.record("the memory limit did not stop the rows")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.memoryLimit])
        }
    }
}

/// The `iql` binary against the server: `export --to` makes the tables, `--connect` runs a
/// saved script there with the same output as iql gives on its own, `--sql` and `--analyze`
/// show what ran, and the options refuse what cannot go together.
struct ConnectedCommandLineTests {
    @Test func exportToAndConnect() throws {
        let address = try ConnectedEngineTests.database("cli")
        let made = try CLITests.iql(["export", "--to", address, "inspections", "authorities", "children_in_care",
                                     "children_in_care_areas", "neighbours"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("Created 5 tables ("))
        let script = Repo.root.appendingPathComponent("queries/children_in_care_change.iql").path
        let local = try CLITests.iql(["run", script, "--param", "council=Oldham", "--format", "csv"])
        let remote = try CLITests.iql(["run", script, "--param", "council=Oldham", "--format", "csv", "--connect", address])
        #expect(local.status == 0 && remote.status == 0, "\(local.stderr)\n\(remote.stderr)")
        #expect(remote.stdout == local.stdout)
        #expect(!remote.stdout.isEmpty)
        let query = "from inspections | latest by authority | count by overall"
        let table = try CLITests.iql(["--connect", address, "-c", query])
        #expect(table.stdout == (try CLITests.iql(["-c", query])).stdout)
        let sql = try CLITests.iql(["--connect", address, "--sql", "postgres", "-c", query])
        #expect(sql.status == 0 && sql.stdout.contains(#"FROM "inspections""#))
        // compare runs in the database (through the council names export made); a stage
        // with no SQL form, after it, in iql on the rows that come back.
        let analyze = try CLITests.iql(["--connect", address, "--analyze", "-c",
                                        #"from children_in_care | where authority == "Oxfordshire" | compare children with england | derive d = date(if(year > 0, "31/03/2024", "x"), "DD/MM/YYYY") | take 2"#])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout.contains("in PostgreSQL database"))
        #expect(analyze.stdout.contains("compare children with england: 16 rows"))
        #expect(analyze.stdout.contains("then in iql:\n" + #"    derive d = date(if(year > 0, "31/03/2024", "x"), "DD/MM/YYYY"): "#))
        // A dataset the database lacks is named as any unknown dataset is.
        let missing = try CLITests.iql(["--connect", address, "-c", "from visits | count"])
        #expect(missing.status == 1 && missing.stderr.contains("IQL0202"))
    }

    /// libpq is loaded when a connection is made, not when iql starts: the binary does not
    /// link it (or the TLS, Kerberos and LDAP libraries it brings), which cost every run a
    /// third of its start-up.
    @Test func iqlDoesNotLinkLibpq() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ldd", CLITests.binary.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let linked = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(linked.contains("libc.so"), "ldd said: \(linked)")
        #expect(!linked.contains("libpq"), "iql links libpq at start-up:\n\(linked)")
    }

    @Test func optionsThatDoNotGoTogether() throws {
        let both = try CLITests.iql(["export", "--to", "postgresql:///x", "--sql", "postgres"])
        #expect(both.status == 2 && both.stderr.contains("not both"))
        let neither = try CLITests.iql(["export"])
        #expect(neither.status == 2 && neither.stderr.contains("--to postgresql://"))
        let refused = try CLITests.iql(["--connect", "postgresql:///no_such_database?host=/nonexistent", "-c", "from t | count"])
        #expect(refused.status == 1 && refused.stderr.contains("IQL0615") && refused.stderr.contains("cannot connect"))
        let empty = try CLITests.iql(["--connect", " ", "-c", "from t | count"])
        #expect(empty.status == 2)
    }
}
