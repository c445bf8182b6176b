import IQLCore
import IQLStorage

/// `unpivot`: columns back into rows, one row per former column, with its name and value.
/// After a `pivot` it needs no arguments and restores the names' type (years as numbers).
package struct UnpivotOperator: Sendable {
    /// The columns to turn into rows; nil for every column `pivot` made.
    package var columns: [String]?
    package var keys: [String]
    package var nameType: ValueType
    package var schema: Schema
    package var range: SourceRange

    package init(columns: [String]? = nil, keys: [String], nameType: ValueType, schema: Schema, range: SourceRange) {
        self.columns = columns
        self.keys = keys
        self.nameType = nameType
        self.schema = schema
        self.range = range
    }
}
