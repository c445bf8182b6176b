/// Rows laid out by a small integer a row, and pairs of rows written out from such a layout:
/// a join's index and its output, over raw buffers (array writes checked bounds and
/// uniqueness a row, which was most of laying out a million rows).
package enum CountingLayout {
    /// The rows 0..<entryOfRow.count laid out entry after entry by a counting sort, each
    /// entry's rows in row order, rows of an entry outside 0..<entries left out; and where
    /// each entry's rows begin, the end last.
    package static func layOut(_ entryOfRow: [Int32], entries: Int) -> (starts: [Int], rows: [Int]) {
        let entries = max(0, entries)
        var starts = [Int](repeating: 0, count: entries + 1)
        for e in entryOfRow where e >= 0 && Int(e) < entries { starts[Int(e) + 1] &+= 1 }
        for e in 0..<entries { starts[e + 1] &+= starts[e] }
        var fill = starts
        let total = starts[entries]
        let rows = [Int](unsafeUninitializedCapacity: total) { out, count in
            fill.withUnsafeMutableBufferPointer { fill in
                entryOfRow.withUnsafeBufferPointer { entryOfRow in
                    // Each entry's fill stays below the next entry's start: the counts above
                    // add up to exactly the rows written.
                    for r in 0..<entryOfRow.count {
                        let e = Int(entryOfRow[r])
                        guard e >= 0, e < entries else { continue }
                        out[fill[e]] = r
                        fill[e] &+= 1
                    }
                }
            }
            count = total
        }
        return (starts, rows)
    }

    /// Each left row r paired with `rows[place[r]]` in order: (r, row) for each, or (r, -1)
    /// for an empty range when `keepMisses`, else nothing. A range is taken within `rows`.
    package static func pairs(_ place: [Range<Int>], _ rows: [Int], keepMisses: Bool) -> (lefts: [Int], rights: [Int]) {
        let all = 0..<rows.count
        var total = 0
        for range in place {
            let range = range.clamped(to: all)
            total &+= range.isEmpty ? (keepMisses ? 1 : 0) : range.count
        }
        var rights: [Int] = []
        let lefts = [Int](unsafeUninitializedCapacity: total) { lefts, count in
            rights = [Int](unsafeUninitializedCapacity: total) { rights, rightCount in
                rows.withUnsafeBufferPointer { rows in
                    // Writes exactly `total` pairs, as counted above with the same ranges.
                    var at = 0
                    for r in place.indices {
                        let range = place[r].clamped(to: all)
                        if range.isEmpty {
                            if keepMisses {
                                lefts[at] = r
                                rights[at] = -1
                                at &+= 1
                            }
                            continue
                        }
                        var p = range.lowerBound
                        while p < range.upperBound {
                            lefts[at] = r
                            rights[at] = rows[p]
                            at &+= 1
                            p &+= 1
                        }
                    }
                }
                rightCount = total
            }
            count = total
        }
        return (lefts, rights)
    }
}
