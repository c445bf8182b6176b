import IQLCore
import IQLStorage
import IQLLanguage

extension TakeOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let limit = try self.limit(env)
        if limit >= input.rowCount { return input }
        return input.gathering(Array(0..<limit))
    }

    /// The number of rows to keep.
    package func limit(_ env: RuntimeEnvironment) throws -> Int {
        let v = try count.evaluate(RowContext(table: .singleEmptyRow, environment: env))
        guard case .number(let n) = v, let limit = n.exactInteger, limit >= 0 else {
            throw Diagnostic.error(.takeCount(v.literalText),
                                   at: count.range)
        }
        return Int(clamping: limit)
    }
}
