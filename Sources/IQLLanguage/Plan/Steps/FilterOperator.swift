import IQLCore
import IQLStorage

/// `where`: keeps the rows whose condition is true (not false, not null), as a selection of
/// the input's rows rather than a copy.
package struct FilterOperator: Sendable {
    package var condition: CompiledExpression

    package init(condition: CompiledExpression) {
        self.condition = condition
    }
}
