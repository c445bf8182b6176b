import Foundation
import Testing
@testable import IQL

/// A join on one key matches the pairs a plain loop over every pair of rows finds (keys equal
/// as values, nulls matching nothing), in the order it gives them: left rows in order, each
/// one's matches ascending. Whole-number and day keys of both sides take the table of offsets
/// (a span within 4x the rows) or the dictionary (wider); a decimal against whole numbers,
/// text, and text a function made (whose dictionary can hold one string twice) the
/// dictionary; inner, left and anti joins.
struct JoinIndexTests {
    static func csv(rows: Int, seed: UInt64, wide: Bool) -> String {
        var x = seed
        func next(_ m: Int) -> Int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return Int(x % UInt64(m)) }
        var out = "id,k,d,q,s,t\n"
        for id in 0..<rows {
            let k = next(9) == 0 ? "" : String(wide ? next(40) * 1_000_003 : next(40) - 20)
            let d = next(9) == 0 ? "" : "2020-01-\(10 + next(15))"
            let q = next(9) == 0 ? "" : "\(next(30) - 10).0"
            let s = next(9) == 0 ? "" : ["Leeds", "leeds", "Kent", "York", "KENT"][next(5)]
            let t = next(9) == 0 ? "" : ["x", "y", "z", "w"][next(4)]
            out += "\(id),\(k),\(d),\(q),\(s),\(t)\n"
        }
        return out
    }

    @Test(arguments: [false, true])
    func joinsMatchEveryPairAPlainLoopFinds(wide: Bool) throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: Self.csv(rows: 700, seed: 17, wide: wide), as: "a")
        try engine.registerCSV(text: Self.csv(rows: 500, seed: 29, wide: wide), as: "b")
        let a = try engine.query("from a"), b = try engine.query("from b")
        // (the left key, the right key; an expression made by a `derive` on each side first)
        let pairs: [(String, String, String?)] = [("k", "k", nil), ("d", "d", nil), ("q", "k", nil), ("k", "q", nil),
                                                  ("s", "s", nil), ("s", "s", "lower(s)")]
        for (left, right, derived) in pairs {
            for kind in ["", "left ", "anti "] {
                var query = "from a"
                var leftColumn = left, rightColumn = right
                if let derived {
                    query = "let bb = from b | derive j = \(derived)\nfrom a | derive j = \(derived)"
                    leftColumn = "j"; rightColumn = "j"
                }
                let on = leftColumn == rightColumn ? leftColumn : "\(leftColumn) == \(rightColumn)"
                query += " | join \(kind)\(derived == nil ? "b" : "bb") on \(on) | select id"
                let got = try engine.query(query).rows.map { $0[0] }
                // The plain loop, on the values each side's key gives.
                func key(_ t: Table, _ name: String, _ r: Int) -> Value {
                    let v = t.columns[t.schema.index(of: name == "j" ? "s" : name) ?? 0][r]
                    guard derived != nil, case .text(let s) = v else { return v }
                    return .text(s.lowercased())
                }
                var want: [Value] = []
                for l in 0..<a.rowCount {
                    let k = key(a, left, l)
                    let matches = k.isNull ? [] : (0..<b.rowCount).filter { key(b, right, $0) == k }
                    switch kind {
                    case "anti ": if matches.isEmpty { want.append(.int(Int64(l))) }
                    case "left ": want += matches.isEmpty ? [.int(Int64(l))] : matches.map { _ in .int(Int64(l)) }
                    default: want += matches.map { _ in .int(Int64(l)) }
                    }
                }
                #expect(got == want, "\(query)")
                #expect(!want.isEmpty, "\(query) matches some rows")
            }
        }
    }

    /// A join on whole numbers that would pass the row limit stops before it writes a pair,
    /// with the limit's error and the note on how many rows one row matched; under the limit
    /// the same join runs.
    @Test func integerJoinPastTheRowLimitStops() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: "k\n" + (0..<60).map { "\($0 % 3)" }.joined(separator: "\n") + "\n", as: "t")
        engine.limits.rows = 1000
        do {
            _ = try engine.query("from t | join t on k | count")
            Issue.record("the join ran past its limit")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.rowLimit])
            #expect(error.diagnostics.first?.message == "the join would make more than 1000 rows")
            #expect(error.diagnostics.first?.notes.first?.hasPrefix("20 rows of the joined table match one row here") == true)
        }
        engine.limits.rows = 1200
        #expect(CSVWriter.render(try engine.query("from t | join t on k | count")) == "n\n1200\n")
    }

    /// A join on several keys packed into one code a row gives what the join value by value
    /// gives, notes included: whole numbers, days and text (a council's other spelling in a
    /// filtered table, which goes value by value to be resolved), a decimal against whole
    /// numbers (value by value), a table joined to a filtered copy of itself (one dictionary
    /// on both sides), inner, left and anti.
    @Test(arguments: [false, true])
    func packedKeysJoinAsValueByValue(wide: Bool) throws {
        var vector = Engine(bundledData: true)
        try vector.registerCSV(text: Self.csv(rows: 900, seed: 5, wide: wide), as: "a")
        try vector.registerCSV(text: Self.csv(rows: 600, seed: 11, wide: wide), as: "b")
        var rows = vector
        rows.vectorised = false
        var queries: [String] = []
        for on in ["k, s", "k, t", "t, d, k", "d, k", "s, d, k", "k, q", "q == k, s"] {
            for kind in ["", "left ", "anti "] {
                queries.append("from a | join \(kind)b on \(on) | sort id | select id")
                queries.append("let bb = from b | where s != \"leeds\" and t != \"w\" and k != 3\nfrom a | join \(kind)bb on \(on) | count")
                // One dictionary on both sides (a table joined to a filtered copy of itself).
                queries.append("let aa = from a | where s != \"Leeds\" and t != \"x\" and k != 2\nfrom a | join \(kind)aa on \(on) | sort id | select id")
            }
        }
        for q in queries {
            DifferentialTests.expectSameOutcome(q, vector, rows, name: "value by value") { $0.diagnostics.map(\.message) }
            let notes = (try? vector.query(q).notes.map(\.message)) ?? ["failed"]
            #expect(notes == ((try? rows.query(q).notes.map(\.message)) ?? ["failed"]), "notes: \(q)")
        }
        #expect(try vector.query("from a | join b on k, s | count").rows != [[.int(0)]])
    }

    /// Integer and packed-key joins pay for their pairs before writing them: a join that would
    /// make 3M pairs stops at the memory limit with IQL0512 (on one key and on two), and the
    /// engine then runs the next query.
    @Test func integerJoinsStopAtTheMemoryLimit() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: "k,j\n" + (0..<3000).map { "\($0 % 3),\($0 % 2 * 0)" }.joined(separator: "\n") + "\n", as: "t")
        engine.limits.rows = nil
        engine.limits.memory = 50 << 20
        for query in ["from t | join t on k | count", "from t | join t on k, j | count"] {
            var codes: [DiagnosticCode] = []
            do { _ = try engine.query(query) } catch { codes = error.diagnostics.map(\.code) }
            #expect(codes == [.memoryLimit], "\(query)")
        }
        #expect(CSVWriter.render(try engine.query("from t | count")) == "n\n3000\n")
    }
}
