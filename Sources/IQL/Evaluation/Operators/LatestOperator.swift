/// `latest COLUMN by KEYS as of DATE`: for each group, the row with the greatest COLUMN not
/// after DATE. Rows with no value in COLUMN never count. Ties keep the row that comes last in
/// the input, as the most recent entry of a time-ordered source would. Groups come out in key order.
struct LatestOperator: TableOperator {
    var column: Int
    var keys: [CompiledExpression]
    var asOf: CompiledExpression?

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let limit = try asOf.map { try $0.evaluate(RowContext(table: .singleEmptyRow, environment: env)) }
        if let limit, limit.isNull {
            throw Diagnostic.error(.runtime, "'as of' needs a value, found null", at: asOf?.range)
        }
        let grouping = try Grouping.make(keys, over: input, env)
        try env.checkCancelled()
        var best = [Int](repeating: -1, count: grouping.count)
        let time = input.columns[column]
        if let ranks = SortKeys.ranks(of: time), time.isOrderedByRank {
            // Typed times: compare ranks; the limit becomes a rank bound too.
            let bound: Int64? = try limit.map { try rankBound($0, time) }
            var bestRank = [Int64](repeating: .min, count: grouping.count)
            for r in 0..<input.rowCount {
                let t = ranks[r]
                if t == .max { continue }
                if let bound, t > bound { continue }
                let g = Int(grouping.groupOf[r])
                if t >= bestRank[g] {
                    bestRank[g] = t
                    best[g] = r
                }
            }
        } else {
            for r in 0..<input.rowCount {
                let t = time[r]
                if t.isNull { continue }
                if let limit, Value.orderedBefore(limit, t) { continue }
                let g = Int(grouping.groupOf[r])
                if best[g] >= 0, Value.orderedBefore(t, time[best[g]]) { continue }
                best[g] = r
            }
        }
        let order = try grouping.orderByKeys(keys, over: input, env)
        return input.gathering(order.compactMap { best[$0] >= 0 ? best[$0] : nil })
    }

    /// The greatest rank a row may have and not be after the limit.
    private func rankBound(_ limit: Value, _ time: Column) throws -> Int64 {
        switch (time.storage, limit) {
        case (.date, .date(let d)): return Int64(d.ordinal)
        case (.int64, .number(let n)):
            if let i = n.exactInteger { return i }
            return Int64(n.doubleValue.rounded(.down))
        case (.rating, .rating(let r)): return Int64(r.rawValue)
        default:
            throw Diagnostic.error(.runtime, "'as of' must have the type of the column it limits", at: asOf?.range)
        }
    }
}

extension Column {
    /// Whether `SortKeys.ranks` orders this column's values exactly (numbers, dates, ratings),
    /// so comparing ranks is comparing values.
    var isOrderedByRank: Bool {
        switch storage {
        case .int64, .date, .rating: return true
        default: return false
        }
    }
}
