import IQLCore
import IQLStorage
import IQLLanguage

extension LatestOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let limit = try asOf.map { try $0.evaluate(RowContext(table: .singleEmptyRow, environment: env)) }
        if let limit, limit.isNull {
            throw Diagnostic.error(.asOfNull, at: asOf?.range)
        }
        if let rows = try latestByIntegerKey(input, limit, env) {
            var out = input.gathering(rows)
            if input.columns[column].nullCount > 0 {
                let grouping = try Grouping.make(keys, over: input, env)
                var chosen = [Bool](repeating: false, count: grouping.count)
                for r in rows { chosen[Int(grouping.groupOf[r])] = true }
                out.notes += groupsWithoutTime(input, grouping, chosen: chosen, limit: limit)
            }
            return out
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
        let notes = best.contains(-1) && time.nullCount > 0
            ? groupsWithoutTime(input, grouping, chosen: best.map { $0 >= 0 }, limit: limit) : []
        var out: Table
        if !keyOrder {
            out = input.gathering(BitWords.ascending(best.filter { $0 >= 0 }, below: input.rowCount))
        } else {
            let order = try grouping.orderByKeys(keys, over: input, env)
            out = input.gathering(order.compactMap { best[$0] >= 0 ? best[$0] : nil })
        }
        out.notes += notes
        return out
    }

    /// A note on the groups left out that have rows with no value in the time column: those
    /// rows cannot be placed in time, so the group may well have had a row by `as of`. Groups
    /// left out only because every row is after `as of` are not noted. Without it, `latest
    /// inspected by authority as of 2019-03-31` over SIF and ILACS (SIF rows have publication
    /// dates only) silently answers for 48 councils of 158.
    private func groupsWithoutTime(_ input: Table, _ grouping: Grouping, chosen: [Bool], limit: Value?) -> [ResultNote] {
        let time = input.columns[column]
        var undated = [Bool](repeating: false, count: grouping.count)
        for r in 0..<input.rowCount where time.isNull(r) { undated[Int(grouping.groupOf[r])] = true }
        let missing = zip(undated, chosen).lazy.filter { $0.0 && !$0.1 }.count
        guard missing > 0 else { return [] }
        let name = input.schema.columns[column].name
        let by = limit.map { " by \($0.displayText)" } ?? ""
        return [ResultNote(.groupsWithoutTime, "latest: \(missing) of \(grouping.count) group\(grouping.count == 1 ? "" : "s") \(missing == 1 ? "has" : "have") no row "
                + "with \(name)\(by) but do have rows with no \(name), and \(missing == 1 ? "is" : "are") left out; to keep them, "
                + "order by a column those rows have (latest published …) or derive one "
                + "(derive t = coalesce(\(name), published) | latest t …)", counts: ["groups": grouping.count, "missing": missing])]
    }

    /// The common shape `latest DATE by ID`, without numbering groups (`LatestPerKey.rows`): one
    /// stored key of whole numbers and a stored time of at most 4 bytes a value. Nil when the
    /// columns are stored otherwise or the keys span too wide a range.
    private func latestByIntegerKey(_ input: Table, _ limit: Value?, _ env: RuntimeEnvironment) throws -> [Int]? {
        guard keys.count == 1, case .column(let k) = keys[0].shape, input.rowCount < Int(Int32.max) else { return nil }
        let keyColumn = input.columns[k], time = input.columns[column]
        let keyInts: PackedInts, times: PackedInts, timeNulls: NullMask?
        switch keyColumn.storage {
        case .int64(let v, nil), .date(let v, nil): keyInts = v
        default: return nil
        }
        switch time.storage {
        case .date(let v, let m), .int64(let v, let m): (times, timeNulls) = (v, m)
        default: return nil
        }
        guard times.width <= 4 else { return nil }
        var bound: Int64?
        if let limit {
            // A limit of the wrong type is reported by the general path.
            guard let b = try? rankBound(limit, time) else { return nil }
            bound = b
        }
        let rows = LatestPerKey.rows(keys: keyColumn, keyInts: keyInts, time: time, times: times, timeNulls: timeNulls,
                                     bound: bound, keyOrder: keyOrder)
        try env.checkCancelled()
        return rows
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
        return LatestPerKey.byGroup(packed, nulls: nulls, time: time, groupOf: grouping.groupOf, groups: grouping.count,
                                    bound: bound, rows: n)
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
            throw Diagnostic.error(.asOfWrongType, at: asOf?.range)
        }
    }
}

extension Column {
    /// Whether `SortKeys.ranks` orders this column's values exactly (numbers, dates, ratings),
    /// so comparing ranks is comparing values.
    package var isOrderedByRank: Bool {
        switch storage {
        case .int64, .date, .rating: return true
        default: return false
        }
    }
}
