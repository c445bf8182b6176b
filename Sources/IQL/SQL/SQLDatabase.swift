import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// A SQL database that an engine made with `Engine(database:)` runs its queries in: its
/// tables and views are the datasets, and each pipeline is compiled to the database's SQL and
/// run there. This module knows no client library; `IQLPostgres` provides PostgreSQL's
/// (through libpq), and a host may provide another.
///
/// A conforming type is a connection, used from one query at a time: the engine calls it
/// from the thread that runs the query.
public protocol SQLDatabase: Sendable {
    /// The dialect the engine compiles to for this database.
    var dialect: SQLDialect { get }

    /// What messages call the database, such as `PostgreSQL database "iql" on /tmp/pg`;
    /// never a password.
    var name: String { get }

    /// The tables and views a query may read, with their columns as IQL types.
    func catalogue() throws(SQLDatabaseError) -> [SQLDatabaseTable]

    /// Runs one statement that returns rows: `columns` is called once with the result's
    /// columns, then `row` with each row's fields as the database writes them as text (nil
    /// for null). `stop` is polled while the statement runs; when it returns true the
    /// statement is cancelled on the server and the call ends, throwing nothing or the
    /// database's "cancelled". Errors from `columns` and `row` end the call (cancelling the
    /// rest on the server) and are rethrown.
    func query(_ sql: String, stop: @escaping @Sendable () -> Bool,
               columns: ([SQLResultColumn]) throws -> Void, row: ([String?]) throws -> Void) throws

    /// Runs statements that return no rows (`CREATE`, `DROP`, `BEGIN` …).
    func execute(_ sql: String) throws(SQLDatabaseError)

    /// Runs a `COPY … FROM STDIN` statement, sending `data` (CSV) as its input.
    func copy(_ statement: String, data: String) throws(SQLDatabaseError)
}

/// A table or view of a database, as a dataset.
public struct SQLDatabaseTable: Sendable, Hashable {
    /// Its name, which queries write after `from`.
    public var name: String
    /// The columns and their IQL types, in the table's order; the order column (`iql_row`)
    /// is not among them.
    public var columns: [SQLDatabaseColumn]
    /// The column `latest` and `previous`/`next` order by, if the table names one.
    public var timeColumn: String?
    /// Whether the table has the column `iql_row` that gives each row's place (tables
    /// `iql export --to` makes have it); without it, rows come in the order the database
    /// scans them, which may change between queries.
    public var ordered: Bool

    /// Makes a table description.
    public init(name: String, columns: [SQLDatabaseColumn], timeColumn: String? = nil, ordered: Bool) {
        self.name = name
        self.columns = columns
        self.timeColumn = timeColumn
        self.ordered = ordered
    }

    /// The columns as an IQL schema.
    var schema: Schema {
        Schema(columns: columns.map { Schema.Field(name: $0.name, type: $0.type, summary: $0.summary) }, timeColumn: timeColumn)
    }
}

/// A column of a database table, as a dataset's column.
public struct SQLDatabaseColumn: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// The IQL type its values read as.
    public var type: ValueType
    /// The SQL type a scan casts it to first, for a column whose own type IQL has no
    /// counterpart for (`TEXT` for a uuid, `DATE` for a timestamp); nil when none is needed.
    public var cast: String?
    /// A one-line description (the column's comment), shown by `iql schema`.
    public var summary: String?

    /// Makes a column.
    public init(name: String, type: ValueType, cast: String? = nil, summary: String? = nil) {
        self.name = name
        self.type = type
        self.cast = cast
        self.summary = summary
    }
}

/// A column of a statement's result, as the database typed it.
public struct SQLResultColumn: Sendable, Hashable {
    /// How the database writes the column's values, so they read back as the same numbers.
    public enum Kind: Sendable, Hashable {
        /// Whole numbers.
        case integer
        /// Exact decimals (`NUMERIC`).
        case exact
        /// Binary floating point, written as the shortest text that reads back the same.
        case float
        /// Anything else: text, dates, booleans.
        case other
    }

    /// The column's name in the result.
    public var name: String
    /// How its values are written.
    public var kind: Kind

    /// Makes a result column.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// A failure the database (or the way to it) reported.
public struct SQLDatabaseError: Error, Sendable, Hashable {
    /// What failed.
    public enum Kind: Sendable, Hashable {
        /// No connection could be made, or it was lost.
        case connection
        /// A statement failed.
        case statement
    }

    /// What failed.
    public var kind: Kind
    /// The database's message, one line.
    public var message: String
    /// The SQLSTATE code, when the database gave one (`22012` for division by zero).
    public var state: String?
    /// The database's detail and hint lines, if any.
    public var details: [String]

    /// Makes an error.
    public init(_ kind: Kind, _ message: String, state: String? = nil, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.state = state
        self.details = details
    }
}
