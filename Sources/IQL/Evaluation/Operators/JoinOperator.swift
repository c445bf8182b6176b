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
        for r in 0..<other.rowCount where !rightKeys[r].isNull { index[rightKeys[r], default: []].append(r) }
        var leftRows: [Int] = []
        var rightRows: [Int?] = []
        let leftKeys = input.columns[leftKey]
        for r in 0..<input.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            let k = leftKeys[r]
            if !k.isNull, let matches = index[k] {
                for m in matches {
                    // A many-to-many join can grow fast: check per output rows too.
                    if leftRows.count & 0xFFFF == 0xFFFF { try env.checkCancelled() }
                    leftRows.append(r)
                    rightRows.append(m)
                }
            } else if isLeft {
                leftRows.append(r)
                rightRows.append(nil)
            }
        }
        var columns = input.columns.map { $0.gathering(leftRows) }
        for c in rightColumns {
            let source = other.columns[c]
            columns.append(Column(rightRows.map { $0.map { source[$0] } ?? .null }))
        }
        return Table(schema: schema, columns: columns, rowCount: leftRows.count)
    }
}
