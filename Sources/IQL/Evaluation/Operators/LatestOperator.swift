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
            throw Diagnostic.error(.invalidValue, "'as of' needs a value, found null", at: asOf?.range)
        }
        let grouping = try Grouping.make(keys, over: input, env)
        try env.checkCancelled()
        var best = [Int](repeating: -1, count: grouping.count)
        let time = input.columns[column]
        if let packed = latestByPackedTime(time, grouping, limit, input.rowCount) {
            best = packed
        } else if let ranks = SortKeys.ranks(of: time), time.isOrderedByRank {
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

    /// The best row of each group read straight from a packed date or integer column, keeping
    /// the best time of each group at the column's stored width: with a million groups the
    /// table they index must stay small for the cache. Nil when the column is stored otherwise.
    private func latestByPackedTime(_ time: Column, _ grouping: Grouping, _ limit: Value?, _ n: Int) -> [Int]? {
        let packed: PackedInts, nulls: NullMask?
        switch time.storage {
        case .date(let v, let m), .int64(let v, let m): (packed, nulls) = (v, m)
        default: return nil
        }
        guard n < Int(Int32.max), !grouping.whole else { return nil }
        var bound: Int64?
        if let limit {
            // A limit of the wrong type is reported by the general path.
            guard let b = try? rankBound(limit, time) else { return nil }
            bound = b
        }
        let base = packed.base, groups = grouping.count
        func run<T: FixedWidthInteger>(_ a: [T]) -> [Int] {
            var bestRow = [Int32](repeating: -1, count: groups)
            var bestTime = [T](repeating: 0, count: groups)
            bestRow.withUnsafeMutableBufferPointer { bestRow in
                bestTime.withUnsafeMutableBufferPointer { bestTime in
                    grouping.groupOf.withUnsafeBufferPointer { groupOf in
                        for r in 0..<n {
                            let p = time.physical(r)
                            if let nulls, nulls.contains(p) { continue }
                            let t = a[p]
                            if let bound, base &+ Int64(t) > bound { continue }
                            let g = Int(groupOf[r])
                            // Ties keep the later row, as the general path does.
                            if bestRow[g] < 0 || t >= bestTime[g] {
                                bestTime[g] = t
                                bestRow[g] = Int32(truncatingIfNeeded: r)
                            }
                        }
                    }
                }
            }
            return bestRow.map { Int($0) }
        }
        return packed.visit(run, run, run, run)
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
            throw Diagnostic.error(.invalidValue, "'as of' must have the type of the column it limits", at: asOf?.range)
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
