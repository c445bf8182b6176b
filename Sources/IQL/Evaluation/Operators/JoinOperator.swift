/// `join`: pairs each left row with the right rows whose key is equal. An inner join drops left
/// rows with no match; a left join keeps them with nulls. Null keys match nothing.
struct JoinOperator: TableOperator {
    var right: PipelinePlan.Source
    var leftKey: Int
    var rightKey: Int
    var isLeft: Bool
    /// Right-side columns carried into the output, in order (the key is not repeated).
    var rightColumns: [Int]
    var schema: Schema

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let other = try env.table(right)
        var index: [Value: [Int]] = [:]
        let rightKeys = other.columns[rightKey]
        for r in 0..<other.rowCount where !rightKeys.isNull(r) { index[rightKeys[r], default: []].append(r) }

        var leftRows: [Int] = []
        var rightRows: [Int] = []
        var misses = false
        leftRows.reserveCapacity(input.rowCount)
        rightRows.reserveCapacity(input.rowCount)
        let leftKeys = input.columns[leftKey]
        let noMatch: [Int] = []
        // Text keys: look each distinct left value up once, then match rows by their codes.
        var byCode: [[Int]]?
        if case .text(_, let dictionary) = leftKeys.storage {
            byCode = dictionary.strings.enumerated().map { code, s in code == 0 ? noMatch : index[.text(s)] ?? noMatch }
        }
        for r in 0..<input.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            let matches: [Int]
            if let byCode, case .text(let codes, _) = leftKeys.storage {
                matches = byCode[Int(codes[leftKeys.physical(r)])]
            } else {
                let k = leftKeys[r]
                matches = k.isNull ? noMatch : index[k] ?? noMatch
            }
            if matches.isEmpty {
                if isLeft {
                    leftRows.append(r)
                    rightRows.append(-1)
                    misses = true
                }
                continue
            }
            for m in matches {
                // A many-to-many join can grow fast: check per output rows too.
                if leftRows.count & 0xFFFF == 0xFFFF { try env.checkCancelled() }
                leftRows.append(r)
                rightRows.append(m)
            }
        }
        var columns = input.gathering(leftRows).columns
        if misses {
            for c in rightColumns {
                let source = other.columns[c]
                columns.append(Column(rightRows.map { $0 < 0 ? .null : source[$0] }))
            }
        } else {
            let gathered = Table(schema: other.schema, columns: rightColumns.map { other.columns[$0] },
                                 rowCount: other.rowCount).gathering(rightRows)
            columns.append(contentsOf: gathered.columns)
        }
        return Table(schema: schema, columns: columns, rowCount: leftRows.count)
    }
}
