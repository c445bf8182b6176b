import Foundation
import Testing
@testable import IQL

/// Random valid queries over a generated table with nulls, each run by IQL and, translated to
/// SQL, by DuckDB as an oracle: the answers must be equal (in order where the query fixes one).
/// `IQL_DIFFERENTIAL_SEEDS=N` runs N seeds instead of the suite's fixed range.
struct DifferentialTests {
    struct Generator {
        var state: UInt64
        init(_ seed: Int) { state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    }

    /// The table both engines read: id (unique, in file order), g (text), n (integer),
    /// d (two-place decimal), dt (date), b (bool); every column but id has nulls.
    static func tableCSV(rows: Int = 300) -> String {
        var g = Generator(7)
        var out = "id,g,n,d,dt,b\n"
        for id in 1...rows {
            let gv = g.chance(10) ? "" : g.pick(["a", "b", "c", "d", "e"])
            let n = g.chance(15) ? "" : String(g.int(-50...50))
            let d = g.chance(15) ? "" : String(format: "%.2f", Double(g.int(-1000...1000)) / 100)
            let dt = g.chance(15) ? "" : Day(ordinal: Day(year: 2019, month: 1, day: 1).map { $0.ordinal + Int32(g.int(0...700)) } ?? 0).description
            let b = g.chance(15) ? "" : (g.chance(50) ? "true" : "false")
            out += "\(id),\(gv),\(n),\(d),\(dt),\(b)\n"
        }
        return out
    }

    static let lookupCSV = "g,label\na,Alpha\nb,Beta\nc,Gamma\n"
    /// A table keyed on two columns (g, b), with a key twice (many rows per match) and a null key.
    static let pairsCSV = "g,b,w\na,true,1\na,false,2\nb,true,3\nb,true,33\nc,false,4\n,true,5\nd,,6\n"

    /// A condition, as IQL and as SQL.
    static func condition(_ g: inout Generator, depth: Int = 0) -> (iql: String, sql: String) {
        if depth < 3, g.chance(45) {
            let l = condition(&g, depth: depth + 1), r = condition(&g, depth: depth + 1)
            switch g.int(0...2) {
            case 0: return ("(\(l.iql) and \(r.iql))", "(\(l.sql) AND \(r.sql))")
            case 1: return ("(\(l.iql) or \(r.iql))", "(\(l.sql) OR \(r.sql))")
            default: return ("not (\(l.iql))", "NOT (\(l.sql))")
            }
        }
        let ops = [("==", "="), ("!=", "<>"), ("<", "<"), ("<=", "<="), (">", ">"), (">=", ">=")]
        let (op, sqlOp) = g.pick(ops)
        switch g.int(0...11) {
        case 10, 11:
            let (l, r) = number(&g)
            let k = g.int(-60...60)
            return ("\(l) \(op) \(k)", "\(r) \(sqlOp) \(k)")
        case 0:
            let k = g.int(-60...60)
            return ("n \(op) \(k)", "n \(sqlOp) \(k)")
        case 1:
            let x = String(format: "%.2f", Double(g.int(-1100...1100)) / 100)
            return ("d \(op) \(x)", "d \(sqlOp) \(x)")
        case 2:
            let day = Day(ordinal: (Day(year: 2019, month: 1, day: 1)?.ordinal ?? 0) + Int32(g.int(-10...710))).description
            return ("dt \(op) \(day)", "dt \(sqlOp) DATE '\(day)'")
        case 3:
            if g.chance(35) {
                // Patterns, matched with and without case.
                let pattern = g.pick(["a", "_", "%", "a%", "%a", "_%", "", "__", "%%", "A", "A%", "%B%"])
                let word = g.pick(["like", "ilike", "not like", "not ilike"])
                return ("g \(word) \"\(pattern)\"", "g \(word.uppercased()) '\(pattern)'")
            }
            let s = g.pick(["a", "b", "c", "d", "e", "z"])
            return ("g \(op) \"\(s)\"", "g \(sqlOp) '\(s)'")
        case 4:
            if g.chance(50) { return ("b", "b") }
            let value = g.chance(50)
            return ("b == \(value)", "b = \(value)")
        case 5:
            let column = g.pick(["g", "n", "d", "dt", "b"])
            return g.chance(50) ? ("\(column) is null", "\(column) IS NULL") : ("\(column) is not null", "\(column) IS NOT NULL")
        case 6:
            let items = (0..<g.int(1...3)).map { _ in g.pick(["a", "b", "c", "z"]) }
            let negate = g.chance(30)
            return ("g \(negate ? "not in" : "in") [\(items.map { "\"\($0)\"" }.joined(separator: ", "))]",
                    "g \(negate ? "NOT IN" : "IN") (\(items.map { "'\($0)'" }.joined(separator: ", ")))")
        case 7:
            let items = (0..<g.int(1...4)).map { _ in String(g.int(-50...50)) }
            return ("n in [\(items.joined(separator: ", "))]", "n IN (\(items.joined(separator: ", ")))")
        case 8:
            return arithmetic(&g, op, sqlOp)
        default:
            let x = String(format: "%.1f", Double(g.int(-200...200)) / 10)
            return ("d - n \(op) \(x)", "d - n \(sqlOp) \(x)")
        }
    }

    /// A number-valued expression over the table's columns, through functions and operators
    /// that run as kernels, as IQL and as SQL. It never divides by a column, so it cannot fail
    /// where DuckDB gives null.
    static func number(_ g: inout Generator, depth: Int = 0) -> (iql: String, sql: String) {
        if depth < 2, g.chance(35) {
            let l = number(&g, depth: depth + 1), r = number(&g, depth: depth + 1)
            let (op, sqlOp) = g.pick([("+", "+"), ("-", "-"), ("*", "*")])
            return ("(\(l.iql) \(op) \(r.iql))", "(\(l.sql) \(sqlOp) \(r.sql))")
        }
        let day = Day(ordinal: (Day(year: 2019, month: 1, day: 1)?.ordinal ?? 0) + Int32(g.int(0...700))).description
        let s = g.pick(["a", "b", "c", "z"])
        let k = g.int(-9...9)
        switch g.int(0...20) {
        // Functions of several varying arguments, and of one column's few values.
        case 18: return ("days_between(date(year(dt), month(dt), 1), dt)", "date_diff('day', make_date(year(dt), month(dt), 1), dt)")
        case 19: return ("(year(dt) * 100 + month(dt))", "(year(dt) * 100 + month(dt))")
        case 20: return ("floor(d) + ceil(d)", "floor(d) + ceil(d)")
        case 0: return ("n", "n")
        case 1: return ("d", "d")
        case 2: return ("year(dt)", "year(dt)")
        case 3: return ("month(dt)", "month(dt)")
        case 4: return ("day(dt)", "day(dt)")
        case 5: return ("days_between(dt, \(day))", "date_diff('day', dt, DATE '\(day)')")
        case 6: return ("length(g)", "length(g)")
        case 7: return ("if(contains(g, \"\(s)\"), n, \(k))", "CASE WHEN contains(g, '\(s)') THEN n ELSE \(k) END")
        case 8: return ("if(starts_with(upper(g), \"\(s.uppercased())\"), d, n)",
                        "CASE WHEN starts_with(upper(g), '\(s.uppercased())') THEN d ELSE n END")
        case 9: return ("coalesce(n, \(k))", "coalesce(n, \(k))")
        case 10: return ("-n", "-n")
        case 11: return ("abs(d)", "abs(d)")
        case 12: return ("n / 4", "n / 4")
        case 13: return ("if(b, n, d)", "CASE WHEN b THEN n ELSE d END")
        case 14: return ("days_between(\(day), dt + \(k))", "date_diff('day', DATE '\(day)', dt + \(k))")
        case 15: return ("(dt - \(day))", "(dt - DATE '\(day)')")
        case 16: return ("if(ends_with(lower(g), \"\(s)\") or n > \(k), 1, 0)",
                         "CASE WHEN ends_with(lower(g), '\(s)') OR n > \(k) THEN 1 ELSE 0 END")
        default: return ("\(k)", "\(k)")
        }
    }

    private static func arithmetic(_ g: inout Generator, _ op: String, _ sqlOp: String) -> (iql: String, sql: String) {
        let a = g.int(-5...5), c = g.int(0...9), k = g.int(-100...100)
        return ("n * \(a) + \(c) \(op) \(k)", "n * \(a) + \(c) \(sqlOp) \(k)")
    }

    /// A query, as IQL and as SQL.
    static func query(_ seed: Int) -> (iql: String, sql: String) {
        var g = Generator(seed)
        let p = condition(&g)
        switch g.int(0...11) {
        // Shapes the optimiser rewrites: a filter after a stage it can move past, constants it folds.
        case 8:
            let k = g.int(0...12)
            return ("from t | sort n desc, id | where \(p.iql) | take \(k) | select id, n",
                    "SELECT id, n FROM t WHERE \(p.sql) ORDER BY n DESC NULLS LAST, id LIMIT \(k)")
        case 9 where g.chance(40):
            // Windows: the neighbour within each group in time order, ties in file order, no time last.
            let next = g.chance(50)
            let (fn, sqlFn) = next ? ("next", "lead") : ("previous", "lag")
            let key = g.pick(["g", "b"])
            return ("from t | where \(p.iql) | derive p = \(fn)(n) by \(key) | sort id | select id, p",
                    "SELECT id, \(sqlFn)(n) OVER (PARTITION BY \(key) ORDER BY dt NULLS LAST, id) AS p FROM t WHERE \(p.sql) ORDER BY id")
        case 9 where g.chance(40):
            // rank and quartile: ties share the best place, rows with no value take none.
            let (column, descending) = (g.pick(["n", "d", "dt", "(n * 2 + d)"]), g.chance(50))
            let by = g.pick(["", " by g", " by b", " by g, b"])
            let partition = by.isEmpty ? "" : "PARTITION BY \(by.dropFirst(4)) "
            let place = "rank() OVER (\(partition)ORDER BY \(column) \(descending ? "DESC" : "ASC") NULLS LAST)"
            if g.chance(50) {
                return ("from t | where \(p.iql) | rank \(column)\(descending ? " desc" : " asc")\(by) | sort id | select id, rank",
                        "SELECT id, CASE WHEN \(column) IS NULL THEN NULL ELSE \(place) END AS rank FROM t WHERE \(p.sql) ORDER BY id")
            }
            let band = "chr(CAST(65 + least(3, (\(place) - 1) * 4 // count(\(column)) OVER (\(partition))) AS INTEGER))"
            return ("from t | where \(p.iql) | quartile \(column)\(descending ? " desc" : " asc")\(by) | sort id | select id, quartile",
                    "SELECT id, CASE WHEN \(column) IS NULL THEN NULL ELSE \(band) END AS quartile FROM t WHERE \(p.sql) ORDER BY id")
        case 9:
            return ("from t | select id, g, n, d, dt, b | derive x = n | where \(p.iql) | sort id | select id, x",
                    "SELECT id, n AS x FROM t WHERE \(p.sql) ORDER BY id")
        case 10:
            return ("from t | join u on g | where \(p.iql) | sort id | select id, label",
                    "SELECT t.id, u.label FROM (SELECT * FROM t WHERE \(p.sql)) AS t JOIN u ON t.g = u.g ORDER BY t.id")
        case 11:
            let folded = g.pick([("(true and \(p.iql)) or false", "\(p.sql)"), ("if(false, n > 0, \(p.iql))", "\(p.sql)"),
                                 ("coalesce(null, \(p.iql))", "\(p.sql)"), ("not not (\(p.iql))", "\(p.sql)")])
            return ("from t | where \(folded.0) | sort id | select id", "SELECT id FROM t WHERE \(folded.1) ORDER BY id")
        case 7 where g.chance(30):
            // A derived column only a whole-table total reads: `fold-derive` puts it in the aggregate.
            let x = number(&g)
            let (agg, sqlAgg) = g.pick([("sum", "sum"), ("avg", "avg")])
            return ("from t | where \(p.iql) | derive x = \(x.iql) | summarize s = \(agg)(x)",
                    "SELECT \(sqlAgg)(\(x.sql)) AS s FROM t WHERE \(p.sql)")
        case 7:
            let x = number(&g)
            return ("from t | where \(p.iql) | derive x = \(x.iql) | sort id | select id, x",
                    "SELECT id, \(x.sql) AS x FROM t WHERE \(p.sql) ORDER BY id")
        case 0:
            return ("from t | where \(p.iql) | sort id | select id", "SELECT id FROM t WHERE \(p.sql) ORDER BY id")
        case 1:
            return ("from t | where \(p.iql) | count", "SELECT count(*) AS n FROM t WHERE \(p.sql)")
        case 2:
            let (agg, sqlAgg) = g.pick([("count()", "count(*)"), ("sum(n)", "sum(n)"), ("avg(n)", "avg(n)"),
                                        ("min(n)", "min(n)"), ("max(d)", "max(d)"), ("min(dt)", "min(dt)"),
                                        ("max(g)", "max(g)"), ("count_distinct(n)", "count(DISTINCT n)"),
                                        ("count(n > 0)", "count(*) FILTER (WHERE n > 0)"), ("sum(d)", "sum(d)"),
                                        ("avg(d)", "avg(d)"), ("median(n)", "median(n)"),
                                        ("count_distinct(g)", "count(DISTINCT g)"), ("min(g)", "min(g)"),
                                        ("count_distinct(dt)", "count(DISTINCT dt)"), ("max(dt)", "max(dt)"),
                                        ("count_distinct(d * 2)", "count(DISTINCT d * 2)"), ("max(n * 3 - 1)", "max(n * 3 - 1)"),
                                        ("sum(n * 2 + 1)", "sum(n * 2 + 1)"), ("avg(d + n)", "avg(d + n)"),
                                        ("first(n)", "first(n ORDER BY id) FILTER (WHERE n IS NOT NULL)"),
                                        ("last(g)", "last(g ORDER BY id) FILTER (WHERE g IS NOT NULL)"),
                                        ("min(lower(g))", "min(lower(g))"),
                                        ("any(n > 20)", "coalesce(bool_or(n > 20), false)"),
                                        ("all(d > -5)", "coalesce(bool_and(d > -5), true)"),
                                        ("unique(n)", "count(DISTINCT n) = count(n)")])
            if g.chance(30) {
                return ("from t | where \(p.iql) | summarize x = \(agg)", "SELECT \(sqlAgg) AS x FROM t WHERE \(p.sql)")
            }
            // One key, two keys, or a computed key.
            switch g.int(0...3) {
            case 0:
                return ("from t | where \(p.iql) | summarize x = \(agg) by g, b",
                        "SELECT g, b, \(sqlAgg) AS x FROM t WHERE \(p.sql) GROUP BY g, b ORDER BY g NULLS LAST, b NULLS LAST")
            case 1:
                return ("from t | where \(p.iql) | summarize x = \(agg) by y = year(dt)",
                        "SELECT year(dt) AS y, \(sqlAgg) AS x FROM t WHERE \(p.sql) GROUP BY y ORDER BY y NULLS LAST")
            case 2 where g.chance(50):
                // A stored whole-number key with no nulls: groups numbered in key order.
                let m = g.int(2...40)
                return ("from t | where \(p.iql) | derive k = id % \(m) - 3 | summarize x = \(agg) by k",
                        "SELECT id % \(m) - 3 AS k, \(sqlAgg) AS x FROM t WHERE \(p.sql) GROUP BY k ORDER BY k")
            default:
                return ("from t | where \(p.iql) | summarize x = \(agg) by g",
                        "SELECT g, \(sqlAgg) AS x FROM t WHERE \(p.sql) GROUP BY g ORDER BY g NULLS LAST")
            }
        case 3:
            let k = g.int(0...12)
            let (column, descending) = (g.pick(["n", "d", "dt", "g"]), g.chance(50))
            return ("from t | where \(p.iql) | sort \(column)\(descending ? " desc" : ""), id | take \(k) | select id, \(column)",
                    "SELECT id, \(column) FROM t WHERE \(p.sql) ORDER BY \(column) \(descending ? "DESC" : "ASC") NULLS LAST, id LIMIT \(k)")
        case 4:
            if g.chance(30) {
                return ("from t | where \(p.iql) | latest dt by g | count",
                        "SELECT count(*) AS n FROM (SELECT g, row_number() OVER (PARTITION BY g ORDER BY dt DESC, id DESC) AS rank "
                            + "FROM t WHERE (\(p.sql)) AND dt IS NOT NULL) WHERE rank = 1")
            }
            return ("from t | where \(p.iql) | latest dt by g | select g, id",
                    "SELECT g, id FROM (SELECT g, id, row_number() OVER (PARTITION BY g ORDER BY dt DESC, id DESC) AS rank "
                        + "FROM t WHERE (\(p.sql)) AND dt IS NOT NULL) WHERE rank = 1 ORDER BY g NULLS LAST")
        case 5:
            // Joins on one key and on two, of every kind.
            switch g.int(0...4) {
            case 1:
                return ("from t | where \(p.iql) | join w on g, b | sort id, w | select id, w",
                        "SELECT t.id, w.w FROM (SELECT * FROM t WHERE \(p.sql)) AS t JOIN w ON t.g = w.g AND t.b = w.b ORDER BY t.id, w.w")
            case 2:
                return ("from t | where \(p.iql) | join left w on g, b | sort id, w | select id, w",
                        "SELECT t.id, w.w FROM (SELECT * FROM t WHERE \(p.sql)) AS t LEFT JOIN w ON t.g = w.g AND t.b = w.b ORDER BY t.id, w.w NULLS LAST")
            case 3:
                return ("from t | where \(p.iql) | join anti w on g, b | sort id | select id",
                        "SELECT id FROM t WHERE (\(p.sql)) AND NOT EXISTS (SELECT 1 FROM w WHERE w.g = t.g AND w.b = t.b) ORDER BY id")
            case 4:
                return ("from t | where \(p.iql) | join anti u on g | sort id | select id",
                        "SELECT id FROM t WHERE (\(p.sql)) AND NOT EXISTS (SELECT 1 FROM u WHERE u.g = t.g) ORDER BY id")
            default:
                return ("from t | where \(p.iql) | join u on g | sort id | select id, label",
                        "SELECT t.id, u.label FROM (SELECT * FROM t WHERE \(p.sql)) AS t JOIN u ON t.g = u.g ORDER BY t.id")
            }
        default:
            if g.chance(40) {
                return ("from t | where \(p.iql) | select g, b, dt | distinct | count",
                        "SELECT count(*) AS n FROM (SELECT DISTINCT g, b, dt FROM t WHERE \(p.sql))")
            }
            return ("from t | where \(p.iql) | select g | distinct | sort g",
                    "SELECT DISTINCT g FROM t WHERE \(p.sql) ORDER BY g NULLS LAST")
        }
    }

    static var seeds: Range<Int> {
        let n = ProcessInfo.processInfo.environment["IQL_DIFFERENTIAL_SEEDS"].flatMap(Int.init) ?? 1_000
        return 0..<n
    }

    static func duckdbPath() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import duckdb_cli, os; print(os.path.join(os.path.dirname(duckdb_cli.__file__), 'duckdb'))"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        p.waitUntilExit()
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Every SQL query's result rows, run in one DuckDB process.
    static func duckdb(_ sql: [String], table: URL, lookup: URL) throws -> [[[String]]] {
        let binary = try #require(duckdbPath(), "the DuckDB CLI is missing: scripts/setup-bench-peers installs it")
        var script = """
            .mode csv
            .headers off
            .nullvalue ''
            CREATE TABLE t AS SELECT * FROM read_csv('\(table.path)', header = true,
                columns = {'id': 'INTEGER', 'g': 'VARCHAR', 'n': 'BIGINT', 'd': 'DECIMAL(18,2)', 'dt': 'DATE', 'b': 'BOOLEAN'});
            CREATE TABLE u AS SELECT * FROM read_csv('\(lookup.path)', header = true, columns = {'g': 'VARCHAR', 'label': 'VARCHAR'});
            CREATE TABLE w AS SELECT * FROM read_csv('\(lookup.deletingLastPathComponent().appendingPathComponent("w.csv").path)', header = true,
                columns = {'g': 'VARCHAR', 'b': 'BOOLEAN', 'w': 'BIGINT'});

            """
        for (i, q) in sql.enumerated() { script += "SELECT '@@\(i)';\n\(q);\n" }
        // From a file, not a pipe: writing a long script while DuckDB's output fills the other
        // pipe would leave each side waiting for the other.
        let scriptURL = table.deletingLastPathComponent().appendingPathComponent("queries.sql")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["-bail"]
        let out = Pipe(), err = Pipe()
        p.standardInput = try FileHandle(forReadingFrom: scriptURL)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(errors.isEmpty, "DuckDB: \(errors)")
        var results = Array(repeating: [[String]](), count: sql.count)
        var current = -1
        // The output ends with a line break, so the last piece is empty; any other empty line
        // is a row holding one null.
        // DuckDB ends CSV lines with "\r\n", a single Character to Swift: split on newlines.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).dropLast() {
            if line.hasPrefix("@@"), let i = Int(line.dropFirst(2)) {
                current = i
            } else if current >= 0 {
                results[current].append(line.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
            }
        }
        return results
    }

    /// Equal as values: numbers within a relative 1e-9 (DuckDB's averages are doubles), the rest exactly.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }

    @Test func iqlAgreesWithDuckDB() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iql-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tableURL = dir.appendingPathComponent("t.csv"), lookupURL = dir.appendingPathComponent("u.csv")
        try Self.tableCSV().write(to: tableURL, atomically: true, encoding: .utf8)
        try Self.lookupCSV.write(to: lookupURL, atomically: true, encoding: .utf8)
        let pairsURL = dir.appendingPathComponent("w.csv")
        try Self.pairsCSV.write(to: pairsURL, atomically: true, encoding: .utf8)
        var optimised = Engine(bundledData: false)
        // dt is the time column, which previous/next order by.
        try optimised.registerCSV(atPath: tableURL.path, as: "t", timeColumn: "dt")
        try optimised.registerCSV(atPath: lookupURL.path, as: "u")
        try optimised.registerCSV(atPath: pairsURL.path, as: "w")
        // Every query runs with all the optimiser's passes and with none.
        var plain = optimised
        plain.disabledOptimizerPasses = Set(Engine.optimizerPasses)

        let queries = Self.seeds.map(Self.query)
        let expected = try Self.duckdb(queries.map(\.sql), table: tableURL, lookup: lookupURL)
        var compared = 0
        for (i, q) in queries.enumerated() {
          for engine in [optimised, plain] {
            let table: Table
            do {
                table = try engine.query(q.iql)
            } catch {
                Issue.record("seed \(i): IQL refused a valid query:\n\(q.iql)\n\(error)")
                continue
            }
            let csv = CSVWriter.render(table).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
            let got = csv.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let want = expected[i]
            let equal = got.count == want.count && zip(got, want).allSatisfy { g, w in
                g.count == w.count && zip(g, w).allSatisfy { Self.same($0, $1) }
            }
            if !equal {
                let passes = engine.disabledOptimizerPasses.isEmpty ? "all passes" : "no passes"
                Issue.record("seed \(i) differs (\(passes))\nIQL: \(q.iql)\nSQL: \(q.sql)\niql:    \(got.prefix(8))\nduckdb: \(want.prefix(8))")
            }
            compared += 1
          }
        }
        #expect(compared == 2 * queries.count)
        // The shapes the passes rewrite are among the queries, and the passes do rewrite them.
        for pass in Engine.optimizerPasses {
            #expect(queries.contains { (try? optimised.plan($0.iql).contains(pass)) == true }, "no generated query uses \(pass)")
        }
    }

    /// Every generated query compiled to DuckDB's SQL (`Engine.sql`) gives in DuckDB the rows,
    /// in the order, that iql gives; the PostgreSQL form of each compiles too.
    @Test func compiledSQLAgreesWithIQL() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iql-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tableURL = dir.appendingPathComponent("t.csv"), lookupURL = dir.appendingPathComponent("u.csv")
        try Self.tableCSV().write(to: tableURL, atomically: true, encoding: .utf8)
        try Self.lookupCSV.write(to: lookupURL, atomically: true, encoding: .utf8)
        try Self.pairsCSV.write(to: dir.appendingPathComponent("w.csv"), atomically: true, encoding: .utf8)
        var engine = Engine(bundledData: false)
        try engine.registerCSV(atPath: tableURL.path, as: "t", timeColumn: "dt")
        try engine.registerCSV(atPath: lookupURL.path, as: "u")
        try engine.registerCSV(atPath: dir.appendingPathComponent("w.csv").path, as: "w")
        let queries = Self.seeds.map(Self.query)
        var compiled: [String] = []
        for (i, q) in queries.enumerated() {
            do {
                let statements = try engine.sql(q.iql, dialect: .duckdb)
                try #require(statements.count == 1, "seed \(i)")
                compiled.append(statements[0].text)
                _ = try engine.sql(q.iql, dialect: .postgres)
            } catch {
                Issue.record("seed \(i): no SQL for\n\(q.iql)\n\(error)")
                compiled.append("SELECT 1 WHERE FALSE")
            }
        }
        let results = try Self.duckdb(compiled, table: tableURL, lookup: lookupURL)
        for (i, q) in queries.enumerated() {
            let table = try engine.query(q.iql)
            let csv = CSVWriter.render(table).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
            let got = csv.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let want = results[i]
            let equal = got.count == want.count && zip(got, want).allSatisfy { g, w in
                g.count == w.count && zip(g, w).allSatisfy { Self.same($0, $1) }
            }
            if !equal {
                Issue.record("seed \(i) differs\nIQL: \(q.iql)\nSQL: \(compiled[i])\niql:    \(got.prefix(8))\nduckdb: \(want.prefix(8))")
            }
        }
    }

    /// Every generated query compiled to PostgreSQL's SQL gives in a real PostgreSQL server
    /// the rows, in the order, that iql gives.
    @Test func compiledSQLAgreesWithIQLInPostgreSQL() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iql-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: Self.tableCSV(), as: "t", timeColumn: "dt")
        try engine.registerCSV(text: Self.lookupCSV, as: "u")
        try engine.registerCSV(text: Self.pairsCSV, as: "w")
        // The tables as iql exports them: typed from their columns, each with its order.
        var script = try engine.exportSQL(dialect: .postgres)
        let queries = Self.seeds.map(Self.query)
        var compiled: [String] = []
        for (i, q) in queries.enumerated() {
            do {
                compiled.append(try engine.sql(q.iql, dialect: .postgres)[0].text)
            } catch {
                Issue.record("seed \(i): no SQL for\n\(q.iql)\n\(error)")
                compiled.append("SELECT 1 WHERE FALSE")
            }
        }
        for (i, sql) in compiled.enumerated() { script += "SELECT '@@\(i)';\n\(sql);\n" }
        let (output, errors) = try PostgresServer.run(script, in: dir)
        #expect(errors.isEmpty, "PostgreSQL: \(errors)")
        let results = PostgresServer.results(output, count: queries.count)
        // The answers are there: most queries give rows, and every query its marker.
        #expect(output.components(separatedBy: "@@").count == queries.count + 1)
        #expect(results.filter { !$0.isEmpty }.count > queries.count / 2)
        var differing = 0
        for (i, q) in queries.enumerated() {
            let table = try engine.query(q.iql)
            let csv = CSVWriter.render(table).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
            let got = csv.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let want = results[i]
            let equal = got.count == want.count && zip(got, want).allSatisfy { g, w in
                g.count == w.count && zip(g, w).allSatisfy { Self.same($0, $1) }
            }
            if !equal && differing < 10 {
                differing += 1
                Issue.record("seed \(i) differs\nIQL: \(q.iql)\nSQL: \(compiled[i])\niql:        \(got.prefix(8))\npostgresql: \(want.prefix(8))")
            }
        }
    }

    /// Every generated query (and some that fail) gives the same table, or the same error, with
    /// expressions run a column at a time as row by row through their closures.
    @Test func vectorisedAndRowByRowAgree() throws {
        var vector = Engine(bundledData: false)
        try vector.registerCSV(text: Self.tableCSV(), as: "t", timeColumn: "dt")
        try vector.registerCSV(text: Self.lookupCSV, as: "u")
        try vector.registerCSV(text: Self.pairsCSV, as: "w")
        var rows = vector
        rows.vectorised = false
        var plain = vector
        plain.disabledOptimizerPasses = Set(Engine.optimizerPasses)
        var queries = Self.seeds.map { Self.query($0).iql }
        // Failures must be the same failures: division by a column that holds 0, overflow,
        // dates out of range, and the parts row-by-row evaluation skips.
        queries += [
            "from t | where 100 / n > 3 | count",
            "from t | where n != 0 and 100 / n > 3 | count",
            "from t | where n == 0 or 100 / n > 3 | count",
            "from t | derive x = if(n == 0, 0, 100 / n) | summarize s = sum(x)",
            "from t | derive x = coalesce(n, 100 / n) | summarize s = sum(x)",
            "from t | derive x = n * 9223372036854775807 | count",
            "from t | derive x = dt + 3000000 | count",
            "from t | derive x = d * 1.123456789012345678 | summarize s = sum(x)",
            "from t | derive x = -n, y = -d, z = n % 7, w = d / 3 | summarize a = sum(x), b = sum(y), c = sum(z), e = sum(w)",
            "from t | where g in [\"a\", \"b\"] and lower(g) != \"a\" | count",
            "from t | where (n + 1) in [1, 2, 3] | count",
            // Quotients exact on some rows and doubles on others, through every stage that reads them.
            "from t | derive q = n / 7 | summarize s = sum(q), a = avg(q), lo = min(q), hi = max(q), f = first(q) by g",
            "from t | derive q = d / 3 | where q > 1 | sort q, id | select id, q | take 40",
            "from t | derive q = n / 4 + d / 3 | derive r = q * 2 + 1, z = -q | summarize s = sum(r), y = sum(z)",
            "from t | derive q = n / 6 | select q | distinct | count",
            "from t | derive q = id / 3 | summarize c = count() by q | count",
            "from t | derive q = n / 7, p = pct_change(n, d) | derive x = previous(q) by g | summarize s = sum(x), c = sum(p), k = count(q > 1)",
            "from t | derive q = id / 7 | where id < 200 | derive r = round(q, 2), a = abs(q), c = coalesce(q, 0) | select id, q, r, a, c | sort id | take 30",
            // Values at the ends of 64 bits, through every kernel that reads integers.
            "from t | derive m = 9223372036854775807, k = -9223372036854775807 - 1 | derive a = abs(m), b = abs(k), c = m - 1, e = -k | count",
            "from t | derive m = 9223372036854775807 | derive a = round(m), b = floor(m), c = m + 1 | count",
            "from t | derive k = -9223372036854775807 - 1 | where k < 0 and -k > 0 | count",
            "from t | derive m = 9223372036854775807 | summarize a = median(m), b = sum(m) by g",
            "from t | summarize a = median(d), b = median(n * 3), c = median(d * d), e = median(n / 8) by g",
            "from t | summarize a = median(d), b = median(days_between(dt, 2020-01-01))",
            // any, all and unique by group and over the whole table, nulls in conditions and values.
            "from t | summarize a = any(n > 40), b = all(n > -45), c = any(b), e = all(b) by g",
            "from t | summarize a = any(n > 400), b = all(d > -20), u = unique(n), v = unique(g), w = unique(dt), x = unique(d * 2)",
            "from t | summarize u = unique(n), v = unique(g), w = unique(dt), x = unique(d), y = unique(b) by g, b",
            "from t | where id < 40 | summarize u = unique(n % 30), a = all(n is null or n > 0) by g",
            // Neighbours of stored columns from their stored words; sums over random nulls.
            "from t | derive x = next(n) by g | summarize s = sum(x - n), a = avg(x), c = count(x > 0) by g",
            "from t | derive x = previous(d), y = next(dt) by g | summarize s = sum(x), m = max(y), k = min(y)",
            "from t | derive x = next(n) by g | where id > 5 | derive y = previous(x) by g | summarize s = sum(y), a = avg(y)",
            "from t | derive q = d / 3 | derive x = previous(q) by g | summarize s = sum(x), a = avg(x)",
            // Shifted along the window order, and back to tables of links when an item needs them.
            "from t | derive x = previous(n), c = n + 1 by g | summarize s = sum(x), k = sum(c), m = max(x) by g",
            "from t | derive x = previous(id), y = next(id), c = id + 1 by g | summarize s = sum(x), k = sum(y), m = max(c) by g",
            "from t | derive k = id * 3 | derive x = next(k) by g | summarize s = sum(x - k), c = count(x > k)",
            "from t | derive id = lower(g), x = previous(id) by g | select x | sort x | take 40",
            "from t | derive n = lower(g), x = previous(n) by g | select id, x | sort id | take 40",
            "from t | derive x = next(dt), y = previous(id) by g | select id, x, y | sort id | take 40",
            "from t | derive x = next(n), y = previous(n + 1) by g | summarize s = sum(x), t = sum(y)",
            "from t | derive z = (n / 7) * 0 | summarize s = sum(z), a = avg(z) by g",
            "from t | derive z = (n / 7) * 0 | summarize s = sum(z), a = avg(z)",
            "from t | select g, b | distinct | sort g, b",
            "from t | distinct n, g | count",
            "from t | select d, dt | distinct | count",
            "from t | where (d * 2) is null | count",
            "from t | derive x = round(d), y = floor(d), z = ceil(d), w = pct_change(n, d) | summarize s = sum(x), t = sum(y), u = sum(z), v = sum(w)",
            // Division by a column: exact where the quotient terminates, a double where not.
            "from t | derive x = d / (abs(n) + 1), y = n / (n * n + 1), z = (d * 10) / (abs(n) + 3) | summarize a = sum(x), b = sum(y), c = sum(z)",
            "from t | derive x = 1 / (abs(n) + 1) | select x | sort x | take 40",
            "from t | derive x = pct_change(n, d * 10), y = pct_change(d, n), z = pct_change(n + 1, d), w = pct_change(n, n * 4) | summarize a = sum(x), b = sum(y), c = sum(z), e = sum(w)",
            "from t | derive x = pct_change(n, 9223372036854775807) | count",
            "from t | derive x = pct_change(d * 0 + 3, n) | select x | take 40",
            // floor, ceil, round and abs as loops over decimals, doubles and integers.
            "from t | derive a = floor(d * 1.123456789012345678), b = ceil(d / 3), c = round(d * 7 / 4), e = abs(d), f = abs(n), g = floor(n) | summarize s = sum(a), u = sum(b), v = sum(c), w = sum(e), x = sum(f), y = sum(g)",
            "from t | where abs(d) > 10 or floor(d / 3) == 2 | count",
            // Once per distinct value, answers read straight from the stored codes, nulls given theirs.
            "from t | where n * 3 + 1 > 5 | count",
            "from t | where (n * 2 > 4) is null | count",
            "from t | where not (n - 1 < 3) | count",
            "from t | where year(dt) == 2019 or (n + 1) > 3 | count",
            // Derived columns packed straight from the distinct values' answers: answers that
            // are null for a value that is not (n = 0), null rows given a value, a selection.
            "from t | derive x = pct_change(n, 5), y = 100 / (n + 100), z = year(dt) * 2 | summarize a = sum(x), b = avg(y), c = min(z), e = max(z)",
            "from t | derive x = coalesce(n, 7) * 2, y = if(n > 3, d, null) | select id, x, y | sort id | take 60",
            "from t | where id > 3 | derive x = n * 3 | summarize a = sum(x), b = min(x)",
            // Whole-column sums, least and greatest, and sums that could overflow part way.
            "from t | derive x = n * 3 | summarize a = sum(x), b = min(x), c = max(x), e = avg(x), k = count(x > 0)",
            "from t | derive x = n * 92233720368547758 | summarize s = sum(x)",
            "from t | derive x = n + 9223372036854775000 | summarize s = sum(x), m = max(x)",
            // Comparisons on stored words with the constant inside, beyond and at the ends of
            // their range (id spans too many values to go by distinct value).
            "from t | where id > 150 | count",
            "from t | where id >= 1000 or id < -5 | count",
            "from t | where id != 7 and id <= 299 | count",
            "from t | derive m = id + 9223372036854775000 | where m > 0 and m < 9223372036854775100 | count",
            "from t | derive m = id - 9223372036854775000 | where m < 0 and m >= -9223372036854775807 | count",
            // Remainders of exact numbers at one scale, by zero failing as row by row.
            "from t | derive a = d % 3, b = n % (abs(n) + 1), c = d % 0.7, e = -n % 4 | summarize x = sum(a), y = sum(b), z = sum(c), w = sum(e)",
            "from t | where n % 0 == 1 | count",
            "from t | derive x = id % (n - n) | count",
        ]
        // What row-by-row evaluation skips cannot fail (docs/language.md, Expressions).
        for q in ["from t | where n != 0 and 100 / n > 3 | count", "from t | where n == 0 or 100 / n > 3 | count",
                  "from t | derive x = if(n == 0, 0, 100 / n) | count", "from t | derive x = coalesce(n, 100 / n) | count"] {
            #expect(throws: Never.self, "\(q)") { _ = try vector.query(q) }
        }
        #expect(throws: IQLError.self) { _ = try vector.query("from t | where 100 / n > 3 | count") }
        // A filter the optimiser may not move past a stage that can fail, nor fold away a part
        // that fails: the same errors with and without the passes.
        queries += [
            "from t | derive x = 100 / n | where n != 0 | count",
            "from t | sort 100 / n | where n != 0 | take 3 | select id",
            "from t | select id, x = 100 / n, n | where n != 0 | count",
            "from t | where (100 / n > 1) and false | count",
            "from t | where (100 / n > 1) or true | count",
        ]
        // The failures compared are the ones rows give as they run: a query the checker refuses
        // fails the same way on every engine and would compare nothing.
        for q in queries {
            let refused = vector.check(q).filter { $0.severity == .error }
            #expect(refused.isEmpty, "\(q) does not check: \(refused.map(\.message))")
        }
        for q in queries {
            for (name, other) in [("row by row", rows), ("no optimiser passes", plain)] {
                Self.expectSameOutcome(q, vector, other, name: name) { $0.diagnostics.map(\.code) }
            }
        }
    }

    /// `q` gives the same table on both engines, or fails on both with the same `failure`
    /// (codes, or whole messages).
    static func expectSameOutcome<T: Equatable>(_ q: String, _ vector: Engine, _ other: Engine, name: String,
                                                failure: (IQLError) -> [T]) {
        let a = Result { () throws(IQLError) -> String in CSVWriter.render(try vector.query(q)) }
        let b = Result { () throws(IQLError) -> String in CSVWriter.render(try other.query(q)) }
        switch (a, b) {
        case (.success(let x), .success(let y)):
            #expect(x == y, "\(q)")
        case (.failure(let x), .failure(let y)):
            #expect(failure(x) == failure(y), "\(q)")
        default:
            Issue.record("one way failed: \(q)\nvectorised: \(a)\n\(name): \(b)")
        }
    }

    /// Over a table of several blocks (`BlockEvaluation.rows`), expressions over two or more
    /// columns run a block at a time: the same tables, and the same first failing row, as row
    /// by row; behind a selection too, and where blocks' vectors differ in type or scale.
    @Test func blocksAgreeWithRowByRow() throws {
        var vector = Engine(bundledData: false)
        try vector.registerCSV(text: Self.tableCSV(rows: 5 * BlockEvaluation.rows + 123), as: "t", timeColumn: "dt")
        var rows = vector
        rows.vectorised = false
        let queries = [
            "from t | where n * d > 3 | count",
            "from t | where n * d / 7 > 1 | count",
            // The first block all exact, later ones mixed with doubles: joined row by row.
            "from t | derive q = if(id < 4097, n * d, n * d / 7) | summarize s = sum(q), a = avg(q), k = count(q > 2) by g",
            "from t | derive q = if(id < 4097, n * d, n * d / 7) | sort q desc, id | select id, q | take 20",
            "from t | where (n * d) is null | count",
            "from t | derive x = n * d, y = d / (abs(n) + 1), z = pct_change(n, d), w = n + d | summarize a = sum(x), b = sum(y), c = sum(z), e = sum(w), k = count()",
            "from t | where days_between(dt, dt + n) > 3 | count",
            "from t | derive x = dt + n | summarize a = min(x), b = max(x)",
            "from t | where if(n > 5, d, 0) > 3 or coalesce(n, 0) == 0 | count",
            "from t | where id > 7 | where n * d > 3 | count",
            "from t | sort d, id | derive x = n + d | select id, x | take 50",
            "from t | derive x = n * d | where x > 100 | select id, x | sort id | take 100",
            "from t | derive x = d * n / (abs(n) + 3) | select id, x | sort id | take 100",
            "from t | where b and n * d > 0 | count",
            // Quotients of mantissas with trailing zeros at a scale (which the kernel divides
            // without normalising when both sides are below 2^53) and of some above it.
            "from t | derive q = n * 100000000000000 / (d * 100 + 0.5), r = d * 10 / (n * 1000 + 3), s = n * 1000000000000000 / (d + 0.305), u = d * 777777777777777 * 10 / (n + 0.7) | select id, q, r, s, u | sort id | take 300",
            "from t | derive p = pct_change(n * 100, d * 1000), q = pct_change(d * 10, n * 100000000000000) | select id, p, q | sort id | take 300",
        ]
        // Failing rows in a later block: the first one is reported, as row by row.
        let failing = [
            "from t | where 100 / (id - 20000 + coalesce(n, 0) * 0) > 3 | count",
            "from t | derive x = id * 922337203685477 + n | summarize s = sum(x)",
            "from t | where id * n * 9223372036854 > 3 | count",
        ]
        for q in failing {
            #expect(throws: IQLError.self, "\(q)") { _ = try vector.query(q) }
        }
        // The queries do take the block path: a condition over two columns does, one over one
        // column (answered per distinct value) does not.
        func condition(_ text: String) throws -> CompiledExpression? {
            let plan = try PlanTests.checkedPlans(vector, "from t | where \(text)").first
            if case .filter(let f)? = plan?.nodes.last?.step { return f.condition }
            return nil
        }
        let whole = try vector.query("from t")
        #expect(BlockEvaluation.applies(try #require(try condition("n * d > 3")), over: whole))
        #expect(!BlockEvaluation.applies(try #require(try condition("n * 3 > 3")), over: whole))
        #expect(!BlockEvaluation.applies(try #require(try condition("n * d > 3")), over: try vector.query("from t | take 100")))
        for q in queries + failing {
            Self.expectSameOutcome(q, vector, rows, name: "row by row") { $0.diagnostics.map(\.message) }
        }
    }

    /// `rank` and `quartile` a column at a time (a radix sort by group and value) give row by
    /// row's places and notes: every value type, both directions and none, no key and up to
    /// two, nulls in values and keys, behind a filter, and values with no ranks (doubles).
    @Test func ranksAgreeWithRowByRow() throws {
        var vector = Engine(bundledData: false)
        try vector.registerCSV(text: Self.tableCSV(rows: 1500), as: "t", timeColumn: "dt")
        var rows = vector
        rows.vectorised = false
        var queries: [String] = []
        for stage in ["rank", "quartile"] {
            for value in ["n", "d", "dt", "g", "b", "n * 2 + d", "d / 3", "year(dt)"] {
                for direction in ["", " asc", " desc"] {
                    for by in ["", " by g", " by b, g", " by n % 3"] {
                        queries.append("from t | \(stage) \(value)\(direction)\(by) | sort id | select id, \(stage)")
                    }
                }
                queries.append("from t | where id % 5 != 1 | \(stage) \(value) desc by g | sort id | select id, \(stage)")
                queries.append("from t | take 0 | \(stage) \(value) | count")
            }
        }
        for q in queries {
            Self.expectSameOutcome(q, vector, rows, name: "row by row") { $0.diagnostics.map(\.message) }
            let notes = (try? vector.query(q).notes.map(\.message)) ?? ["failed"]
            #expect(notes == ((try? rows.query(q).notes.map(\.message)) ?? ["failed"]), "notes: \(q)")
        }
    }

    /// With no direction given, `rank` and `quartile` of LAIT's figures go each group's
    /// measure's way a column at a time as value by value: the places and the notes (better
    /// high, better low, no polarity, a group that mixes measures), by measure, by measure and
    /// year, and by nothing.
    @Test func ranksByMeasureAgreeWithRowByRow() throws {
        let vector = Engine()
        var rows = vector
        rows.vectorised = false
        let slice = "from indicators | where region == \"North East\" and year >= 2021"
        let queries = [
            "\(slice) | rank value by measure | sort measure, year, authority | select measure, year, authority, rank",
            "\(slice) | rank value by measure, year | sort measure, year, authority | select measure, year, authority, rank",
            "\(slice) | quartile value by measure, year | sort measure, year, authority | select measure, year, authority, quartile",
            "\(slice) | rank value by year | sort year, measure, authority | select rank",
            "\(slice) | where measure == \"CLA_rate\" | rank value | sort year, authority | select rank",
            "\(slice) | where measure == \"nothing\" | rank value | count",
            "\(slice) | rank value desc by measure | sort measure, year, authority | select rank",
            // Whole numbers, which rank a column at a time (LAIT's own figures are of mixed scales).
            "\(slice) | derive v = floor(value) | rank v by measure | sort measure, year, authority | select measure, year, authority, rank",
            "\(slice) | derive v = floor(value) | quartile v by measure, year | sort measure, year, authority | select quartile",
            "\(slice) | derive v = floor(value) | rank v by year | sort year, measure, authority | select rank",
            "\(slice) | derive v = floor(value) | where measure == \"nothing\" | rank v | count",
            // The least whole number, whose rank has no negation.
            "\(slice) | derive v = if(authority == \"Durham\", -9223372036854775807 - 1, floor(value)) | rank v by measure | sort measure, year, authority | select rank",
        ]
        for q in queries {
            Self.expectSameOutcome(q, vector, rows, name: "row by row") { $0.diagnostics.map(\.message) }
            let notes = (try? vector.query(q).notes.map(\.message)) ?? ["failed"]
            #expect(notes == ((try? rows.query(q).notes.map(\.message)) ?? ["failed"]), "notes: \(q)")
        }
        let notes = try vector.query(queries[0]).notes.map(\.message)
        #expect(notes.contains { $0.contains("is better low (LAIT)") } && notes.contains { $0.contains("is better high (LAIT)") })
    }

    /// Text `==` and `!=` a constant, which compares stored codes a word at a time when the text
    /// is one dictionary entry (or none), give row by row's answers: with and without null
    /// rows, codes of one and two bytes, a text no row holds, behind a filter and a sort (which
    /// take the look-up path), and in a table of several blocks.
    @Test func textEqualityAgreesWithRowByRow() throws {
        var g = Generator(11)
        var csv = "id,s,full,wide\n"
        for id in 1...(3 * BlockEvaluation.rows + 77) {
            let s = g.chance(12) ? "" : g.pick(["north", "south", "east", "west"])
            let full = g.pick(["x", "y", "z"])
            let wide = g.chance(5) ? "" : "w\(g.int(0...400))"
            csv += "\(id),\(s),\(full),\(wide)\n"
        }
        var vector = Engine(bundledData: false)
        try vector.registerCSV(text: csv, as: "t")
        var rows = vector
        rows.vectorised = false
        var queries: [String] = []
        for (column, texts) in [("s", ["north", "west", "nowhere"]), ("full", ["x", "z", "q"]),
                                ("wide", ["w0", "w399", "w400", "w9999"])] {
            for text in texts {
                for op in ["==", "!="] {
                    queries.append("from t | where \(column) \(op) \"\(text)\" | count")
                    queries.append("from t | where \(column) \(op) \"\(text)\" | summarize k = sum(id)")
                    queries.append("from t | derive v = \(column) \(op) \"\(text)\" | count by v")
                    queries.append("from t | where id % 3 == 0 | where \(column) \(op) \"\(text)\" | count")
                    queries.append("from t | sort \(column), id | where \(column) \(op) \"\(text)\" | take 5 | select id")
                    queries.append("from t | take 70 | where \(column) \(op) \"\(text)\" | count")
                }
            }
        }
        #expect(try vector.query(#"from t | where s == "north" | count"#).rows != [[.int(0)]])
        for q in queries {
            Self.expectSameOutcome(q, vector, rows, name: "row by row") { $0.diagnostics.map(\.message) }
        }
    }

    /// The word-at-a-time byte comparison marks exactly the bytes equal to the one sought, for
    /// every byte value, with neighbours that borrow or carry (0x00, 0x80, 0xFF).
    @Test func equalBytesMarksExactlyTheEqualBytes() {
        var g = Generator(5)
        let edges: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF]
        for trial in 0..<4_000 {
            var bytes = (0..<8).map { _ in g.chance(50) ? g.pick(edges) : UInt8(g.int(0...255)) }
            let sought = trial < 256 ? UInt8(trial) : g.pick(bytes)
            if trial % 3 == 0 { bytes[g.int(0...7)] = sought }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
            let expected = bytes.enumerated().reduce(UInt64(0)) { $0 | ($1.element == sought ? 1 << UInt64($1.offset) : 0) }
            #expect(BitWords.equalBytes(UInt64(littleEndian: word), sought) == expected, "\(bytes) \(sought)")
        }
    }

    /// A join on whole numbers spanning few values (matched through the stored words, with no
    /// grouping) gives the rows the general join gives (a key behind a selection goes that
    /// way): inner and left, null keys, keys with no match, keys outside the right's range.
    @Test func integerLookupJoinsAgreeWithTheGeneralJoin() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: Self.tableCSV(), as: "t")
        try engine.registerCSV(text: "k,label\n0,zero\n1,one\n2,two\n3,three\n-1,minus one\n-4,minus four\n9,nine\n", as: "v")
        for join in ["join v on k", "join left v on k"] {
            for key in ["n % 5", "n % 3 + 1", "if(n > 0, 1, 0)", "n % 7 - 2"] {
                let lookup = "from t | derive k = \(key) | \(join) | select id, k, label"
                let general = "from t | derive k = \(key) | sort id | \(join) | select id, k, label"
                let a = CSVWriter.render(try engine.query(lookup))
                #expect(a == CSVWriter.render(try engine.query(general)), "\(lookup)")
                #expect(a.split(separator: "\n").count > 50, "\(lookup)")
            }
        }
    }

    /// `where P`, `where not P` and `where P is null` split the rows between them: every row in
    /// exactly one.
    @Test func conditionsPartitionTheRows() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: Self.tableCSV(), as: "t")
        let all = Set(try engine.query("from t | select id").columns[0].values)
        for seed in Self.seeds.prefix(200) {
            var g = Generator(seed + 10_000)
            let p = Self.condition(&g).iql
            let parts = try ["where \(p)", "where not (\(p))", "where (\(p)) is null"].map {
                Set(try engine.query("from t | \($0) | select id").columns[0].values)
            }
            #expect(parts[0].union(parts[1]).union(parts[2]) == all, "seed \(seed): \(p)")
            #expect(parts[0].isDisjoint(with: parts[1]) && parts[0].isDisjoint(with: parts[2])
                    && parts[1].isDisjoint(with: parts[2]), "seed \(seed): \(p)")
        }
    }
}
