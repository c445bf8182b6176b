import IQLCore
import IQLStorage
/// A name as written in source, with where it was written.
package struct Name: Sendable, Hashable {
    package var text: String
    package var range: SourceRange
}

/// An expression node.
package struct Expr: Sendable, Hashable {
    package indirect enum Kind: Sendable, Hashable {
        /// A column or a `let` value; `qualifier` is set for `table.column`.
        case name(Name, qualifier: Name?)
        case literal(Value)
        case parameter(Name)
        case list([Expr])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case inList(Expr, Expr, negated: Bool)
        case isNull(Expr, negated: Bool)
        case call(Name, [Expr])
        /// A literal the lexer or parser already reported as bad; checking it adds nothing.
        case invalid
    }

    package var kind: Kind
    package var range: SourceRange
}

package enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not
}

/// `NAME = EXPR`, or a bare `EXPR` whose name is derived from it.
package struct NamedExpr: Sendable, Hashable {
    package var name: Name?
    package var expr: Expr
}

package struct SortKey: Sendable, Hashable {
    package var expr: Expr
    package var descending: Bool
}

/// One `| stage` of a pipeline.
package struct Stage: Sendable, Hashable {
    /// Indirect, so a stage is a few words however many names its kind holds (inline, every
    /// stage took the room of a `chart`'s five names).
    package indirect enum Kind: Sendable, Hashable {
        case `where`(Expr)
        case select([NamedExpr])
        case derive([NamedExpr], by: [NamedExpr])
        case sort([SortKey])
        case take(Expr)
        case count(by: [NamedExpr])
        case summarize([NamedExpr], by: [NamedExpr])
        case distinct([NamedExpr])
        /// `join [left|anti] TABLE on KEY [== KEY], …`: each pair is a left column and, when it
        /// has another name there, the right table's column.
        case join(kind: JoinKind, table: Name, keys: [JoinKey])
        case latest(column: Name?, by: [NamedExpr], asOf: Expr?)
        /// `rank VALUE [asc|desc] [by KEYS]`: 1 is the best; nil direction follows the measure.
        case rank(Expr, descending: Bool?, by: [NamedExpr])
        /// `quartile VALUE [asc|desc] [by KEYS]`: bands A (best) to D.
        case quartile(Expr, descending: Bool?, by: [NamedExpr])
        /// `compare [VALUE] with neighbours, region, england`.
        case compare(value: Name?, with: [Name])
        /// `pivot COLUMN [VALUE]`: one column per distinct value of COLUMN.
        case pivot(column: Name, value: Name?, values: Expr?)
        /// `unpivot [COLUMNS] [into NAME, VALUE]`: columns back into rows.
        case unpivot(columns: [Name], nameColumn: Name?, valueColumn: Name?)
        /// `chart bar LABEL VALUE` / `chart line X VALUE [by SERIES]`, optionally `to "FILE.svg"`.
        case chart(ChartKind, x: Name, y: Name, series: Name?, file: Expr?)
        /// `diff NAME on KEYS`: rows added, removed and changed against a `let` table.
        case diff(table: Name, keys: [Name])
    }

    package var kind: Kind
    /// The stage keyword, for messages about the stage as a whole.
    package var keyword: Name
    package var range: SourceRange
}


/// `from NAME | stage | ...`.
package struct Pipeline: Sendable, Hashable {
    package var source: Name
    package var stages: [Stage]
    package var range: SourceRange
    /// A stage failed to parse: `stages` holds those before it, so they can still be checked.
    package var truncated = false
}

/// One statement of a script.
package struct Statement: Sendable, Hashable {
    /// Indirect, for the same reason as `Stage.Kind`.
    package indirect enum Kind: Sendable, Hashable {
        case pipeline(Pipeline)
        case letTable(Name, Pipeline)
        case letValue(Name, Expr)
        case param(Name, default: Expr?)
        /// `assert CONDITION`: checked over the result of the pipeline above it.
        case assert(Expr)
    }

    package var kind: Kind
    package var range: SourceRange
    /// The comment on the line just above the statement, if any: a script's title for its result.
    package var title: String?
}

/// A parsed script.
package struct Script: Sendable, Hashable {
    package var statements: [Statement]

    package init(statements: [Statement]) {
        self.statements = statements
    }
}

/// Which rows a join keeps.
package enum JoinKind: String, Sendable, Hashable {
    /// Each left row with each matching right row; left rows with no match are left out.
    case inner
    /// As inner, but a left row with no match is kept once, with nulls for the right columns.
    case left
    /// The left rows with no match, and only the left columns.
    case anti
}

/// One key pair of a join: `authority_code`, or `council == authority`.
package struct JoinKey: Sendable, Hashable {
    package var left: Name
    /// The right table's column, when it is named apart from the left one.
    package var right: Name?
}
