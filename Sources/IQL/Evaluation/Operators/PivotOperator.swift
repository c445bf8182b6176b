/// `pivot COLUMN [VALUE]`: one row per combination of the other columns, one column per
/// distinct value of COLUMN (in order: years ascending), holding VALUE. Two rows for the same
/// cell are an error: the question is ambiguous until they are summarized.
struct PivotOperator: TableOperator {
    var column: Int
    var value: Int
    var keys: [Int]
    /// The static part of the output schema (the keys, and the memo `unpivot` reads).
    var schema: Schema
    var range: SourceRange

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let pivotColumn = input.columns[column], valueColumn = input.columns[value]
        var heads: [Value] = []
        var headIndex: [Value: Int] = [:]
        for r in 0..<input.rowCount where headIndex[pivotColumn[r]] == nil {
            headIndex[pivotColumn[r]] = heads.count
            heads.append(pivotColumn[r])
        }
        let order = heads.indices.sorted { a, b in
            heads[a].isNull != heads[b].isNull ? heads[b].isNull : Value.orderedBefore(heads[a], heads[b])
        }
        var place = Array(repeating: 0, count: heads.count)
        for (i, h) in order.enumerated() { place[h] = i }
        guard heads.count <= 1000 else {
            throw Diagnostic.error(.pivotColumns(heads.count, limit: 1000), at: range,
                                   notes: ["pivot a column with fewer distinct values, such as a year"])
        }

        var rowOf: [[Value]: Int] = [:]
        var keyRows: [[Value]] = []
        var cells: [[Value]] = []
        for r in 0..<input.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            let key = keys.map { input.columns[$0][r] }
            let row: Int
            if let existing = rowOf[key] { row = existing } else {
                // Each new row brings a cell per column: rows × columns is paid for before it is made.
                if keyRows.count % 1024 == 0 {
                    try env.budget.reserve(1024 &* (heads.count &+ keys.count) &* MemoryLayout<Value>.stride &* 2,
                                           for: "pivot into \(heads.count) columns")
                }
                row = keyRows.count
                rowOf[key] = row
                keyRows.append(key)
                cells.append(Array(repeating: .null, count: heads.count))
            }
            guard let h = headIndex[pivotColumn[r]] else { continue }
            let c = place[h]
            if !cells[row][c].isNull, !valueColumn[r].isNull {
                let at = zip(keys, key).map { "\(input.schema.columns[$0.0].name) \($0.1.literalText)" }.joined(separator: ", ")
                throw Diagnostic.error(.pivotTwoValues("\(at.isEmpty ? "" : at + ", ")\(input.schema.columns[column].name) \(pivotColumn[r].literalText)"),
                                       at: range, notes: ["summarize first (e.g. summarize value = avg(value) by …), or select fewer columns so each cell has one value"])
            }
            cells[row][c] = valueColumn[r]
        }
        var out = schema
        var used = Set(out.names)
        for h in order {
            var name = heads[h].isNull ? "null" : heads[h].displayText
            while !used.insert(name).inserted { name += "_" }
            out.columns.append(Schema.Column(name: name, type: input.schema.columns[value].type))
        }
        var columns: [Column] = keys.indices.map { k in Column(keyRows.map { $0[k] }) }
        for c in 0..<heads.count { columns.append(Column(cells.map { $0[c] })) }
        return Table(schema: out, columns: columns, rowCount: keyRows.count)
    }
}
