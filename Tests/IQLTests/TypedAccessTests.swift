import Foundation
import IQL
import Testing

/// The library's typed surface, through `import IQL` only: typed reads, literals, dates,
/// Codable round-trips, decoding rows into the host's types, and errors a host can inspect.
struct TypedAccessTests {
    @Test(arguments: [
        (Value.int(7), "int", "7"), (2.5, "decimal", "2.5"), (.double(1.0 / 3), "double", "0.3333333333333333"),
        ("Leeds", "string", "Leeds"), (.date(Day(year: 2019, month: 3, day: 31) ?? Day(ordinal: 0)), "day", "2019-03-31"),
        (.rating(.good), "rating", "Good"), (true, "bool", "true"), (nil, "null", ""),
    ] as [(Value, String, String)])
    func accessorsReadTheirOwnTypeOnly(_ v: Value, _ kind: String, _ shown: String) {
        #expect((v.int != nil) == (kind == "int"))
        #expect((v.decimal != nil) == (kind == "int" || kind == "decimal"))
        #expect((v.double != nil) == ["int", "decimal", "double"].contains(kind))
        #expect((v.string != nil) == (kind == "string"))
        #expect((v.day != nil) == (kind == "day") && (v.date != nil) == (kind == "day"))
        #expect((v.rating != nil) == (kind == "rating"))
        #expect((v.bool != nil) == (kind == "bool"))
        #expect(v.isNull == (kind == "null"))
        #expect(v.displayText == shown)
    }

    @Test func literalsMakeExactValues() {
        let half: Value = 0.5, tenth: Value = 0.1, seven: Value = 7, whole: Value = 3.0
        #expect(half.decimal == Decimal(string: "0.5"))
        #expect(tenth.decimal == Decimal(string: "0.1"))
        #expect(seven == .int(7))
        #expect(whole == .int(3))
        #expect(("x" as Value) == .text("x") && (nil as Value) == .null && (false as Value) == .bool(false))
    }

    @Test func daysAndFoundationDates() throws {
        let d = try #require(Day(year: 2024, month: 2, day: 29))
        #expect(d.date == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(Day(d.date) == d)
        #expect(Day(d.dateComponents) == d)
        #expect(d.dateComponents.year == 2024 && d.dateComponents.month == 2 && d.dateComponents.day == 29)
        // 23:30 on the 28th in London's winter is the 28th there and in UTC; in Auckland the 29th.
        let late = Date(timeIntervalSince1970: 1_709_164_800 - 1_800)
        #expect(Day(late)?.description == "2024-02-28")
        #expect(Day(late, in: TimeZone(identifier: "Pacific/Auckland"))?.description == "2024-02-29")
        #expect(Day(DateComponents(year: 2023, month: 2, day: 29)) == nil)
    }

    @Test func tablesReadByRowAndColumnName() throws {
        let t = try Engine().query(#"from children_in_care | where authority == "Oxfordshire" and year >= 2018 | sort year | select year, children | take 2"#)
        #expect(t[0, "children"]?.int == 684)
        #expect(t[1, "year"]?.int == 2019)
        #expect(t[2, "year"] == nil && t[-1, "year"] == nil && t[0, "nosuch"] == nil)
        let children = try #require(t.column("children"))
        #expect(children.compactMap(\.int) == [684, 779])
        #expect(children.count == 2 && children.first?.int == 684)
        #expect(t.columnNames == ["year", "children"])
    }

    @Test func everyValueRoundTripsThroughJSON() throws {
        let values: [Value] = [.null, .int(-42), 12.50, .double(0.1 + 0.2), "Good", .rating(.good),
                               .rating(.requiresImprovement), .date(Day(ordinal: -1)), true,
                               .list([.int(1), "a", .null])]
        let data = try JSONEncoder().encode(values)
        let back = try JSONDecoder().decode([Value].self, from: data)
        #expect(back == values)
        // Text and the rating of the same spelling stay apart; so do an exact and a double 2.5.
        #expect(try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(Value.text("Good"))) != .rating(.good))
        #expect(String(decoding: try JSONEncoder().encode(Value.number(.double(2.5))), as: UTF8.self) == #"{"double":2.5}"#)
        #expect(String(decoding: try JSONEncoder().encode(Value(floatLiteral: 2.5)), as: UTF8.self) == #"{"decimal":"2.5"}"#)
        for r in Rating.allCases {
            #expect(try JSONDecoder().decode(Rating.self, from: JSONEncoder().encode(r)) == r)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Rating.self, from: Data(#""Adequate""#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Day.self, from: Data(#""2019-02-30""#.utf8)) }
    }

    @Test func tablesAndDiagnosticsRoundTrip() throws {
        let t = try Engine().query("from inspections | where authority == \"Leeds\" | select authority, published, overall, framework")
        let back = try JSONDecoder().decode(Table.self, from: JSONEncoder().encode(t))
        // The schema's names, types and time column (not where a column came from, which is the engine's own).
        #expect(back.schema.columns.map(\.name) == t.schema.columns.map(\.name))
        #expect(back.schema.columns.map(\.type) == t.schema.columns.map(\.type))
        #expect(back.schema.timeColumn == t.schema.timeColumn)
        #expect(back.rows == t.rows && back.notes == t.notes)
        // A row that does not fit its schema is refused, as Table(schema:rows:) refuses it.
        let bad = #"{"schema":{"columns":[{"name":"n","type":"number"}]},"rows":[[{"text":"seven"}]]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Table.self, from: Data(bad.utf8)) }
        do {
            _ = try Engine().query("from inspections | where athority == \"Oldham\"")
            Issue.record("expected an error")
        } catch {
            let d = try #require(error.errors.first)
            let decoded = try JSONDecoder().decode(Diagnostic.self, from: JSONEncoder().encode(d))
            #expect(decoded == d)
            #expect(String(decoding: try JSONEncoder().encode(d.code), as: UTF8.self) == "\"\(d.code.id)\"")
        }
    }

    struct Inspection: Decodable, Equatable {
        enum Framework: String, Decodable { case SIF, ILACS, SLAC, CPI, CPRI, TLAC }
        var authority: String
        var published: Date
        var inspected: Day?
        var overall: Rating?
        var framework: Framework
        var overallWording: String?

        enum CodingKeys: String, CodingKey {
            case authority, published, inspected, overall, framework
            case overallWording = "overall_text"
        }
    }

    @Test func rowsDecodeIntoTheHostsOwnTypes() throws {
        let t = try Engine().query("from inspections | where authority == \"Leeds\" | sort published | derive overall_text = overall | select authority, published, inspected, overall, framework, overall_text")
        let rows = try t.decode([Inspection].self)
        #expect(rows.count == t.rowCount && rows.count == 6)
        #expect(rows.first?.framework == .SLAC && rows.first?.overall == nil && rows.first?.inspected == nil)
        #expect(rows.last?.overall == .outstanding && rows.last?.overallWording == "Outstanding")
        #expect(rows.last?.inspected?.description == "2025-06-30")
        #expect(rows.last?.published == Day(year: 2025, month: 8, day: 12)?.date)

        struct Counts: Decodable { var region: String; var n: Int; var share: Double; var exact: Decimal }
        let c = try Engine().query("from authorities | count by region | derive share = n / 2, exact = n / 4 | sort region | take 1").decode([Counts].self)
        #expect(c.first?.region == "East Midlands" && c.first.map { Double($0.n) / 2 == $0.share } == true)
        #expect(c.first.map { $0.exact * 4 == Decimal($0.n) } == true)
    }

    /// The README's embedding example, as written there.
    @Test func theReadmesDecodingExample() throws {
        let engine = Engine()
        let table = try engine.query(#"from children_in_care | where authority == "Oxfordshire" | select year, children"#)
        struct Figure: Decodable { var year: Int; var children: Int? }
        let figures = try table.decode([Figure].self)
        #expect(figures.count == table.rowCount && figures.contains { $0.year == 2019 && $0.children == 779 })
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("struct Figure: Decodable { var year: Int; var children: Int? }\nlet figures = try table.decode([Figure].self)"))
    }

    @Test func aMismatchNamesTheRowAndColumn() throws {
        struct Wrong: Decodable { var authority: Int }
        struct Missing: Decodable { var nosuch: String }
        struct NotOptional: Decodable { var overall: Rating }
        let t = try Engine().query("from inspections | where authority == \"Leeds\" | sort published")
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch let e as DecodingError {
                switch e {
                case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): return c.debugDescription
                @unknown default: return ""
                }
            } catch { return "\(error)" }
        }
        #expect(message { _ = try t.decode([Wrong].self) } == "row 1, column 'authority': a whole number was wanted, found text \"Leeds\"")
        #expect(message { _ = try t.decode([Missing].self) }.hasPrefix("no column 'nosuch'; the columns are authority, authority_code"))
        #expect(message { _ = try t.decode([NotOptional].self) } == "row 1, column 'overall' is null: decode it as an optional")
    }

    @Test func errorsTellErrorsFromWarningsAndSayWhere() {
        do {
            _ = try Engine().query("from inspections\n| where region == \"Londn\"\n| where athority == 1")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.code.id) == ["IQL0201"])
            #expect(error.warnings.map(\.code.id) == ["IQL0701"])
            #expect(error.warnings.first.flatMap { error.location(of: $0) }.map { [$0.line, $0.column] } == [2, 19])
            let d = error.errors.first
            #expect(d.flatMap { error.location(of: $0) }.map { [$0.line, $0.column] } == [3, 9])
            #expect(error.localizedDescription == error.description)
            #expect(error.localizedDescription.contains("did you mean 'authority'?"))
        }
    }

    /// Notes under a result are data: a kind and the numbers the sentence states.
    @Test func notesAreStructured() throws {
        let engine = Engine()
        let avg = try engine.query("from children_in_care | where year == 2011 | summarize a = avg(rate_per_10k) by region")
        let nulls = try #require(avg.notes.first { $0.kind == .nullsLeftOut })
        #expect(nulls.counts == ["nulls": 151, "rows": 151])
        #expect(nulls.message == "avg(rate_per_10k) leaves out null values: 151 are null, of 151 rows")
        let kept = try engine.query("from inspections | where authority == \"Leeds\" and overall != inadequate | count")
        #expect(kept.notes.map(\.kind) == [.nullCondition])
        #expect(kept.notes.first?.counts == ["rows": 2, "column:overall": 2])
        let latest = try engine.query("from inspections | where framework in [\"SIF\", \"ILACS\"] | latest inspected by authority as of 2019-03-31 | count")
        let undated = try #require(latest.notes.first { $0.kind == .groupsWithoutTime })
        #expect((undated.counts["missing"] ?? 0) > 50 && (undated.counts["groups"] ?? 0) > 140)
        #expect(undated.message.hasPrefix("latest: \(undated.counts["missing"] ?? 0) of \(undated.counts["groups"] ?? 0) groups"))
        let back = try JSONDecoder().decode([ResultNote].self, from: JSONEncoder().encode(kept.notes))
        #expect(back == kept.notes)
    }

    @Test func renderingToBytes() throws {
        let t = try Engine().query("from authorities | where authority == \"Oldham\" | select authority, region")
        let data = OutputFormat.json.data(t)
        let parsed = try JSONSerialization.jsonObject(with: data) as? [[String: String]]
        #expect(parsed == [["authority": "Oldham", "region": "North West"]])
        #expect(String(decoding: OutputFormat.csv.data(t), as: UTF8.self) == OutputFormat.csv.render(t))
    }
}
