import IQLCore

/// Sums, counts, least and greatest of a stored column of whole numbers by group: the loop
/// `summarize sum(x), avg(x), min(x), max(x) by …` spends its time in, over raw buffers
/// (array writes here would each check for sharing), behind a signature of columns and arrays.
package enum GroupedIntegers {
    /// Per group (`groupOf[r]` for row r; nil: one group of every row), the sum (if `sum`),
    /// count of non-null rows, least (if `low`) and greatest (if `high`); the tables not asked
    /// for hold one entry, as with many groups each is a cache miss a row. Nil if a sum
    /// overflows, or if a row's group is not below `groups`.
    package static func accumulate(_ values: PackedInts, _ nulls: NullMask?, column: Column, groupOf: [Int32]?, groups: Int,
                                   sum needsSum: Bool, low needsLow: Bool, high needsHigh: Bool)
        -> (sums: [Int64], counts: [Int64], lows: [Int64], highs: [Int64])? {
        let n = column.count
        guard groups > 0, groupOf.map({ $0.count >= n }) ?? true else { return nil }
        let base = values.base
        // The arrays are the function's own, not captured, so the loop keeps them in registers.
        func run<T: FixedWidthInteger>(_ a: [T]) -> (sums: [Int64], counts: [Int64], lows: [Int64], highs: [Int64])? {
            var sums = [Int64](repeating: 0, count: needsSum ? groups : 1)
            var counts = [Int64](repeating: 0, count: groups)
            var lows = [Int64](repeating: .max, count: needsLow ? groups : 1)
            var highs = [Int64](repeating: .min, count: needsHigh ? groups : 1)
            let groupOf = groupOf ?? []
            if groups > partitionGroups, !groupOf.isEmpty {
                let ok = partitioned(a, base: base, nulls, column: column, groupOf: groupOf, groups: groups,
                                     sums: &sums, counts: &counts, lows: &lows, highs: &highs,
                                     sum: needsSum, low: needsLow, high: needsHigh)
                return ok ? (sums, counts, lows, highs) : nil
            }
            let ok = Tables.with(&sums, &counts, &lows, &highs, sum: needsSum, low: needsLow, high: needsHigh) { tables in
                for r in 0..<n {
                    let p = column.physical(r)
                    if let nulls, nulls.contains(p) { continue }
                    let g = groupOf.isEmpty ? 0 : Int(groupOf[r])
                    guard g >= 0, g < groups, tables.add(g, base &+ Int64(a[p])) else { return false }
                }
                return true
            }
            return ok ? (sums, counts, lows, highs) : nil
        }
        return values.visit(run, run, run, run)
    }

    /// Groups a partition holds: its tables (16 bytes a group for a sum and a count, 32 with
    /// least and greatest) stay in a core's 1 MB cache.
    package static let partitionGroups = 1 << 15

    /// The same loop for more groups than stay in the cache: the rows' (group, value) pairs
    /// are first placed by range of groups, a pass that writes in order to one stream a range,
    /// then each range is added up while its part of the tables is in the cache. With a
    /// million groups each row otherwise missed the cache twice; 4 million rows took 11x the
    /// time of 1 million.
    private static func partitioned<T: FixedWidthInteger>(
        _ a: [T], base: Int64, _ nulls: NullMask?, column: Column, groupOf: [Int32], groups: Int,
        sums: inout [Int64], counts: inout [Int64], lows: inout [Int64], highs: inout [Int64],
        sum needsSum: Bool, low needsLow: Bool, high needsHigh: Bool
    ) -> Bool {
        let n = column.count
        let shift = partitionGroups.trailingZeroBitCount
        let parts = (groups + partitionGroups - 1) >> shift
        // Where each range's pairs begin, from a count of its non-null rows.
        var starts = [Int](repeating: 0, count: parts + 1)
        let inRange = starts.withUnsafeMutableBufferPointer { starts in
            groupOf.withUnsafeBufferPointer { groupOf in
                for r in 0..<n {
                    if let nulls, nulls.contains(column.physical(r)) { continue }
                    let g = Int(groupOf[r])
                    guard g >= 0, g < groups else { return false }
                    starts[(g >> shift) &+ 1] &+= 1
                }
                return true
            }
        }
        guard inRange else { return false }
        for p in 0..<parts { starts[p + 1] += starts[p] }
        let kept = starts[parts]
        if T.bitWidth <= 16 {
            return packedPairs(a, base: base, nulls, column: column, groupOf: groupOf, starts: starts,
                               sums: &sums, counts: &counts, lows: &lows, highs: &highs,
                               sum: needsSum, low: needsLow, high: needsHigh)
        }
        // Each pair as narrow as it can be (a group's place within its range, the value as
        // stored), as writing the pairs is most of the time.
        var pairGroups = [UInt16](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        var pairValues = [T](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        pairGroups.withUnsafeMutableBufferPointer { pairGroups in
            pairValues.withUnsafeMutableBufferPointer { pairValues in
                placeRows(a, nulls, column, groupOf, starts) { at, g, v in
                    pairGroups[at] = g
                    pairValues[at] = v
                }
            }
        }
        return Tables.with(&sums, &counts, &lows, &highs, sum: needsSum, low: needsLow, high: needsHigh) { tables in
            for part in 0..<parts {
                let first = part << shift
                for i in starts[part]..<starts[part + 1] {
                    // first | a place within the range is below groups, as every group was checked.
                    guard tables.add(first | Int(pairGroups[i]), base &+ Int64(pairValues[i])) else { return false }
                }
            }
            return true
        }
    }

    /// `partitioned`'s placing and adding for values of at most 16 bits: each pair is one
    /// 32-bit word (the group's place within its range above, the value's bits below), so a
    /// range's pairs are one stream of writes where two arrays made two. With a million groups
    /// (31 ranges, whose pairs are written out to memory) the placing pass took half the
    /// time: `summarize s = sum(pupils) by urn` over 4M rows went from 52 ms to 46.
    private static func packedPairs<T: FixedWidthInteger>(
        _ a: [T], base: Int64, _ nulls: NullMask?, column: Column, groupOf: [Int32], starts: [Int],
        sums: inout [Int64], counts: inout [Int64], lows: inout [Int64], highs: inout [Int64],
        sum needsSum: Bool, low needsLow: Bool, high needsHigh: Bool
    ) -> Bool {
        let shift = partitionGroups.trailingZeroBitCount
        let parts = starts.count - 1
        let kept = starts[parts]
        var pairs = [UInt32](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        pairs.withUnsafeMutableBufferPointer { pairs in
            placeRows(a, nulls, column, groupOf, starts) { at, g, v in
                pairs[at] = UInt32(g) << 16 | UInt32(UInt16(truncatingIfNeeded: v))
            }
        }
        return Tables.with(&sums, &counts, &lows, &highs, sum: needsSum, low: needsLow, high: needsHigh) { tables in
            for part in 0..<parts {
                let first = part << shift
                for i in starts[part]..<starts[part + 1] {
                    let pair = pairs[i]
                    // The low 16 bits are the value's, sign and all.
                    let v = Int64(Int16(truncatingIfNeeded: pair))
                    guard tables.add(first | Int(pair >> 16), base &+ v) else { return false }
                }
            }
            return true
        }
    }

    /// The placing pass: `write(at, g, v)` for each kept row, `at` the next place of its
    /// group's range (from `starts`), g the group's place within the range, v the stored value.
    /// Every group was checked by the caller, and each range's count bounds its writes.
    @inline(__always)
    private static func placeRows<T: FixedWidthInteger>(_ a: [T], _ nulls: NullMask?, _ column: Column, _ groupOf: [Int32],
                                                         _ starts: [Int], _ write: (Int, UInt16, T) -> Void) {
        let shift = partitionGroups.trailingZeroBitCount
        let within = Int32(partitionGroups - 1)
        var fill = starts
        fill.withUnsafeMutableBufferPointer { fill in
            groupOf.withUnsafeBufferPointer { groupOf in
                a.withUnsafeBufferPointer { a in
                    forEachKeptRow(column.count, nulls, column) { r, p in
                        let g = groupOf[r], part = Int(g) >> shift, at = fill[part]
                        fill[part] = at &+ 1
                        write(at, UInt16(truncatingIfNeeded: g & within), a[p])
                    }
                }
            }
        }
    }

    /// `body(r, p)` for each row r below n whose stored row p is not null, in order: with no
    /// nulls and no selection, a loop with no test.
    @inline(__always)
    private static func forEachKeptRow(_ n: Int, _ nulls: NullMask?, _ column: Column, _ body: (Int, Int) -> Void) {
        if nulls == nil, column.selection == nil {
            for r in 0..<n { body(r, r) }
            return
        }
        for r in 0..<n {
            let p = column.physical(r)
            if let nulls, nulls.contains(p) { continue }
            body(r, p)
        }
    }

    /// The four tables a row updates, over raw buffers (array writes would each check for
    /// sharing); the ones not asked for are not touched.
    private struct Tables {
        let sums, counts, lows, highs: UnsafeMutableBufferPointer<Int64>
        let sum, low, high: Bool

        static func with(_ sums: inout [Int64], _ counts: inout [Int64], _ lows: inout [Int64], _ highs: inout [Int64],
                         sum: Bool, low: Bool, high: Bool, _ body: (Tables) -> Bool) -> Bool {
            sums.withUnsafeMutableBufferPointer { s in
                counts.withUnsafeMutableBufferPointer { c in
                    lows.withUnsafeMutableBufferPointer { l in
                        highs.withUnsafeMutableBufferPointer { h in
                            body(Tables(sums: s, counts: c, lows: l, highs: h, sum: sum, low: low, high: high))
                        }
                    }
                }
            }
        }

        /// Adds `v` to group g (below the groups); false if its sum overflows.
        @inline(__always)
        func add(_ g: Int, _ v: Int64) -> Bool {
            if sum {
                let (s, o) = sums[g].addingReportingOverflow(v)
                if o { return false }
                sums[g] = s
            }
            counts[g] &+= 1
            if low, v < lows[g] { lows[g] = v }
            if high, v > highs[g] { highs[g] = v }
            return true
        }
    }
}
