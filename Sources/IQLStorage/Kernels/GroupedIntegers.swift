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
}
