/// `where`: keeps the rows whose condition is true (not false, not null), as a selection of
/// the input's rows rather than a copy.
struct FilterOperator: TableOperator {
    var condition: CompiledExpression

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        try env.checkCancelled()
        let truth = try Truth.of(condition, over: input, env)
        let keep = truth.trueRows
        return keep.count == input.rowCount ? input : input.gathering(keep)
    }
}
