import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// The SQL a query compiles to: PostgreSQL's (and so Citus's and the managed PostgreSQL
/// services'), or DuckDB's (for Parquet and CSV files on one machine). docs/sql.md says where
/// the two differ and how IQL's meaning is kept in each.
public enum SQLDialect: String, Sendable, CaseIterable {
    case postgres
    case duckdb

    /// The type a double is cast to.
    var doubleType: String { self == .postgres ? "DOUBLE PRECISION" : "DOUBLE" }

    /// The expression that numbers a table's rows in their stored order, which IQL keeps
    /// wherever a query does not sort: DuckDB's `rowid` is insertion order. A PostgreSQL heap
    /// has no such order (COPY puts a later short row into an earlier page's free space: the
    /// bundled inspections came back with a row 32 places early), so a table carries its order
    /// in a column, which `exportSQL` writes.
    var rowOrder: String { self == .postgres ? "\"\(Self.orderColumn)\"" : "rowid" }

    /// The column of a PostgreSQL table that holds each row's place, 1 first.
    static let orderColumn = "iql_row"

    /// Text compared byte by byte, as IQL compares it: PostgreSQL's default collation follows
    /// the locale (where "a" < "B"); DuckDB's is already binary.
    func binary(_ sql: String) -> String { self == .postgres ? "(\(sql) COLLATE \"C\")" : sql }
}
