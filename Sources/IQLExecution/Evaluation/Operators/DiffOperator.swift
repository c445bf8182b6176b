import IQLCore
import IQLStorage
import IQLLanguage

extension DiffOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let old = try env.table(other)
        func index(_ t: Table, _ pick: ((current: Int, old: Int)) -> Int, _ what: String) throws -> [[Value]: Int] {
            var out: [[Value]: Int] = [:]
            for r in 0..<t.rowCount {
                let key = keys.map { t.columns[pick($0)][r] }
                if out.updateValue(r, forKey: key) != nil {
                    throw Diagnostic.error(.diffTwoRows(what, key.map(\.literalText).joined(separator: ", ")),
                                           at: range, notes: ["diff needs keys that pick out one row in each table"])
                }
            }
            return out
        }
        let now = try index(input, \.current, "the current result")
        let before = try index(old, \.old, other.name)
        var allKeys = Set(now.keys).union(before.keys).sorted { a, b in
            for (x, y) in zip(a, b) where x != y {
                return x.isNull != y.isNull ? y.isNull : Value.orderedBefore(x, y)
            }
            return false
        }
        var rows: [[Value]] = []
        var added = 0, removed = 0, changed = 0, same = 0
        for key in allKeys {
            try env.checkCancelled()
            let n = now[key], o = before[key]
            var change: String
            switch (n, o) {
            case (_?, nil): change = "added"; added += 1
            case (nil, _?): change = "removed"; removed += 1
            default:
                guard let n, let o else { continue }
                let differs = compared.contains { input.columns[$0.current][n] != old.columns[$0.old][o] }
                if !differs { same += 1; continue }
                change = "changed"; changed += 1
            }
            var row = key + [.text(change)]
            for c in compared {
                row.append(o.map { old.columns[c.old][$0] } ?? .null)
                row.append(n.map { input.columns[c.current][$0] } ?? .null)
            }
            rows.append(row)
        }
        allKeys = []
        var columns = Array(repeating: [Value](), count: schema.columns.count)
        for row in rows { for (i, v) in row.enumerated() where i < columns.count { columns[i].append(v) } }
        var t = Table(schema: schema, columns: columns.map(Column.init), rowCount: rows.count)
        t.notes.append(note(added: added, removed: removed, changed: changed, unchanged: same))
        return t
    }

    /// The note under the result: how many rows of each kind, the unchanged ones not shown.
    package func note(added: Int, removed: Int, changed: Int, unchanged: Int) -> ResultNote {
        ResultNote(.diffSummary, "diff against \(other.name): \(added) added, \(removed) removed, \(changed) changed, \(unchanged) unchanged (not shown)",
                   counts: ["added": added, "removed": removed, "changed": changed, "unchanged": unchanged])
    }
}
