import IQLCore
import IQLStorage

/// `distinct`: the first row of each distinct combination of values, in input order. With
/// keys it keeps only the key columns; without, it compares whole rows. Rows are grouped as
/// `summarize … by` groups them (`Grouping`: on stored codes where the keys are columns), so
/// no row's values are built to compare it.
package struct DistinctOperator: Sendable {
    package var keys: [CompiledExpression]
    package var schema: Schema

    package init(keys: [CompiledExpression], schema: Schema) {
        self.keys = keys
        self.schema = schema
    }
}
