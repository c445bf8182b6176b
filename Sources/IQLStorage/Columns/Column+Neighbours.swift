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
        let n = rows.count
        func take<T: FixedWidthInteger>(_ a: [T]) -> [T] {
            rows.map { s in s < 0 ? 0 : a[physical(Int(s))] }
        }
        let words = v.visit({ PackedInts.Words.i8(take($0)) }, { .i16(take($0)) }, { .i32(take($0)) }, { .i64(take($0)) })
        // A null bit a row with no branch on it: rows with no neighbour fall at random (a
        // quarter of them for `next(x) by urn`), and a branch mispredicted at each.
        var bits = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var any: UInt64 = 0
        for r in 0..<n {
            let s = Int(rows[r])
            let p = s < 0 ? 0 : physical(s)
            let missing = UInt64(truncatingIfNeeded: s >> 63) & 1
            let null = nulls.map { $0.word(p >> 6) >> UInt64(p & 63) & 1 } ?? 0
            let bit = (missing | null) << UInt64(r & 63)
            bits[r >> 6] |= bit
            any |= bit
        }
        return (PackedInts(base: v.base, words: words), any == 0 ? nil : NullMask(words: bits))
    }
}
