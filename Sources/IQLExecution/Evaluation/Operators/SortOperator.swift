import IQLCore
import IQLStorage
import IQLLanguage
extension SortOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let order = try RowOrder(keys, over: input, env)
        try env.checkCancelled()
        if let sorted = order.radixOrder(count: input.rowCount) { return input.gathering(sorted) }
        let sorted = (0..<input.rowCount).sorted { a, b in order.before(a, b) ?? (a < b) }
        return input.gathering(sorted)
    }
}

extension TopKOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let k = try take.limit(env)
        guard k > 0 else { return input.gathering([]) }
        if keys.count == 1, case .column(let i) = keys[0].expression.shape,
           case .int64(let values, let nulls) = input.columns[i].storage {
            return input.gathering(topIntegers(values, nulls, column: input.columns[i], k: k, descending: keys[0].descending))
        }
        let order = try RowOrder(keys, over: input, env)
        // The stable order as a total one: by the keys, then the earlier row first.
        func less(_ a: Int, _ b: Int) -> Bool { order.before(a, b) ?? (a < b) }
        // The k best rows so far in a heap with the worst on top: a row that beats it
        // replaces it in O(log k). (A sorted array's insertion moved up to k rows each time:
        // for `take 20000` of a million rows, half the run was moving memory.)
        var heap: [Int] = []
        heap.reserveCapacity(min(k, input.rowCount))
        func siftUp(_ i0: Int) {
            var i = i0
            while i > 0 {
                let parent = (i - 1) / 2
                guard less(heap[parent], heap[i]) else { return }
                heap.swapAt(parent, i)
                i = parent
            }
        }
        func siftDown(_ i0: Int) {
            var i = i0
            while true {
                let l = 2 * i + 1, r = l + 1
                var worst = i
                if l < heap.count, less(heap[worst], heap[l]) { worst = l }
                if r < heap.count, less(heap[worst], heap[r]) { worst = r }
                if worst == i { return }
                heap.swapAt(i, worst)
                i = worst
            }
        }
        for r in 0..<input.rowCount {
            if r & 65535 == 0 { try env.checkCancelled() }
            if heap.count < k {
                heap.append(r)
                siftUp(heap.count - 1)
            } else if let worst = heap.first, less(r, worst) {
                heap[0] = r
                siftDown(0)
            }
        }
        return input.gathering(heap.sorted(by: less))
    }
}

/// The first k rows by one integer column, nulls last, ties in row order: the same rows as
/// the general top-N, read straight from the stored integers.
private func topIntegers(_ values: PackedInts, _ nulls: NullMask?, column: Column, k: Int, descending: Bool) -> [Int] {
    let base = values.base
    func run<T: FixedWidthInteger>(_ a: [T]) -> [Int] {
        // A column as loaded, without nulls: the stored offsets, in the order of the values,
        // are compared straight from the array.
        if column.selection == nil, a.count == column.count {
            return topStored(a, nulls: nulls, k: k, descending: descending)
        }
        return topIntegers({ base &+ Int64(a[$0]) }, nulls, column: column, k: k, descending: descending)
    }
    return values.visit(run, run, run, run)
}

/// The `k` best rows seen so far by one value, kept sorted, the earlier row first among equals;
/// null rows are kept apart and come after every value. Shared by both integer top-N loops.
private struct BestRows<T: Comparable> {
    package let k: Int
    package let descending: Bool
    private var best: [(value: T, row: Int)] = []
    private var nullRows: [Int] = []
    /// The value a row must beat to get in, once `k` are held.
    package private(set) var worst: T?

    package init(k: Int, descending: Bool) {
        self.k = k
        self.descending = descending
        best.reserveCapacity(k + 1)
    }

    @inline(__always)
    package func beats(_ v: T, _ w: T) -> Bool { descending ? v > w : v < w }

    package var wantsNulls: Bool { nullRows.count < k }

    package mutating func null(_ r: Int) {
        if nullRows.count < k { nullRows.append(r) }
    }

    @inline(__always)
    package mutating func consider(_ v: T, _ r: Int) {
        if let w = worst, !beats(v, w) { return }
        // After any equal value, so the earlier row stays first.
        var lo = 0, hi = best.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if beats(v, best[mid].value) { hi = mid } else { lo = mid + 1 }
        }
        best.insert((v, r), at: lo)
        if best.count > k { best.removeLast() }
        if best.count == k { worst = best[k - 1].value }
    }

    package var rows: [Int] { Array((best.map(\.row) + nullRows).prefix(k)) }
}

/// The rows of the `k` greatest (or least) stored values, ordered as `BestRows` keeps them.
/// Once `k` are held, a row is one compare against the worst of them: a tight loop over the
/// array, 64 rows at a time, with the null bits consulted only for a row that passes; the
/// general loop below looks each row up.
private func topStored<T: FixedWidthInteger>(_ a: [T], nulls: NullMask?, k: Int,
                                             descending: Bool) -> [Int] {
    guard k > 0 else { return [] }
    var best = BestRows<T>(k: k, descending: descending)
    let words = nulls?.words ?? []
    var start = 0
    while start < a.count {
        let end = min(start + 64, a.count)
        let w = start >> 6
        let nullWord = w < words.count ? words[w] : 0
        // Null rows, in order, while fewer than k are held (they come after every value).
        var x = nullWord
        while x != 0, best.wantsNulls {
            let r = start + x.trailingZeroBitCount
            if r < end { best.null(r) }
            x &= x &- 1
        }
        if let limit = best.worst {
            // The common case once k are held: most rows fail one compare. A null row's stored
            // value means nothing, so a row that passes is checked against the null bits.
            for r in start..<end where best.beats(a[r], limit) {
                if nullWord >> UInt64(r & 63) & 1 == 0 { best.consider(a[r], r) }
            }
        } else {
            for r in start..<end where nullWord >> UInt64(r & 63) & 1 == 0 { best.consider(a[r], r) }
        }
        start = end
    }
    return best.rows
}

private func topIntegers(_ value: (Int) -> Int64, _ nulls: NullMask?, column: Column, k: Int, descending: Bool) -> [Int] {
    guard k > 0 else { return [] }
    var best = BestRows<Int64>(k: k, descending: descending)
    for r in 0..<column.count {
        let p = column.physical(r)
        if let nulls, nulls.contains(p) {
            best.null(r)
        } else {
            best.consider(value(p), r)
        }
    }
    return best.rows
}

/// The comparison a sort uses: integer ranks for stored columns, values otherwise.
package struct RowOrder {
    private enum Key {
        case ranks([Int64], descending: Bool)
        case values([Value], descending: Bool)
    }

    private let keys: [Key]

    package init(_ keys: [(expression: CompiledExpression, descending: Bool)], over table: Table, _ env: RuntimeEnvironment) throws {
        self.keys = try keys.map { key in
            if case .column(let i) = key.expression.shape, table.columns[i].isOrderedByRank || isText(table.columns[i]),
               let ranks = SortKeys.ranks(of: table.columns[i]) {
                return .ranks(ranks, descending: key.descending)
            }
            return .values(try Evaluating.column(key.expression, over: table, env), descending: key.descending)
        }
    }

    /// The rows in this order, ties in row order, by one radix sort when every key is ranks
    /// and their codes pack into 64 bits (each key's rank less its least, reversed when
    /// descending, null after every value); nil otherwise.
    package func radixOrder(count n: Int) -> [Int]? {
        var packing = RadixOrder.Packing()
        for key in keys {
            guard case .ranks(let r, let descending) = key, packing.add(r, null: .max, descending: descending) else { return nil }
        }
        guard let packed = packing.packed(count: n) else { return nil }
        return RadixOrder.stableOrder(packed).map { $0.rows.map(Int.init) }
    }

    /// True if row a sorts before row b, false if after, nil if the keys are equal.
    package func before(_ a: Int, _ b: Int) -> Bool? {
        for key in keys {
            switch key {
            case .ranks(let r, let desc):
                let x = r[a], y = r[b]
                if x == y { continue }
                if x == .max { return false }
                if y == .max { return true }
                return desc ? x > y : x < y
            case .values(let v, let desc):
                let x = v[a], y = v[b]
                if x == y { continue }
                if x.isNull { return false }
                if y.isNull { return true }
                return desc ? Value.orderedBefore(y, x) : Value.orderedBefore(x, y)
            }
        }
        return nil
    }
}

private func isText(_ c: Column) -> Bool {
    if case .text = c.storage { return true }
    return false
}
