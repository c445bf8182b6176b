/// `derive`: adds (or replaces) columns one after another, so later items can use earlier
/// ones; `previous`/`next` read neighbouring rows of the same `by` group in time order.
struct DeriveOperator: TableOperator {
    struct Item: Sendable {
        var expression: CompiledExpression
        /// The column it replaces, or nil to append.
        var replacing: Int?
        /// Its name and type in the output; each item holds one column, not the whole schema,
        /// so ten thousand items take ten thousand columns, not a hundred million.
        var column: Schema.Column
    }

    var items: [Item]
    var keys: [CompiledExpression]
    /// Index of the time column in the input, when a window function needs it.
    var timeColumn: Int?

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let window = try timeColumn.map { try links(input, timeColumn: $0, env) }
        try env.budget.reserve(input.rowCount &* items.count &* 8, for: "derive of \(items.count) columns")
        var table = input
        for (k, item) in items.enumerated() {
            if k % 256 == 255 { try env.checkCancelled() }
            let values = try Evaluating.stored(item.expression, over: table, env, window: window)
            table.setColumn(values, as: item.column, at: item.replacing)
        }
        return table
    }

    private func links(_ table: Table, timeColumn: Int, _ env: RuntimeEnvironment) throws -> WindowLinks {
        var previous = [Int?](repeating: nil, count: table.rowCount)
        var next = [Int?](repeating: nil, count: table.rowCount)
        let time = table.columns[timeColumn]
        for group in try Evaluating.groups(keys, over: table, env) {
            // Stable: rows with equal times keep their input order; rows with no time come last.
            let ordered = group.rows.enumerated().sorted { a, b in
                let x = time[a.element], y = time[b.element]
                if x != y { return Value.orderedBefore(x, y) }
                return a.offset < b.offset
            }.map(\.element)
            for (i, r) in ordered.enumerated() {
                if i > 0 { previous[r] = ordered[i - 1] }
                if i + 1 < ordered.count { next[r] = ordered[i + 1] }
            }
        }
        return WindowLinks(previous: previous, next: next)
    }
}
