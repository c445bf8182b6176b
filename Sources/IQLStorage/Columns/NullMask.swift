import IQLCore
/// One bit per row, set where the row holds null.
@usableFromInline package struct NullMask: Sendable, Equatable {
    @usableFromInline package private(set) var words: [UInt64]

    @inlinable package init(count: Int) {
        words = Array(repeating: 0, count: (count + 63) >> 6)
    }

    /// A mask of these words (bit r of word r / 64 set where row r is null).
    @inlinable package init(words: [UInt64]) {
        self.words = words
    }

    /// Sets the rows of `part` from row `start`, a multiple of 64, keeping the words whole.
    @inlinable package mutating func place(_ part: NullMask, at start: Int) {
        let w = start >> 6
        for (k, word) in part.words.enumerated() where word != 0 {
            if w + k >= words.count { words.append(contentsOf: repeatElement(0, count: w + k - words.count + 1)) }
            words[w + k] |= word
        }
    }

    /// The bits of rows 64w..<64w + 64 (bit i for row 64w + i); zero past the mask's words.
    @inlinable package func word(_ w: Int) -> UInt64 {
        w >= 0 && w < words.count ? words[w] : 0
    }

    @inlinable package func contains(_ row: Int) -> Bool {
        let w = row >> 6
        return w < words.count && words[w] & (1 << UInt64(row & 63)) != 0
    }

    @inlinable package mutating func insert(_ row: Int) {
        let w = row >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
        words[w] |= 1 << UInt64(row & 63)
    }

    @inlinable package mutating func remove(_ row: Int) {
        let w = row >> 6
        if w < words.count { words[w] &= ~(1 << UInt64(row & 63)) }
    }

    @inlinable package var isEmpty: Bool { !words.contains { $0 != 0 } }

    /// Calls `body` with each set row below `rows`, in order, a word at a time (no test per row).
    @inlinable package func forEachRow(below rows: Int, _ body: (Int) -> Void) {
        for (w, word) in words.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                let r = w << 6 + bits.trailingZeroBitCount
                if r >= rows { return }
                body(r)
                bits &= bits - 1
            }
        }
    }

    /// Rows set among the first `rows`.
    @inlinable package func count(below rows: Int) -> Int {
        var n = 0
        for (w, word) in words.enumerated() {
            let start = w << 6
            if start >= rows { break }
            let bits = rows - start >= 64 ? word : word & ((1 << UInt64(rows - start)) - 1)
            n += bits.nonzeroBitCount
        }
        return n
    }

    /// Rows null in either mask; nil when neither has any.
    @inlinable package static func union(_ a: NullMask?, _ b: NullMask?) -> NullMask? {
        guard let a else { return b }
        guard let b else { return a }
        var out = a
        if out.words.count < b.words.count {
            out.words.append(contentsOf: repeatElement(0, count: b.words.count - out.words.count))
        }
        for w in b.words.indices { out.words[w] |= b.words[w] }
        return out
    }

    /// The mask for the given rows, in that order; nil when none of them is null.
    @inlinable package func gathering(_ rows: [Int]) -> NullMask? {
        var out = NullMask(count: rows.count)
        var any = false
        for (i, r) in rows.enumerated() where contains(r) {
            out.insert(i)
            any = true
        }
        return any ? out : nil
    }
}

extension NullMask {
    /// Rows `range` (starting at a multiple of 64) as a mask of their own; nil if none is set.
    @inlinable package func slice(_ range: Range<Int>) -> NullMask? {
        let first = range.lowerBound >> 6
        guard first < words.count else { return nil }
        var part = Array(words[first..<min(words.count, (range.upperBound + 63) >> 6)])
        // Bits past the range's end belong to the next block.
        let tail = range.count & 63
        if tail != 0, part.count == (range.count + 63) >> 6 { part[part.count - 1] &= (1 << UInt64(tail)) - 1 }
        guard part.contains(where: { $0 != 0 }) else { return nil }
        return NullMask(words: part)
    }
}
