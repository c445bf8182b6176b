import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Synchronization

/// Runs a compiled statement in a connected database and reads the rows it streams back
/// into a table of the pipeline's schema: numbers as the database typed them (an integer or
/// `NUMERIC` exact, a float as a double, so results render as iql's own do), ratings from
/// their wording, dates from ISO text.
struct DatabaseReader {
    let database: any SQLDatabase
    let budget: QueryBudget
    let rowLimit: Int?
    /// Where a failure points: the pipeline's last compiled stage.
    var range: SourceRange?

    /// The rows of `sql`, which has one result column per field of `schema`, in order.
    func table(_ sql: String, schema: Schema) throws -> Table {
        var kinds: [SQLResultColumn.Kind] = []
        var values = Array(repeating: [Value](), count: schema.columns.count)
        var rows = 0
        let budget = self.budget
        // What the rows hold, charged as they arrive, so a huge result meets the memory limit
        // before it takes the machine's memory.
        let rowBytes = max(1, schema.columns.count) * MemoryLayout<Value>.stride
        do {
            try database.query(sql, stop: { budget.isExhausted }, columns: { columns in
                guard columns.count == schema.columns.count else {
                    throw Diagnostic.error(.databaseFailed(database.name, "the statement gave \(columns.count) columns where \(schema.columns.count) were expected"), at: range)
                }
                kinds = columns.map(\.kind)
            }, row: { fields in
                rows += 1
                if let rowLimit, rows > rowLimit {
                    throw Diagnostic.error(.stageRows(rows, limit: rowLimit), at: range,
                                           notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
                }
                if rows & 1023 == 0 { try budget.reserve(1024 * rowBytes, for: "the rows the database sent") }
                for (i, field) in fields.enumerated() where i < values.count {
                    values[i].append(try Self.value(field, schema.columns[i], kinds[i], at: range))
                }
            })
        } catch let failure as SQLDatabaseError {
            throw Self.diagnostic(failure, database: database.name, at: range)
        }
        // A query the stop flag ended early says why (cancelled, or out of time), at the stage.
        try Self.check(budget, at: range)
        return Table(schema: schema, columns: values.map(Column.init), rowCount: rows)
    }

    /// The budget's verdict (cancelled, out of time, out of memory), pointing at the stage.
    static func check(_ budget: QueryBudget, at range: SourceRange?) throws(Diagnostic) {
        do {
            try budget.check()
        } catch {
            var d = error
            if d.range == nil { d.range = range }
            throw d
        }
    }

    /// A database failure as a diagnostic: the database's message, its SQLSTATE and details as notes.
    static func diagnostic(_ failure: SQLDatabaseError, database: String, at range: SourceRange?) -> Diagnostic {
        var notes = failure.details
        if let state = failure.state { notes.append("SQLSTATE \(state)") }
        switch failure.kind {
        case .connection: return .error(.cannotConnect(failure.message), at: nil, notes: notes)
        case .statement: return .error(.databaseFailed(database, failure.message), at: range, notes: notes)
        }
    }

    /// One field as the column's IQL value.
    static func value(_ field: String?, _ column: Schema.Field, _ kind: SQLResultColumn.Kind,
                      at range: SourceRange?) throws(Diagnostic) -> Value {
        guard let field else { return .null }
        let value: Value?
        switch column.type {
        case .text: value = .text(field)
        case .number: value = number(field, kind).map(Value.number)
        case .date: value = Day(iso: field[...]).map(Value.date)
        case .bool: value = field == "t" || field == "true" ? .bool(true) : field == "f" || field == "false" ? .bool(false) : nil
        case .rating: value = Rating(wording: field).map(Value.rating)
        case .null: value = .null
        case .list: value = nil
        }
        guard let value else {
            throw Diagnostic.error(.databaseValue(String(field.prefix(80)), column: column.name, type: column.type.description), at: range)
        }
        return value
    }

    /// A number as the database wrote it: whole and `NUMERIC` values exact where they fit
    /// in IQL's exact range, floats as doubles (PostgreSQL writes `NaN` and `Infinity`).
    static func number(_ text: String, _ kind: SQLResultColumn.Kind) -> Number? {
        if kind != .float {
            if let i = Int64(text) { return .int(i) }
            if let d = Decimal64.parse(text) { return Number.exact(d.mantissa, scale: d.scale) }
        }
        switch text {
        case "Infinity": return .double(.infinity)
        case "-Infinity": return .double(-.infinity)
        case "NaN": return .double(.nan)
        default: return Double(text).map(Number.double)
        }
    }
}

/// The tables a connected engine reads: the database's, as its catalogue listed them, and
/// the temporary ones its `let` tables made; shared by the engine's copies, which share the
/// connection. A class because the connection's state is one thing however often the
/// engine is copied.
final class DatabaseCatalogue: Sendable {
    let database: any SQLDatabase
    /// Whether the database has the council-name lookup `iql export` makes (not a dataset:
    /// compiled `compare` reads it, and runs in iql without it).
    let hasCouncilLookup: Bool
    private let state: Mutex<State>

    private struct State {
        var tables: [String: SQLDatabaseTable]
        /// Distinct values of text columns, read once for the checker's literal warnings
        /// (nil: too many, or the database took too long to say).
        var texts: [String: Set<String>?] = [:]
    }

    init(database: any SQLDatabase) throws(SQLDatabaseError) {
        self.database = database
        var tables: [String: SQLDatabaseTable] = [:]
        var lookup = false
        for table in try database.catalogue() where tables[table.name] == nil {
            // The lookup export makes is iql's, not a dataset; a table of that name with other
            // columns is the database's own.
            if table.name == SQLExport.councilLookup, Set(table.columns.map(\.name)).isSuperset(of: ["key", "identity", "region"]) {
                lookup = true
            } else {
                tables[table.name] = table
            }
        }
        hasCouncilLookup = lookup
        state = Mutex(State(tables: tables))
    }

    var tables: [String: SQLDatabaseTable] { state.withLock { $0.tables } }

    func add(_ table: SQLDatabaseTable) {
        state.withLock { $0.tables[table.name] = table }
    }

    /// The distinct values of a text column, for the warning that a literal matches no row;
    /// nil when there are more than the checker would look through or the database does not
    /// answer within a second.
    func distinctTexts(_ dataset: String, _ column: String) -> Set<String>? {
        let key = dataset + "\u{0}" + column
        if let known = state.withLock({ $0.texts[key] }) { return known }
        var found: Set<String>? = nil
        if let table = tables[dataset], let field = table.columns.first(where: { $0.name == column }), field.type == .text,
           let name = try? SQLText.identifier(dataset), let columnName = try? SQLText.identifier(column) {
            let limit = 20_000
            let read = field.cast.map { "CAST(\(columnName) AS \($0))" } ?? columnName
            let sql = "SELECT DISTINCT \(read) FROM \(name) WHERE \(read) IS NOT NULL LIMIT \(limit + 1)"
            let deadline = ContinuousClock.now + .seconds(1)
            var values: Set<String> = []
            do {
                try database.query(sql, stop: { ContinuousClock.now > deadline }, columns: { _ in }, row: { fields in
                    if let f = fields.first, let f { values.insert(f) }
                })
                if ContinuousClock.now <= deadline, values.count <= limit { found = values }
            } catch {
                found = nil
            }
        }
        state.withLock { $0.texts[key] = .some(found) }
        return found
    }
}
