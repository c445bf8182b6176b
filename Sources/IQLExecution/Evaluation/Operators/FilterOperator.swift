import IQLCore
import IQLStorage
import IQLLanguage

extension FilterOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        try env.checkCancelled()
        let truth = try Truth.of(condition, over: input, env)
        let keep = truth.trueRows
        var out = keep.count == input.rowCount ? input : input.gathering(keep)
        if let note = nullNote(truth, input) { out.notes.append(note) }
        return out
    }

    /// Says how many rows the condition left out by being null rather than false, when a reader
    /// could expect them kept: `overall != inadequate` drops councils with no rating, which
    /// SQL's logic treats as unknown. A plain match (`==`, `in`, `like`, `contains`) is quiet: no
    /// one expects a row with no value to match one.
    private func nullNote(_ truth: Truth, _ input: Table) -> ResultNote? {
        let dropped = truth.isNull.reduce(0) { $0 + $1.nonzeroBitCount }
        guard dropped > 0, !condition.onlyMatches else { return nil }
        var read = Set<Int>()
        condition.addColumns(to: &read)
        // Which of the columns it reads are null on those rows, and on how many.
        var named: [(name: String, rows: Int)] = []
        for i in read.sorted() where i < input.columns.count {
            let column = input.columns[i]
            guard column.nullCount > 0 else { continue }
            var n = 0
            for (w, word) in truth.isNull.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    if column.isNull(w << 6 + bits.trailingZeroBitCount) { n += 1 }
                    bits &= bits - 1
                }
            }
            if n > 0 { named.append((input.schema.columns[i].name, n)) }
        }
        let rows = "\(dropped.formatted) row\(dropped == 1 ? "" : "s")"
        var note = "where leaves out \(rows) on which its condition is null, neither true nor false"
        var counts = ["rows": dropped]
        // Prefixed, so a column named `rows` cannot overwrite the count of rows left out.
        for c in named { counts["column:" + c.name] = c.rows }
        guard !named.isEmpty else { return ResultNote(.nullCondition, note, counts: counts) }
        let everywhere = named.filter { $0.rows == dropped }.map(\.name)
        var which: [String] = []
        if !everywhere.isEmpty {
            let names = everywhere.count == 1 ? everywhere[0]
                : everywhere.dropLast().joined(separator: ", ") + " and " + (everywhere.last ?? "")
            which.append("\(names) \(everywhere.count == 1 ? "is" : "are") null on \(dropped == 1 ? "it" : "all of them")")
        }
        for c in named where c.rows != dropped {
            which.append("\(c.name) \(which.isEmpty ? "is null " : "")on \(c.rows.formatted)")
        }
        let keep = named.map { "or \($0.name) is null" }.joined(separator: " ")
        note += " (" + which.joined(separator: ", ") + "): add `\(keep)` to keep them"
        return ResultNote(.nullCondition, note, counts: counts)
    }
}

extension CompiledExpression {
    /// Whether the condition only asks for rows that match a value (`==`, `in`, `like`,
    /// `contains` and their `and`/`or`), which a row with null in place of the value never
    /// could: such a filter's dropped nulls need no note.
    /// The scalar functions that only ask whether a text matches (a test keeps them in the catalogue).
    package static let matchFunctions: Set<String> = ["like", "ilike", "contains", "starts_with", "ends_with"]

    package var onlyMatches: Bool {
        switch shape {
        case .compare(.eq, _, _), .inList(_, _, negated: false), .member(_, of: _, negated: false):
            return true
        case .call(let name, _):
            return Self.matchFunctions.contains(name)
        case .and(let a, let b), .or(let a, let b):
            return a.onlyMatches && b.onlyMatches
        default:
            return false
        }
    }
}
