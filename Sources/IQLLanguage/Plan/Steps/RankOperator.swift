import IQLCore
import IQLStorage

/// `rank` and `quartile`: each row's place among the rows of its group by a value, 1 the best,
/// ties sharing the best place (1, 2, 2, 4); quartile bands A (best) to D from that place.
/// Which end is best is the stage's `asc`/`desc`, or else whether the measure is better high
/// or low (the `higher_is_better` column of `measures`), or else the highest value.
package struct RankOperator: Sendable {
    package enum Output: String, Sendable { case rank, quartile }

    package var value: CompiledExpression
    package var descending: Bool?
    package var keys: [CompiledExpression]
    /// The input's `measure` column, whose polarity decides the direction when none is given.
    package var measureColumn: Int?
    package var output: Output
    package var schema: Schema

    package init(value: CompiledExpression, descending: Bool? = nil, keys: [CompiledExpression], measureColumn: Int? = nil, output: Output, schema: Schema) {
        self.value = value
        self.descending = descending
        self.keys = keys
        self.measureColumn = measureColumn
        self.output = output
        self.schema = schema
    }
}
