/// A name as written in source, with where it was written.
struct Name: Sendable, Hashable {
    var text: String
    var range: SourceRange
}

/// An expression node.
struct Expr: Sendable, Hashable {
    indirect enum Kind: Sendable, Hashable {
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

    var kind: Kind
    var range: SourceRange
}

enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not
}

enum BinaryOperator: String, Sendable, Hashable {
    case or, and
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }
}

/// `NAME = EXPR`, or a bare `EXPR` whose name is derived from it.
struct NamedExpr: Sendable, Hashable {
    var name: Name?
    var expr: Expr
}

struct SortKey: Sendable, Hashable {
    var expr: Expr
    var descending: Bool
}

/// One `| stage` of a pipeline.
struct Stage: Sendable, Hashable {
    /// Indirect, so a stage is a few words however many names its kind holds (inline, every
    /// stage took the room of a `chart`'s five names).
    indirect enum Kind: Sendable, Hashable {
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

    var kind: Kind
    /// The stage keyword, for messages about the stage as a whole.
    var keyword: Name
    var range: SourceRange
}

/// The picture a `chart` stage draws.
public enum ChartKind: String, Sendable, Hashable {
    case bar, line
}

/// `from NAME | stage | ...`.
struct Pipeline: Sendable, Hashable {
    var source: Name
    var stages: [Stage]
    var range: SourceRange
    /// A stage failed to parse: `stages` holds those before it, so they can still be checked.
    var truncated = false
}

/// One statement of a script.
struct Statement: Sendable, Hashable {
    /// Indirect, for the same reason as `Stage.Kind`.
    indirect enum Kind: Sendable, Hashable {
        case pipeline(Pipeline)
        case letTable(Name, Pipeline)
        case letValue(Name, Expr)
        case param(Name, default: Expr?)
        /// `assert CONDITION`: checked over the result of the pipeline above it.
        case assert(Expr)
    }

    var kind: Kind
    var range: SourceRange
    /// The comment on the line just above the statement, if any: a script's title for its result.
    var title: String?
}

/// A parsed script.
struct Script: Sendable, Hashable {
    var statements: [Statement]
}

/// Which rows a join keeps.
enum JoinKind: String, Sendable, Hashable {
    /// Each left row with each matching right row; left rows with no match are left out.
    case inner
    /// As inner, but a left row with no match is kept once, with nulls for the right columns.
    case left
    /// The left rows with no match, and only the left columns.
    case anti
}

/// One key pair of a join: `authority_code`, or `council == authority`.
struct JoinKey: Sendable, Hashable {
    var left: Name
    /// The right table's column, when it is named apart from the left one.
    var right: Name?
}
