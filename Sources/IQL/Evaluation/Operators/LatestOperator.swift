/// `latest COLUMN by KEYS as of DATE`: for each group, the row with the greatest COLUMN not
/// after DATE. Rows with no value in COLUMN never count. Ties keep the row that comes last in
/// the input, as the most recent entry of a time-ordered source would.
struct LatestOperator: TableOperator {
    var column: Int
    var keys: [CompiledExpression]
    var asOf: CompiledExpression?

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let limit = try asOf.map { try $0.evaluate(RowContext(table: .singleEmptyRow, environment: env)) }
        if let limit, limit.isNull {
            throw Diagnostic.error(.runtime, "'as of' needs a value, found null", at: asOf?.range)
        }
        let time = input.columns[column]
        var keep: [Int] = []
        for group in try Evaluating.groups(keys, over: input, env) {
            var best: Int?
            for r in group.rows {
                let t = time[r]
                if t.isNull { continue }
                if let limit, Value.orderedBefore(limit, t) { continue }
                if let b = best, Value.orderedBefore(t, time[b]) { continue }
                best = r
            }
            if let best { keep.append(best) }
        }
        return input.gathering(keep)
    }
}
