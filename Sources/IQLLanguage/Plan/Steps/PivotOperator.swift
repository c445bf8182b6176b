import IQLCore
import IQLStorage

/// `pivot COLUMN [VALUE]`: one row per combination of the other columns, one column per
/// distinct value of COLUMN (in order: years ascending), holding VALUE. Two rows for the same
/// cell are an error: the question is ambiguous until they are summarized.
package struct PivotOperator: Sendable {
    package var column: Int
    package var value: Int
    package var keys: [Int]
    /// The columns to make, in order, when the checker knew them (listed with `values`, or read
    /// from the rows when the query was checked); values of other heads are left out, though
    /// their rows' keys still make a row. Nil:
    /// one column per distinct value the rows hold, in order.
    package var heads: [Value]?
    /// The output schema: the keys, the memo `unpivot` reads, and the made columns when known.
    package var schema: Schema
    package var range: SourceRange

    /// The most columns a pivot makes.
    package static let maxColumns = 1000

    /// A column's distinct values in the order a pivot makes columns of them: ascending, null last.
    package static func distinctHeads(_ column: Column) -> [Value] {
        var seen: Set<Value> = []
        var heads: [Value] = []
        for r in 0..<column.count where seen.insert(column[r]).inserted { heads.append(column[r]) }
        return heads.sorted { a, b in a.isNull != b.isNull ? b.isNull : Value.orderedBefore(a, b) }
    }

    /// The made columns' names and type: each value as it is written ("2019", "null"), made
    /// unique against the key columns and each other with a trailing `_`.
    package static func headColumns(_ heads: [Value], after keys: [String], type: ValueType) -> [Schema.Field] {
        var used = Set(keys)
        return heads.map { h in
            var name = h.isNull ? "null" : h.displayText
            while !used.insert(name).inserted { name += "_" }
            return Schema.Field(name: name, type: type)
        }
    }

    package init(column: Int, value: Int, keys: [Int], heads: [Value]? = nil, schema: Schema, range: SourceRange) {
        self.column = column
        self.value = value
        self.keys = keys
        self.heads = heads
        self.schema = schema
        self.range = range
    }
}
