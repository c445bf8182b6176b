import IQLCore
import IQLStorage

/// `select`: a new table of the given expressions.
package struct SelectOperator: Sendable {
    package var items: [CompiledExpression]
    package var schema: Schema

    package init(items: [CompiledExpression], schema: Schema) {
        self.items = items
        self.schema = schema
    }
}
