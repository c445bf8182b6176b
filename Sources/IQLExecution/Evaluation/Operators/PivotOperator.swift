import IQLCore
import IQLStorage
import IQLLanguage

extension PivotOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let pivotColumn = input.columns[column], valueColumn = input.columns[value]
        let heads = self.heads ?? PivotOperator.distinctHeads(pivotColumn)
        guard heads.count <= PivotOperator.maxColumns else {
            throw Diagnostic.error(.pivotColumns(heads.count, limit: PivotOperator.maxColumns), at: range,
                                   notes: ["pivot a column with fewer distinct values, such as a year"])
        }
        var headIndex: [Value: Int] = [:]
        for (i, h) in heads.enumerated() where headIndex[h] == nil { headIndex[h] = i }

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
            guard let c = headIndex[pivotColumn[r]] else { continue }
            if !cells[row][c].isNull, !valueColumn[r].isNull {
                let at = zip(keys, key).map { "\(input.schema.columns[$0.0].name) \($0.1.literalText)" }.joined(separator: ", ")
                throw Diagnostic.error(.pivotTwoValues("\(at.isEmpty ? "" : at + ", ")\(input.schema.columns[column].name) \(pivotColumn[r].literalText)"),
                                       at: range, notes: ["summarize first (e.g. summarize value = avg(value) by …), or select fewer columns so each cell has one value"])
            }
            cells[row][c] = valueColumn[r]
        }
        var out = schema
        if self.heads == nil {
            out.columns += PivotOperator.headColumns(heads, after: out.names, type: input.schema.columns[value].type)
        }
        var columns: [Column] = keys.indices.map { k in Column(keyRows.map { $0[k] }) }
        for c in 0..<heads.count { columns.append(Column(cells.map { $0[c] })) }
        return Table(schema: out, columns: columns, rowCount: keyRows.count)
    }
}
