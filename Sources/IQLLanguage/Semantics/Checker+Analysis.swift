import IQLCore
import IQLStorage
// The analyst's stages: rank, quartile, compare, pivot, unpivot, chart, diff.
extension Checker {
    /// The column called `name` in the input, or an error with the closest name.
    package mutating func column(_ name: Name, in input: Schema, table: String) -> Int? {
        if let i = input.index(of: name.text) { return i }
        var notes: [String] = []
        if let memo = input.pivot, !memo.headsKnown {
            notes.append("the columns this pivot makes from a let table of the same script are known only when it runs: list them to name them here (pivot \(memo.column.name) \(memo.value.name) values [2011, 2019])")
        }
        error(.noColumn(name.text, in: table), at: name.range,
              suggestion: Suggest.closest(to: name.text, among: input.names), notes: notes)
        return nil
    }

    package mutating func checkRank(_ value: Expr, _ descending: Bool?, _ by: [NamedExpr], output: RankOperator.Output,
                            input: Schema, table: String, stage: Stage) -> (PlanStep, Schema)? {
        let scope = ExpressionScope.row(input, table)
        let c = compile(value, in: scope)
        if c.type != .number && c.type != .null && c.type != .date && c.type != .rating {
            error(.orderNeedsNumber(output.rawValue, found: c.type), at: value.range)
            return nil
        }
        let keys = by.map { compile($0.expr, in: scope) }
        var schema = input
        guard schema.index(of: output.rawValue) == nil else {
            error(.secondColumn(output.rawValue, output.rawValue), at: stage.keyword.range,
                  label: "rename the existing one first: select …, old_\(output.rawValue) = \(output.rawValue)")
            return nil
        }
        schema.columns.append(.init(name: output.rawValue, type: output == .rank ? .number : .text))
        if let m = input.index(of: "measure"), input.columns[m].type == .text, descending == nil {
            datasetsUsed.insert("measures")
        }
        let measure = input.index(of: "measure").flatMap { input.columns[$0].type == .text ? $0 : nil }
        return (.rank(RankOperator(value: c, descending: descending, keys: keys, measureColumn: measure, output: output,
                             schema: schema)), schema)
    }

    package static let authorityColumns: Set<String> = ["authority", "authority_code", "authority_dfe", "dfe_code", "region",
                                                "ofsted_region", "region_code", "london_subregion", "level", "la_name",
                                                "la_code", "neighbour", "neighbour_code"]

    /// For bundled datasets, the text columns that identify a figure (beside the time column);
    /// their other text columns (a publication's name) describe it.
    package static let comparisonDimensions: [String: [String]] = [
        "indicators": ["measure"], "children_in_care": [], "children_in_need": [],
        "child_protection_plans": [], "referrals": [], "child_population": [],
    ]

    package mutating func checkCompare(_ valueName: Name?, _ comparators: [Name], input: Schema, table: String,
                               stage: Stage) -> (PlanStep, Schema)? {
        guard let (source, sourceSchema) = currentSource else { return nil }
        var kinds: [CompareOperator.Comparator] = []
        for c in comparators {
            guard let k = CompareOperator.Comparator(rawValue: c.text) else {
                error(.compareWithUnknown(c.text), at: c.range,
                      suggestion: Suggest.closest(to: c.text, among: CompareOperator.Comparator.allCases.map(\.rawValue)),
                      notes: ["compare with neighbours, region, england (any of them, in any order)"])
                return nil
            }
            if kinds.contains(k) {
                error(.namedTwice(c.text), at: c.range)
                return nil
            }
            kinds.append(k)
        }
        // The compared column: named, or `value`, or the only number column that is not a year.
        let valueIndex: Int?
        if let valueName {
            valueIndex = column(valueName, in: input, table: table)
        } else if let v = input.index(of: "value") {
            valueIndex = v
        } else {
            let numbers = input.columns.indices.filter { input.columns[$0].type == .number && input.columns[$0].name != input.timeColumn }
            if numbers.count == 1 { valueIndex = numbers[0] } else {
                error(.compareNeedsColumn, at: stage.keyword.range,
                      label: "name it: compare COLUMN with …",
                      notes: numbers.isEmpty ? [] : ["number columns: " + numbers.map { input.columns[$0].name }.joined(separator: ", ")])
                return nil
            }
        }
        guard let vi = valueIndex else { return nil }
        let valueColumn = input.columns[vi]
        guard valueColumn.type == .number else {
            error(.compareNeedsNumber(valueColumn.name, valueColumn.type), at: valueName?.range ?? stage.keyword.range)
            return nil
        }
        // A column renamed on the way (`select value = n`) is found in the source by where it came from.
        func sourceIndex(_ i: Int) -> Int? {
            let c = input.columns[i]
            if let o = c.origin, o.dataset == source.name, let s = sourceSchema.index(of: o.column) { return s }
            return sourceSchema.index(of: c.name)
        }
        guard let si = sourceIndex(vi), sourceSchema.columns[si].type == .number else {
            error(.compareSourceLacks(valueColumn.name, source: source.name),
                  at: valueName?.range ?? stage.keyword.range,
                  notes: ["compare a column as \(source.name) has it; derive new columns after compare"])
            return nil
        }
        guard let ai = ["authority", "authority_code"].lazy.compactMap({ input.index(of: $0) }).first,
              let sai = sourceIndex(ai) else {
            error(.compareNeedsAuthority, at: stage.keyword.range,
                  notes: ["keep authority in the select before compare"])
            return nil
        }
        // The columns that say which figure a row is (measure, period): the input must keep
        // them, or a council's value could be compared with another measure's or year's.
        var needed: [String]
        if case .dataset(let name) = source, let known = Checker.comparisonDimensions[name] {
            needed = known
        } else {
            needed = sourceSchema.columns.filter { $0.type == .text && !Checker.authorityColumns.contains($0.name) }.map(\.name)
        }
        if let time = sourceSchema.timeColumn, !needed.contains(time) { needed.append(time) }
        var dimensions: [(input: Int, source: Int)] = []
        // Other describing columns the input kept (indicators' period beside its year) narrow
        // the match further.
        for (i, c) in input.columns.enumerated() where c.type == .text && i != vi && !needed.contains(c.name)
            && !Checker.authorityColumns.contains(c.name) {
            if let s = sourceSchema.index(of: c.name), sourceSchema.columns[s].type == .text { dimensions.append((i, s)) }
        }
        for name in needed where name != valueColumn.name {
            // The council's own column, whatever the select called it, says who, not which figure.
            guard let s = sourceSchema.index(of: name), s != sai, s != si else { continue }
            let kept = input.index(of: name) ?? input.columns.indices.first { sourceIndex($0) == s }
            guard let i = kept, input.columns[i].type == sourceSchema.columns[s].type else {
                error(.compareInputLacks(name, source: source.name),
                      at: stage.keyword.range, label: "keep \(name) in the select before compare")
                return nil
            }
            dimensions.append((i, s))
        }
        if kinds.contains(.neighbours) { datasetsUsed.insert("neighbours") }
        // A bundled council table's England and regional figures, as published, are in its
        // companion; the source must have the bundled table's columns (a table registered in
        // its name with others is not it), and the companion must be there to read.
        var areas: PipelinePlan.Source?
        if kinds.contains(where: { $0 != .neighbours }), case .dataset(let name) = source,
           let bundled = BundledDataset.named(name), let companion = bundled.areas,
           sourceSchema.columns.map(\.name) == bundled.schema.columns.map(\.name),
           let companionSchema = datasetSchema(companion),
           companionSchema.columns.map(\.name) == BundledDataset.named(companion)?.schema.columns.map(\.name) {
            areas = .dataset(companion)
            datasetsUsed.insert(companion)
        }
        var schema = input
        for k in kinds {
            for name in ["\(k.rawValue)_value", "vs_\(k.rawValue)"] {
                guard schema.index(of: name) == nil else {
                    error(.secondColumn("compare", name), at: stage.keyword.range)
                    return nil
                }
                schema.columns.append(.init(name: name, type: .number))
            }
        }
        return (.compare(CompareOperator(source: source, areas: areas, comparators: kinds, inputValue: vi, sourceValue: si,
                                         inputAuthority: ai, sourceAuthority: sai, dimensions: dimensions,
                                         valueName: valueColumn.name, schema: schema)), schema)
    }

    /// The columns a pivot makes are known to the checker, so later stages can name them, when
    /// the query lists them (`values [2011, 2019]`), or when the rows reaching the pivot can be
    /// made now (from a dataset or a table an earlier run bound), as DuckDB's PIVOT first reads
    /// the distinct values. Only a `let` table of the same script leaves them unknown until it runs.
    package mutating func checkPivot(_ columnName: Name, _ valueName: Name?, _ values: Expr?, input: Schema, table: String,
                             stage: Stage) -> (PlanStep, Schema)? {
        guard let ci = column(columnName, in: input, table: table) else { return nil }
        let vi: Int
        if let valueName {
            guard let i = column(valueName, in: input, table: table) else { return nil }
            vi = i
        } else if let i = input.index(of: "value"), i != ci {
            vi = i
        } else if input.columns.count >= 2, let last = input.columns.indices.last(where: { $0 != ci }) {
            vi = last
        } else {
            error(.pivotNeedsValues(besides: columnName.text), at: stage.keyword.range)
            return nil
        }
        if vi == ci {
            error(.pivotSameColumns, at: stage.range)
            return nil
        }
        let keys = input.columns.indices.filter { $0 != ci && $0 != vi }
        var schema = Schema(columns: keys.map { input.columns[$0] })
        schema.pivot = .init(keys: schema.names, column: input.columns[ci], value: input.columns[vi])
        var heads: [Value]?
        if let values {
            let c = compile(values, in: ExpressionScope.constant)
            guard case .list(let itemType) = c.type, let list = try? c.evaluate(RowContext(table: .singleEmptyRow, environment: RuntimeEnvironment(parameters: parameters))),
                  case .list(let items) = list else {
                error(.pivotValuesList(found: c.type), at: values.range, label: "for example: values [2011, 2019]")
                return nil
            }
            let columnType = input.columns[ci].type
            if itemType != .null, columnType != .null, itemType.unified(with: columnType) == nil {
                error(.pivotValuesList(found: c.type), at: values.range,
                      label: "\(columnName.text) holds \(columnType), so the values must too")
                return nil
            }
            var seen: Set<Value> = []
            heads = items.filter { seen.insert($0).inserted }
            if let heads, heads.count > PivotOperator.maxColumns {
                error(.pivotTooManyValues(heads.count, limit: PivotOperator.maxColumns), at: values.range)
                return nil
            }
        } else if let made = prefixRows?() {
            // Too many for a pivot: left unknown, for the run to refuse.
            let read = PivotOperator.distinctHeads(made.columns[ci])
            if read.count <= PivotOperator.maxColumns { heads = read }
        }
        if let heads {
            schema.pivot?.headsKnown = true
            schema.columns += PivotOperator.headColumns(heads, after: schema.names, type: input.columns[vi].type)
        }
        return (.pivot(PivotOperator(column: ci, value: vi, keys: keys, heads: heads, schema: schema, range: stage.range)), schema)
    }

    package mutating func checkUnpivot(_ columns: [Name], _ nameColumn: Name?, _ valueColumn: Name?, input: Schema, table: String,
                               stage: Stage) -> (PlanStep, Schema)? {
        if columns.isEmpty {
            guard let memo = input.pivot else {
                error(.unpivotNeedsColumns, at: stage.keyword.range,
                      label: "name them: unpivot COLUMN, COLUMN [into NAME, VALUE]",
                      notes: ["with no columns, unpivot undoes a pivot earlier in the same result"])
                return nil
            }
            let name = nameColumn?.text ?? memo.column.name, value = valueColumn?.text ?? memo.value.name
            var schema = Schema(columns: memo.keys.compactMap { k in input.index(of: k).map { input.columns[$0] } })
            schema.columns.append(.init(name: name, type: memo.column.type == .number ? .number : .text))
            schema.columns.append(.init(name: value, type: memo.value.type))
            return (.unpivot(UnpivotOperator(columns: nil, keys: memo.keys, nameType: schema.columns[schema.columns.count - 2].type,
                                    schema: schema, range: stage.range)), schema)
        }
        if let memo = input.pivot, columns.allSatisfy({ input.index(of: $0.text) == nil }) {
            // Columns a pivot made: known only when it runs, all of the pivoted values' type.
            var schema = Schema(columns: memo.keys.compactMap { k in input.index(of: k).map { input.columns[$0] } })
            schema.columns.append(.init(name: nameColumn?.text ?? "name", type: .text))
            schema.columns.append(.init(name: valueColumn?.text ?? "value", type: memo.value.type))
            return (.unpivot(UnpivotOperator(columns: columns.map(\.text), keys: memo.keys, nameType: .text, schema: schema,
                                    range: stage.range)), schema)
        }
        var indices: [Int] = []
        for c in columns {
            guard let i = column(c, in: input, table: table) else { return nil }
            indices.append(i)
        }
        var type: ValueType = .null
        for i in indices {
            guard let t = type.unified(with: input.columns[i].type) else {
                error(.unpivotMixedTypes(input.columns[i].name, input.columns[i].type, others: type),
                      at: stage.range)
                return nil
            }
            type = t
        }
        let keys = input.columns.indices.filter { !indices.contains($0) }.map { input.columns[$0] }
        var schema = Schema(columns: keys)
        let name = nameColumn?.text ?? "name", value = valueColumn?.text ?? "value"
        for n in [name, value] where schema.index(of: n) != nil {
            error(.secondColumn("unpivot", n), at: stage.keyword.range,
                  label: "choose names: unpivot … into NAME, VALUE")
            return nil
        }
        schema.columns.append(.init(name: name, type: .text))
        schema.columns.append(.init(name: value, type: type))
        return (.unpivot(UnpivotOperator(columns: indices.map { input.columns[$0].name }, keys: keys.map(\.name), nameType: .text,
                                schema: schema, range: stage.range)), schema)
    }

    package mutating func checkChart(_ kind: ChartKind, _ x: Name, _ y: Name, _ series: Name?, _ file: Expr?, input: Schema,
                             table: String, stage: Stage) -> (PlanStep, Schema)? {
        guard column(x, in: input, table: table) != nil, let yi = column(y, in: input, table: table) else { return nil }
        if input.columns[yi].type != .number && input.columns[yi].type != .null {
            error(.chartNeedsNumbers(y.text, input.columns[yi].type), at: y.range)
            return nil
        }
        if let series {
            guard column(series, in: input, table: table) != nil else { return nil }
            if kind == .bar {
                error(.byOnBarChart, at: series.range)
                return nil
            }
        }
        var path: String?
        if let file {
            let c = compile(file, in: .constant)
            guard case .text(let p)? = c.constant, p.hasSuffix(".svg") else {
                error(.chartFileName, at: file.range,
                      label: "e.g. to \"chart.svg\"")
                return nil
            }
            guard let folder = outputFolder else {
                error(.noFileOutput(p), at: file.range,
                      label: "not allowed here", notes: ["show it with --format svg (or .mode svg) and save that output instead"])
                return nil
            }
            if case .failure(let refusal) = folder.place(p) {
                error(.refusedFile(p, refusal.reason), at: file.range,
                      notes: ["files are written only inside \(folder.root)"])
                return nil
            }
            path = p
        }
        let spec = ChartSpec(kind: kind, x: x.text, y: y.text, series: series?.text,
                             title: "\(y.text) by \(x.text)" + (series.map { " and \($0.text)" } ?? ""), file: path)
        return (.chart(ChartOperator(spec: spec)), input)
    }

    package mutating func checkDiff(_ otherName: Name, _ keys: [Name], input: Schema, table: String,
                            stage: Stage) -> (PlanStep, Schema)? {
        let source: PipelinePlan.Source
        let other: Schema
        if case .table(let s)? = scope[otherName.text] {
            source = .binding(otherName.text)
            other = s
        } else if let s = catalog.schemas[otherName.text] {
            source = .dataset(otherName.text)
            other = s
            datasetsUsed.insert(otherName.text)
        } else {
            var candidates = catalog.names
            for (k, v) in scope { if case .table = v { candidates.append(k) } }
            error(.noTableToCompare(otherName.text), at: otherName.range,
                  suggestion: Suggest.closest(to: otherName.text, among: candidates),
                  notes: ["keep the earlier result with let, e.g. let before = from …"])
            return nil
        }
        var keyPairs: [(current: Int, old: Int)] = []
        for k in keys {
            guard let c = column(k, in: input, table: table) else { return nil }
            guard let o = other.index(of: k.text) else {
                error(.noColumn(k.text, in: otherName.text), at: k.range,
                      suggestion: Suggest.closest(to: k.text, among: other.names))
                return nil
            }
            keyPairs.append((c, o))
        }
        let keyNames = Set(keys.map(\.text))
        var compared: [(current: Int, old: Int)] = []
        var schema = Schema(columns: keyPairs.map { input.columns[$0.current] })
        schema.columns.append(.init(name: "change", type: .text))
        for (i, c) in input.columns.enumerated() where !keyNames.contains(c.name) {
            guard let o = other.index(of: c.name), let t = c.type.unified(with: other.columns[o].type) else { continue }
            compared.append((i, o))
            schema.columns.append(.init(name: "old_" + c.name, type: t))
            schema.columns.append(.init(name: "new_" + c.name, type: t))
        }
        if Set(schema.names).count != schema.columns.count {
            error(.diffSameNames, at: stage.range,
                  label: "rename columns starting old_ or new_ first")
            return nil
        }
        return (.diff(DiffOperator(other: source, keys: keyPairs, compared: compared, schema: schema, range: stage.range)), schema)
    }
}

/// `chart`: the rows pass through unchanged, marked with the picture to draw from them.
package struct ChartOperator: Sendable {
    package var spec: ChartSpec
}
