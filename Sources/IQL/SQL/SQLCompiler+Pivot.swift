import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// `pivot` and `unpivot` in SQL, when the checker knew the columns they make (listed with
/// `values`, or read from the rows when the query was checked): the columns of a SQL
/// statement are fixed before it runs, so a pivot whose columns only its rows decide has no
/// SQL form.
extension SQLCompiler {
    /// One row per combination of the keys, where it first appears; for each head, the value
    /// of the last row with that head (as iql's pivot overwrites a cell, a null included). Two
    /// values for one cell, a row's coming where the cell already holds one, is an error in
    /// the database as in iql.
    mutating func pivot(_ o: PivotOperator, input: Relation, scope: SQLScope, node: PlanNode) throws(Diagnostic) -> Relation {
        guard let heads = o.heads else {
            throw Diagnostic.error(.noSQLForm("a pivot whose columns only its rows decide"), at: node.range)
        }
        let column = scope.columns[o.column], value = scope.columns[o.value]
        let keys = o.keys.map { scope.columns[$0] }
        let type = input.schema.columns[o.column].type
        var matches: [String] = []
        for head in heads {
            matches.append(head.isNull ? "\(column) IS NULL" : "\(column) = \(try literal(head, type: type, at: node.range))")
        }
        let anyHead = matches.isEmpty ? "FALSE" : matches.map { "(\($0))" }.joined(separator: " OR ")
        let partition = (keys + [column]).joined(separator: ", ")
        let message: String
        do {
            message = try SQLText.literal("pivot: two values for one cell of " + input.schema.columns[o.column].name)
        } catch {
            throw Diagnostic.error(.noSQLForm(error.what), at: node.range)
        }
        let checked = own("checked")
        let withCheck = add("""
            SELECT *, CASE WHEN (\(anyHead)) AND \(value) IS NOT NULL AND lag(\(value)) OVER (PARTITION BY \(partition) ORDER BY \(input.order)) IS NOT NULL THEN \(failing(message)) ELSE TRUE END AS \(checked) FROM \(input.name)
            """, schema: input.schema, present: input.present, order: input.order)
        // The filter makes the database evaluate the check on every row.
        let filtered = add("SELECT * FROM \(withCheck.name) WHERE \(checked)", schema: input.schema, present: input.present, order: input.order)
        var items: [String] = []
        for (k, field) in zip(keys, node.schema.columns) { items.append("\(k) AS \(try quoted(field.name, at: node.range))") }
        for (match, field) in zip(matches, node.schema.columns.dropFirst(keys.count)) {
            items.append("(array_agg(\(value) ORDER BY \(input.order) DESC) FILTER (WHERE \(match)))[1] AS \(try quoted(field.name, at: node.range))")
        }
        let order = own("order")
        items.append("min(\(input.order)) AS \(order)")
        // With no keys, no rows make no row (SQL's aggregate would make one).
        let group = keys.isEmpty ? " HAVING count(*) > 0" : " GROUP BY \(keys.joined(separator: ", "))"
        return add("SELECT \(items.joined(separator: ", ")) FROM \(filtered.name)\(group)",
                   schema: node.schema, present: Set(node.schema.names), order: order)
    }

    /// Each input row becomes one row per column turned, in the columns' order: a `UNION ALL`
    /// of one select per column, then numbered by the input's order and the column's place.
    mutating func unpivot(_ o: UnpivotOperator, input: Relation, scope: SQLScope, node: PlanNode) throws(Diagnostic) -> Relation {
        let keySet = Set(o.keys)
        let wanted = o.columns ?? input.schema.names.filter { !keySet.contains($0) }
        guard !wanted.isEmpty, o.keys.count + 2 == node.schema.columns.count else {
            throw Diagnostic.error(.noSQLForm("this unpivot"), at: node.range)
        }
        var keyItems: [String] = []
        for (k, field) in zip(o.keys, node.schema.columns) {
            guard let i = input.schema.index(of: k) else { throw Diagnostic.error(.noSQLForm("this unpivot"), at: node.range) }
            keyItems.append("\(scope.columns[i]) AS \(try quoted(field.name, at: node.range))")
        }
        let nameField = node.schema.columns[o.keys.count], valueField = node.schema.columns[o.keys.count + 1]
        let place = own("place")
        var selects: [String] = []
        for (n, name) in wanted.enumerated() {
            // A column pivot made is missing only when its rows decided it: iql says which at run time.
            guard let i = input.schema.index(of: name) else {
                throw Diagnostic.error(.noSQLForm("an unpivot of columns only the rows decide"), at: node.range)
            }
            let nameValue: Value
            if nameField.type == .number {
                guard let v = Value.parseLiteral(name), v.type == .number else {
                    throw Diagnostic.error(.noSQLForm("an unpivot whose names are numbers and text"), at: node.range)
                }
                nameValue = v
            } else {
                nameValue = .text(name)
            }
            let items = keyItems + [
                "\(try literal(nameValue, type: nameField.type, at: node.range)) AS \(try quoted(nameField.name, at: node.range))",
                "\(scope.columns[i]) AS \(try quoted(valueField.name, at: node.range))",
                "\(input.order) AS \(input.order)", "\(n) AS \(place)",
            ]
            selects.append("SELECT \(items.joined(separator: ", ")) FROM \(input.name)")
        }
        let unioned = add(selects.joined(separator: "\n  UNION ALL "), schema: node.schema, present: Set(node.schema.names), order: input.order)
        let order = own("order")
        return add("SELECT *, row_number() OVER (ORDER BY \(input.order), \(place)) AS \(order) FROM \(unioned.name)",
                   schema: node.schema, present: Set(node.schema.names), order: order)
    }
}
