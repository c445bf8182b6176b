/// `sort`: a stable sort on the keys; nulls come last whichever the direction.
struct SortOperator: TableOperator {
    var keys: [(expression: CompiledExpression, descending: Bool)]

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let columns = try keys.map { try Evaluating.column($0.expression, over: input, env) }
        let directions = keys.map(\.descending)
        let order = (0..<input.rowCount).sorted { a, b in
            for (k, column) in columns.enumerated() {
                let x = column[a], y = column[b]
                if x == y { continue }
                if x.isNull { return false }
                if y.isNull { return true }
                return directions[k] ? Value.orderedBefore(y, x) : Value.orderedBefore(x, y)
            }
            return a < b
        }
        return input.gathering(order)
    }
}
