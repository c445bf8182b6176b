import IQLCore
import IQLStorage

/// `diff NAME on KEYS`: the current rows against an earlier table, matched by key. Rows only in
/// the current table are `added`, only in the earlier one `removed`, in both with any other
/// shared column different `changed`, each with the old and new values; unchanged rows are left
/// out and counted in a note.
package struct DiffOperator: Sendable {
    package var other: PipelinePlan.Source
    package var keys: [(current: Int, old: Int)]
    package var compared: [(current: Int, old: Int)]
    package var schema: Schema
    package var range: SourceRange

    package init(other: PipelinePlan.Source, keys: [(current: Int, old: Int)], compared: [(current: Int, old: Int)], schema: Schema, range: SourceRange) {
        self.other = other
        self.keys = keys
        self.compared = compared
        self.schema = schema
        self.range = range
    }
}
