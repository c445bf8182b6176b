/// One column of values, all of the column's type or null.
///
/// Storage is private so the engine can change how it holds values without touching callers.
public struct Column: Sendable {
    private var storage: [Value]

    /// Makes a column from values.
    public init(_ values: [Value]) { storage = values }

    /// Number of rows.
    public var count: Int { storage.count }

    /// The value at a row.
    public subscript(row: Int) -> Value { storage[row] }

    /// All values, in row order.
    public var values: [Value] { storage }

    /// The values at the given rows, in that order.
    func gathering(_ rows: [Int]) -> Column {
        Column(rows.map { storage[$0] })
    }

    mutating func append(_ value: Value) { storage.append(value) }
}
