import IQLCore
import IQLStorage
import IQLLanguage

extension DeriveOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        // Neighbours are held as 32-bit row numbers.
        if timeColumn != nil, input.rowCount >= Int(Int32.max) {
            throw Diagnostic.error(.wouldMakeRows("a window over the rows", input.rowCount, limit: Int(Int32.max) - 1), at: nil)
        }
        // Which links the items read: an item that is previous(x) or next(x) reads one kind,
        // anything else reading the window both. Each kind is a write at random a row.
        var reads: (previous: Bool, next: Bool) = (false, false)
        for item in items {
            if env.vectorised, case .window(let next, let inner) = item.expression.shape, !inner.readsWindow {
                if next { reads.next = true } else { reads.previous = true }
            } else if item.expression.readsWindow {
                reads = (true, true)
            }
        }
        // Whether every item reading the window takes the neighbour of a stored column with no
        // null mask, which the window order answers with no table of links. With a mask, the
        // null bits written at random cost what the links saved (`next(pupils) by urn`
        // measured 10–20% slower over 4M rows), so those go through the links.
        let ordered = env.vectorised && items.allSatisfy { item in
            guard item.expression.readsWindow else { return true }
            guard case .window(_, let inner) = item.expression.shape, case .column(let i) = inner.shape,
                  i < input.columns.count else { return false }
            switch input.columns[i].storage {
            case .int64(_, nil), .decimal(_, _, nil), .date(_, nil), .rating: return true
            default: return false
            }
        }
        var window = try timeColumn.map { try links(input, timeColumn: $0, reads: reads, ordered: ordered, env) }
        try env.budget.reserve(input.rowCount &* items.count &* 8, for: "derive of \(items.count) columns")
        var table = input
        for (k, item) in items.enumerated() {
            if k % 256 == 255 { try env.checkCancelled() }
            let values: Column
            if let links = window, env.vectorised, case .window(let next, let inner) = item.expression.shape, !inner.readsWindow {
                // `previous(x)`: x a column at a time, then each row takes its neighbour's value;
                // a stored number, day or rating column straight from its stored words.
                if links.isOrder, case .column(let i) = inner.shape,
                   let column = table.columns[i].shifted(along: links.order, sameGroup: links.sameGroup, next: next) {
                    table.setColumn(column, as: item.column, at: item.replacing)
                    continue
                }
                // Links held as the window order reach here only when an earlier item changed
                // the column to a kind the order cannot shift: tables of links from then on.
                let tables = links.tables()
                window = tables
                let rows = next ? tables.next : tables.previous
                if case .column(let i) = inner.shape, let column = table.columns[i].neighbours(rows) {
                    values = column
                } else {
                    let vector = try VectorEvaluator(table: table, environment: env).evaluate(inner)
                    values = vector.gathered(rows).column(count: table.rowCount)
                }
            } else {
                if let w = window, w.isOrder { window = w.tables() }
                values = try Evaluating.stored(item.expression, over: table, env, window: window)
            }
            table.setColumn(values, as: item.column, at: item.replacing)
        }
        return table
    }

    /// Each row's neighbours within its `by` group in time order: rows grouped on their stored
    /// key codes, ordered by the time column's ranks (a stable counting sort when the times
    /// span few values), ties in input order, rows with no time last.
    private func links(_ table: Table, timeColumn: Int, reads: (previous: Bool, next: Bool), ordered: Bool,
                       _ env: RuntimeEnvironment) throws -> WindowLinks {
        let n = table.rowCount
        guard let ranks = SortKeys.ranks(of: table.columns[timeColumn]) else { return try linksByValue(table, timeColumn: timeColumn, env) }
        if let groups = try Grouping.packedCodes(keys, over: table, env),
           let links = try sortedLinks(groups, ranks: ranks, count: n, reads: reads, ordered: ordered, env) {
            return links
        }
        // Keys with no codes that pack: their groups' numbers are the codes.
        let grouping = try Grouping.make(keys, over: table, env)
        try env.checkCancelled()
        var numbered = RadixOrder.Packing()
        if grouping.whole || numbered.add(grouping.groupOf.map(Int64.init), null: .min),
           let links = try sortedLinks(numbered, ranks: ranks, count: n, reads: reads, ordered: ordered, env) {
            return links
        }
        var previous = [Int32](repeating: -1, count: n)
        var next = [Int32](repeating: -1, count: n)
        // Rows placed by group in input order (a counting sort, reading the groups in order),
        // then each group ordered by time: ties keep input order, no time (rank .max) last.
        let groups = max(1, grouping.count)
        func group(_ r: Int) -> Int { grouping.whole ? 0 : Int(grouping.groupOf[r]) }
        var starts = [Int](repeating: 0, count: groups + 1)
        for r in 0..<n { starts[group(r) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var ordered = [Int](repeating: 0, count: n)
        var fill = starts
        for r in 0..<n {
            let g = group(r)
            ordered[fill[g]] = r
            fill[g] += 1
        }
        try env.checkCancelled()
        for g in 0..<groups {
            let lo = starts[g], hi = starts[g + 1]
            if hi - lo < 2 { continue }
            if hi - lo <= 16 {
                // Insertion sort: stable, and quickest for the few rows most groups hold.
                for i in (lo + 1)..<hi {
                    let row = ordered[i], key = ranks[row]
                    var j = i - 1
                    while j >= lo, ranks[ordered[j]] > key {
                        ordered[j + 1] = ordered[j]
                        j -= 1
                    }
                    ordered[j + 1] = row
                }
            } else {
                ordered[lo..<hi].sort { (a: Int, b: Int) -> Bool in
                    let x = ranks[a], y = ranks[b]
                    return x != y ? x < y : a < b
                }
            }
        }
        for g in 0..<groups where starts[g + 1] - starts[g] > 1 {
            for i in (starts[g] + 1)..<starts[g + 1] {
                previous[ordered[i]] = Int32(truncatingIfNeeded: ordered[i - 1])
                next[ordered[i - 1]] = Int32(truncatingIfNeeded: ordered[i])
            }
        }
        return WindowLinks(previous: previous, next: next)
    }

    /// The links from one radix sort of the rows by (group, time rank), ties in input order
    /// and rows with no time last in their group: passes over the rows in order, where placing
    /// rows by group and sorting each group read at random once a million groups outgrow the
    /// cache (5x the time for 4x the rows). `groups` holds the group keys packed so far (none:
    /// one group). Nil when they and the rank do not pack into 64 bits.
    private func sortedLinks(_ groups: RadixOrder.Packing, ranks: [Int64], count n: Int,
                             reads: (previous: Bool, next: Bool), ordered: Bool,
                             _ env: RuntimeEnvironment) throws -> WindowLinks? {
        var packing = groups
        let groupBits = packing.bits
        guard ranks.count == n, packing.add(ranks, null: .max), let keys = packing.packed(count: n) else { return nil }
        // The rank takes the lowest bits; above them, the group.
        let groupShift = UInt64(packing.bits - groupBits)
        try env.checkCancelled()
        guard let (rows, same, _) = RadixOrder.stableOrder(keys, sameAbove: groupShift) else { return nil }
        try env.checkCancelled()
        let inOrder = WindowLinks(order: rows, sameGroup: same)
        return ordered ? inOrder : inOrder.tables(previous: reads.previous, next: reads.next)
    }

    /// The same by comparing values, for a time column without ranks.
    private func linksByValue(_ table: Table, timeColumn: Int, _ env: RuntimeEnvironment) throws -> WindowLinks {
        var previous = [Int32](repeating: -1, count: table.rowCount)
        var next = [Int32](repeating: -1, count: table.rowCount)
        let time = table.columns[timeColumn]
        for group in try Evaluating.groups(keys, over: table, env) {
            // Stable: rows with equal times keep their input order; rows with no time come last.
            let ordered = group.rows.enumerated().sorted { a, b in
                let x = time[a.element], y = time[b.element]
                if x != y { return Value.orderedBefore(x, y) }
                return a.offset < b.offset
            }.map(\.element)
            for (i, r) in ordered.enumerated() {
                if i > 0 { previous[r] = Int32(truncatingIfNeeded: ordered[i - 1]) }
                if i + 1 < ordered.count { next[r] = Int32(truncatingIfNeeded: ordered[i + 1]) }
            }
        }
        return WindowLinks(previous: previous, next: next)
    }
}
