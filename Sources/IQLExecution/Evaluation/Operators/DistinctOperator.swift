import IQLCore
import IQLStorage
import IQLLanguage

extension DistinctOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let whole = keys.isEmpty
        let keyExpressions = whole
            ? input.schema.columns.enumerated().map { i, column in
                CompiledExpression.column(i, type: column.type, range: SourceRange(start: 0, end: 0))
            }
            : keys
        let grouping = try Grouping.make(keyExpressions, over: input, env)
        let rows = Selection(grouping.firstRow)
        if whole {
            return Table(schema: schema, columns: input.columns.map { $0.gathering(rows) }, rowCount: rows.rows.count)
        }
        let columns = try keys.map { try Evaluating.stored($0, over: input, env).gathering(rows) }
        return Table(schema: schema, columns: columns, rowCount: rows.rows.count)
    }
}
