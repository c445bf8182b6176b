import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// `compare` as joins, computing what `CompareOperator` computes: every council's published
/// figure of the same measure and period (the source's last row for it, else the first of
/// its `_areas` companion with a value), the councils' plain averages by region and for
/// England where no figure is published, and the neighbours' plain average, all keyed by
/// council identity through the lookup `iql export` makes (`iql_council_names`: normalised
/// spelling → ONS code and region), so that every spelling a source uses resolves as in iql.
extension SQLCompiler {
    /// England's identity, the comparator every council has.
    private static let england = "'E92000001'"

    mutating func compare(_ o: CompareOperator, input: Relation, scope: SQLScope, node: PlanNode) throws(Diagnostic) -> Relation {
        guard councilLookup else {
            throw Diagnostic.error(.noSQLForm("compare without the table of council spellings \(SQLExport.councilLookup), which iql export makes"),
                                   at: node.range)
        }
        guard input.schema.columns[o.inputAuthority].type == .text else {
            throw Diagnostic.error(.noSQLForm("compare by an authority column that is not text"), at: node.range)
        }
        let lookup = try quoted(SQLExport.councilLookup, at: nil)
        let dims = o.dimensions.map { _ in own("dim") }
        let types = o.dimensions.map { input.schema.columns[$0.input].type }
        let value = own("value"), id = own("id"), region = own("region"), order = own("order")

        // The source's rows (and its companion's) with the identity and region of their council.
        let source = try table(o.source, columns: Set(o.dimensions.map(\.source) + [o.sourceAuthority, o.sourceValue]),
                               for: "compare", at: node.range)
        guard source.schema.columns[o.sourceAuthority].type == .text else {
            throw Diagnostic.error(.noSQLForm("compare over a source whose authority column is not text"), at: node.range)
        }
        // The measures and periods the input asks about: only those rows of the source are read.
        let wanted = dims.isEmpty ? nil : add("SELECT DISTINCT " + zip(o.dimensions, dims).map { "\(scope.columns[$0.input]) AS \($1)" }.joined(separator: ", ")
                                               + " FROM \(input.name)", schema: node.schema, present: [], order: order)
        func identified(_ r: Relation, dimensions: [Int], authority: Int, value v: Int) throws(Diagnostic) -> Relation {
            var s = try self.scope(r)
            // A column the relation left out (a `let` table's scan reads what it needs) is null.
            s.columns = s.columns.map { $0 == "NULL" ? $0 : "s.\($0)" }
            var items: [String] = []
            for (d, name) in zip(dimensions, dims) { items.append("\(s.columns[d]) AS \(name)") }
            items += ["\(s.columns[v]) AS \(value)", "\(s.columns[authority]) AS \(id)", "s.\(r.order) AS \(order)"]
            var rows = "SELECT \(items.joined(separator: ", ")) FROM \(r.name) AS s"
            if let wanted {
                // Each column among the input's values: more rows than the input's
                // combinations, which the joins below match exactly, but a test the database
                // hashes once (a semi-join on all of them costs it more than the rest).
                let each = zip(dimensions, dims).map { d, name in
                    "(\(s.columns[d]) IN (SELECT \(name) FROM \(wanted.name)) OR \(s.columns[d]) IS NULL)"
                }
                rows += " WHERE " + each.joined(separator: " AND ")
            }
            let read = add(rows, schema: r.schema, present: [], order: order)
            return add("SELECT \((dims + [value]).map { "s.\($0)" }.joined(separator: ", ")), n.\"identity\" AS \(id), n.\"region\" AS \(region), s.\(order)"
                       + " FROM \(read.name) AS s JOIN \(lookup) AS n ON n.\"key\" = \(councilKey("s.\(id)"))",
                       schema: r.schema, present: [], order: order)
        }
        let rows = try identified(source, dimensions: o.dimensions.map(\.source), authority: o.sourceAuthority, value: o.sourceValue)
        var companion: Relation?
        if case .dataset(let name)? = o.areas, let schema = schemas(name) {
            // By the source's column names, as `CompareOperator` reads it; a companion without them adds nothing.
            let names = source.schema.columns.map(\.name)
            let columns = o.dimensions.compactMap { schema.index(of: names[$0.source]) }
            if columns.count == o.dimensions.count, let a = schema.index(of: names[o.sourceAuthority]),
               schema.columns[a].type == .text, let v = schema.index(of: names[o.sourceValue]) {
                let scanned = try scan(name, schema, columns: Set(columns + [a, v]))
                companion = try identified(scanned, dimensions: columns, authority: a, value: v)
            }
        }

        // Each council's published figure: the source's last row, else the companion's first with a value.
        let keys = (dims + [id]).joined(separator: ", ")
        let from = own("from"), place = own("place"), pick = own("pick")
        var candidates = "SELECT \(keys), \(value), 0 AS \(from), row_number() OVER (PARTITION BY \(keys) ORDER BY \(order) DESC) AS \(place) FROM \(rows.name)"
        if let companion {
            candidates += " UNION ALL SELECT \(keys), \(value), 1, row_number() OVER (PARTITION BY \(keys) ORDER BY \(order)) FROM \(companion.name) WHERE \(value) IS NOT NULL"
        }
        let firsts = add(candidates, schema: node.schema, present: [], order: order)
        let ranked = add("SELECT *, row_number() OVER (PARTITION BY \(keys) ORDER BY (\(value) IS NULL), \(from)) AS \(pick) FROM \(firsts.name) WHERE \(place) = 1",
                         schema: node.schema, present: [], order: order)
        let published = add("SELECT \(keys), \(value), \(from) FROM \(ranked.name) WHERE \(pick) = 1",
                            schema: node.schema, present: [], order: order)

        // The councils' plain averages, by region and for England.
        let double = dialect.doubleType
        // Averages as a sum and a count, exact, so that a figure and its difference from the
        // council's are each one division, rounded once as iql's exact arithmetic rounds it.
        let total = own("total"), count = own("count")
        var averages: Relation?
        if o.comparators.contains(where: { $0 != .neighbours }) {
            let valued = "FROM \(rows.name) WHERE \(region) IS NOT NULL AND \(value) IS NOT NULL"
            let mean = "sum(\(value)) AS \(total), count(\(value)) AS \(count)"
            let byDims = dims.isEmpty ? "" : " GROUP BY " + dims.joined(separator: ", ")
            let lead = dims.isEmpty ? "" : dims.joined(separator: ", ") + ", "
            averages = add("SELECT \(lead)\(region) AS \(id), \(mean) \(valued) GROUP BY \(lead)\(region)"
                           + " UNION ALL SELECT \(lead)\(Self.england), \(mean) \(valued)\(byDims)",
                           schema: node.schema, present: [], order: order)
        }

        // The input's rows with their council's identity and region.
        let authority = scope.columns[o.inputAuthority]
        let rowsIn = add("SELECT i.*, n.\"identity\" AS \(id), n.\"region\" AS \(region) FROM \(input.name) AS i LEFT JOIN \(lookup) AS n ON n.\"key\" = \(councilKey("i.\(authority)"))",
                         schema: input.schema, present: input.present, order: input.order)
        let inputDims = o.dimensions.map { "j.\(scope.columns[$0.input])" }
        func same(_ alias: String) -> [String] {
            zip(zip(inputDims, dims), types).map { pair, type in nullSafeEqual(pair.0, "\(alias).\(pair.1)", type) }
        }

        var joins: [String] = [], items: [String] = [], findings: [String] = []
        let ownValue = "j.\(scope.columns[o.inputValue])"
        let added = Array(node.schema.columns.suffix(o.comparators.count * 2))
        for (i, comparator) in o.comparators.enumerated() {
            let valueName = try quoted(added[2 * i].name, at: node.range), diffName = try quoted(added[2 * i + 1].name, at: node.range)
            let how = own("how")
            let figure: String, difference: String, found: String
            switch comparator {
            case .neighbours:
                let averaged = try neighbourAverages(of: rowsIn, dims: dims, inputDims: o.dimensions.map { scope.columns[$0.input] },
                                                     types: types, id: id, value: value, total: total, count: count,
                                                     published: published, node: node)
                joins.append("LEFT JOIN \(averaged.relation.name) AS nv ON " + (same("nv") + ["nv.\(id) = j.\(id)"]).joined(separator: " AND "))
                figure = "CASE WHEN nv.\(count) > 0 THEN CAST(nv.\(total) AS \(double)) / nv.\(count) END"
                difference = "CASE WHEN nv.\(count) > 0 THEN CAST(\(ownValue) * nv.\(count) - nv.\(total) AS \(double)) / nv.\(count) END"
                // 1: some neighbours have no value, and the average is over the rest.
                found = "CASE WHEN nv.\(count) < nv.\(averaged.listed) THEN 1 ELSE 0 END"
            case .region, .england:
                let p = comparator == .region ? "pr" : "pe", c = comparator == .region ? "cr" : "ce"
                let target = comparator == .region ? ["\(p).\(id) = j.\(region)"] : ["\(p).\(id) = \(Self.england)", "j.\(id) IS NOT NULL"]
                let averageTarget = comparator == .region ? ["\(c).\(id) = j.\(region)"] : ["\(c).\(id) = \(Self.england)", "j.\(id) IS NOT NULL"]
                joins.append("LEFT JOIN \(published.name) AS \(p) ON " + (same(p) + target).joined(separator: " AND "))
                if let averages {
                    joins.append("LEFT JOIN \(averages.name) AS \(c) ON " + (same(c) + averageTarget).joined(separator: " AND "))
                }
                let average = averages == nil ? "NULL" : "CAST(\(c).\(total) AS \(double)) / \(c).\(count)"
                let fromAverage = averages == nil ? "NULL" : "CAST(\(ownValue) * \(c).\(count) - \(c).\(total) AS \(double)) / \(c).\(count)"
                figure = "CASE WHEN \(p).\(value) IS NOT NULL THEN CAST(\(p).\(value) AS \(double)) ELSE \(average) END"
                difference = "CASE WHEN \(p).\(value) IS NOT NULL THEN CAST(\(ownValue) - \(p).\(value) AS \(double)) ELSE \(fromAverage) END"
                // 1: published in the source, 2: in its companion, 3: the councils' average, 0: none.
                found = "CASE WHEN \(p).\(value) IS NOT NULL THEN \(p).\(from) + 1 WHEN \(average) IS NOT NULL THEN 3 ELSE 0 END"
            }
            items += ["\(figure) AS \(valueName)", "\(difference) AS \(diffName)", "\(found) AS \(how)"]
            findings += [how, valueName]
        }
        let measured = add("SELECT j.*, \(items.joined(separator: ", ")) FROM \(rowsIn.name) AS j " + joins.joined(separator: " "),
                           schema: node.schema, present: input.present, order: input.order)

        // What the notes under the result need, read from this relation by a query of its own.
        var notes: [String] = []
        let ownColumn = scope.columns[o.inputValue]
        for (i, comparator) in o.comparators.enumerated() {
            let how = findings[2 * i], figure = findings[2 * i + 1]
            let gap = "\(ownColumn) IS NOT NULL AND \(figure) IS NULL"
            notes += [comparator == .neighbours ? "count(CASE WHEN \(how) = 1 THEN 1 END)" : "max(CASE WHEN \(how) = 2 THEN 1 ELSE 0 END)",
                      "max(CASE WHEN \(how) = 3 THEN 1 ELSE 0 END)",
                      "count(CASE WHEN \(gap) THEN 1 END)",
                      "(SELECT \(authority) FROM \(measured.name) WHERE \(gap) ORDER BY \(input.order) LIMIT 1)"]
        }
        noteStages.append(StageNotesQuery(sql: "SELECT \(notes.joined(separator: ", ")) FROM \(measured.name)", stage: .compare(o)))

        var columns: [String] = []
        for field in input.schema.columns where input.present.contains(field.name) { columns.append(try quoted(field.name, at: nil)) }
        for field in added { columns.append(try quoted(field.name, at: node.range)) }
        return add("SELECT \(columns.joined(separator: ", ")), \(input.order) FROM \(measured.name)",
                   schema: node.schema, present: input.present.union(added.map(\.name)), order: input.order)
    }

    /// Each council's neighbours' plain average of their published figures (over those with
    /// one), for the measures and periods of the input's rows, with how many neighbours the
    /// council has and how many had a figure.
    private mutating func neighbourAverages(of rowsIn: Relation, dims: [String], inputDims: [String], types: [ValueType],
                                            id: String, value: String, total: String, count: String, published: Relation,
                                            node: PlanNode) throws(Diagnostic) -> (relation: Relation, listed: String) {
        guard let schema = schemas("neighbours"), let a = schema.index(of: "authority_code"), let b = schema.index(of: "neighbour_code"),
              schema.columns[a].type == .text, schema.columns[b].type == .text else {
            throw Diagnostic.error(.noSQLForm("compare with neighbours without the neighbours dataset"), at: node.range)
        }
        let lookup = try quoted(SQLExport.councilLookup, at: nil)
        let table = try scan("neighbours", schema, columns: [a, b])
        let s = try scope(table)
        let other = own("other")
        let pairs = add("SELECT x.\"identity\" AS \(id), y.\"identity\" AS \(other) FROM \(table.name) AS s"
                        + " JOIN \(lookup) AS x ON x.\"key\" = \(councilKey("s.\(s.columns[a])"))"
                        + " JOIN \(lookup) AS y ON y.\"key\" = \(councilKey("s.\(s.columns[b])"))",
                        schema: node.schema, present: [], order: table.order)
        let wanted = add("SELECT DISTINCT " + zip(inputDims, dims).map { "\($0) AS \($1)" }.joined(separator: ", ") + (dims.isEmpty ? "" : ", ")
                         + "\(id) FROM \(rowsIn.name) WHERE \(id) IS NOT NULL",
                         schema: node.schema, present: [], order: table.order)
        let listed = own("listed")
        let match = zip(dims, types).map { nullSafeEqual("k.\($0)", "p.\($0)", $1) } + ["p.\(id) = nb.\(other)"]
        let grouped = (dims.map { "k.\($0)" } + ["k.\(id)"]).joined(separator: ", ")
        let averaged = add("SELECT \(grouped), sum(p.\(value)) AS \(total), count(p.\(value)) AS \(count), count(*) AS \(listed)"
                           + " FROM \(wanted.name) AS k JOIN \(pairs.name) AS nb ON nb.\(id) = k.\(id)"
                           + " LEFT JOIN \(published.name) AS p ON \(match.joined(separator: " AND ")) GROUP BY \(grouped)",
                           schema: node.schema, present: [], order: table.order)
        return (averaged, listed)
    }

    /// A council's name as `AuthorityNames.normalised` makes it, for ASCII text: lower case,
    /// `&` as `and`, each run of anything but letters and digits one space, none at the ends.
    func councilKey(_ sql: String) -> String {
        "trim(regexp_replace(lower(replace(\(sql), '&', ' and ')), '[^a-z0-9]+', ' ', 'g'))"
    }

    /// Equality in which null equals null, written so that both databases can hash it (a
    /// join on `IS NOT DISTINCT FROM` is a nested loop in PostgreSQL).
    func nullSafeEqual(_ a: String, _ b: String, _ type: ValueType) -> String {
        let zero: String
        switch type {
        case .text: zero = "''"
        case .date: zero = "DATE '1970-01-01'"
        case .bool: zero = "FALSE"
        default: zero = "0"
        }
        return "(\(a) IS NULL) = (\(b) IS NULL) AND COALESCE(\(a), \(zero)) = COALESCE(\(b), \(zero))"
    }
}

/// A query over a compiled stage's rows for the notes iql writes under its result, which a
/// connected engine runs after the statement: for `compare`, per comparator, a count or flag
/// (neighbours: rows whose average misses some neighbours; region and England: whether any
/// figure came from the companion), whether any is the councils' average, the rows with a
/// value of their own but no comparator, and the first of them; for `diff`, the rows added,
/// removed, changed and unchanged.
struct StageNotesQuery: Sendable {
    enum Stage: Sendable {
        case compare(CompareOperator)
        case diff(DiffOperator)
    }

    var sql: String
    var stage: Stage
}
