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

    /// Every script in queries/, and every example in docs/language.md that does not draw a chart.
    static func cases() throws -> [Case] {
        var out: [Case] = []
        let folder = Repo.root.appendingPathComponent("queries")
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".iql") {
            out.append(Case(name: "queries/" + file, script: try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)))
        }
        for e in DocumentationTests.examples(in: "docs/language.md") where !e.query.contains("| chart") {
            out.append(Case(name: "\(e.file):\(e.line)", script: e.query))
        }
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
        for name in compiled.datasets.sorted() {
            let table = try engine.table(named: name)
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
