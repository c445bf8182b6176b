import IQLCore
import IQLStorage

/// `count` and `summarize`: one row per group of equal keys, in key order, with the keys
/// followed by the aggregates. With no keys, one row for the whole table (even an empty one).
package struct AggregateOperator: Sendable {
    package var keys: [CompiledExpression]
    package var aggregates: [AggregateCall]
    /// The output columns after the keys, evaluated once per group.
    package var items: [CompiledExpression]
    package var schema: Schema

    package init(keys: [CompiledExpression], aggregates: [AggregateCall], items: [CompiledExpression], schema: Schema) {
        self.keys = keys
        self.aggregates = aggregates
        self.items = items
        self.schema = schema
    }
}
