import IQLCore
import IQLStorage
import IQLLanguage

extension SelectOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let columns = try items.map { try Evaluating.stored($0, over: input, env) }
        return Table(schema: schema, columns: columns, rowCount: input.rowCount)
    }
}
