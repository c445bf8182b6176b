import IQLCore
import IQLStorage

/// `join`: pairs each left row with the right rows whose keys are all equal. An inner join
/// drops left rows with no match; a left join keeps them with nulls; an anti join keeps only
/// them. Null keys match nothing. Text keys that name a council match it by any spelling.
package struct JoinOperator: Sendable {
    /// A left column and the right column it must equal.
    package struct KeyPair: Sendable, Equatable {
        package var left: Int
        package var right: Int
        /// The right key's name, for a printed plan.
        package var rightName: String

        package init(left: Int, right: Int, rightName: String) {
            self.left = left
            self.right = right
            self.rightName = rightName
        }
    }

    package var right: PipelinePlan.Source
    package var keys: [KeyPair]
    package var kind: JoinKind
    /// Right-side columns carried into the output, in order (a key of the same name is not
    /// repeated); none for an anti join.
    package var rightColumns: [Int]
    package var schema: Schema

    package var isLeft: Bool { kind == .left }
    // The one-key paths below read the first pair.
    package var leftKey: Int { keys[0].left }
    package var rightKey: Int { keys[0].right }

    package init(right: PipelinePlan.Source, keys: [KeyPair], kind: JoinKind, rightColumns: [Int], schema: Schema) {
        self.right = right
        self.keys = keys
        self.kind = kind
        self.rightColumns = rightColumns
        self.schema = schema
    }
}
