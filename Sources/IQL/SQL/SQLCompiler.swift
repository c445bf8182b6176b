import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Compiles checked plans to one SQL statement each: a CTE per stage, every relation
/// carrying the IQL row order in a column of its own, so the rows come out in the order IQL
/// gives them and `take`, `first`, `last`, `previous`, `next` and `latest` see the rows
/// IQL's operators see. Ratings are their ranks (1 inadequate … 4 outstanding) inside the
/// statement, so they compare and sort as IQL's do, and turn back into Ofsted's wording in
/// the last select. A stage with no faithful SQL form is an error at the stage.
struct SQLCompiler {
    var dialect: SQLDialect
    /// Values bound with `let NAME = value`, which a compiled expression reads as literals.
    var values: [String: Value] = [:]
    /// A dataset's columns (the right side of a join, whose plan node keeps only positions).
    var schemas: (String) -> Schema?
    /// The tables of a connected database, by name: whether each keeps its order in a
    /// column, and the columns a scan casts first. Datasets not here are tables as
    /// `exportSQL` makes them.
    var databaseTables: [String: SQLDatabaseTable] = [:]
    /// Whether the database has `iql_council_names`, which compiled `compare` reads (a
    /// connected database without it runs `compare` in iql).
    var councilLookup = true
    /// The queries for the notes of the last statement's `compare` and `diff` stages, which a
    /// connected engine runs after the statement.
    private(set) var noteQueries: [StageNotesQuery] = []
    /// Those of the pipeline being compiled.
    var noteStages: [StageNotesQuery] = []

    /// A relation the statement has made so far: its CTE name, the IQL columns of the plan at
    /// that point, the ones the SQL relation holds (a scan reads only what the pipeline uses),
    /// and the column holding IQL's row order.
    struct Relation {
        var name: String
        var schema: Schema
        var present: Set<String>
        var order: String
    }

    /// The CTEs so far; those of `let` tables are kept for the statements after them.
    private var ctes: [(name: String, sql: String, kept: Bool)] = []
    private var keeping = false
    /// `let` tables compiled earlier in the script, by name.
    private var tables: [String: Relation] = [:]
    /// The start of every name the compiler makes (order and rank columns): one no column of
    /// the script starts with.
    private var prefix = "iql_"
    private var counter = 0
    private var ownCounter = 0

    init(dialect: SQLDialect, values: [String: Value] = [:], schemas: @escaping (String) -> Schema?) {
        self.dialect = dialect
        self.values = values
        self.schemas = schemas
    }

    /// The SQL of each pipeline and assertion in the script (a `let` table becomes CTEs the
    /// later ones use).
    mutating func compile(_ script: CheckedScript) throws(Diagnostic) -> [SQLStatement] {
        reserveNames(of: script)
        var out: [SQLStatement] = []
        var last: PipelinePlan?
        for statement in script.statements {
            switch statement {
            case .pipeline(let plan, let title):
                out.append(SQLStatement(kind: .result, title: title, text: try statementSQL(plan)))
                last = plan
            case .letTable(let name, let plan):
                keeping = true
                tables[name] = try relation(plan)
                keeping = false
            case .letValue(let name, let e):
                guard case .constant(let v) = e.shape else {
                    throw Diagnostic.error(.noSQLForm("a let value that is not a constant"), at: e.range)
                }
                values[name] = v
            case .param(let name, let v):
                values[name] = v
            case .assert(let a):
                guard let last else { throw Diagnostic.error(.noSQLForm("an assert before any result"), at: a.range) }
                out.append(SQLStatement(kind: .assertion, title: nil, text: try assertionSQL(a, over: last)))
            }
        }
        return out
    }

    /// Makes the compiler's own names (CTEs, order and rank columns) start with a prefix that
    /// no column or dataset of the script starts with, so none can be mistaken for the
    /// user's: a CTE named like a table would hide the table.
    mutating func reserveNames(of script: CheckedScript, also more: Set<String> = []) {
        var names = more
        for statement in script.statements {
            let plan: PipelinePlan
            switch statement {
            case .pipeline(let p, _), .letTable(_, let p): plan = p
            default: continue
            }
            names.formUnion(plan.allColumnNames)
            if case .dataset(let d) = plan.source { names.insert(d) }
            for node in plan.nodes {
                if case .join(let o) = node.step, case .dataset(let d) = o.right { names.insert(d) }
            }
        }
        while names.contains(where: { $0.lowercased().hasPrefix(prefix) }) { prefix += "_" }
    }

    /// One pipeline as a statement: its CTEs, then the rows in IQL's order.
    mutating func statementSQL(_ plan: PipelinePlan) throws(Diagnostic) -> String {
        noteQueries = []
        let result = try relation(plan)
        var items: [String] = []
        for field in result.schema.columns {
            let column = try quoted(field.name, at: nil)
            items.append(field.type == .rating ? "\(ratingText(column)) AS \(column)" : column)
        }
        let with = takeWith()
        noteQueries = noteStages.map { var q = $0; q.sql = with + q.sql; return q }
        return with + "SELECT \(items.joined(separator: ", "))\nFROM \(result.name)\nORDER BY \(result.order)"
    }

    /// A pipeline's rows as a connected database stores a `let` table: ratings in their
    /// wording and each row's place in `iql_row`, for `CREATE TEMPORARY TABLE … AS`.
    mutating func storedSQL(_ plan: PipelinePlan) throws(Diagnostic) -> String {
        noteQueries = []
        let result = try relation(plan)
        var items: [String] = []
        for field in result.schema.columns {
            let column = try quoted(field.name, at: nil)
            items.append(field.type == .rating ? "\(ratingText(column)) AS \(column)" : column)
        }
        items.append("row_number() OVER (ORDER BY \(result.order)) AS \"\(SQLDialect.orderColumn)\"")
        return takeWith() + "SELECT \(items.joined(separator: ", "))\nFROM \(result.name)"
    }

    /// The longest start of a pipeline that compiles: its statement and how many of the
    /// plan's stages it covers (the rest run in iql on the rows it gives). Nil when even the
    /// scan alone has no SQL form.
    mutating func compilableStart(of plan: PipelinePlan, stored: Bool) -> (sql: String, stages: Int)? {
        var count = plan.nodes.count
        while true {
            var start = plan
            start.nodes = Array(plan.nodes.prefix(count))
            do {
                return (try stored ? storedSQL(start) : statementSQL(start), count)
            } catch {
                ctes.removeAll { !$0.kept }
                guard count > 0 else { return nil }
                // Cut before the stage the failure points at, or else one stage earlier.
                let at = error.range.flatMap { r in start.nodes.firstIndex { $0.range.start <= r.start && r.end <= $0.range.end } }
                count = min(count - 1, at ?? count - 1)
            }
        }
    }

    /// An assertion over the last result, computed again: one row, true, or an error whose
    /// message is the assertion's text (`error()` in DuckDB; in PostgreSQL, which has no such
    /// function, a cast that fails, its text made by `concat` so that the planner, which
    /// folds constants even in a CASE branch not taken, cannot raise it early).
    private mutating func assertionSQL(_ a: AssertPlan, over plan: PipelinePlan) throws(Diagnostic) -> String {
        let result = try relation(plan)
        var scope = try scope(result)
        var aggregates: [String] = []
        for call in a.aggregates { aggregates.append(try aggregateSQL(call, scope)) }
        scope.aggregates = aggregates
        scope.groupKeys = []
        let condition = try expression(a.condition, scope)
        let message: String
        do {
            message = try SQLText.literal("assertion failed: " + a.text)
        } catch {
            throw Diagnostic.error(.noSQLForm(error.what), at: a.range)
        }
        let failure = failing(message)
        let with = takeWith()
        let from = aggregates.isEmpty ? "" : "\nFROM \(result.name)"
        return with + "SELECT CASE WHEN \(condition) THEN TRUE ELSE \(failure) END AS \"assertion\"" + from
    }

    /// A boolean expression that raises an error carrying `message` (an escaped literal)
    /// when it is evaluated: DuckDB's `error()`; in PostgreSQL, which has no such function, a
    /// cast that fails, its text made by `concat` so that the planner, which folds constants
    /// even in a CASE branch not taken, cannot raise it early.
    func failing(_ message: String) -> String {
        dialect == .postgres ? "CAST(CAST(concat(\(message), '') AS INTEGER) AS BOOLEAN)" : "error(\(message))"
    }

    /// The `WITH` clause of the CTEs made so far, which a statement is done with; those of
    /// `let` tables stay for the later statements that read them.
    private mutating func takeWith() -> String {
        let with = ctes.isEmpty ? "" : "WITH " + ctes.map { "\($0.name) AS (\n  \($0.sql)\n)" }.joined(separator: ",\n") + "\n"
        ctes.removeAll { !$0.kept }
        return with
    }

    /// The plan's stages as CTEs; the last one's relation.
    private mutating func relation(_ plan: PipelinePlan) throws(Diagnostic) -> Relation {
        noteStages = []
        var current: Relation
        switch plan.source {
        case .dataset(let name):
            let read = ProjectionPushdown().rewrite(plan)?.sourceColumns.map { Set($0) }
            current = try scan(name, plan.sourceSchema, columns: read)
        case .binding(let name):
            if let r = tables[name] {
                current = r
            } else if databaseTables[name] != nil {
                // A let table a connected database holds (a temporary table).
                current = try scan(name, plan.sourceSchema, columns: nil)
            } else {
                throw Diagnostic.error(.noSQLForm("a let table made before this script"), at: plan.nodes.first?.range)
            }
        }
        for node in plan.nodes {
            current = try stage(node, input: current)
        }
        return current
    }

    // MARK: - Relations

    mutating func add(_ sql: String, schema: Schema, present: Set<String>, order: String) -> Relation {
        counter += 1
        let name = "\(prefix)s\(counter)"
        ctes.append((name, sql, keeping))
        return Relation(name: name, schema: schema, present: present, order: order)
    }

    /// A name of the compiler's own, quoted: `"iql_order_3"`.
    mutating func own(_ what: String) -> String {
        ownCounter += 1
        return "\"\(prefix)\(what)_\(ownCounter)\""
    }

    /// A table a stage reads besides its input (a join's right side, what `compare` compares
    /// with): a dataset with the schema the checker saw, a `let` table of the script, or one
    /// a connected database holds.
    mutating func table(_ source: PipelinePlan.Source, columns: Set<Int>, for stage: String,
                        at range: SourceRange) throws(Diagnostic) -> Relation {
        switch source {
        case .dataset(let name):
            guard let schema = schemas(name) else { throw Diagnostic.error(.noSQLForm("\(stage) reading \(name)"), at: range) }
            return try scan(name, schema, columns: columns)
        case .binding(let name):
            if let r = tables[name] { return r }
            if let table = databaseTables[name] { return try scan(name, table.schema, columns: columns) }
            throw Diagnostic.error(.noSQLForm("\(stage) with a let table made before this script"), at: range)
        }
    }

    /// A dataset's rows (the columns the pipeline reads) with their stored order, ratings as ranks.
    mutating func scan(_ dataset: String, _ schema: Schema, columns read: Set<Int>?) throws(Diagnostic) -> Relation {
        var items: [String] = [], present: Set<String> = []
        // A connected database's table may have columns a scan casts to a type IQL reads.
        let table = databaseTables[dataset]
        for (i, field) in schema.columns.enumerated() where read?.contains(i) ?? true {
            let column = try quoted(field.name, at: nil)
            let value = table?.columns.first { $0.name == field.name }?.cast.map { "CAST(\(column) AS \($0))" } ?? column
            items.append(field.type == .rating ? "\(ratingRank(value)) AS \(column)" : value == column ? column : "\(value) AS \(column)")
            present.insert(field.name)
        }
        let order = own("order")
        // A connected database's table: its order column if it has one, else the order the
        // database scans it in.
        let rowOrder = table.map { $0.ordered ? "\"\(SQLDialect.orderColumn)\"" : "row_number() OVER ()" } ?? dialect.rowOrder
        items.append("\(rowOrder) AS \(order)")
        return add("SELECT \(items.joined(separator: ", ")) FROM \(try quoted(dataset, at: nil))",
                   schema: schema, present: present, order: order)
    }

    /// A relation's columns, quoted and in order, each as the SQL relation holds it or null
    /// where the scan left it out (nothing reads those).
    func scope(_ r: Relation) throws(Diagnostic) -> SQLScope {
        var names: [String] = []
        for field in r.schema.columns { names.append(r.present.contains(field.name) ? try quoted(field.name, at: nil) : "NULL") }
        var scope = SQLScope(columns: names)
        scope.order = r.order
        return scope
    }

    func quoted(_ name: String, at range: SourceRange?) throws(Diagnostic) -> String {
        do {
            return try SQLText.identifier(name)
        } catch {
            throw Diagnostic.error(.noSQLForm(error.what), at: range)
        }
    }

    // MARK: - Stages

    private mutating func stage(_ node: PlanNode, input: Relation) throws(Diagnostic) -> Relation {
        let scope = try scope(input)
        let same = { (sql: String) in (sql, input.present, input.order) }
        var made: (sql: String, present: Set<String>, order: String)
        switch node.step {
        case .filter(let o):
            made = same("SELECT * FROM \(input.name) WHERE \(try expression(o.condition, scope))")

        case .select(let o):
            var items: [String] = []
            for (e, field) in zip(o.items, node.schema.columns) {
                items.append("\(try expression(e, scope)) AS \(try quoted(field.name, at: node.range))")
            }
            made = ("SELECT \(items.joined(separator: ", ")), \(input.order) FROM \(input.name)", Set(node.schema.names), input.order)

        case .derive(let o):
            // One CTE an item: a later item reads the columns the earlier ones made. The window's
            // keys and time column are the derive's input's.
            var keys: [String] = []
            for k in o.keys { keys.append(try expression(k, scope)) }
            let window = SQLScope.Window(partition: keys, time: o.timeColumn.map { scope.columns[$0] })
            var current = input
            for item in o.items {
                var itemScope = try self.scope(current)
                itemScope.window = window
                let value = try expression(item.expression, itemScope)
                var schema = current.schema
                let name = try quoted(item.column.name, at: node.range)
                if let r = item.replacing {
                    var items: [String] = []
                    for (i, field) in current.schema.columns.enumerated() where current.present.contains(field.name) {
                        items.append(i == r ? "\(value) AS \(name)" : try quoted(field.name, at: nil))
                    }
                    schema.columns[r] = item.column
                    current = add("SELECT \(items.joined(separator: ", ")), \(current.order) FROM \(current.name)",
                                  schema: schema, present: current.present.union([item.column.name]), order: current.order)
                } else {
                    schema.columns.append(item.column)
                    current = add("SELECT *, \(value) AS \(name) FROM \(current.name)",
                                  schema: schema, present: current.present.union([item.column.name]), order: current.order)
                }
            }
            return Relation(name: current.name, schema: node.schema, present: current.present, order: current.order)

        case .sort(let o):
            let order = own("order")
            made = ("SELECT *, row_number() OVER (ORDER BY \(try sortKeys(o.keys, scope, then: input.order))) AS \(order) FROM \(input.name)",
                    input.present, order)

        case .take(let o):
            made = same("SELECT * FROM \(input.name) ORDER BY \(input.order) LIMIT \(try limit(o.count))")

        case .topN(let o):
            let order = own("order")
            let sorted = add("SELECT *, row_number() OVER (ORDER BY \(try sortKeys(o.keys, scope, then: input.order))) AS \(order) FROM \(input.name)",
                             schema: node.schema, present: input.present, order: order)
            made = ("SELECT * FROM \(sorted.name) ORDER BY \(order) LIMIT \(try limit(o.take.count))", input.present, order)

        case .aggregate(let o):
            return try aggregate(o, input: input, scope: scope, node: node)

        case .distinct(let o):
            var items: [String] = []
            if o.keys.isEmpty {
                items = scope.columns
            } else {
                for (e, field) in zip(o.keys, node.schema.columns) {
                    items.append("\(try expression(e, scope)) AS \(try quoted(field.name, at: node.range))")
                }
            }
            let positions = (1...max(1, items.count)).map(String.init).joined(separator: ", ")
            let order = own("order")
            // Distinct rows in the order of their first appearance.
            made = ("SELECT \(items.joined(separator: ", ")), min(\(input.order)) AS \(order) FROM \(input.name) GROUP BY \(positions)",
                    Set(node.schema.names), order)

        case .join(let o):
            return try join(o, input: input, node: node)

        case .latest(let o):
            var keys: [String] = []
            for k in o.keys { keys.append(try expression(k, scope)) }
            let time = scope.columns[o.column]
            var condition = "\(time) IS NOT NULL"
            if let asOf = o.asOf { condition += " AND \(time) <= \(try expression(asOf, scope))" }
            let partition = keys.isEmpty ? "" : "PARTITION BY \(keys.joined(separator: ", ")) "
            let rank = own("rank")
            let ranked = add("SELECT *, row_number() OVER (\(partition)ORDER BY \(time) DESC, \(input.order) DESC) AS \(rank) FROM \(input.name) WHERE \(condition)",
                             schema: node.schema, present: input.present, order: input.order)
            // One row a group, the groups in key order.
            let order = own("order")
            let byKeys = try sortKeys(o.keys.map { ($0, false) }, scope, then: input.order)
            made = ("SELECT *, row_number() OVER (ORDER BY \(byKeys)) AS \(order) FROM \(ranked.name) WHERE \(rank) = 1",
                    input.present, order)

        case .rank(let o):
            var source = input
            var direction: String?
            if o.descending == nil, let m = o.measureColumn {
                (source, direction) = try polarity(o, measure: m, input: input, scope: scope, node: node)
            }
            made = (try rankSQL(o, input: source, scope: try self.scope(source), direction: direction, node: node),
                    input.present.union([node.schema.columns.last?.name ?? ""]), input.order)
        case .compare(let o):
            return try compare(o, input: input, scope: scope, node: node)
        case .pivot(let o):
            return try pivot(o, input: input, scope: scope, node: node)
        case .unpivot(let o):
            return try unpivot(o, input: input, scope: scope, node: node)
        case .chart: throw Diagnostic.error(.noSQLForm("chart"), at: node.range)
        case .diff(let o):
            return try diff(o, input: input, scope: scope, node: node)
        }
        return add(made.sql, schema: node.schema, present: made.present, order: made.order)
    }

    /// `rank` and `quartile`: the place among the group's rows with a value (1, 2, 2, 4), which
    /// end first as the stage says, or as `direction` (a boolean column, the measure's
    /// `higher_is_better`) says, or else the highest first; quartile bands A to D from the
    /// place as iql makes them, `min(3, (place - 1) * 4 / rows)`.
    private mutating func rankSQL(_ o: RankOperator, input: Relation, scope: SQLScope, direction: String?,
                         node: PlanNode) throws(Diagnostic) -> String {
        var value = try expression(o.value, scope)
        if o.value.type == .text { value = dialect.binary(value) }
        var keys: [String] = []
        for k in o.keys { keys.append(try expression(k, scope)) }
        // Rows with no value are placed apart from the others, and given none.
        let partition = "PARTITION BY " + (keys + ["(\(value) IS NULL)"]).joined(separator: ", ")
        let order: String
        if let direction {
            // Better low: the lowest first; better high, or no direction: the highest first.
            order = "CASE WHEN \(direction) = FALSE THEN \(value) ELSE - \(value) END ASC"
        } else {
            order = "\(value) \((o.descending ?? true) ? "DESC" : "ASC")"
        }
        let place = "rank() OVER (\(partition) ORDER BY \(order))"
        let name = try quoted(node.schema.columns.last?.name ?? "rank", at: node.range)
        switch o.output {
        case .rank:
            return "SELECT *, CASE WHEN \(value) IS NULL THEN NULL ELSE \(place) END AS \(name) FROM \(input.name)"
        case .quartile:
            // The place and the group's rows first, then the band from them: whole-number
            // division written so that both dialects divide exactly (DuckDB's `/` gives doubles).
            let placeName = own("place"), rowsName = own("rows")
            let placed = add("SELECT *, \(place) AS \(placeName), count(\(value)) OVER (\(partition)) AS \(rowsName) FROM \(input.name)",
                             schema: input.schema, present: input.present, order: input.order)
            let x = "((\(placeName) - 1) * 4)"
            let band = "((\(x) - \(x) % \(rowsName)) / \(rowsName))"
            return "SELECT *, CASE WHEN \(value) IS NULL THEN NULL WHEN \(band) < 1 THEN 'A' WHEN \(band) < 2 THEN 'B' WHEN \(band) < 3 THEN 'C' ELSE 'D' END AS \(name) FROM \(placed.name)"
        }
    }

    /// The direction `rank`/`quartile` take from the `measures` table when none is written:
    /// a group of one measure follows that measure's `higher_is_better`; a group mixing
    /// measures, or of one `measures` does not know, ranks the highest first.
    private mutating func polarity(_ o: RankOperator, measure m: Int, input: Relation, scope: SQLScope,
                                   node: PlanNode) throws(Diagnostic) -> (Relation, String) {
        guard o.value.type == .number, let measures = schemas("measures"),
              let code = measures.index(of: "measure"), let higher = measures.index(of: "higher_is_better"),
              measures.columns[higher].type == .bool else {
            throw Diagnostic.error(.noSQLForm("\(o.output.rawValue) with no asc or desc here (the direction comes from each measure's polarity)"),
                                   at: node.range)
        }
        var keys: [String] = []
        for k in o.keys { keys.append(try expression(k, scope)) }
        let value = try expression(o.value, scope)
        let partition = "PARTITION BY " + (keys + ["(\(value) IS NULL)"]).joined(separator: ", ")
        let measure = scope.columns[m]
        let low = own("measure_low"), high = own("measure_high"), direction = own("higher_is_better")
        let bounds = add("SELECT *, min(\(measure)) OVER (\(partition)) AS \(low), max(\(measure)) OVER (\(partition)) AS \(high) FROM \(input.name)",
                         schema: input.schema, present: input.present, order: input.order)
        let measuresTable = try quoted("measures", at: nil)
        let codeName = try quoted(measures.columns[code].name, at: nil), higherName = try quoted(measures.columns[higher].name, at: nil)
        let joined = add("SELECT b.*, CASE WHEN b.\(low) = b.\(high) THEN p.\(higherName) END AS \(direction) FROM \(bounds.name) AS b LEFT JOIN \(measuresTable) AS p ON p.\(codeName) = b.\(low)",
                         schema: input.schema, present: input.present, order: input.order)
        return (joined, direction)
    }

    /// `take N`'s N, which the checker has made a constant whole number.
    private func limit(_ e: CompiledExpression) throws(Diagnostic) -> String {
        guard case .constant(.number(let n)) = e.shape, let k = n.exactInteger, k >= 0 else {
            throw Diagnostic.error(.noSQLForm("a take count that is not a whole number known before the query runs"), at: e.range)
        }
        return String(k)
    }

    /// Sort keys as IQL orders them: nulls last either way, text byte by byte, ties in the
    /// input's order.
    private func sortKeys(_ keys: [(expression: CompiledExpression, descending: Bool)], _ scope: SQLScope,
                          then order: String) throws(Diagnostic) -> String {
        var out: [String] = []
        for (e, descending) in keys {
            var key = try expression(e, scope)
            if e.type == .text { key = dialect.binary(key) }
            out.append(key + (descending ? " DESC" : " ASC") + " NULLS LAST")
        }
        return (out + [order]).joined(separator: ", ")
    }

    private mutating func aggregate(_ o: AggregateOperator, input: Relation, scope: SQLScope, node: PlanNode) throws(Diagnostic) -> Relation {
        var aggregates: [String] = []
        for call in o.aggregates { aggregates.append(try aggregateSQL(call, scope)) }
        var itemScope = scope
        itemScope.aggregates = aggregates
        // A key read by an item is the key's output column; any other column has no one
        // value for the group.
        itemScope.groupKeys = o.keys.map { k in if case .column(let i) = k.shape { i } else { -1 } }
        var items: [String] = [], keyNames: [String] = []
        for (k, field) in zip(o.keys, node.schema.columns) {
            let n = try quoted(field.name, at: node.range)
            var key = try expression(k, scope)
            if k.type == .text { key = dialect.binary(key) }
            items.append("\(key) AS \(n)")
            keyNames.append(n)
        }
        for (e, field) in zip(o.items, node.schema.columns.dropFirst(o.keys.count)) {
            items.append("\(try expression(e, itemScope)) AS \(try quoted(field.name, at: node.range))")
        }
        let present = Set(node.schema.names)
        let order = own("order")
        guard !o.keys.isEmpty else {
            return add("SELECT \(items.joined(separator: ", ")), 1 AS \(order) FROM \(input.name)",
                       schema: node.schema, present: present, order: order)
        }
        let positions = (1...o.keys.count).map(String.init).joined(separator: ", ")
        let grouped = add("SELECT \(items.joined(separator: ", ")) FROM \(input.name) GROUP BY \(positions)",
                          schema: node.schema, present: present, order: order)
        // Groups in key order, nulls last.
        let byKeys = keyNames.map { "\($0) ASC NULLS LAST" }.joined(separator: ", ")
        return add("SELECT *, row_number() OVER (ORDER BY \(byKeys)) AS \(order) FROM \(grouped.name)",
                   schema: node.schema, present: present, order: order)
    }

    private mutating func join(_ o: JoinOperator, input: Relation, node: PlanNode) throws(Diagnostic) -> Relation {
        // Only the right side's keys and the columns carried are read.
        let right = try table(o.right, columns: Set(o.keys.map(\.right) + o.rightColumns), for: "a join", at: node.range)
        let l = try scope(input), r = try scope(right)
        var on: [String] = []
        for pair in o.keys { on.append("l.\(l.columns[pair.left]) = r.\(r.columns[pair.right])") }
        let condition = on.joined(separator: " AND ")
        if o.kind == .anti {
            return add("SELECT l.* FROM \(input.name) AS l WHERE NOT EXISTS (SELECT 1 FROM \(right.name) AS r WHERE \(condition))",
                       schema: node.schema, present: input.present, order: input.order)
        }
        var items = ["l.*"], present = input.present
        for (k, i) in o.rightColumns.enumerated() {
            let field = node.schema.columns[input.schema.columns.count + k]
            items.append("r.\(r.columns[i]) AS \(try quoted(field.name, at: node.range))")
            present.insert(field.name)
        }
        let kind = o.kind == .left ? "LEFT JOIN" : "JOIN"
        let order = own("order")
        return add("SELECT \(items.joined(separator: ", ")), row_number() OVER (ORDER BY l.\(input.order), r.\(right.order)) AS \(order) FROM \(input.name) AS l \(kind) \(right.name) AS r ON \(condition)",
                   schema: node.schema, present: present, order: order)
    }

    // MARK: - Ratings

    /// A rating column's text (Ofsted's wording, `Rating.wording`) as its rank (`rawValue`).
    func ratingRank(_ sql: String) -> String {
        "CASE \(sql)" + Rating.allCases.map { " WHEN '\($0.wording)' THEN \($0.rawValue)" }.joined() + " END"
    }

    /// A rank as Ofsted's wording.
    func ratingText(_ sql: String) -> String {
        "CASE \(sql)" + Rating.allCases.map { " WHEN \($0.rawValue) THEN '\($0.wording)'" }.joined() + " END"
    }
}

extension PipelinePlan {
    /// Every column name the plan's relations hold, for an order column's name that none has.
    var allColumnNames: Set<String> {
        var names = Set(sourceSchema.names)
        for node in nodes { names.formUnion(node.schema.names) }
        return names
    }
}
