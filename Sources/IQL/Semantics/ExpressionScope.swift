/// Where an expression is being checked: which columns it may read and which calls it may make.
struct ExpressionScope {
    enum Mode {
        /// Per-row expressions: `where`, `select`, `sort`, keys.
        case row
        /// `derive`: per row, and `previous`/`next` may look at neighbouring rows.
        case window
        /// `summarize` items: aggregates, and columns only when they are `by` keys.
        case summarize(keys: Set<String>)
        /// `assert`: aggregates over the whole result above; columns only inside them.
        case assertion
        /// No table at all: `let` values, parameter defaults, `take`, `as of`.
        case constant
    }

    var schema: Schema?
    /// The table's name in messages ("no column 'x' in inspections").
    var table: String
    var mode: Mode

    static let constant = ExpressionScope(schema: nil, table: "", mode: .constant)

    static func row(_ schema: Schema, _ table: String) -> ExpressionScope {
        ExpressionScope(schema: schema, table: table, mode: .row)
    }
}

/// An aggregate call found while compiling a `summarize` item.
struct AggregateCall: Sendable {
    var function: Aggregate
    var argument: CompiledExpression?
    var range: SourceRange
    /// The call as written, for messages such as a failed assertion's.
    var text = ""
}
