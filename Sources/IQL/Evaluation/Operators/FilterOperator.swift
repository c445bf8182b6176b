/// `where`: keeps the rows whose condition is true (not false, not null).
struct FilterOperator: TableOperator {
    var condition: CompiledExpression

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let values = try Evaluating.column(condition, over: input, env)
        var keep: [Int] = []
        for (r, v) in values.enumerated() where v == .bool(true) { keep.append(r) }
        return keep.count == input.rowCount ? input : input.gathering(keep)
    }
}
