/// The shape of a table: its columns in order, their types, and which column (if any) is its
/// time column, the one `latest` and `previous`/`next` order by when none is named.
public struct Schema: Sendable, Hashable {
    /// One column's name and type (the values are a table's `Column`).
    public struct Field: Sendable, Hashable {
        /// The column's name as queries write it.
        public var name: String
        /// The column's type.
        public var type: ValueType
        /// A one-line description, for bundled datasets.
        public var summary: String?
        /// The dataset column this one comes from unchanged, so literal checks can read its values.
        package var origin: Origin?

        /// Makes a column description.
        public init(name: String, type: ValueType, summary: String? = nil) {
            self.name = name
            self.type = type
            self.summary = summary
        }
    }

    /// Where a column's values come from, for the check that a text literal matches real values.
    package struct Origin: Sendable, Hashable {
        package var dataset: String
        package var column: String

        package init(dataset: String, column: String) {
            self.dataset = dataset
            self.column = column
        }
    }

    /// The columns, in order.
    public var columns: [Field]
    /// The name of the time column, if the table has one.
    public var timeColumn: String?
    /// Set by `pivot`: the columns it made are known only when it runs, and `unpivot` reads
    /// this to turn them back into rows.
    package var pivot: Pivot? {
        get { pivotStorage.first }
        set { pivotStorage = newValue.map { [$0] } ?? [] }
    }
    /// `pivot`, out of line: held inline it made every schema (and every plan node, which
    /// holds one) four times the size, and plans are copied as they are optimised.
    private var pivotStorage: [Pivot] = []

    /// What a `pivot` consumed: the rows' key columns, the column whose values became column
    /// names, and the column of values.
    package struct Pivot: Sendable, Hashable {
        package var keys: [String]
        package var column: Field
        package var value: Field
        /// Whether the checker knew the columns it made (listed, or read from the rows).
        package var headsKnown = false

        package init(keys: [String], column: Field, value: Field, headsKnown: Bool = false) {
            self.keys = keys
            self.column = column
            self.value = value
            self.headsKnown = headsKnown
        }
    }

    /// Makes a schema.
    public init(columns: [Field], timeColumn: String? = nil) {
        self.columns = columns
        self.timeColumn = timeColumn
    }

    /// The index of the column with this name.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// Column names in order.
    public var names: [String] { columns.map(\.name) }
}
