import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// `diff NAME on KEYS` as a full join on the keys, as `DiffOperator` computes it: a key
/// matches the same key (null the same null), a key that picks out two rows of either side is
/// an error in the database, rows in both whose shared columns are all equal are left out,
/// and the rest come in key order, nulls last.
extension SQLCompiler {
    mutating func diff(_ o: DiffOperator, input: Relation, scope: SQLScope, node: PlanNode) throws(Diagnostic) -> Relation {
        let other = try table(o.other, columns: Set(o.keys.map(\.old) + o.compared.map(\.old)), for: "diff", at: node.range)
        let keys = o.keys.map { _ in own("key") }, values = o.compared.map { _ in own("value") }
        let types = o.keys.map { input.schema.columns[$0.current].type }
        let here = own("here"), rows = own("rows"), change = own("change")

        // Each side's keys and shared columns, checked to have one row a key.
        func side(_ r: Relation, _ s: SQLScope, _ pick: ((current: Int, old: Int)) -> Int, _ what: String) throws(Diagnostic) -> Relation {
            var items: [String] = []
            for (k, name) in zip(o.keys, keys) { items.append("\(s.columns[pick(k)]) AS \(name)") }
            for (c, name) in zip(o.compared, values) { items.append("\(s.columns[pick(c)]) AS \(name)") }
            let partition = o.keys.map { s.columns[pick($0)] }.joined(separator: ", ")
            items += ["1 AS \(here)", "count(*) OVER (PARTITION BY \(partition)) AS \(rows)"]
            let counted = add("SELECT \(items.joined(separator: ", ")) FROM \(r.name)", schema: node.schema, present: [], order: r.order)
            let message: String
            do {
                message = try SQLText.literal("diff: two rows of \(what) have the same key; diff needs keys that pick out one row in each table")
            } catch {
                throw Diagnostic.error(.noSQLForm(error.what), at: node.range)
            }
            return add("SELECT * FROM \(counted.name) WHERE CASE WHEN \(rows) > 1 THEN \(failing(message)) ELSE TRUE END",
                       schema: node.schema, present: [], order: r.order)
        }
        let now = try side(input, scope, \.current, "the current result")
        let before = try side(other, try self.scope(other), \.old, o.other.name)

        var items: [String] = []
        for (i, name) in keys.enumerated() {
            items.append("COALESCE(n.\(name), o.\(name)) AS \(try quoted(node.schema.columns[i].name, at: node.range))")
        }
        let differs = values.isEmpty ? "FALSE" : values.map { "n.\($0) IS DISTINCT FROM o.\($0)" }.joined(separator: " OR ")
        items.append("CASE WHEN o.\(here) IS NULL THEN 'added' WHEN n.\(here) IS NULL THEN 'removed' WHEN \(differs) THEN 'changed' END AS \(change)")
        for (i, name) in values.enumerated() {
            let base = keys.count + 1 + 2 * i
            items.append("o.\(name) AS \(try quoted(node.schema.columns[base].name, at: node.range))")
            items.append("n.\(name) AS \(try quoted(node.schema.columns[base + 1].name, at: node.range))")
        }
        let on = zip(keys, types).map { nullSafeEqual("n.\($0)", "o.\($0)", $1) }.joined(separator: " AND ")
        let matched = add("SELECT \(items.joined(separator: ", ")) FROM \(now.name) AS n FULL JOIN \(before.name) AS o ON \(on)",
                          schema: node.schema, present: [], order: input.order)
        noteStages.append(StageNotesQuery(
            sql: "SELECT " + ["added", "removed", "changed"].map { "count(CASE WHEN \(change) = '\($0)' THEN 1 END)" }.joined(separator: ", ")
                + ", count(CASE WHEN \(change) IS NULL THEN 1 END) FROM \(matched.name)",
            stage: .diff(o)))

        // The changes in key order, nulls last, text byte by byte.
        var columns: [String] = [], order: [String] = []
        for (i, field) in node.schema.columns.enumerated() {
            let name = try quoted(field.name, at: node.range)
            columns.append(i == keys.count ? "\(change) AS \(name)" : name)
            if i < keys.count { order.append((field.type == .text ? dialect.binary(name) : name) + " ASC NULLS LAST") }
        }
        let position = own("order")
        return add("SELECT \(columns.joined(separator: ", ")), row_number() OVER (ORDER BY \(order.joined(separator: ", "))) AS \(position)"
                   + " FROM \(matched.name) WHERE \(change) IS NOT NULL",
                   schema: node.schema, present: Set(node.schema.names), order: position)
    }
}
