import IQLCore
import IQLStorage

/// `sort`: a stable sort on the keys; nulls come last whichever the direction.
package struct SortOperator: Sendable {
    package var keys: [(expression: CompiledExpression, descending: Bool)]

    package init(keys: [(expression: CompiledExpression, descending: Bool)]) {
        self.keys = keys
    }
}

/// `sort KEYS | take N`: the first N rows of the stable sort, found in one pass without
/// sorting the rest.
package struct TopKOperator: Sendable {
    package var keys: [(expression: CompiledExpression, descending: Bool)]
    package var take: TakeOperator

    package init(keys: [(expression: CompiledExpression, descending: Bool)], take: TakeOperator) {
        self.keys = keys
        self.take = take
    }
}
