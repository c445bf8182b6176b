import IQLCore
/// A result or a dataset: typed columns of equal length, with a schema.
public struct Table: Sendable {
    /// Column names, types and the time column.
    public var schema: Schema
    /// The columns, in schema order.
    public private(set) var columns: [Column]
    /// Number of rows.
    public private(set) var rowCount: Int
    /// How the table was computed, where a reader could be misled otherwise: e.g. that an
    /// average left out null values. Shown under a rendered table.
    public var notes: [ResultNote] = []
    /// The picture a `chart` stage asked for; the rows are what it draws.
    public var chart: ChartSpec? {
        get { chartStorage.first }
        set { chartStorage = newValue.map { [$0] } ?? [] }
    }
    /// `chart`, out of line: most tables have none, and a table is copied into bindings and
    /// results; inline, the spec more than doubled its size.
    private var chartStorage: [ChartSpec] = []

    /// Makes a table; every column must have `rowCount` values.
    package init(schema: Schema, columns: [Column], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// Builds a table from rows of values, inferring nothing: `schema` gives the types.
    /// Throws IQL0612, naming the row and column, when a row's width does not match the
    /// schema or a value is not of its column's type (or null).
    public init(schema: Schema, rows: [[Value]]) throws(IQLError) {
        var cols = Array(repeating: [Value](), count: schema.columns.count)
        for (r, row) in rows.enumerated() {
            guard row.count == schema.columns.count else {
                throw IQLError([.error(.hostRowWidth(r + 1, row.count, columns: schema.columns.count),
                                       at: nil)], source: nil)
            }
            for (i, v) in row.enumerated() {
                let column = schema.columns[i]
                guard v.fits(column.type) else {
                    throw IQLError([.error(.hostValueType(r + 1, column: column.name, v.literalText, v.type, expected: column.type),
                                           at: nil)], source: nil)
                }
                cols[i].append(v)
            }
        }
        self.init(schema: schema, columns: cols.map(Column.init), rowCount: rows.count)
    }

    /// The rows, each as values in column order.
    public var rows: [[Value]] {
        (0..<rowCount).map { r in columns.map { $0[r] } }
    }

    /// About how many bytes the table's own values and row selections take, for the memory
    /// budget: columns that show rows of another table count only their selection, once.
    package var estimatedBytes: Int {
        var total = 0
        // Columns gathered together share one selection; it is counted once. Usually all
        // share one, held aside; a list (allocated) only for the others.
        var first: ObjectIdentifier?
        var others: [ObjectIdentifier] = []
        for c in columns {
            total &+= c.estimatedBytes
            guard let s = c.selection else { continue }
            let id = ObjectIdentifier(s)
            if first == nil {
                first = id
            } else if id == first || others.contains(id) {
                continue
            } else {
                others.append(id)
            }
            total &+= s.rows.count &* 8
        }
        return total
    }

    /// A table with one more column, or one column replaced, sharing the rest: how `derive`
    /// grows a table without copying every column for every item.
    package mutating func setColumn(_ column: Column, as schemaColumn: Schema.Field, at index: Int?) {
        if let index, columns.indices.contains(index) {
            columns[index] = column
            schema.columns[index] = schemaColumn
        } else {
            columns.append(column)
            schema.columns.append(schemaColumn)
        }
    }

    /// The column with this name.
    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    /// The table restricted to the given rows, in that order. No values are copied: each
    /// column becomes a view, and columns that shared a selection share the composed one.
    package func gathering(_ rows: [Int]) -> Table {
        let selection = Selection(rows)
        var composed: [ObjectIdentifier: Selection] = [:]
        let gathered = columns.map { column -> Column in
            guard let earlier = column.selection else { return column.gathering(selection) }
            let key = ObjectIdentifier(earlier)
            if composed[key] == nil { composed[key] = selection.composed(after: earlier) }
            return Column(viewing: column, count: rows.count, selection: composed[key])
        }
        return Table(schema: schema, columns: gathered, rowCount: rows.count)
    }
}
