import IQLCore
import IQLStorage
import IQLLanguage
/// Helpers the operators share for evaluating compiled expressions over a table.
package enum Evaluating {
    /// Evaluates an expression at every row: a column at a time (`VectorEvaluator`), or row by
    /// row where it reads a window's neighbours.
    package static func column(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment,
                       window: WindowLinks? = nil) throws -> [Value] {
        if let c = e.constant { return Array(repeating: c, count: table.rowCount) }
        if window == nil, env.vectorised {
            return try VectorEvaluator(table: table, environment: env).evaluate(e).values(count: table.rowCount)
        }
        return try rowByRow(e, over: table, env, window: window)
    }

    /// Evaluates an expression's closure at every row, checking for cancellation every few
    /// thousand rows: the path for what has no kernel.
    package static func rowByRow(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment,
                         window: WindowLinks? = nil) throws -> [Value] {
        if let c = e.constant { return Array(repeating: c, count: table.rowCount) }
        var ctx = RowContext(table: table, environment: env, window: window)
        var out: [Value] = []
        out.reserveCapacity(table.rowCount)
        let evaluate = e.evaluate
        for r in 0..<table.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            ctx.row = r
            out.append(try evaluate(ctx))
        }
        return out
    }

    /// An expression's values as a column: a plain column reference shares the input's column
    /// (a selection of the same storage) instead of copying every value.
    package static func stored(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment,
                       window: WindowLinks? = nil) throws -> Column {
        if case .column(let i) = e.shape, table.columns.indices.contains(i) { return table.columns[i] }
        if window == nil, env.vectorised, e.constant == nil {
            let evaluator = VectorEvaluator(table: table, environment: env)
            if let column = evaluator.storedByDistinctValues(e) { return column }
            if BlockEvaluation.applies(e, over: table) { return try BlockEvaluation.column(e, over: table, env) }
            return try evaluator.evaluate(e).column(count: table.rowCount)
        }
        return Column(try column(e, over: table, env, window: window))
    }

    /// Groups rows by their key values: each group's rows in input order, groups in key order
    /// (nulls last) so grouped output reads naturally and never depends on hashing.
    package static func groups(_ keys: [CompiledExpression], over table: Table, _ env: RuntimeEnvironment) throws -> [(key: [Value], rows: [Int])] {
        let keyColumns = try keys.map { try column($0, over: table, env) }
        var index: [[Value]: Int] = [:]
        var groups: [(key: [Value], rows: [Int])] = []
        for r in 0..<table.rowCount {
            let key = keyColumns.map { $0[r] }
            if let g = index[key] {
                groups[g].rows.append(r)
            } else {
                index[key] = groups.count
                groups.append((key, [r]))
            }
        }
        groups.sort { a, b in
            for (x, y) in zip(a.key, b.key) where x != y { return Value.orderedBefore(x, y) }
            return false
        }
        return groups
    }
}
