import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Runs a script's pipelines inside a connected database: each pipeline's longest start that
/// has a SQL form is one statement there, and the stages after it (`chart` …) run
/// in iql on the rows that come back. A `let` table becomes a temporary
/// table of the connection, made by the database from the statement when the whole
/// pipeline compiles, else sent back from iql's result, so that later statements, and later
/// calls, read it in the database.
struct DatabaseRunner {
    let catalogue: DatabaseCatalogue
    var compiler: SQLCompiler

    init(catalogue: DatabaseCatalogue, values: [String: Value], schemas: @escaping (String) -> Schema?) {
        self.catalogue = catalogue
        compiler = SQLCompiler(dialect: catalogue.database.dialect, values: values, schemas: schemas)
        compiler.databaseTables = catalogue.tables
        compiler.councilLookup = catalogue.hasCouncilLookup
    }

    var database: any SQLDatabase { catalogue.database }

    /// The pipeline's rows: as many of its stages as compile run in the database; the
    /// number of stages that did is returned with the rows.
    mutating func rows(_ plan: PipelinePlan, budget: QueryBudget, rowLimit: Int?) throws -> (table: Table, stages: Int) {
        guard let (sql, stages) = compiler.compilableStart(of: plan, stored: false) else {
            throw Diagnostic.error(.noSQLForm("this pipeline's source"), at: plan.nodes.first?.range)
        }
        var start = plan
        start.nodes = Array(plan.nodes.prefix(stages))
        let reader = DatabaseReader(database: database, budget: budget, rowLimit: rowLimit, range: start.nodes.last?.range)
        let queries = compiler.noteQueries
        var table = try reader.table(sql, schema: start.schema)
        for query in queries {
            for note in try notes(query, reader: reader) where !table.notes.contains(note) { table.notes.append(note) }
        }
        return (table, stages)
    }

    /// The notes of a `compare` or `diff` the database ran, as iql's operators write them,
    /// from a query over the stage's rows.
    private func notes(_ query: StageNotesQuery, reader: DatabaseReader) throws -> [ResultNote] {
        let o: CompareOperator
        switch query.stage {
        case .compare(let c): o = c
        case .diff(let d):
            let found = try reader.table(query.sql, schema: Schema(columns: ["added", "removed", "changed", "unchanged"].map {
                .init(name: $0, type: .number)
            }))
            guard found.rowCount == 1 else { return [] }
            let counts = found.columns.map { column -> Int in
                guard case .number(let n) = column[0], let k = n.exactInteger else { return 0 }
                return Int(clamping: k)
            }
            return counts.count == 4 ? [d.note(added: counts[0], removed: counts[1], changed: counts[2], unchanged: counts[3])] : []
        }
        var fields: [Schema.Field] = []
        for c in o.comparators {
            fields += [.init(name: "\(c.rawValue)_a", type: .number), .init(name: "\(c.rawValue)_b", type: .number),
                       .init(name: "\(c.rawValue)_missing", type: .number), .init(name: "\(c.rawValue)_first", type: .text)]
        }
        let found = try reader.table(query.sql, schema: Schema(columns: fields))
        guard found.rowCount == 1 else { return [] }
        func count(_ column: Int) -> Int {
            guard column < found.columns.count, case .number(let n) = found.columns[column][0], let k = n.exactInteger else { return 0 }
            return Int(clamping: k)
        }
        var findings = CompareOperator.Findings(missing: [])
        for (i, c) in o.comparators.enumerated() {
            let at = 4 * i
            if c == .neighbours {
                findings.shortNeighbours = count(at)
            } else if count(at) > 0 {
                findings.usedAreas.insert(c)
            }
            if count(at + 1) > 0 { findings.computed.insert(c) }
            findings.missing.append((count(at + 2), found.columns[at + 3][0].textValue ?? ""))
        }
        return o.notes(findings)
    }

    /// Makes `let NAME` a temporary table from its pipeline when the whole pipeline compiles;
    /// false when it does not, and the caller runs it and sends the rows with `store`.
    mutating func makeTable(_ name: String, _ plan: PipelinePlan, budget: QueryBudget) throws -> Bool {
        guard let (sql, stages) = compiler.compilableStart(of: plan, stored: true), stages == plan.nodes.count else {
            return false
        }
        let table = try SQLText.identifier(name)
        let range = plan.nodes.last?.range
        try run(budget, at: range) { (database) throws(SQLDatabaseError) in
            try database.execute("DROP TABLE IF EXISTS pg_temp.\(table)")
        }
        // As a query, so that the time limit and a cancellation stop it on the server too.
        do {
            try database.query("CREATE TEMPORARY TABLE \(table) AS\n\(sql)", stop: { budget.isExhausted }, columns: { _ in }, row: { _ in })
        } catch let failure as SQLDatabaseError {
            throw DatabaseReader.diagnostic(failure, database: database.name, at: range)
        }
        try DatabaseReader.check(budget, at: range)
        // Autovacuum never analyses temporary tables: without statistics the planner guesses.
        try run(budget, at: range) { (database) throws(SQLDatabaseError) in try database.execute("ANALYZE \(table)") }
        registered(name, plan.schema)
        return true
    }

    /// Sends rows iql made to the database as the temporary table `NAME`.
    mutating func store(_ name: String, _ table: Table, budget: QueryBudget, at range: SourceRange?) throws {
        let dialect = database.dialect
        let pieces = try SQLExport.pieces(name, table, dialect, temporary: true)
        try run(budget, at: range) { (database) throws(SQLDatabaseError) in
            try database.execute(pieces.definition)
            try database.copy(pieces.copy, data: pieces.data)
            // Autovacuum never analyses temporary tables: without statistics the planner guesses.
            try database.execute("ANALYZE " + pieces.table)
        }
        registered(name, table.schema)
    }

    private mutating func registered(_ name: String, _ schema: Schema) {
        let described = SQLDatabaseTable(name: name, columns: schema.columns.map { SQLDatabaseColumn(name: $0.name, type: $0.type) },
                                         timeColumn: schema.timeColumn, ordered: true)
        catalogue.add(described)
        compiler.databaseTables[name] = described
    }

    private func run(_ budget: QueryBudget, at range: SourceRange?,
                     _ body: (any SQLDatabase) throws(SQLDatabaseError) -> Void) throws {
        try budget.check()
        do {
            try body(database)
        } catch {
            throw DatabaseReader.diagnostic(error, database: database.name, at: range)
        }
    }

    /// A whole table or view of the database, for the stages iql runs itself (`compare`
    /// reads the areas tables, a join run in iql its right side).
    static func wholeTable(_ name: String, catalogue: DatabaseCatalogue, budget: QueryBudget, rowLimit: Int?) throws -> Table {
        guard let table = catalogue.tables[name] else { throw Diagnostic.error(.noDataset(name), at: nil) }
        let schema = table.schema
        var compiler = SQLCompiler(dialect: catalogue.database.dialect, schemas: { _ in nil })
        compiler.databaseTables = [name: table]
        compiler.reserveNames(of: CheckedScript(statements: [], warnings: []), also: Set(schema.names + [name]))
        let plan = PipelinePlan(source: .dataset(name), sourceSchema: schema, nodes: [])
        let sql = try compiler.statementSQL(plan)
        return try DatabaseReader(database: catalogue.database, budget: budget, rowLimit: rowLimit).table(sql, schema: schema)
    }
}
