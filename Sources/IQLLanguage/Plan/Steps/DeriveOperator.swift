import IQLCore
import IQLStorage

/// `derive`: adds (or replaces) columns one after another, so later items can use earlier
/// ones; `previous`/`next` read neighbouring rows of the same `by` group in time order.
package struct DeriveOperator: Sendable {
    package struct Item: Sendable {
        package var expression: CompiledExpression
        /// The column it replaces, or nil to append.
        package var replacing: Int?
        /// Its name and type in the output; each item holds one column, not the whole schema,
        /// so ten thousand items take ten thousand columns, not a hundred million.
        package var column: Schema.Field

        package init(expression: CompiledExpression, replacing: Int? = nil, column: Schema.Field) {
            self.expression = expression
            self.replacing = replacing
            self.column = column
        }
    }

    package var items: [Item]
    package var keys: [CompiledExpression]
    /// Index of the time column in the input, when a window function needs it.
    package var timeColumn: Int?

    package init(items: [Item], keys: [CompiledExpression], timeColumn: Int? = nil) {
        self.items = items
        self.keys = keys
        self.timeColumn = timeColumn
    }
}
