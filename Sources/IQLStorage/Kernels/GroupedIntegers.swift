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
            let ok = sums.withUnsafeMutableBufferPointer { sums in
                counts.withUnsafeMutableBufferPointer { counts in
                    lows.withUnsafeMutableBufferPointer { lows in
                        highs.withUnsafeMutableBufferPointer { highs in
                            for r in 0..<n {
                                let p = column.physical(r)
                                if let nulls, nulls.contains(p) { continue }
                                let g = groupOf.isEmpty ? 0 : Int(groupOf[r]), v = base &+ Int64(a[p])
                                guard g >= 0, g < groups else { return false }
                                if needsSum {
                                    let (s, o) = sums[g].addingReportingOverflow(v)
                                    if o { return false }
                                    sums[g] = s
                                }
                                counts[g] += 1
                                if needsLow, v < lows[g] { lows[g] = v }
                                if needsHigh, v > highs[g] { highs[g] = v }
                            }
                            return true
                        }
                    }
                }
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
        // Each pair as narrow as it can be (a group's place within its range, the value as
        // stored), as writing the pairs is most of the time.
        var pairGroups = [UInt16](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        var pairValues = [T](unsafeUninitializedCapacity: kept) { _, count in count = kept }
        var fill = starts
        let within = Int32(partitionGroups - 1)
        pairGroups.withUnsafeMutableBufferPointer { pairGroups in
            pairValues.withUnsafeMutableBufferPointer { pairValues in
                fill.withUnsafeMutableBufferPointer { fill in
                    groupOf.withUnsafeBufferPointer { groupOf in
                        a.withUnsafeBufferPointer { a in
                            // Every group was checked above, and each range's count bounds its writes.
                            @inline(__always) func place(_ r: Int, _ p: Int) {
                                let g = groupOf[r], part = Int(g) >> shift, at = fill[part]
                                fill[part] = at &+ 1
                                pairGroups[at] = UInt16(truncatingIfNeeded: g & within)
                                pairValues[at] = a[p]
                            }
                            if nulls == nil, column.selection == nil {
                                for r in 0..<n { place(r, r) }
                            } else {
                                for r in 0..<n {
                                    let p = column.physical(r)
                                    if let nulls, nulls.contains(p) { continue }
                                    place(r, p)
                                }
                            }
                        }
                    }
                }
            }
        }
        return sums.withUnsafeMutableBufferPointer { sums in
            counts.withUnsafeMutableBufferPointer { counts in
                lows.withUnsafeMutableBufferPointer { lows in
                    highs.withUnsafeMutableBufferPointer { highs in
                        for part in 0..<parts {
                            let first = part << shift
                            for i in starts[part]..<starts[part + 1] {
                                let g = first | Int(pairGroups[i]), v = base &+ Int64(pairValues[i])
                                if needsSum {
                                    let (s, o) = sums[g].addingReportingOverflow(v)
                                    if o { return false }
                                    sums[g] = s
                                }
                                counts[g] += 1
                                if needsLow, v < lows[g] { lows[g] = v }
                                if needsHigh, v > highs[g] { highs[g] = v }
                            }
                        }
                        return true
                    }
                }
            }
        }
    }
}
