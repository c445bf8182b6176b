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
        func run<T: FixedWidthInteger & Sendable>(_ a: [T]) -> (sums: [Int64], counts: [Int64], lows: [Int64], highs: [Int64])? {
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
    ///
    /// With many rows each pass runs on two cores: the count and the placing by halves of the
    /// rows (the lower half's pairs of a range placed before the upper's, so each range keeps
    /// its rows' order and every sum is added in row order), the adding by halves of the ranges,
    /// whose groups no other range has.
    private static func partitioned<T: FixedWidthInteger & Sendable>(
        _ a: [T], base: Int64, _ nulls: NullMask?, column: Column, groupOf: [Int32], groups: Int,
        sums: inout [Int64], counts: inout [Int64], lows: inout [Int64], highs: inout [Int64],
        sum needsSum: Bool, low needsLow: Bool, high needsHigh: Bool
    ) -> Bool {
        let n = column.count
        let shift = partitionGroups.trailingZeroBitCount
        let parts = (groups + partitionGroups - 1) >> shift
        let halves = Halves.count(n)
        // Each half's count of non-null rows a range, at h * parts + the range.
        var tally = [Int](repeating: 0, count: halves * parts)
        var inRange = [Bool](repeating: true, count: halves)
        tally.withUnsafeMutableBufferPointer { tally in
            inRange.withUnsafeMutableBufferPointer { inRange in
                let out = UnsafeSendable((tally, inRange))
                Halves.run(halves) { h in
                    let tally = out.value.0, first = h * parts
                    for r in Halves.range(h, of: halves, n) {
                        if let nulls, nulls.contains(column.physical(r)) { continue }
                        let g = Int(groupOf[r])
                        guard g >= 0, g < groups else {
                            out.value.1[h] = false
                            return
                        }
                        tally[first &+ (g >> shift)] &+= 1
                    }
                }
            }
        }
        guard !inRange.contains(false) else { return false }
        // Where each range's pairs begin, and where each half's pairs of it begin.
        var starts = [Int](repeating: 0, count: parts + 1)
        var fills = [Int](repeating: 0, count: halves * parts)
        for p in 0..<parts {
            var at = starts[p]
            for h in 0..<halves {
                fills[h * parts + p] = at
                at += tally[h * parts + p]
            }
            starts[p + 1] = at
        }
        let kept = starts[parts]
        if T.bitWidth <= 16 {
            return packedPairs(a, base: base, nulls, column: column, groupOf: groupOf, starts: starts, fills: fills,
                               sums: &sums, counts: &counts, lows: &lows, highs: &highs,
                               sum: needsSum, low: needsLow, high: needsHigh)
        }
        // Each pair as narrow as it can be (a group's place within its range, the value as
        // stored), as writing the pairs is most of the time.
        var pairGroups = [UInt16](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        var pairValues = [T](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        pairGroups.withUnsafeMutableBufferPointer { pairGroups in
            pairValues.withUnsafeMutableBufferPointer { pairValues in
                let out = UnsafeSendable((pairGroups, pairValues))
                placeRows(a, nulls, column, groupOf, fills, halves) { at, g, v in
                    out.value.0[at] = g
                    out.value.1[at] = v
                }
            }
        }
        let (rangeStarts, placedGroups, placedValues) = (starts, pairGroups, pairValues)
        return Tables.with(&sums, &counts, &lows, &highs, sum: needsSum, low: needsLow, high: needsHigh) { tables in
            addRanges(parts, halves, tables) { tables, part in
                let first = part << shift
                for i in rangeStarts[part]..<rangeStarts[part + 1] {
                    // first | a place within the range is below groups, as every group was checked.
                    guard tables.add(first | Int(placedGroups[i]), base &+ Int64(placedValues[i])) else { return false }
                }
                return true
            }
        }
    }

    /// `partitioned`'s placing and adding for values of at most 16 bits: each pair is one
    /// 32-bit word (the group's place within its range above, the value's bits below), so a
    /// range's pairs are one stream of writes where two arrays made two. With a million groups
    /// (31 ranges, whose pairs are written out to memory) the placing pass took half the
    /// time: `summarize s = sum(pupils) by urn` over 4M rows went from 52 ms to 46.
    private static func packedPairs<T: FixedWidthInteger & Sendable>(
        _ a: [T], base: Int64, _ nulls: NullMask?, column: Column, groupOf: [Int32], starts: [Int], fills: [Int],
        sums: inout [Int64], counts: inout [Int64], lows: inout [Int64], highs: inout [Int64],
        sum needsSum: Bool, low needsLow: Bool, high needsHigh: Bool
    ) -> Bool {
        let shift = partitionGroups.trailingZeroBitCount
        let parts = starts.count - 1
        let kept = starts[parts]
        let halves = fills.count / max(parts, 1)
        var pairs = [UInt32](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        pairs.withUnsafeMutableBufferPointer { pairs in
            let out = UnsafeSendable(pairs)
            placeRows(a, nulls, column, groupOf, fills, halves) { at, g, v in
                out.value[at] = UInt32(g) << 16 | UInt32(UInt16(truncatingIfNeeded: v))
            }
        }
        let placed = pairs
        return Tables.with(&sums, &counts, &lows, &highs, sum: needsSum, low: needsLow, high: needsHigh) { tables in
            addRanges(parts, halves, tables) { tables, part in
                let first = part << shift
                for i in starts[part]..<starts[part + 1] {
                    let pair = placed[i]
                    // The low 16 bits are the value's, sign and all.
                    let v = Int64(Int16(truncatingIfNeeded: pair))
                    guard tables.add(first | Int(pair >> 16), base &+ v) else { return false }
                }
                return true
            }
        }
    }

    /// `add(tables, part)` for each range of groups, the ranges split between `halves`
    /// threads; false if any range's is.
    private static func addRanges(_ parts: Int, _ halves: Int, _ tables: Tables,
                                  _ add: @Sendable (Tables, Int) -> Bool) -> Bool {
        var ok = [Bool](repeating: true, count: halves)
        ok.withUnsafeMutableBufferPointer { ok in
            let out = UnsafeSendable((ok, tables))
            Halves.run(halves) { h in
                for part in Halves.range(h, of: halves, parts) where !add(out.value.1, part) {
                    out.value.0[h] = false
                    return
                }
            }
        }
        return !ok.contains(false)
    }

    /// The placing pass: `write(at, g, v)` for each kept row, `at` the next place of its
    /// group's range for the row's half (from `fills`, half h's range p at h * parts + p),
    /// g the group's place within the range, v the stored value. Every group was checked by
    /// the caller, and each half's count of a range bounds its writes.
    @inline(__always)
    private static func placeRows<T: FixedWidthInteger & Sendable>(
        _ a: [T], _ nulls: NullMask?, _ column: Column, _ groupOf: [Int32], _ fills: [Int], _ halves: Int,
        _ write: @Sendable (Int, UInt16, T) -> Void
    ) {
        let shift = partitionGroups.trailingZeroBitCount
        let within = Int32(partitionGroups - 1)
        let parts = fills.count / halves, n = column.count
        var fill = fills
        fill.withUnsafeMutableBufferPointer { fill in
            groupOf.withUnsafeBufferPointer { groupOf in
                a.withUnsafeBufferPointer { a in
                    let shared = UnsafeSendable((fill, groupOf, a))
                    Halves.run(halves) { h in
                        let (fill, groupOf, a) = shared.value
                        let first = h * parts
                        forEachKeptRow(Halves.range(h, of: halves, n), nulls, column) { r, p in
                            let g = groupOf[r], part = first &+ Int(g) >> shift, at = fill[part]
                            fill[part] = at &+ 1
                            write(at, UInt16(truncatingIfNeeded: g & within), a[p])
                        }
                    }
                }
            }
        }
    }

    /// `body(r, p)` for each row r of `rows` whose stored row p is not null, in order: with no
    /// nulls and no selection, a loop with no test.
    @inline(__always)
    private static func forEachKeptRow(_ rows: Range<Int>, _ nulls: NullMask?, _ column: Column, _ body: (Int, Int) -> Void) {
        if nulls == nil, column.selection == nil {
            for r in rows { body(r, r) }
            return
        }
        for r in rows {
            let p = column.physical(r)
            if let nulls, nulls.contains(p) { continue }
            body(r, p)
        }
    }

    /// The four tables a row updates, over raw buffers (array writes would each check for
    /// sharing); the ones not asked for are not touched. Handed to `addRanges`' threads,
    /// each of which adds to groups no other thread's ranges hold.
    private struct Tables: @unchecked Sendable {
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
