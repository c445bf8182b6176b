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
        if let rows = try latestByIntegerKey(input, limit, env) { return input.gathering(rows) }
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

    /// One pass for the common shape `latest DATE by ID`: one key of whole numbers in a narrow
    /// range (reference numbers, codes, years) and a time of at most 4 bytes a value. Each row
    /// reads and writes one 8-byte slot indexed by its key, holding the best row and time so
    /// far, so a million groups cost one cache line a row and no group numbering, and the
    /// slots are already in key order. Nil when the columns are stored otherwise.
    private func latestByIntegerKey(_ input: Table, _ limit: Value?, _ env: RuntimeEnvironment) throws -> [Int]? {
        guard keys.count == 1, case .column(let k)? = keys[0].shape, input.rowCount < Int(Int32.max) else { return nil }
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
        let n = input.rowCount, timeBase = times.base
        func keyRange<T: FixedWidthInteger>(_ a: [T]) -> (Int64, Int64)? {
            guard let lo = a.min(), let hi = a.max() else { return nil }
            return (Int64(lo), Int64(hi))
        }
        guard let (lo, hi) = keyInts.visit(keyRange, keyRange, keyRange, keyRange) else { return [] }
        let (span, o) = hi.subtractingReportingOverflow(lo)
        guard !o, span < 1 << 24, span <= 4 * Int64(n) + 1024 else { return nil }
        // Slot: the best row + 1 in the high half (0: none yet), the time offset in the low
        // half with its sign bit flipped, so unsigned order is time order.
        var slots = [UInt64](repeating: 0, count: Int(span) + 1)
        func pass<K: FixedWidthInteger, T: FixedWidthInteger>(_ keyOffsets: [K], _ timeOffsets: [T]) {
            slots.withUnsafeMutableBufferPointer { slots in
                for r in 0..<n {
                    let tp = time.physical(r)
                    if let timeNulls, timeNulls.contains(tp) { continue }
                    let t = Int64(timeOffsets[tp])
                    if let bound, timeBase &+ t > bound { continue }
                    let slot = Int(Int64(keyOffsets[keyColumn.physical(r)]) &- lo)
                    let biased = UInt64(UInt32(truncatingIfNeeded: t) ^ 0x8000_0000)
                    let current = slots[slot]
                    // Ties keep the later row, as the general path does.
                    if current == 0 || biased >= current & 0xFFFF_FFFF {
                        slots[slot] = UInt64(r + 1) << 32 | biased
                    }
                }
            }
        }
        func withKeys<K: FixedWidthInteger>(_ keyOffsets: [K]) {
            times.visit({ pass(keyOffsets, $0) }, { pass(keyOffsets, $0) }, { pass(keyOffsets, $0) }, { _ in })
        }
        keyInts.visit(withKeys, withKeys, withKeys, withKeys)
        try env.checkCancelled()
        var rows: [Int] = []
        for slot in slots where slot != 0 { rows.append(Int(slot >> 32) - 1) }
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
