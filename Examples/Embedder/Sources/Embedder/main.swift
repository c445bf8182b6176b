import Foundation
import IQL

// A query on the bundled data, read as typed values.
let engine = Engine()
let table = try engine.query(#"from children_in_care | where authority == "Oxfordshire" | select year, children"#)
print(table[0, "year"]?.int ?? 0, table[0, "children"]?.int ?? 0)

// Rows decoded into the tool's own types; nulls become optionals.
struct Figure: Decodable { var year: Int; var children: Int? }
let figures = try table.decode([Figure].self)
check(figures.contains { $0.year == 2019 && $0.children == 779 }, "Oxfordshire had 779 children in care in 2019")

// Its own CSV file and an in-memory table, joined to bundled data, with a parameter.
var mine = Engine()
let csv = FileManager.default.temporaryDirectory.appendingPathComponent("embedder-visits-\(getpid()).csv")
try "council,visited\nOldham,2024-05-01\nLeeds,2024-06-12\n".write(to: csv, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(at: csv) }
try mine.registerCSV(atPath: csv.path, as: "visits_log")
let teams = try Table(schema: Schema(columns: [.init(name: "council", type: .text), .init(name: "team", type: .text)]),
                      rows: [["Oldham", "North"], ["Leeds", "North"]])
try mine.register(teams, as: "teams")
let joined = try mine.query("""
    param since = 2024-01-01
    from visits_log | where visited >= $since | join teams on council
    | join authorities on council == authority | select council, team, visited, region | sort council
    """, parameters: ["since": .date(Day(year: 2024, month: 6, day: 1) ?? Day(ordinal: 0))])
check(joined.rowCount == 1 && joined[0, "region"]?.string == "Yorkshire and The Humber", "one visit since June, in Leeds")
print(OutputFormat.csv.render(joined), terminator: "")

// Mistakes are diagnostics with a line, a column and a suggestion.
do {
    _ = try engine.query("from inspections\n| where athority == \"Oldham\"")
} catch {
    let d = error.errors[0]
    let at = error.location(of: d)
    check(d.code.id == "IQL0201" && d.suggestion == "authority" && at?.line == 2 && at?.column == 9, "a misspelt column")
}

// Sixteen queries at once from a task group, on one shared engine.
let counts = try await withThrowingTaskGroup(of: Int.self) { group in
    for year in 2010..<2026 {
        group.addTask { try await engine.query("from children_in_care | where year == \(year) | count")[0, "n"]?.int.map(Int.init) ?? 0 }
    }
    var all: [Int] = []
    for try await n in group { all.append(n) }
    return all
}
check(counts.count == 16 && counts.allSatisfy { $0 > 100 }, "sixteen concurrent counts")

// A cancelled task ends its query with a diagnostic; the engine carries on.
let slow = Task { try await engine.query("from indicators | join indicators on authority | count") }
slow.cancel()
do { _ = try await slow.value; check(false, "the cancelled query should not finish") } catch let e as IQLError {
    check(e.errors.first?.message.contains("cancelled") == true, "cancelled: \(e.errors.first?.message ?? "")")
}

// Limits bound what a query may make.
var limited = Engine()
limited.limits = EngineLimits(time: .seconds(5), rows: 1_000)
do { _ = try limited.query("from indicators | count by authority, measure"); check(false, "the row limit should stop it") } catch {
    check(error.errors.first?.code.id.hasPrefix("IQL05") == true, "a limit: \(error.errors.first?.message ?? "")")
}

// Completion and explain, as an editor would use them.
check(engine.completions(before: "from authorities | where reg").candidates.contains("region"), "completes a column")
let explanation = try engine.explain("from inspections | where overall == good | count by region")
check(explanation.pipelines.first?.steps.count == 3, "explain shows each stage")
print("embedder: all checks passed")

func check(_ condition: Bool, _ what: String) {
    guard condition else {
        FileHandle.standardError.write(Data("embedder: failed: \(what)\n".utf8))
        exit(1)
    }
}
