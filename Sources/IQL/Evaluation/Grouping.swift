/// Rows assigned to groups of equal keys. Keys that are plain columns group on their stored
/// codes (dictionary codes, ratings, integers, days) without building values; anything else
/// groups on the evaluated values.
struct Grouping {
    /// The group of each row, numbered in order of first appearance.
    var groupOf: [Int32]
    /// True when there are no keys: every row is in group 0 (and `groupOf` is left empty).
    var whole = false
    /// The first row of each group.
    var firstRow: [Int]

    var count: Int { firstRow.count }
    /// Rows grouped, when `whole` (there is no per-row array to count).
    var rowCount = 0

    static func make(_ keys: [CompiledExpression], over table: Table, _ env: RuntimeEnvironment) throws -> Grouping {
        let n = table.rowCount
        if keys.isEmpty {
            return Grouping(groupOf: [], whole: true, firstRow: n > 0 ? [0] : [], rowCount: n)
        }
        if keys.count == 1, case .column(let i) = keys[0].shape, let g = dense(table.columns[i]) { return g }
        let codes = keys.map { keyCodes($0, table) }
        if codes.allSatisfy({ $0 != nil }) {
            let columns = codes.compactMap { $0 }
            return columns.count == 1 ? single(columns[0]) : composite(columns)
        }
        let values = try keys.map { try Evaluating.column($0, over: table, env) }
        return try hashed(n, env) { r in values.map { $0[r] } }
    }

    /// One key stored as small codes (dictionary text, ratings, true/false, integers in a narrow
    /// range): each row's code indexes the table of groups directly, with no key array.
    private static func dense(_ column: Column) -> Grouping? {
        func group<C: BinaryInteger>(_ codes: [C], _ size: Int, base: Int = 0) -> Grouping {
            var slot = [Int32](repeating: -1, count: size)
            var groupOf = [Int32](repeating: 0, count: column.count)
            var first: [Int] = []
            for r in 0..<column.count {
                let c = base + Int(codes[column.physical(r)])
                var g = slot[c]
                if g < 0 {
                    g = Int32(first.count)
                    slot[c] = g
                    first.append(r)
                }
                groupOf[r] = g
            }
            return Grouping(groupOf: groupOf, firstRow: first)
        }
        switch column.storage {
        case .text(let codes, let dictionary):
            let size = dictionary.strings.count, base = Int(codes.base)
            return codes.visit({ group($0, size, base: base) }, { group($0, size, base: base) },
                               { group($0, size, base: base) }, { group($0, size) })
        case .rating(let v): return group(v, 5)
        case .bool(let v): return group(v, 3)
        case .int64(let v, nil), .date(let v, nil):
            // Whole numbers in a narrow range (ids, reference numbers, days) index the table
            // of groups by their stored offset, with no key array built.
            func byOffset<T: FixedWidthInteger>(_ a: [T]) -> Grouping? {
                guard let lo = a.min(), let hi = a.max() else { return nil }
                let (span, o) = Int64(hi).subtractingReportingOverflow(Int64(lo))
                guard !o, span < 1 << 22 else { return nil }
                return group(a, Int(span) + 1, base: -Int(lo))
            }
            return v.visit(byOffset, byOffset, byOffset, byOffset)
        default: return nil
        }
    }

    /// A key column's rows as integers that are equal exactly when the values are (nulls too),
    /// or nil when the column is not stored that way.
    private static func keyCodes(_ key: CompiledExpression, _ table: Table) -> [Int64]? {
        guard case .column(let i) = key.shape else { return nil }
        let column = table.columns[i]
        let n = column.count
        switch column.storage {
        case .text(let codes, _): return column.widened(codes)
        case .rating(let v): return (0..<n).map { Int64(v[column.physical($0)]) }
        case .bool(let v): return (0..<n).map { Int64(v[column.physical($0)]) }
        case .int64(let v, let nulls):
            guard nulls == nil else { return nil }
            return column.widened(v)
        case .date(let v, let nulls):
            guard nulls == nil else { return nil }
            return column.widened(v)
        default: return nil
        }
    }

    private static func single(_ codes: [Int64]) -> Grouping {
        var groupOf = [Int32](repeating: 0, count: codes.count)
        var first: [Int] = []
        // Small non-negative codes (dictionary, ratings) index an array; others hash.
        if let top = codes.max(), let bottom = codes.min(), bottom >= 0, top < 1 << 22 {
            var slot = [Int32](repeating: -1, count: Int(top) + 1)
            for (r, c) in codes.enumerated() {
                var g = slot[Int(c)]
                if g < 0 {
                    g = Int32(first.count)
                    slot[Int(c)] = g
                    first.append(r)
                }
                groupOf[r] = g
            }
        } else {
            return hashed(codes.count) { codes[$0] }
        }
        return Grouping(groupOf: groupOf, firstRow: first)
    }

    /// Several keys, one at a time: the groups so far and the next key's own group numbers
    /// make one 64-bit key, so no row builds an array of its keys. Each step numbers groups
    /// in order of first appearance, as grouping on the whole tuple would.
    private static func composite(_ columns: [[Int64]]) -> Grouping {
        var current = single(columns[0])
        for column in columns.dropFirst() {
            let own = single(column)
            let combined = zip(current.groupOf, own.groupOf).map { Int64($0) << 32 | Int64($1) }
            current = single(combined)
        }
        return current
    }

    /// Groups rows by a hashable key, numbering groups in order of first appearance.
    private static func hashed<K: Hashable>(_ n: Int, key: (Int) -> K) -> Grouping {
        // Without an environment there is nothing to cancel, so nothing is thrown.
        (try? hashed(n, nil, key: key)) ?? Grouping(groupOf: [], firstRow: [])
    }

    /// The same, checking for cancellation every few thousand rows when given an environment.
    private static func hashed<K: Hashable>(_ n: Int, _ env: RuntimeEnvironment?, key: (Int) -> K) throws -> Grouping {
        var index: [K: Int32] = [:]
        var groupOf = [Int32](repeating: 0, count: n)
        var first: [Int] = []
        for r in 0..<n {
            if r & 4095 == 0 { try env?.checkCancelled() }
            let k = key(r)
            if let g = index[k] {
                groupOf[r] = g
            } else {
                let g = Int32(first.count)
                index[k] = g
                first.append(r)
                groupOf[r] = g
            }
        }
        return Grouping(groupOf: groupOf, firstRow: first)
    }

    /// The rows of each group, in input order.
    func rowsByGroup() -> [[Int]] {
        if whole { return [Array(0..<(count == 0 ? 0 : rowCount))] }
        var sizes = [Int](repeating: 0, count: count)
        for g in groupOf { sizes[Int(g)] += 1 }
        var rows = sizes.map { size -> [Int] in
            var a: [Int] = []
            a.reserveCapacity(size)
            return a
        }
        for (r, g) in groupOf.enumerated() { rows[Int(g)].append(r) }
        return rows
    }

    /// Group numbers sorted by their key values (nulls last), for output in key order.
    func orderByKeys(_ keys: [CompiledExpression], over table: Table, _ env: RuntimeEnvironment) throws -> [Int] {
        guard !keys.isEmpty, count > 1 else { return Array(0..<count) }
        if keys.count == 1, case .column(let i) = keys[0].shape,
           let ranks = SortKeys.ranks(of: table.columns[i].gathering(Selection(firstRow))) {
            // One stored key: order by the rank of each group's first row, no values built.
            return Grouping.order(byDistinctRanks: ranks) ?? (0..<count).sorted { ranks[$0] < ranks[$1] }
        }
        let sample = table.gathering(firstRow)
        let keyValues = try keys.map { try Evaluating.column($0, over: sample, env) }
        return (0..<count).sorted { a, b in
            for column in keyValues where column[a] != column[b] { return Value.orderedBefore(column[a], column[b]) }
            return false
        }
    }

    /// Indices in order of their ranks, when the ranks are distinct (each group has its own key
    /// value) and dense enough to place by value: linear time where sorting is n log n, which
    /// matters with a million groups. Int64.max (null) comes last. Nil if the ranks do not allow it.
    static func order(byDistinctRanks ranks: [Int64]) -> [Int]? {
        var lo = Int64.max, hi = Int64.min, nullIndex: Int?
        for (i, r) in ranks.enumerated() {
            if r == .max {
                if nullIndex != nil { return nil }
                nullIndex = i
                continue
            }
            lo = min(lo, r)
            hi = max(hi, r)
        }
        guard lo <= hi else { return nullIndex.map { [$0] } ?? [] }
        let (span, o) = hi.subtractingReportingOverflow(lo)
        guard !o, span < 4 * Int64(ranks.count) + 1024 else { return nil }
        var at = [Int32](repeating: -1, count: Int(span) + 1)
        for (i, r) in ranks.enumerated() where r != .max {
            let k = Int(r &- lo)
            if at[k] >= 0 { return nil }
            at[k] = Int32(truncatingIfNeeded: i)
        }
        var out: [Int] = []
        out.reserveCapacity(ranks.count)
        for g in at where g >= 0 { out.append(Int(g)) }
        if let nullIndex { out.append(nullIndex) }
        return out
    }
}
