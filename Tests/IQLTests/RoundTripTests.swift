import Foundation
import Testing
@testable import IQL

/// Writing a table as CSV and reading it back gives the same table; JSON output is valid JSON
/// whose numbers are the exact values. Checked over generated tables with nulls, quotes,
/// commas, line breaks, unicode and extreme numbers.
struct RoundTripTests {
    /// A small deterministic generator (a linear congruential one), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
    }

    static let textPieces = ["a", "Zoë", "東京", "🎉", ",", "\"", "\"\"", "\n", "\r\n", " ", "x y", "O'Brien",
                             "Bristol, City of", "tab\there", "…", "é", "0", "-", "."]

    /// A value of the column's kind, or nil for null (about one in six).
    static func value(_ kind: Int, _ g: inout Generator) -> Value? {
        if g.int(6) == 0 { return nil }
        switch kind {
        case 0:
            return .int(g.pick([0, 1, -1, 42, Int64.max, Int64.min, Int64(g.int(1_000_000)) - 500_000]))
        case 1:
            let scale = 1 + g.int(18)
            let m = Int64(g.int(2_000_000_000)) - 1_000_000_000
            return .number(Number.exact(m, scale: scale) ?? .int(m))
        case 2:
            // Text that reads back as text: it starts with a letter, then any pieces.
            var s = g.pick(["a", "Zoë", "東京", "O'Brien", "Bristol"])
            for _ in 0..<g.int(4) { s += g.pick(textPieces) }
            return .text(s)
        case 3:
            return Day(year: 1900 + g.int(200), month: 1 + g.int(12), day: 1 + g.int(28)).map(Value.date)
        case 4:
            return .rating(g.pick([.outstanding, .good, .requiresImprovement, .inadequate]))
        default:
            return .bool(g.int(2) == 0)
        }
    }

    static func table(seed: UInt64) -> Table {
        var g = Generator(state: seed)
        let kinds = (0..<(1 + g.int(6))).map { _ in g.int(6) }
        let rows = 1 + g.int(40)
        var columns: [Column] = []
        for kind in kinds {
            var values = (0..<rows).map { _ in value(kind, &g) ?? .null }
            // At least one value, so the type is there to be inferred.
            if values.allSatisfy(\.isNull) { values[0] = value(kind, &g) ?? value(kind, &g) ?? .int(1) }
            if values.allSatisfy(\.isNull) { values[0] = kind == 2 ? .text("a") : .int(1) }
            columns.append(Column(values))
        }
        let schema = Schema(columns: kinds.indices.map { i in
            Schema.Field(name: "c\(i)", type: columns[i].values.first { !$0.isNull }?.type ?? .text, summary: nil)
        }, timeColumn: nil)
        return Table(schema: schema, columns: columns, rowCount: rows)
    }

    @Test(arguments: 0..<300)
    func csvReadsBackAsTheSameTable(seed: Int) throws {
        let original = Self.table(seed: UInt64(seed))
        let csv = CSVWriter.render(original)
        let again = try CSVLoader.load(Array(csv.utf8), file: "t.csv")
        #expect(again.schema.columns.map(\.type) == original.schema.columns.map(\.type), "seed \(seed):\n\(csv)")
        #expect(again.rowCount == original.rowCount, "seed \(seed)")
        for c in original.columns.indices {
            for r in 0..<original.rowCount where original.columns[c][r] != again.columns[c][r] {
                Issue.record("seed \(seed) column \(c) row \(r): \(original.columns[c][r]) came back as \(again.columns[c][r])")
            }
        }
    }

    @Test(arguments: 0..<100)
    func jsonIsValidAndNumbersAreExact(seed: Int) throws {
        let original = Self.table(seed: UInt64(seed))
        let json = JSONWriter.render(original)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "seed \(seed)")
        #expect(parsed.count == original.rowCount)
        for r in 0..<original.rowCount {
            for (c, column) in original.schema.columns.enumerated() {
                let v = original.columns[c][r]
                let got = parsed[r][column.name]
                switch v {
                case .null: #expect(got is NSNull, "seed \(seed)")
                case .number(.int(let i)): #expect((got as? NSNumber)?.int64Value == i, "seed \(seed)")
                case .number(let n):
                    // The exact decimal digits are what JSON carries, not a rounded double.
                    #expect(json.contains("\"\(column.name)\": \(v.displayText)"), "seed \(seed): \(n)")
                case .text(let s): #expect(got as? String == s, "seed \(seed)")
                case .bool(let b): #expect(got as? Bool == b, "seed \(seed)")
                default: #expect(got as? String == v.displayText, "seed \(seed)")
                }
            }
        }
    }
}

/// A Windows line end inside a value is one Character in Swift: it must still be seen as a
/// line break wherever output is laid out.
struct LineEndTests {
    @Test func crlfInsideAValue() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: "a,b\n\"x\r\ny\",1\n", as: "t")
        let t = try engine.query("from t")
        #expect(CSVWriter.render(t) == "a,b\n\"x\r\ny\",1\n")
        #expect(TableRenderer(color: false).render(t).contains("x\\ny"))
        let derived = try engine.query("from t | select a, b\r\n+ 1")
        #expect(derived.schema.names == ["a", "b + 1"])
    }
}
