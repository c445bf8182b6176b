/// One bit per row, set where the row holds null.
struct NullMask: Sendable, Equatable {
    private(set) var words: [UInt64]

    init(count: Int) {
        words = Array(repeating: 0, count: (count + 63) >> 6)
    }

    /// A mask of these words (bit r of word r / 64 set where row r is null).
    init(words: [UInt64]) {
        self.words = words
    }

    /// Sets the rows of `part` from row `start`, a multiple of 64, keeping the words whole.
    mutating func place(_ part: NullMask, at start: Int) {
        let w = start >> 6
        for (k, word) in part.words.enumerated() where word != 0 {
            if w + k >= words.count { words.append(contentsOf: repeatElement(0, count: w + k - words.count + 1)) }
            words[w + k] |= word
        }
    }

    func contains(_ row: Int) -> Bool {
        let w = row >> 6
        return w < words.count && words[w] & (1 << UInt64(row & 63)) != 0
    }

    mutating func insert(_ row: Int) {
        let w = row >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
        words[w] |= 1 << UInt64(row & 63)
    }

    mutating func remove(_ row: Int) {
        let w = row >> 6
        if w < words.count { words[w] &= ~(1 << UInt64(row & 63)) }
    }

    var isEmpty: Bool { !words.contains { $0 != 0 } }

    /// Calls `body` with each set row below `rows`, in order, a word at a time (no test per row).
    func forEachRow(below rows: Int, _ body: (Int) -> Void) {
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
    func count(below rows: Int) -> Int {
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
    static func union(_ a: NullMask?, _ b: NullMask?) -> NullMask? {
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
    func gathering(_ rows: [Int]) -> NullMask? {
        var out = NullMask(count: rows.count)
        var any = false
        for (i, r) in rows.enumerated() where contains(r) {
            out.insert(i)
            any = true
        }
        return any ? out : nil
    }
}
