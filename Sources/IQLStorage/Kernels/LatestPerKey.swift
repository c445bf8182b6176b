import IQLCore

/// `latest TIME by KEY`'s loops over stored columns: raw buffers and slots sized to the
/// cache, behind signatures that take columns and return row numbers. The operator
/// (IQLExecution's `LatestOperator`) decides when they apply and what the limit is.
package enum LatestPerKey {
    /// The latest row of each key, for one key of whole numbers in a narrow range (reference
    /// numbers, codes, years) and a time of at most 4 bytes a value, without numbering groups.
    /// Each key has an 8-byte slot holding the best row and time so far, so the winners come
    /// out in key order (`keyOrder`; else in row order); the rows update the slots in one pass,
    /// or, for more keys than stay in the cache, a range of keys at a time
    /// (`bestByPartition`). Rows after `bound` do not count. Nil when the keys span too wide a
    /// range for slots.
    package static func rows(keys keyColumn: Column, keyInts: PackedInts, time: Column, times: PackedInts,
                             timeNulls: NullMask?, bound: Int64?, keyOrder: Bool) -> [Int]? {
        // Every index below comes from the two columns' own rows, so they must be the same rows.
        guard keyColumn.count == time.count else { return nil }
        let n = keyColumn.count, timeBase = times.base
        func keyRange<T: FixedWidthInteger>(_ a: [T]) -> (Int64, Int64)? {
            // One pass for both ends, over a plain buffer (it vectorises).
            a.withUnsafeBufferPointer { a in
                guard var lo = a.first else { return nil }
                var hi = lo
                for v in a {
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
                return (Int64(lo), Int64(hi))
            }
        }
        guard let (lo, hi) = keyInts.visit(keyRange, keyRange, keyRange, keyRange) else { return [] }
        let (span, o) = hi.subtractingReportingOverflow(lo)
        guard !o, span < 1 << 24, span <= 4 * Int64(n) + 1024 else { return nil }
        let slotCount = Int(span) + 1
        // At most one winner a key and a row; written through a buffer, not appended, or, when
        // the rows are to come out in input order, as bits of a bitmap that lists them so.
        var winners = Winners(capacity: min(n, slotCount), rows: n, inputOrder: !keyOrder)
        // Both columns unfiltered (the common case, a loaded table): row r is stored at r, and the
        // loops below read the stored arrays directly, with no look-up through a selection.
        let direct = keyColumn.selection == nil && time.selection == nil
        func pass<K: FixedWidthInteger, T: FixedWidthInteger>(_ keyArray: [K], _ timeArray: [T]) {
            keyArray.withUnsafeBufferPointer { keyOffsets in
                timeArray.withUnsafeBufferPointer { timeOffsets in
                    // Each row's key, time and number as they are read, or nil for a row that does not count.
                    @inline(__always) func entry(_ r: Int) -> (slot: Int, biased: UInt64)? {
                        let tp = direct ? r : time.physical(r)
                        if let timeNulls, timeNulls.contains(tp) { return nil }
                        let t = Int64(timeOffsets[tp])
                        if let bound, timeBase &+ t > bound { return nil }
                        // The time offset with its sign bit flipped, so unsigned order is time order.
                        let key = Int64(keyOffsets[direct ? r : keyColumn.physical(r)]) &- lo
                        return (Int(key), UInt64(UInt32(truncatingIfNeeded: t) ^ 0x8000_0000))
                    }
                    if slotCount <= LatestPerKey.slotsInCache {
                        LatestPerKey.bestInSlots(count: slotCount, rows: 0..<n, entry: entry, into: &winners)
                        return
                    }
                    // How many rows each range of keys has, counted here where the key type is
                    // known, so the loop is a load, a shift and an increment.
                    let shift = LatestPerKey.slotsInCache.trailingZeroBitCount
                    var counts = [Int](repeating: 0, count: ((slotCount + LatestPerKey.slotsInCache - 1) >> shift) + 1)
                    counts.withUnsafeMutableBufferPointer { counts in
                        if direct {
                            for r in 0..<n { counts[(Int(Int64(keyOffsets[r]) &- lo) >> shift) &+ 1] &+= 1 }
                        } else {
                            for r in 0..<n { counts[(Int(Int64(keyOffsets[keyColumn.physical(r)]) &- lo) >> shift) &+ 1] &+= 1 }
                        }
                    }
                    LatestPerKey.bestByPartition(counts: counts, n: n, narrowTime: T.bitWidth <= 16, entry: entry,
                                                   into: &winners)
                }
            }
        }
        func withKeys<K: FixedWidthInteger>(_ keyOffsets: [K]) {
            times.visit({ pass(keyOffsets, $0) }, { pass(keyOffsets, $0) }, { pass(keyOffsets, $0) }, { _ in })
        }
        keyInts.visit(withKeys, withKeys, withKeys, withKeys)
        return winners.rows
    }

    /// The best row of each group (-1 for none) read straight from a packed date or integer
    /// column, keeping the best time of each group at the column's stored width: with a
    /// million groups the table they index must stay small for the cache. Ties keep the later row.
    package static func byGroup(_ packed: PackedInts, nulls: NullMask?, time: Column, groupOf: [Int32], groups: Int,
                                bound: Int64?, rows n: Int) -> [Int] {
        let base = packed.base
        // Plain arrays: each index is checked, as the group numbers come from the caller.
        let rows = min(n, groupOf.count, time.count)
        func run<T: FixedWidthInteger>(_ a: [T]) -> [Int] {
            var bestRow = [Int32](repeating: -1, count: groups)
            var bestTime = [T](repeating: 0, count: groups)
            for r in 0..<rows {
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
            return bestRow.map { Int($0) }
        }
        return packed.visit(run, run, run, run)
    }

    /// Winning rows, in the order found (key order) in room made once for as many as there can
    /// be, or, in input order, as a bitmap of rows.
    private struct Winners: ~Copyable {
        private let list: UnsafeMutableBufferPointer<Int>
        private let bits: UnsafeMutableBufferPointer<UInt64>
        private let inputOrder: Bool
        private var count = 0

        package init(capacity: Int, rows n: Int, inputOrder: Bool) {
            self.inputOrder = inputOrder
            list = .allocate(capacity: inputOrder ? 1 : max(1, capacity))
            bits = .allocate(capacity: inputOrder ? max(1, (n + 63) / 64) : 1)
            bits.initialize(repeating: 0)
        }

        deinit {
            list.deallocate()
            bits.deallocate()
        }

        /// Adds the row in a slot (row + 1 in its high half; 0 is an empty slot).
        @inline(__always)
        package mutating func add(slot: UInt64) {
            guard slot != 0 else { return }
            let row = Int(slot >> 32) &- 1
            if inputOrder {
                // Rows are below the table's count, so their words exist; the guard only keeps a
                // mistake from writing out of bounds.
                guard row >= 0, row >> 6 < bits.count else { return }
                bits[row >> 6] |= 1 &<< UInt64(row & 63)
                count &+= 1
            } else {
                guard count < list.count else { return }
                list[count] = row
                count &+= 1
            }
        }

        package var rows: [Int] {
            inputOrder ? BitWords.rows(Array(bits), limit: count) : Array(list.prefix(count))
        }
    }

    /// Keys whose slots (8 bytes each) stay in a core's cache: more, and the rows are first
    /// split by key range so each part's slots do. Random updates to a table bigger than the
    /// cache cost a memory access a row (a 4-million-row table with a million keys took 11
    /// times as long as one with a quarter of each); two sequential passes cost less.
    package static let slotsInCache = 1 << 16


    /// The latest row of each key, for keys `0..<count`: one 8-byte slot a key holding the best
    /// row + 1 (0: none yet) above the biased time. Appends the winners in key order.
    @inline(__always)
    private static func bestInSlots(count: Int, rows range: Range<Int>,
                                    entry: (Int) -> (slot: Int, biased: UInt64)?, into winners: inout Winners) {
        var slots = [UInt64](repeating: 0, count: count)
        slots.withUnsafeMutableBufferPointer { slots in
            for r in range {
                guard let (slot, biased) = entry(r) else { continue }
                let current = slots[slot], candidate = UInt64(r + 1) << 32 | biased
                // Ties keep the later row, as the general path does; an empty slot (0) loses to
                // any row. A select, not a branch: which way it goes is random row to row.
                slots[slot] = biased >= current & 0xFFFF_FFFF ? candidate : current
            }
            for slot in slots { winners.add(slot: slot) }
        }
    }

    /// The same answer for many keys: the counting rows go, in order, into one list per range of
    /// `slotsInCache` keys, then each list is settled in slots that fit the cache. Lists keep row
    /// order, so ties resolve as above. An entry is one word when the time fits 16 bits (row + 1,
    /// key within its range, time); otherwise the key within its range goes in a second array.
    @inline(__always)
    private static func bestByPartition(counts: [Int], n: Int, narrowTime: Bool,
                                        entry: (Int) -> (slot: Int, biased: UInt64)?, into winners: inout Winners) {
        let shift = slotsInCache.trailingZeroBitCount
        let parts = counts.count - 1
        // Room for every row of each range (`counts[p + 1]` rows of range p); rows that do not
        // count (no time, after the limit) leave their room unused rather than cost a second
        // look at the time column here.
        var starts = counts
        for p in 0..<parts { starts[p + 1] &+= starts[p] }
        // Raw memory, not zeroed first: every entry read below is written first (a range's
        // entries are read up to where its writes ended), and zeroing tens of megabytes is not free.
        let packedStore = ScratchBuffer<UInt64>(count: n), withinStore = ScratchBuffer<UInt16>(count: narrowTime ? 1 : n)
        let packed = packedStore.buffer, within = withinStore.buffer
        var ends = Array(starts.dropLast())
        ends.withUnsafeMutableBufferPointer { ends in
            for r in 0..<n {
                guard let (slot, biased) = entry(r) else { continue }
                let p = slot >> shift
                let at = ends[p]
                ends[p] = at &+ 1
                let key = UInt64(slot & (slotsInCache - 1))
                if narrowTime {
                    // The low half of the time, sign bit flipped: the same order in 16 bits.
                    packed[at] = UInt64(r + 1) << 32 | key << 16 | ((biased & 0xFFFF) ^ 0x8000)
                } else {
                    packed[at] = UInt64(r + 1) << 32 | biased
                    within[at] = UInt16(truncatingIfNeeded: key)
                }
            }
        }
        var slots = [UInt64](repeating: 0, count: slotsInCache)
        slots.withUnsafeMutableBufferPointer { slots in
            for p in 0..<parts {
                for i in 0..<slotsInCache { slots[i] = 0 }
                for at in starts[p]..<ends[p] {
                    let e = packed[at]
                    let slot: Int, candidate: UInt64
                    if narrowTime {
                        slot = Int(e >> 16 & 0xFFFF)
                        candidate = e & 0xFFFF_FFFF_0000_0000 | e & 0xFFFF
                    } else {
                        slot = Int(within[at])
                        candidate = e
                    }
                    let current = slots[slot]
                    // As in `bestInSlots`: later rows win ties, empty slots lose, no branch.
                    slots[slot] = candidate & 0xFFFF_FFFF >= current & 0xFFFF_FFFF ? candidate : current
                }
                for slot in slots { winners.add(slot: slot) }
            }
        }
    }
}
