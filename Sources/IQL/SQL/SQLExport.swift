import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Datasets as a SQL script that makes them in a database: a table each, typed from the
/// column's storage, with its rows in IQL's order (ratings in Ofsted's wording, which compiled
/// queries read as ranks). For PostgreSQL the rows go by `COPY … FROM STDIN`, so the script
/// runs in psql (`iql export --sql postgres | psql`); for DuckDB by `INSERT`.
package enum SQLExport {
    /// The SQL type of a column: whole numbers, decimals at their scale, doubles, text, dates,
    /// booleans; ratings as text.
    static func type(of column: Column, declared: ValueType, _ dialect: SQLDialect) -> String {
        switch column.storage {
        case .int64: return "BIGINT"
        case .decimal(_, let scale, _): return "NUMERIC(18, \(scale))"
        case .double, .numbers: return dialect.doubleType
        case .text, .rating: return "TEXT"
        case .date: return "DATE"
        case .bool: return "BOOLEAN"
        case .boxed:
            switch declared {
            case .number: return dialect.doubleType
            case .date: return "DATE"
            case .bool: return "BOOLEAN"
            default: return "TEXT"
            }
        }
    }

    /// The PostgreSQL domain rating columns are made with, so that a connected engine reading
    /// the catalogue knows them for ratings (a plain `TEXT` column is text).
    package static let ratingDomain = "iql_rating"

    /// Makes the rating domain unless the database has it: Ofsted's four judgements in their wording.
    static var ratingDomainDefinition: String {
        let words = Rating.allCases.map { "'\($0.wording)'" }.joined(separator: ", ")
        return "DO $iql$ BEGIN CREATE DOMAIN \(ratingDomain) AS TEXT CHECK (VALUE IN (\(words)));\n"
            + "EXCEPTION WHEN duplicate_object THEN NULL; END $iql$;\n"
    }

    /// The table of council spellings that compiled `compare` resolves names through, made
    /// beside the datasets by every export.
    package static let councilLookup = "iql_council_names"

    /// The council-name lookup: each normalised spelling (lower case, `&` as `and`, runs of
    /// anything but letters and digits as one space), the identity it resolves to (an ONS
    /// code) and that council's region (null for a region or England).
    static func councilLookupTable(_ names: AuthorityNames) -> Table {
        let rows = names.lookupRows()
        let schema = Schema(columns: [
            .init(name: "key", type: .text, summary: "a spelling of a council, region or England, normalised"),
            .init(name: "identity", type: .text, summary: "the ONS code it resolves to"),
            .init(name: "region", type: .text, summary: "the council's region (ONS code); null for a region or England"),
        ])
        let columns = [Column(rows.map { .text($0.key) }), Column(rows.map { .text($0.identity) }),
                       Column(rows.map { $0.region.map(Value.text) ?? .null })]
        return Table(schema: schema, columns: columns, rowCount: rows.count)
    }

    /// The column comment that marks a PostgreSQL table's time column.
    package static let timeColumnComment = "iql:time"

    /// `DROP TABLE IF EXISTS` and `CREATE TABLE` for a table, with no rows; in PostgreSQL,
    /// ratings typed with the rating domain and the time column marked by its comment. A
    /// temporary table (a connected engine's `let`) keeps ratings as text: the engine knows
    /// its columns, and the database may lack the domain.
    package static func definition(_ name: String, _ given: Table, _ dialect: SQLDialect,
                                   temporary: Bool = false) throws(Diagnostic) -> String {
        try definition(name, storedTable: try stored(name, given, dialect), dialect, temporary: temporary)
    }

    /// The definition of a table already as the database holds it (`stored`).
    private static func definition(_ name: String, storedTable table: Table, _ dialect: SQLDialect,
                                   temporary: Bool) throws(Diagnostic) -> String {
        let tableName = try identifier(name)
        var columns: [String] = []
        var ratings = false
        for (field, column) in zip(table.schema.columns, table.columns) {
            var type = type(of: column, declared: field.type, dialect)
            if dialect == .postgres, field.type == .rating, !temporary {
                type = ratingDomain
                ratings = true
            }
            columns.append("\(try identifier(field.name)) \(type)")
        }
        var out = ratings ? ratingDomainDefinition : ""
        if temporary {
            out += "DROP TABLE IF EXISTS pg_temp.\(tableName);\nCREATE TEMPORARY TABLE \(tableName) (\(columns.joined(separator: ", ")));\n"
        } else {
            out += "DROP TABLE IF EXISTS \(tableName);\nCREATE TABLE \(tableName) (\(columns.joined(separator: ", ")));\n"
        }
        if dialect == .postgres, !temporary {
            // Each column's description, the time column's after the marker that names it.
            for field in table.schema.columns {
                let isTime = field.name == table.schema.timeColumn
                guard isTime || field.summary != nil else { continue }
                let comment = [isTime ? timeColumnComment : nil, field.summary].compactMap { $0 }.joined(separator: " ")
                let text: String
                do { text = try SQLText.literal(comment) } catch { throw Diagnostic.error(.noSQLForm(error.what), at: nil) }
                out += "COMMENT ON COLUMN \(tableName).\(try identifier(field.name)) IS \(text);\n"
            }
        }
        return out
    }

    /// What makes a table in PostgreSQL over a connection: its quoted name, the definition,
    /// the `COPY … FROM STDIN` statement, and the rows as its CSV input.
    package static func pieces(_ name: String, _ given: Table, _ dialect: SQLDialect,
                               temporary: Bool) throws(Diagnostic) -> (table: String, definition: String, copy: String, data: String) {
        let table = try stored(name, given, dialect)
        let tableName = try identifier(name)
        var names: [String] = []
        for field in table.schema.columns { names.append(try identifier(field.name)) }
        return (tableName, try definition(name, storedTable: table, dialect, temporary: temporary),
                "COPY \(tableName) (\(names.joined(separator: ", "))) FROM STDIN WITH (FORMAT csv)",
                copyData(table))
    }

    /// The rows as `COPY … WITH (FORMAT csv)` reads them: an unquoted empty field is null, so
    /// empty text is quoted; so is a field that is `\.` alone, which would end the data.
    static func copyData(_ table: Table) -> String {
        var out = ""
        out.reserveCapacity(table.rowCount * table.columns.count * 8)
        for r in 0..<table.rowCount {
            for (i, column) in table.columns.enumerated() {
                if i > 0 { out += "," }
                let v = column[r]
                guard !v.isNull else { continue }
                let text = v.displayText
                if text.isEmpty || text == "\\." {
                    out += "\"" + text + "\""
                } else {
                    out += CSVWriter.field(text)
                }
            }
            out += "\n"
        }
        return out
    }

    /// The table as a database holds it: for PostgreSQL, with its order as a last column
    /// (`SQLDialect.orderColumn`), since its heap keeps none.
    static func stored(_ name: String, _ table: Table, _ dialect: SQLDialect) throws(Diagnostic) -> Table {
        guard dialect == .postgres else { return table }
        guard table.schema.index(of: SQLDialect.orderColumn) == nil else {
            throw Diagnostic.error(.noSQLForm("the dataset \(name), which has a column named \(SQLDialect.orderColumn) (the name PostgreSQL tables keep their order in)"), at: nil)
        }
        var schema = table.schema
        schema.columns.append(Schema.Field(name: SQLDialect.orderColumn, type: .number))
        let order = Column((0..<table.rowCount).map { Value.int(Int64($0) + 1) })
        return Table(schema: schema, columns: table.columns + [order], rowCount: table.rowCount)
    }

    static func script(_ tables: [(name: String, table: Table)], _ dialect: SQLDialect) throws(Diagnostic) -> String {
        // PostgreSQL says NOTICE for each table DROP … IF EXISTS does not find.
        var out = dialect == .postgres ? "SET client_min_messages = warning;\n" : ""
        for (name, given) in tables {
            switch dialect {
            case .postgres:
                // The rows as COPY reads them, ended as psql ends data given inline.
                let (table, definition, copy, data) = try pieces(name, given, dialect, temporary: false)
                // Statistics for the planner at once, rather than when autovacuum comes round.
                out += definition + copy + ";\n" + data + "\\.\n" + "ANALYZE \(table);\n"
            case .duckdb:
                let table = try stored(name, given, dialect)
                let tableName = try identifier(name)
                out += try definition(name, given, dialect)
                var row = 0
                while row < table.rowCount {
                    let end = min(table.rowCount, row + 500)
                    var values: [String] = []
                    for r in row..<end {
                        var fields: [String] = []
                        for column in table.columns { fields.append(try literal(column[r])) }
                        values.append("(" + fields.joined(separator: ", ") + ")")
                    }
                    out += "INSERT INTO \(tableName) VALUES\n" + values.joined(separator: ",\n") + ";\n"
                    row = end
                }
            }
        }
        return out
    }

    private static func identifier(_ name: String) throws(Diagnostic) -> String {
        do { return try SQLText.identifier(name) } catch { throw Diagnostic.error(.noSQLForm(error.what), at: nil) }
    }

    /// A stored value as a literal: ratings in Ofsted's wording.
    private static func literal(_ v: Value) throws(Diagnostic) -> String {
        switch v {
        case .null: return "NULL"
        case .number(.double(let d)) where !d.isFinite:
            return d.isNaN ? "CAST('NaN' AS DOUBLE)" : "CAST('\(d < 0 ? "-" : "")Infinity' AS DOUBLE)"
        case .number(let n): return n.description
        case .text(let s):
            do { return try SQLText.literal(s) } catch { throw Diagnostic.error(.noSQLForm(error.what), at: nil) }
        case .rating(let r): return "'\(r.wording)'"
        case .date(let d): return "DATE '\(d)'"
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .list: throw Diagnostic.error(.noSQLForm("a list value"), at: nil)
        }
    }
}
