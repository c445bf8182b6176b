import IQLCore

extension Column {
    /// A column whose row r is this column's row `rows[r]`, or null where that is negative (a
    /// row with no neighbour, for `previous` and `next`), for whole numbers, decimals and days:
    /// the words are gathered at their stored width and base, so a million random reads of
    /// pupil counts touch 2 MB where a widened copy was 8 MB (out of the cache past a million
    /// rows), and nothing is widened or packed again. Nil for other storage, or a row number
    /// past the column.
    package func neighbours(_ rows: [Int32]) -> Column? {
        guard rows.allSatisfy({ Int($0) < count }) else { return nil }
        switch storage {
        case .int64(let v, let nulls):
            let (words, mask) = gathered(v, nulls, rows)
            return Column(storage: .int64(words, nulls: mask), count: rows.count)
        case .decimal(let v, let scale, let nulls):
            let (words, mask) = gathered(v, nulls, rows)
            return Column(storage: .decimal(words, scale: scale, nulls: mask), count: rows.count)
        case .date(let v, let nulls):
            let (words, mask) = gathered(v, nulls, rows)
            return Column(storage: .date(words, nulls: mask), count: rows.count)
        default:
            return nil
        }
    }

    /// The stored words at the rows (the first word's value where a row is negative) and which
    /// rows are null: those with no row, and those whose row is null here.
    private func gathered(_ v: PackedInts, _ nulls: NullMask?, _ rows: [Int32]) -> (PackedInts, NullMask?) {
        let n = rows.count, words = (n + 63) >> 6
        // With many rows, two cores each take half the rows, split at a word of null bits so
        // that no word is written by both.
        let halves = Halves.count(n)
        @Sendable func part(_ h: Int) -> Range<Int> {
            let w = Halves.range(h, of: halves, words)
            return min(w.lowerBound << 6, n)..<min(w.upperBound << 6, n)
        }
        func take<T: FixedWidthInteger & Sendable>(_ a: [T]) -> [T] {
            [T](unsafeUninitializedCapacity: n) { out, count in
                let shared = UnsafeSendable(out)
                Halves.run(halves) { h in
                    for r in part(h) {
                        let s = rows[r]
                        shared.value[r] = s < 0 ? 0 : a[physical(Int(s))]
                    }
                }
                count = n
            }
        }
        let packed = v.visit({ PackedInts.Words.i8(take($0)) }, { .i16(take($0)) }, { .i32(take($0)) }, { .i64(take($0)) })
        // A null bit a row with no branch on it: rows with no neighbour fall at random (a
        // quarter of them for `next(x) by urn`), and a branch mispredicted at each.
        var bits = [UInt64](repeating: 0, count: words)
        var any = [UInt64](repeating: 0, count: halves)
        bits.withUnsafeMutableBufferPointer { bits in
            any.withUnsafeMutableBufferPointer { any in
                let shared = UnsafeSendable((bits, any))
                Halves.run(halves) { h in
                    let (bits, any) = shared.value
                    var seen: UInt64 = 0
                    for r in part(h) {
                        let s = Int(rows[r])
                        let p = s < 0 ? 0 : physical(s)
                        let missing = UInt64(truncatingIfNeeded: s >> 63) & 1
                        let null = nulls.map { $0.word(p >> 6) >> UInt64(p & 63) & 1 } ?? 0
                        let bit = (missing | null) << UInt64(r & 63)
                        bits[r >> 6] |= bit
                        seen |= bit
                    }
                    any[h] = seen
                }
            }
        }
        let none = !any.contains { $0 != 0 }
        return (PackedInts(base: v.base, words: packed), none ? nil : NullMask(words: bits))
    }

    /// `neighbours` for rows laid out in window order: `order` lists every row once, in its
    /// group's time order, and bit i of `sameGroup` says whether `order[i]` shares a group with
    /// `order[i - 1]`. Row `order[i]` takes row `order[i + 1]` (`next`) or `order[i - 1]`,
    /// null across a group's edge. One read and one write at random a row, each of the column's
    /// own width; going through a table of each row's neighbour (four bytes a row, written at
    /// random, then read) was a fifth of `previous(overall) by urn`, and took half as long
    /// again a row over 4M rows as over 1M. Numbers,
    /// decimals, days and ratings; nil for other storage, or `order` not of the column's length.
    package func shifted(along order: [Int32], sameGroup: [UInt64], next: Bool) -> Column? {
        let n = count
        guard order.count == n, sameGroup.count >= (n + 63) >> 6,
              order.allSatisfy({ $0 >= 0 && Int($0) < n }) else { return nil }
        @Sendable @inline(__always) func same(_ i: Int) -> UInt64 { sameGroup[i >> 6] >> UInt64(i & 63) & 1 }
        // (the row written, the row read, whether it is a neighbour) for step i; for i past
        // either end, the row written and no neighbour.
        @Sendable @inline(__always) func step(_ i: Int) -> (to: Int, from: Int, linked: UInt64) {
            if next {
                let linked = i &+ 1 < n ? same(i &+ 1) : 0
                return (Int(order[i]), linked == 1 ? Int(order[i &+ 1]) : Int(order[i]), linked)
            }
            let linked = i > 0 ? same(i) : 0
            return (Int(order[i]), linked == 1 ? Int(order[i &- 1]) : Int(order[i]), linked)
        }
        // The steps split between two cores when there are many: each writes rows no other
        // step writes (`order` lists each row once), and null bits into words of its own.
        let halves = Halves.count(n)
        // The words and the null bits in one pass: each row's step is read once.
        func shifted(_ v: PackedInts, _ nulls: NullMask?) -> (PackedInts, NullMask?) {
            let words = (n + 63) >> 6
            var bits = [UInt64](repeating: 0, count: halves * words)
            var any = [UInt64](repeating: 0, count: halves)
            func run<T: FixedWidthInteger & Sendable>(_ a: [T]) -> [T] {
                var out = [T](repeating: 0, count: n)
                // Raw buffers: every `to` is a row below n (checked above), and array writes
                // checked the arrays for sharing at every row.
                out.withUnsafeMutableBufferPointer { out in
                    bits.withUnsafeMutableBufferPointer { bits in
                        any.withUnsafeMutableBufferPointer { any in
                            let shared = UnsafeSendable((out, bits, any))
                            Halves.run(halves) { h in
                                let (out, bits, any) = shared.value
                                let first = h &* words
                                var seen: UInt64 = 0
                                for i in Halves.range(h, of: halves, n) {
                                    let (to, from, linked) = step(i)
                                    let p = physical(from)
                                    out[to] = a[p]
                                    let null = (nulls.map { $0.word(p >> 6) >> UInt64(p & 63) & 1 } ?? 0) | (linked ^ 1)
                                    let bit = null << UInt64(to & 63)
                                    bits[first &+ to >> 6] |= bit
                                    seen |= bit
                                }
                                any[h] = seen
                            }
                        }
                    }
                }
                return out
            }
            let packed = v.visit({ PackedInts.Words.i8(run($0)) }, { .i16(run($0)) }, { .i32(run($0)) }, { .i64(run($0)) })
            guard any.contains(where: { $0 != 0 }) else { return (PackedInts(base: v.base, words: packed), nil) }
            var mask = Array(bits.prefix(words))
            if halves == 2 {
                for w in 0..<words { mask[w] |= bits[words + w] }
            }
            return (PackedInts(base: v.base, words: packed), NullMask(words: mask))
        }
        switch storage {
        case .int64(let v, let nulls):
            let (words, mask) = shifted(v, nulls)
            return Column(storage: .int64(words, nulls: mask), count: n)
        case .decimal(let v, let scale, let nulls):
            let (words, mask) = shifted(v, nulls)
            return Column(storage: .decimal(words, scale: scale, nulls: mask), count: n)
        case .date(let v, let nulls):
            let (words, mask) = shifted(v, nulls)
            return Column(storage: .date(words, nulls: mask), count: n)
        case .rating(let codes):
            // Rating 0 is null: a row with no neighbour takes it.
            var out = [Int8](repeating: 0, count: n)
            out.withUnsafeMutableBufferPointer { out in
                let shared = UnsafeSendable(out)
                Halves.run(halves) { h in
                    for i in Halves.range(h, of: halves, n) {
                        let (to, from, linked) = step(i)
                        shared.value[to] = codes[physical(from)] & Int8(truncatingIfNeeded: 0 &- Int64(linked))
                    }
                }
            }
            return Column(storage: .rating(out), count: n)
        default:
            return nil
        }
    }
}
