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

    /// A relation the statement has made so far: its CTE name and the IQL columns it holds.
    struct Relation {
        var name: String
        var schema: Schema
    }

    private var ctes: [(name: String, sql: String)] = []
    /// `let` tables compiled earlier in the script, by name.
    private var tables: [String: Relation] = [:]
    /// The order column's name: one that no column of the script has.
    private(set) var order = "iql_order"
    private var counter = 0

    init(dialect: SQLDialect, values: [String: Value] = [:], schemas: @escaping (String) -> Schema?) {
        self.dialect = dialect
        self.values = values
        self.schemas = schemas
    }

    /// The SQL of each pipeline in the script (a `let` table becomes CTEs the later ones use).
    mutating func compile(_ script: CheckedScript) throws(Diagnostic) -> [String] {
        var names: Set<String> = []
        for case .pipeline(let p, _) in script.statements { names.formUnion(p.allColumnNames) }
        for case .letTable(_, let p) in script.statements { names.formUnion(p.allColumnNames) }
        while names.contains(order) || names.contains(order + "_rank") { order += "_" }
        var out: [String] = []
        for statement in script.statements {
            switch statement {
            case .pipeline(let plan, _):
                out.append(try statementSQL(plan))
            case .letTable(let name, let plan):
                tables[name] = try relation(plan)
            case .letValue(let name, let e):
                guard case .constant(let v) = e.shape else {
                    throw Diagnostic.error(.noSQLForm("a let value that is not a constant"), at: e.range)
                }
                values[name] = v
            case .param(let name, let v):
                values[name] = v
            case .assert(let a):
                throw Diagnostic.error(.noSQLForm("assert"), at: a.range)
            }
        }
        return out
    }

    /// One pipeline as a statement: its CTEs, then the rows in IQL's order.
    private mutating func statementSQL(_ plan: PipelinePlan) throws(Diagnostic) -> String {
        let result = try relation(plan)
        var items: [String] = []
        for field in result.schema.columns {
            let column = try quoted(field.name, at: nil)
            items.append(field.type == .rating ? "\(ratingText(column)) AS \(column)" : column)
        }
        let with = ctes.isEmpty ? "" : "WITH " + ctes.map { "\($0.name) AS (\n  \($0.sql)\n)" }.joined(separator: ",\n") + "\n"
        ctes = []
        return with + "SELECT \(items.joined(separator: ", "))\nFROM \(result.name)\nORDER BY \(try quoted(order, at: nil))"
    }

    /// The plan's stages as CTEs; the last one's relation.
    private mutating func relation(_ plan: PipelinePlan) throws(Diagnostic) -> Relation {
        var current: Relation
        switch plan.source {
        case .dataset(let name):
            current = try scan(name, plan.sourceSchema)
        case .binding(let name):
            guard let r = tables[name] else {
                throw Diagnostic.error(.noSQLForm("a let table made before this script"), at: plan.nodes.first?.range)
            }
            current = r
        }
        for (k, node) in plan.nodes.enumerated() {
            current = try stage(node, input: current, inputSchema: plan.input(of: k))
        }
        return current
    }

    // MARK: - Relations

    private mutating func add(_ sql: String, schema: Schema) -> Relation {
        counter += 1
        let name = "s\(counter)"
        ctes.append((name, sql))
        return Relation(name: name, schema: schema)
    }

    /// A dataset's rows with their stored order, ratings as ranks.
    private mutating func scan(_ dataset: String, _ schema: Schema) throws(Diagnostic) -> Relation {
        var items: [String] = []
        for field in schema.columns {
            let column = try quoted(field.name, at: nil)
            items.append(field.type == .rating ? "\(ratingRank(column)) AS \(column)" : column)
        }
        items.append("\(dialect.rowOrder) AS \(try quoted(order, at: nil))")
        return add("SELECT \(items.joined(separator: ", ")) FROM \(try quoted(dataset, at: nil))", schema: schema)
    }

    /// The columns of a relation, quoted, in order, then the order column.
    func columns(_ r: Relation, prefix: String = "") throws(Diagnostic) -> [String] {
        var out: [String] = []
        for field in r.schema.columns { out.append(prefix + (try quoted(field.name, at: nil))) }
        return out
    }

    var orderColumn: String { "\"" + order + "\"" }

    func quoted(_ name: String, at range: SourceRange?) throws(Diagnostic) -> String {
        do {
            return try SQLText.identifier(name)
        } catch {
            throw Diagnostic.error(.noSQLForm(error.what), at: range)
        }
    }

    // MARK: - Stages

    private mutating func stage(_ node: PlanNode, input: Relation, inputSchema: Schema) throws(Diagnostic) -> Relation {
        let names = try columns(input)
        let all = (names + [orderColumn]).joined(separator: ", ")
        var scope = SQLScope(columns: names, types: input.schema.columns.map(\.type))
        switch node.step {
        case .filter(let o):
            return add("SELECT \(all) FROM \(input.name) WHERE \(try expression(o.condition, scope))", schema: node.schema)

        case .select(let o):
            var items: [String] = []
            for (e, field) in zip(o.items, node.schema.columns) {
                items.append("\(try expression(e, scope)) AS \(try quoted(field.name, at: node.range))")
            }
            return add("SELECT \(items.joined(separator: ", ")), \(orderColumn) FROM \(input.name)", schema: node.schema)

        case .derive(let o):
            // One CTE an item: a later item reads the columns the earlier ones made.
            var current = input
            var schema = input.schema
            var keys: [String] = []
            for k in o.keys { keys.append(try expression(k, scope)) }
            let time = try o.timeColumn.map { (i: Int) throws(Diagnostic) in names[i] }
            for item in o.items {
                let cols = try columns(current)
                scope = SQLScope(columns: cols, types: schema.columns.map(\.type))
                scope.window = SQLScope.Window(partition: keys, time: time)
                let value = try expression(item.expression, scope)
                var items = cols
                if let r = item.replacing {
                    items[r] = "\(value) AS \(cols[r])"
                    schema.columns[r] = item.column
                } else {
                    items.append("\(value) AS \(try quoted(item.column.name, at: node.range))")
                    schema.columns.append(item.column)
                }
                current = add("SELECT \(items.joined(separator: ", ")), \(orderColumn) FROM \(current.name)", schema: schema)
            }
            return Relation(name: current.name, schema: node.schema)

        case .sort(let o):
            var by: [String] = []
            for k in o.keys { by.append(try sortKey(k.expression, descending: k.descending, scope)) }
            by.append(orderColumn)
            return add("SELECT \(names.joined(separator: ", ")), row_number() OVER (ORDER BY \(by.joined(separator: ", "))) AS \(orderColumn) FROM \(input.name)",
                       schema: node.schema)

        case .take(let o):
            return add("SELECT \(all) FROM \(input.name) ORDER BY \(orderColumn) LIMIT \(try limit(o.count))", schema: node.schema)

        case .topN(let o):
            var by: [String] = []
            for k in o.keys { by.append(try sortKey(k.expression, descending: k.descending, scope)) }
            by.append(orderColumn)
            let sorted = add("SELECT \(names.joined(separator: ", ")), row_number() OVER (ORDER BY \(by.joined(separator: ", "))) AS \(orderColumn) FROM \(input.name)",
                             schema: node.schema)
            return add("SELECT \(all) FROM \(sorted.name) ORDER BY \(orderColumn) LIMIT \(try limit(o.take.count))", schema: node.schema)

        case .aggregate(let o):
            return try aggregate(o, input: input, scope: scope, node: node)

        case .distinct(let o):
            var items: [String] = [], outNames: [String] = []
            if o.keys.isEmpty {
                items = names
                outNames = names
            } else {
                for (e, field) in zip(o.keys, node.schema.columns) {
                    let n = try quoted(field.name, at: node.range)
                    items.append("\(try expression(e, scope)) AS \(n)")
                    outNames.append(n)
                }
            }
            let positions = (1...max(1, items.count)).map(String.init).joined(separator: ", ")
            // Distinct rows in the order of their first appearance.
            return add("SELECT \(items.joined(separator: ", ")), min(\(orderColumn)) AS \(orderColumn) FROM \(input.name) GROUP BY \(positions)",
                       schema: node.schema)

        case .join(let o):
            return try join(o, input: input, node: node)

        case .latest(let o):
            var keys: [String] = []
            for k in o.keys { keys.append(try expression(k, scope)) }
            var sortedKeys: [String] = []
            for k in o.keys { sortedKeys.append(try sortKey(k, descending: false, scope)) }
            let time = names[o.column]
            let rank = try quoted(order + "_rank", at: nil)
            var condition = "\(time) IS NOT NULL"
            if let asOf = o.asOf { condition += " AND \(time) <= \(try expression(asOf, scope))" }
            let partition = keys.isEmpty ? "" : "PARTITION BY \(keys.joined(separator: ", ")) "
            let ranked = add("SELECT \(all), row_number() OVER (\(partition)ORDER BY \(time) DESC, \(orderColumn) DESC) AS \(rank) FROM \(input.name) WHERE \(condition)",
                             schema: node.schema)
            // One row a group, the groups in key order.
            let byKeys = (sortedKeys + [orderColumn]).joined(separator: ", ")
            return add("SELECT \(names.joined(separator: ", ")), row_number() OVER (ORDER BY \(byKeys)) AS \(orderColumn) FROM \(ranked.name) WHERE \(rank) = 1",
                       schema: node.schema)

        case .rank(let o): throw Diagnostic.error(.noSQLForm(o.output == .rank ? "rank" : "quartile"), at: node.range)
        case .compare: throw Diagnostic.error(.noSQLForm("compare"), at: node.range)
        case .pivot: throw Diagnostic.error(.noSQLForm("pivot"), at: node.range)
        case .unpivot: throw Diagnostic.error(.noSQLForm("unpivot"), at: node.range)
        case .chart: throw Diagnostic.error(.noSQLForm("chart"), at: node.range)
        case .diff: throw Diagnostic.error(.noSQLForm("diff"), at: node.range)
        }
    }

    /// `take N`'s N, which the checker has made a constant whole number.
    private func limit(_ e: CompiledExpression) throws(Diagnostic) -> String {
        guard case .constant(.number(let n)) = e.shape, let k = n.exactInteger, k >= 0 else {
            throw Diagnostic.error(.noSQLForm("a take count that is not a whole number known before the query runs"), at: e.range)
        }
        return String(k)
    }

    /// A sort key as IQL orders it: nulls last either way, text byte by byte.
    private func sortKey(_ e: CompiledExpression, descending: Bool, _ scope: SQLScope) throws(Diagnostic) -> String {
        var key = try expression(e, scope)
        if e.type == .text { key = dialect.binary(key) }
        return key + (descending ? " DESC" : " ASC") + " NULLS LAST"
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
        guard !o.keys.isEmpty else {
            return add("SELECT \(items.joined(separator: ", ")), 1 AS \(orderColumn) FROM \(input.name)", schema: node.schema)
        }
        let positions = (1...o.keys.count).map(String.init).joined(separator: ", ")
        let grouped = add("SELECT \(items.joined(separator: ", ")) FROM \(input.name) GROUP BY \(positions)", schema: node.schema)
        // Groups in key order, nulls last.
        let byKeys = keyNames.map { "\($0) ASC NULLS LAST" }.joined(separator: ", ")
        let outNames = try columns(grouped).joined(separator: ", ")
        return add("SELECT \(outNames), row_number() OVER (ORDER BY \(byKeys)) AS \(orderColumn) FROM \(grouped.name)", schema: node.schema)
    }

    private mutating func join(_ o: JoinOperator, input: Relation, node: PlanNode) throws(Diagnostic) -> Relation {
        let right: Relation
        switch o.right {
        case .dataset(let name):
            // The right dataset's whole schema, as the checker saw it.
            guard let schema = schemas(name) else { throw Diagnostic.error(.noSQLForm("this join"), at: node.range) }
            right = try scan(name, schema)
        case .binding(let name):
            guard let r = tables[name] else { throw Diagnostic.error(.noSQLForm("a join with a let table made before this script"), at: node.range) }
            right = r
        }
        let leftNames = try columns(input), rightNames = try columns(right)
        var on: [String] = []
        for pair in o.keys { on.append("l.\(leftNames[pair.left]) = r.\(rightNames[pair.right])") }
        let condition = on.joined(separator: " AND ")
        if o.kind == .anti {
            let items = leftNames.map { "l." + $0 }.joined(separator: ", ")
            return add("SELECT \(items), l.\(orderColumn) FROM \(input.name) AS l WHERE NOT EXISTS (SELECT 1 FROM \(right.name) AS r WHERE \(condition))",
                       schema: node.schema)
        }
        var items = leftNames.map { "l." + $0 }
        for (k, i) in o.rightColumns.enumerated() {
            let field = node.schema.columns[input.schema.columns.count + k]
            items.append("r.\(rightNames[i]) AS \(try quoted(field.name, at: node.range))")
        }
        let kind = o.kind == .left ? "LEFT JOIN" : "JOIN"
        return add("SELECT \(items.joined(separator: ", ")), row_number() OVER (ORDER BY l.\(orderColumn), r.\(orderColumn)) AS \(orderColumn) FROM \(input.name) AS l \(kind) \(right.name) AS r ON \(condition)",
                   schema: node.schema)
    }

    // MARK: - Ratings

    /// A rating column's text as its rank.
    func ratingRank(_ sql: String) -> String {
        "CASE \(sql) WHEN 'Inadequate' THEN 1 WHEN 'Requires improvement to be good' THEN 2 WHEN 'Good' THEN 3 WHEN 'Outstanding' THEN 4 END"
    }

    /// A rank as Ofsted's wording.
    func ratingText(_ sql: String) -> String {
        "CASE \(sql) WHEN 1 THEN 'Inadequate' WHEN 2 THEN 'Requires improvement to be good' WHEN 3 THEN 'Good' WHEN 4 THEN 'Outstanding' END"
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
