import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// What an expression compiled to SQL can refer to: the input's columns by position, and in
/// a `summarize` the group's aggregates, in a `derive` the window's partition and order.
struct SQLScope {
    struct Window {
        var partition: [String]
        /// The time column, when the derive has one.
        var time: String?
    }

    /// The input's columns, quoted.
    var columns: [String]
    /// The SQL of each aggregate of the stage, by index.
    var aggregates: [String]?
    /// For each key of a `summarize`, the input column it is (or -1 for a computed key).
    var groupKeys: [Int]?
    var window: Window?
    /// The column holding IQL's row order (for `first`, `last` and the windows' ties).
    var order = ""

    init(columns: [String]) {
        self.columns = columns
    }
}
