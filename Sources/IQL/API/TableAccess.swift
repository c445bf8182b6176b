import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Reading a result by row and column name, as a host does with a query's answer.
extension Table {
    /// The value at `row` in the column named `column`; nil if there is no such column or the
    /// row is out of range (never a trap).
    public subscript(row: Int, column: String) -> Value? {
        guard row >= 0, row < rowCount, let c = self.column(named: column) else { return nil }
        return c[row]
    }

    /// The column named `name` (exactly as the schema spells it), as a collection of values.
    public func column(_ name: String) -> Column? { column(named: name) }

    /// The column names, in order.
    public var columnNames: [String] { schema.names }
}

/// A column is a random-access collection of its values: `for v in column`, `column.map(\.int)`,
/// `column[0]`.
extension Column: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
}
