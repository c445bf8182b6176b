import IQLCore
import IQLStorage
extension Checker {
    /// A compiled key or select item with the column it becomes.
    package struct OutputItem {
        package var expression: CompiledExpression
        package var column: Schema.Field
        /// The input column it copies unchanged, if it is a bare column reference.
        package var sourceColumn: String?
    }

    package mutating func check(_ stage: Stage, input: Schema, table: String) -> (PlanStep, Schema)? {
        let errorsBefore = diagnostics.filter { $0.severity == .error }.count
        let result = checkStage(stage, input: input, table: table)
        let failed = diagnostics.filter { $0.severity == .error }.count > errorsBefore
        return failed ? nil : result
    }

    private mutating func checkStage(_ stage: Stage, input: Schema, table: String) -> (PlanStep, Schema)? {
        let rowScope = ExpressionScope.row(input, table)
        switch stage.kind {
        case .where(let e):
            let c = compile(e, in: rowScope)
            if c.type != .bool && c.type != .null {
                error(.whereNeedsCondition(found: c.type), at: e.range,
                      label: c.type == .text ? "compare it, e.g. \(source.text(in: e.range)) == \"…\"" : nil)
            }
            return (.filter(FilterOperator(condition: c)), input)

        case .select(let items):
            let outputs = items.map { outputItem($0, in: rowScope) }
            guard let schema = schemaOf(outputs, input: input, stage: stage) else { return nil }
            return (.select(SelectOperator(items: outputs.map(\.expression), schema: schema)), schema)

        case .derive(let items, let by):
            var schema = input
            var derived: [DeriveOperator.Item] = []
            // Names by position, so a derive of many columns finds each in one lookup.
            var positions: [String: Int] = [:]
            for (i, col) in input.columns.enumerated() where positions[col.name] == nil { positions[col.name] = i }
            var usesWindow = false
            let diagnosticsBefore = diagnostics.count
            for (k, item) in items.enumerated() {
                guard let name = item.name else { continue }
                if k % 256 == 255, outOfBudget() { return nil }
                var aggregates: [AggregateCall] = []
                let c: CompiledExpression
                do {
                    // The scope shares the schema's storage; it must be gone before the schema
                    // grows, or every item would copy every column so far.
                    let scope = ExpressionScope(schema: schema, table: table, mode: .window)
                    c = compile(item.expr, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
                }
                let column = Schema.Field(name: name.text, type: c.type)
                let replacing = positions[name.text]
                if replacing == nil { positions[name.text] = schema.columns.count }
                if let i = replacing { schema.columns[i] = column } else { schema.columns.append(column) }
                derived.append(.init(expression: c, replacing: replacing, column: column))
            }
            let keys = by.map { compile($0.expr, in: rowScope) }
            // An item in error may be the window call itself (previous() on a table with no
            // time column): the error says what is wrong, and 'by' is not unused.
            let itemsFailed = diagnostics.dropFirst(diagnosticsBefore).contains { $0.severity == .error }
            if !by.isEmpty && !usesWindow && !itemsFailed {
                diagnostics.append(.warning(.unusedBy,
                                            at: by.first.map { $0.expr.range.union(by.last?.expr.range ?? $0.expr.range) }))
            }
            let time = usesWindow ? input.timeColumn.flatMap(input.index(of:)) : nil
            return (.derive(DeriveOperator(items: derived, keys: keys, timeColumn: time)), schema)

        case .sort(let keys):
            let compiled = keys.map { (expression: compile($0.expr, in: rowScope), descending: $0.descending) }
            for (k, key) in zip(compiled, keys) {
                if case .list = k.expression.type { error(.sortByList, at: key.expr.range) }
            }
            return (.sort(SortOperator(keys: compiled)), input)

        case .take(let e):
            let c = compile(e, in: .constant)
            if c.type != .number && c.type != .null {
                error(.takeNeedsNumber(found: c.type), at: e.range)
            } else if case .number(let n)? = c.constant, n.exactInteger.map({ $0 < 0 }) ?? true {
                error(.takeNeedsWholeNumber, at: e.range)
            }
            return (.take(TakeOperator(count: c)), input)

        case .count(let by):
            let keys = by.map { outputItem($0, in: rowScope) }
            let n = CompiledExpression(type: .number, range: stage.keyword.range, shape: .aggregate(0, text: "count()"))
            let outputs = keys + [OutputItem(expression: n, column: .init(name: "n", type: .number), sourceColumn: nil)]
            guard let schema = schemaOf(outputs, input: input, stage: stage) else { return nil }
            let call = AggregateCall(function: .count, argument: nil, range: stage.keyword.range)
            return (.aggregate(AggregateOperator(keys: keys.map(\.expression), aggregates: [call], items: [n], schema: schema)), schema)

        case .summarize(let items, let by):
            let keys = by.map { outputItem($0, in: rowScope) }
            let keyNames = Set(keys.compactMap(\.sourceColumn))
            let scope = ExpressionScope(schema: input, table: table, mode: .summarize(keys: keyNames))
            var aggregates: [AggregateCall] = []
            var outputs: [OutputItem] = []
            for item in items {
                var window = false
                let c = compile(item.expr, in: scope, aggregates: &aggregates, usesWindow: &window)
                let name = item.name?.text ?? derivedName(item.expr)
                outputs.append(OutputItem(expression: c, column: .init(name: name, type: c.type), sourceColumn: nil))
            }
            guard let schema = schemaOf(keys + outputs, input: input, stage: stage) else { return nil }
            return (.aggregate(AggregateOperator(keys: keys.map(\.expression), aggregates: aggregates,
                                      items: outputs.map(\.expression), schema: schema)), schema)

        case .distinct(let by):
            if by.isEmpty { return (.distinct(DistinctOperator(keys: [], schema: input)), input) }
            let keys = by.map { outputItem($0, in: rowScope) }
            guard let schema = schemaOf(keys, input: input, stage: stage) else { return nil }
            return (.distinct(DistinctOperator(keys: keys.map(\.expression), schema: schema)), schema)

        case .join(let kind, let tableName, let keys):
            return checkJoin(kind, tableName, keys, input: input, table: table)

        case .latest(let columnName, let by, let asOf):
            return checkLatest(columnName, by, asOf, input: input, table: table, stage: stage)

        case .rank(let value, let descending, let by):
            return checkRank(value, descending, by, output: .rank, input: input, table: table, stage: stage)
        case .quartile(let value, let descending, let by):
            return checkRank(value, descending, by, output: .quartile, input: input, table: table, stage: stage)
        case .compare(let value, let comparators):
            return checkCompare(value, comparators, input: input, table: table, stage: stage)
        case .pivot(let column, let value, let values):
            return checkPivot(column, value, values, input: input, table: table, stage: stage)
        case .unpivot(let columns, let nameColumn, let valueColumn):
            return checkUnpivot(columns, nameColumn, valueColumn, input: input, table: table, stage: stage)
        case .chart(let kind, let x, let y, let series, let file):
            return checkChart(kind, x, y, series, file, input: input, table: table, stage: stage)
        case .diff(let other, let keys):
            return checkDiff(other, keys, input: input, table: table, stage: stage)
        }
    }

    // MARK: - Output columns

    package func derivedName(_ e: Expr) -> String {
        if case .name(let n, let q) = e.kind { return q.map { "\($0.text).\(n.text)" } ?? n.text }
        return source.text(in: e.range).split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }

    package mutating func outputItem(_ item: NamedExpr, in scope: ExpressionScope) -> OutputItem {
        let c = compile(item.expr, in: scope)
        var sourceColumn: String?
        var origin: Schema.Origin?
        if case .name(let n, let q) = item.expr.kind, let schema = scope.schema {
            let full = q.map { "\($0.text).\(n.text)" } ?? n.text
            let i = schema.index(of: full) ?? (q?.text == scope.table ? schema.index(of: n.text) : nil)
            if let i {
                sourceColumn = schema.columns[i].name
                origin = schema.columns[i].origin
            }
        }
        var column = Schema.Field(name: item.name?.text ?? derivedName(item.expr), type: c.type)
        column.origin = origin
        return OutputItem(expression: c, column: column, sourceColumn: sourceColumn)
    }

    /// The schema of a stage's output columns; the time column survives if a bare reference
    /// to it does. Duplicate names are an error.
    package mutating func schemaOf(_ items: [OutputItem], input: Schema, stage: Stage) -> Schema? {
        var ok = true
        // A set only for long lists: most selects name a handful of columns.
        var seen = Set<String>()
        func repeated(_ k: Int) -> Bool {
            if items.count <= 16 { return items[..<k].contains { $0.column.name == items[k].column.name } }
            return !seen.insert(items[k].column.name).inserted
        }
        for k in items.indices where repeated(k) {
            let item = items[k]
            error(.twoColumns(stage.keyword.text, item.column.name),
                  at: item.expression.range, label: "give one a new name: NAME = …")
            ok = false
        }
        let time = items.first { $0.sourceColumn != nil && $0.sourceColumn == input.timeColumn }?.column.name
        return ok ? Schema(columns: items.map(\.column), timeColumn: time) : nil
    }

    // MARK: - join and latest

    private mutating func checkJoin(_ kind: JoinKind, _ tableName: Name, _ keys: [JoinKey],
                                    input: Schema, table: String) -> (PlanStep, Schema)? {
        let source: PipelinePlan.Source
        var right: Schema
        if case .table(let s)? = scope[tableName.text] {
            right = s
            source = .binding(tableName.text)
        } else if let s = datasetSchema(tableName.text) {
            right = s
            source = .dataset(tableName.text)
            datasetsUsed.insert(tableName.text)
        } else {
            var candidates = catalog.names
            for (k, v) in scope { if case .table = v { candidates.append(k) } }
            error(.noDatasetOrTable(tableName.text), at: tableName.range,
                  suggestion: Suggest.closest(to: tableName.text, among: candidates))
            return nil
        }
        var pairs: [JoinOperator.KeyPair] = []
        var failed = false
        for key in keys {
            guard let li = input.index(of: key.left.text) else {
                error(.noColumn(key.left.text, in: table), at: key.left.range,
                      suggestion: Suggest.closest(to: key.left.text, among: input.names))
                failed = true
                continue
            }
            let rightName = key.right ?? key.left
            guard let ri = right.index(of: rightName.text) else {
                error(.noColumn(rightName.text, in: tableName.text), at: rightName.range,
                      suggestion: Suggest.closest(to: rightName.text, among: right.names),
                      notes: key.right == nil ? ["name the other key: join \(tableName.text) on \(key.left.text) == COLUMN"] : [])
                failed = true
                continue
            }
            let lt = input.columns[li].type, rt = right.columns[ri].type
            guard lt.unified(with: rt) != nil else {
                error(.joinKeyTypes(lt, key.left.text, rt, rightName.text),
                      at: key.left.range.union(rightName.range))
                failed = true
                continue
            }
            if pairs.contains(where: { $0.left == li && $0.right == ri }) {
                error(.twoColumns("join", key.left.text), at: key.left.range, label: "this key is given twice")
                failed = true
                continue
            }
            pairs.append(JoinOperator.KeyPair(left: li, right: ri, rightName: rightName.text))
        }
        if failed { return nil }
        var schema = input
        var carried: [Int] = []
        // An anti join keeps the left rows as they are: nothing of the right table to carry.
        if kind != .anti {
            for (i, c) in right.columns.enumerated() {
                // A key of another name is kept: with spellings resolved, it says which row matched.
                if pairs.contains(where: { $0.right == i && input.columns[$0.left].name == c.name }) { continue }
                var column = c
                if schema.index(of: c.name) != nil { column.name = "\(tableName.text).\(c.name)" }
                if schema.index(of: column.name) != nil {
                    error(.twoColumns("join", column.name), at: tableName.range,
                          label: "rename one with select or derive first")
                    return nil
                }
                schema.columns.append(column)
                carried.append(i)
            }
        }
        return (.join(JoinOperator(right: source, keys: pairs, kind: kind, rightColumns: carried, schema: schema)), schema)
    }

    private mutating func checkLatest(_ columnName: Name?, _ by: [NamedExpr], _ asOf: Expr?, input: Schema,
                                      table: String, stage: Stage) -> (PlanStep, Schema)? {
        let name: String
        if let columnName {
            guard input.index(of: columnName.text) != nil else {
                error(.noColumn(columnName.text, in: table), at: columnName.range,
                      suggestion: Suggest.closest(to: columnName.text, among: input.names))
                return nil
            }
            name = columnName.text
        } else {
            guard let t = input.timeColumn else {
                error(.latestNeedsTime, at: stage.keyword.range,
                      label: "name one: latest COLUMN by …")
                return nil
            }
            name = t
        }
        guard let index = input.index(of: name) else { return nil }
        let type = input.columns[index].type
        if case .list = type {
            error(.latestByList, at: columnName?.range ?? stage.keyword.range)
            return nil
        }
        let keys = by.map { compile($0.expr, in: .row(input, table)) }
        var limit: CompiledExpression?
        if let asOf {
            var c = compile(asOf, in: .constant)
            if c.type == .text, type == .date, case .text(let s)? = c.constant, let d = Day(iso: Substring(s)) {
                error(.asOfDateAsText, at: asOf.range, label: "write the date without quotes: \(s)",
                      suggestion: s)
                c = .constant(.date(d), range: asOf.range)
            } else if c.type != .null, c.type != type {
                error(.asOfType(type, column: name, found: c.type), at: asOf.range)
            }
            limit = c
        }
        return (.latest(LatestOperator(column: index, keys: keys, asOf: limit)), input)
    }
}
