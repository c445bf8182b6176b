import Foundation
import Testing
import IQL

/// The saved queries and the language reference's examples, compiled to SQL and run on the
/// bundled data exported into DuckDB and into a real PostgreSQL server, give iql's answers;
/// those that cannot compile say so at the stage (IQL0408), and are counted.
struct BundledSQLTests {
    struct Case {
        var name: String
        var script: String
    }

    /// A query for each function of the language (over columns, so that nothing is folded
    /// into a constant before the SQL is made); a test holds its names to the registry's.
    static let functionSamples: [String: String] = [
        "year": "year(published)", "month": "month(published)", "day": "day(inspected)",
        "date": "date(year(published), month(published), 1)", "days_between": "days_between(inspected, published)",
        "round": "round(days_between(inspected, published) / 7, 1)", "abs": "abs(days_between(published, inspected))",
        "floor": "floor(days_between(inspected, published) / 7)", "ceil": "ceil(days_between(inspected, published) / 7)",
        "lower": "lower(authority)", "upper": "upper(framework)", "length": "length(authority)",
        "contains": "contains(authority, \"shire\")", "starts_with": "starts_with(authority, \"North\")",
        "ends_with": "ends_with(authority, \"ton\")", "like": "like(authority, \"%ham%\")",
        "ilike": "ilike(authority, \"s%\")", "coalesce": "coalesce(ended, published)",
        "if": "if(overall >= good, authority, framework)", "pct_change": "pct_change(days_between(inspected, ended), days_between(inspected, published))",
    ]

    /// A summarize for each aggregate (`unique`, `all` and `any` in an assert, where they belong).
    static let aggregateSamples: [String: String] = [
        "count": "from inspections | summarize x = count(), y = count(overall >= good) by framework",
        "count_distinct": "from inspections | summarize x = count_distinct(authority) by framework",
        "sum": "from children_in_care | summarize x = sum(children) by year",
        "avg": "from children_in_care | summarize x = avg(rate_per_10k) by region",
        "median": "from children_in_care | summarize x = median(children) by region",
        "min": "from inspections | summarize x = min(authority), y = min(overall), z = min(published) by framework",
        "max": "from inspections | summarize x = max(authority), y = max(overall), z = max(published) by framework",
        "first": "from inspections | summarize x = first(overall) by framework",
        "last": "from inspections | summarize x = last(authority) by region",
        "unique": "from authorities | count\nassert unique(n)",
        "all": "from children_in_care | where year == 2025 | select children\nassert all(children > 0)",
        "any": "from children_in_care | where year == 2025 | select children\nassert any(children > 1000)",
    ]

    @Test func theSamplesCoverTheRegistry() {
        #expect(Set(Self.functionSamples.keys) == Set(LanguageReference.functions.map(\.name)))
        #expect(Set(Self.aggregateSamples.keys) == Set(LanguageReference.aggregates.map(\.name)))
    }

    /// Every script in queries/, every example in docs/language.md that does not draw a chart,
    /// and a query for each function and aggregate.
    static func cases() throws -> [Case] {
        var out: [Case] = []
        for (name, call) in functionSamples.sorted(by: { $0.key < $1.key }) {
            out.append(Case(name: "function " + name, script: "from inspections | select authority, x = \(call)"))
        }
        for (name, script) in aggregateSamples.sorted(by: { $0.key < $1.key }) {
            out.append(Case(name: "aggregate " + name, script: script))
        }
        let folder = Repo.root.appendingPathComponent("queries")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".iql") {
            out.append(Case(name: "queries/" + file, script: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)))
        }
        for e in DocumentationTests.examples(in: "docs/language.md") where !e.query.contains("| chart") {
            out.append(Case(name: "\(e.file):\(e.line)", script: e.query))
        }
        // compare over each kind of source, whose SQL DuckDB runs too.
        for (i, q) in ConnectedEngineTests.compareQueries.enumerated() { out.append(Case(name: "compare \(i)", script: q)) }
        return out
    }

    /// Each result table of a script as rows of CSV fields.
    static func rows(_ table: Table) -> [[String]] {
        Array(CSVRecords.parse(CSVWriter.render(table)).dropFirst())
    }

    struct Compiled {
        var cases: [(name: String, sql: [String], expected: [[[String]]])] = []
        var refused: [String] = []
        var datasets: Set<String> = []
    }

    static func compile(_ dialect: SQLDialect) throws -> Compiled {
        var engine = Engine()
        var out = Compiled()
        for c in try cases() {
            do {
                let statements = try engine.sql(c.script, dialect: dialect)
                // An assertion gives one row, true; iql checks it without a result table.
                let sql = statements.map(\.text)
                let result = try engine.run(c.script)
                var tables = result.tables.map(rows).makeIterator()
                let expected = statements.map { $0.kind == .assertion ? [["true"]] : (tables.next() ?? []) }
                guard result.tables.count == statements.count(where: { $0.kind == .result }) else {
                    Issue.record("\(c.name): \(sql.count) statements for \(expected.count) results")
                    continue
                }
                out.cases.append((c.name, sql, expected))
                for name in engine.datasetNames where sql.contains(where: { $0.contains("FROM \"\(name)\"") || $0.contains("JOIN \"\(name)\"") }) {
                    out.datasets.insert(name)
                }
            } catch where error.diagnostics.contains(where: { $0.code == .unknownDataset }) {
                // A script that reads a file of the user's (queries/targets_against_figures.iql).
                continue
            } catch {
                // Only a stage or value with no SQL form may stop a script compiling.
                #expect(error.diagnostics.allSatisfy { $0.code == .noSQLForm }, "\(c.name): \(error)")
                out.refused.append(c.name)
            }
        }
        return out
    }

    static func compare(_ compiled: Compiled, _ results: [[[String]]], engine: String) {
        var k = 0
        for c in compiled.cases {
            for (i, want) in c.expected.enumerated() {
                let got = k < results.count ? results[k] : []
                k += 1
                let equal = got.count == want.count && zip(got, want).allSatisfy { g, w in
                    g.count == w.count && zip(g, w).allSatisfy { DifferentialTests.same($0, $1) }
                }
                #expect(equal, "\(c.name), result \(i + 1): \(engine) gave \(got.prefix(5)), iql \(want.prefix(5))\n\(c.sql[i])")
            }
        }
    }

    @Test func inDuckDB() throws {
        let compiled = try Self.compile(.duckdb)
        print("BundledSQLTests: \(compiled.cases.count) scripts compiled, \(compiled.cases.map(\.sql.count).reduce(0, +)) statements; refused: \(compiled.refused.count) \(compiled.refused)")
        #expect(compiled.cases.count >= 30, "only \(compiled.cases.count) compiled; refused: \(compiled.refused)")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var script = ".mode csv\n.headers off\n.nullvalue ''\n"
        // The tables as exportSQL defines them, filled from CSV files: the INSERTs of the
        // DuckDB script take DuckDB half a minute to parse for the LAIT table (SQLSafetyTests
        // runs those).
        let engine = Engine()
        var tables: [(String, Table)] = []
        for name in compiled.datasets.sorted() { tables.append((name, try engine.table(named: name))) }
        // The council spellings compiled compare resolves through, which every export makes.
        tables.append((SQLExport.councilLookup, engine.councilLookupTable))
        for (name, table) in tables {
            let csv = dir.appendingPathComponent("\(name).csv")
            try CSVWriter.render(table).write(to: csv, atomically: true, encoding: .utf8)
            script += try SQLExport.definition(name, table, .duckdb)
            script += "COPY \"\(name)\" FROM '\(csv.path)' (HEADER true, NULLSTR '');\n"
        }
        var k = 0
        for c in compiled.cases {
            for s in c.sql {
                script += "SELECT '@@\(k)';\n\(s);\n"
                k += 1
            }
        }
        let url = dir.appendingPathComponent("script.sql")
        try script.write(to: url, atomically: true, encoding: .utf8)
        let binary = try #require(DifferentialTests.duckdbPath(), "the DuckDB CLI is missing: scripts/setup-bench-peers installs it")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-bail"]
        p.standardInput = try FileHandle(forReadingFrom: url)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(errors.isEmpty, "DuckDB: \(errors)")
        Self.compare(compiled, CSVRecords.results(text, count: k), engine: "DuckDB")
    }

    @Test func inPostgreSQL() throws {
        let compiled = try Self.compile(.postgres)
        #expect(compiled.cases.count >= 30, "only \(compiled.cases.count) compiled; refused: \(compiled.refused)")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var script = try Engine().exportSQL(compiled.datasets.sorted(), dialect: .postgres)
        var k = 0
        for c in compiled.cases {
            for s in c.sql {
                script += "SELECT '@@\(k)';\n\(s);\n"
                k += 1
            }
        }
        let (output, errors) = try PostgresServer.run(script, in: dir)
        #expect(errors.isEmpty, "PostgreSQL: \(errors)")
        Self.compare(compiled, CSVRecords.results(output, count: k), engine: "PostgreSQL")
    }
}
