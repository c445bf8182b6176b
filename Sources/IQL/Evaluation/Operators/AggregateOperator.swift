/// `count` and `summarize`: one row per group of equal keys, in key order, with the keys
/// followed by the aggregates. With no keys, one row for the whole table (even an empty one).
struct AggregateOperator: TableOperator {
    var keys: [CompiledExpression]
    var aggregates: [AggregateCall]
    /// The output columns after the keys, evaluated once per group.
    var items: [CompiledExpression]
    var schema: Schema

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        var groups = try Evaluating.groups(keys, over: input, env)
        if keys.isEmpty && groups.isEmpty { groups = [([], [])] }
        let arguments = try aggregates.map { call in try call.argument.map { try Evaluating.column($0, over: input, env) } }
        var output = Array(repeating: [Value](), count: keys.count + items.count)
        for group in groups {
            try env.checkCancelled()
            var results: [Value] = []
            for (i, call) in aggregates.enumerated() {
                let values = arguments[i].map { column in group.rows.map { column[$0] } }
                results.append(try call.function.compute(values, rowCount: group.rows.count, at: call.range))
            }
            for (k, v) in group.key.enumerated() { output[k].append(v) }
            // Items may read key columns, which are the same on every row of the group. A group
            // with no rows only happens without keys, so its items read nothing but aggregates.
            let ctx = group.rows.isEmpty
                ? RowContext(table: .singleEmptyRow, environment: env, aggregates: results)
                : RowContext(table: input, environment: env, row: group.rows[0], aggregates: results)
            for (j, item) in items.enumerated() {
                output[keys.count + j].append(try item.evaluate(ctx))
            }
        }
        return Table(schema: schema, columns: output.map(Column.init), rowCount: groups.count)
    }
}
