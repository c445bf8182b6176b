import IQLCore
import IQLStorage

/// `take N`: the first N rows.
package struct TakeOperator: Sendable {
    package var count: CompiledExpression

    package init(count: CompiledExpression) {
        self.count = count
    }
}
