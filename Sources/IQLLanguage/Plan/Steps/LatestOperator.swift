import IQLCore
import IQLStorage

/// `latest COLUMN by KEYS as of DATE`: for each group, the row with the greatest COLUMN not
/// after DATE. Rows with no value in COLUMN never count. Ties keep the row that comes last in
/// the input, as the most recent entry of a time-ordered source would. Groups come out in key order.
package struct LatestOperator: Sendable {
    package var column: Int
    package var keys: [CompiledExpression]
    package var asOf: CompiledExpression?
    /// False when the next stage does not depend on the order of its rows (a `count`, say):
    /// the rows then come out in the input's order, which the next stage reads without jumping
    /// about the columns. Set by the `latest-input-order` pass, never by the user.
    package var keyOrder = true

    package init(column: Int, keys: [CompiledExpression], asOf: CompiledExpression? = nil) {
        self.column = column
        self.keys = keys
        self.asOf = asOf
    }
}
