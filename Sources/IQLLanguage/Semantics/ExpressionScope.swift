import IQLCore
import IQLStorage
/// Where an expression is being checked: which columns it may read and which calls it may make.
package struct ExpressionScope {
    package enum Mode {
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

    package var schema: Schema?
    /// The table's name in messages ("no column 'x' in inspections").
    package var table: String
    package var mode: Mode

    package static let constant = ExpressionScope(schema: nil, table: "", mode: .constant)

    package static func row(_ schema: Schema, _ table: String) -> ExpressionScope {
        ExpressionScope(schema: schema, table: table, mode: .row)
    }
}

/// An aggregate call found while compiling a `summarize` item.
package struct AggregateCall: Sendable {
    package var function: Aggregate
    package var argument: CompiledExpression?
    package var range: SourceRange
    /// The call as written, for messages such as a failed assertion's.
    package var text = ""

    package init(function: Aggregate, argument: CompiledExpression?, range: SourceRange, text: String = "") {
        self.text = text
        self.function = function
        self.argument = argument
        self.range = range
    }
}
