import IQLCore

/// Rows as bits, 64 to a word (bit `r & 63` of word `r >> 6`): the loops that make and read
/// them, behind signatures that take arrays and hand the caller's test elements, never
/// indices or pointers. They run over raw buffers so they vectorise; every index is derived
/// from the arrays' own counts, so no argument can make one read or write out of bounds.
@usableFromInline package enum BitWords {
    /// Words for `count` rows, none set.
    @inlinable
    package static func none(_ count: Int) -> [UInt64] {
        [UInt64](repeating: 0, count: (max(0, count) + 63) >> 6)
    }

    /// Bit r set where `test(a[r])`, for every row of `a`.
    // Inlined into the caller, which compiles it for its own element type and test (the type
    // must be `@usableFromInline` for that: LayeringTests checks); over raw buffers, so the
    // loop vectorises.
    @inlinable @inline(__always)
    package static func pack<A>(_ a: [A], _ test: (A) -> Bool) -> [UInt64] {
        a.withUnsafeBufferPointer { a in words(a.count) { test(a[$0]) } }
    }

    /// Bit r set where `test(a[r], b[r])`, for the rows both arrays have.
    @inlinable @inline(__always)
    package static func pack<A, B>(_ a: [A], _ b: [B], _ test: (A, B) -> Bool) -> [UInt64] {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in words(min(a.count, b.count)) { test(a[$0], b[$0]) } }
        }
    }

    /// Bit r set where `bit(r)`, for rows 0..<n, a word at a time: the loop both packs share.
    /// `bit` is called only with rows below `n`.
    @inlinable @inline(__always)
    static func words(_ n: Int, _ bit: (Int) -> Bool) -> [UInt64] {
        var out = none(n)
        out.withUnsafeMutableBufferPointer { words in
            var base = 0, w = 0
            while base < n, w < words.count {
                let end = min(64, n - base)
                var word: UInt64 = 0
                for b in 0..<end { word |= UInt64(bit(base &+ b) ? 1 : 0) << UInt64(b) }
                words[w] = word
                w &+= 1
                base &+= 64
            }
        }
        return out
    }

    /// Per-row answers looked up by code: `answers[Int(code) + base]` for each code, 0 false,
    /// 1 true, 2 null, split into a word array of trues and one of nulls. A code whose index
    /// falls outside `answers` answers null. Without branches: the loop most filters spend
    /// their time in.
    @inlinable
    package static func lookUp<C: BinaryInteger & Sendable>(_ codes: [C], _ answers: [UInt8], base codeBase: Int = 0)
        -> (trues: [UInt64], nulls: [UInt64]) {
        let n = codes.count
        var trues = none(n), nulls = none(n)
        codes.withUnsafeBufferPointer { c in
            // Indexing without a check is sound only when every code lands in the table: for
            // one-byte codes the whole range of the type is checked against it, else the codes'
            // own least and greatest, in a pass that vectorises.
            let covered: Bool
            if MemoryLayout<C>.size == 1 {
                let lowest = C.isSigned ? -128 : 0, highest = C.isSigned ? 127 : 255
                covered = lowest &+ codeBase >= 0 && highest &+ codeBase < answers.count
            } else if let first = c.first {
                var lo = first, hi = first
                for v in c {
                    lo = Swift.min(lo, v)
                    hi = Swift.max(hi, v)
                }
                let (low, o1) = Int(truncatingIfNeeded: lo).addingReportingOverflow(codeBase)
                let (high, o2) = Int(truncatingIfNeeded: hi).addingReportingOverflow(codeBase)
                covered = !o1 && !o2 && low >= 0 && high < answers.count
                    && Int64(exactly: lo) != nil && Int64(exactly: hi) != nil
            } else {
                covered = true
            }
            answers.withUnsafeBufferPointer { a in
                trues.withUnsafeMutableBufferPointer { t in
                    nulls.withUnsafeMutableBufferPointer { nn in
                        // From 65,536 rows the two cores each take half the words, writing
                        // words of their own.
                        let words = Swift.min(t.count, nn.count, (n &+ 63) >> 6)
                        let halves = Halves.count(n)
                        let shared = UnsafeSendable((c, a, t, nn))
                        Halves.run(halves) { h in
                            let (c, a, t, nn) = shared.value
                            for w in Halves.range(h, of: halves, words) {
                                let base = w &<< 6
                                let end = Swift.min(64, n &- base)
                                var tw: UInt64 = 0, nw: UInt64 = 0
                                if covered {
                                    for b in 0..<end {
                                        let answer = UInt64(a[Int(truncatingIfNeeded: c[base &+ b]) &+ codeBase])
                                        tw |= (answer & 1) &<< UInt64(truncatingIfNeeded: b)
                                        nw |= (answer >> 1) &<< UInt64(truncatingIfNeeded: b)
                                    }
                                } else {
                                    for b in 0..<end {
                                        let i = Int(truncatingIfNeeded: c[base &+ b]) &+ codeBase
                                        let answer = UInt64(i >= 0 && i < a.count ? a[i] : 2)
                                        tw |= (answer & 1) &<< UInt64(truncatingIfNeeded: b)
                                        nw |= (answer >> 1) &<< UInt64(truncatingIfNeeded: b)
                                    }
                                }
                                t[w] = tw
                                nn[w] = nw
                            }
                        }
                    }
                }
            }
        }
        return (trues, nulls)
    }

    /// Bit r set where `keys[r]` and `keys[r - 1]` agree above their lowest `shift` bits (row 0
    /// never): which rows of a sorted window order continue the group of the row before. The
    /// two cores each take half the words, each writing words of its own; one core made it a
    /// serial pass over every row after the parallel sort.
    @inlinable
    package static func sameAsPrevious(_ keys: [UInt64], above shift: UInt64) -> [UInt64] {
        let n = keys.count
        var out = none(n)
        keys.withUnsafeBufferPointer { k in
            out.withUnsafeMutableBufferPointer { words in
                let count = Swift.min(words.count, (n &+ 63) >> 6)
                let halves = Halves.count(n)
                let shared = UnsafeSendable((k, words))
                Halves.run(halves) { h in
                    let (k, words) = shared.value
                    for w in Halves.range(h, of: halves, count) {
                        let base = w &<< 6
                        let end = Swift.min(64, n &- base)
                        var word: UInt64 = 0
                        for b in (base == 0 ? 1 : 0)..<end {
                            let i = base &+ b
                            // `>>`, not `&>>`: a shift of 64 (no group bits) compares nothing.
                            let same = k[i] >> shift == k[i &- 1] >> shift
                            word |= UInt64(same ? 1 : 0) &<< UInt64(truncatingIfNeeded: b)
                        }
                        words[w] = word
                    }
                }
            }
        }
        return out
    }

    /// The rows whose bits are set, ascending; at most `limit` of them.
    package static func rows(_ words: [UInt64], limit: Int) -> [Int] {
        // Written into room made once: an append a row, with its checks, cost more than the bitmap.
        let room = max(0, limit)
        return [Int](unsafeUninitializedCapacity: room) { out, written in
            var k = 0
            for (w, word) in words.enumerated() {
                var x = word
                while x != 0, k < out.count {
                    out[k] = w << 6 | x.trailingZeroBitCount
                    k &+= 1
                    x &= x &- 1
                }
            }
            written = k
        }
    }

    /// `rows` sorted and without repeats, through a bitmap of `count` rows; rows outside
    /// 0..<count are left out.
    package static func ascending(_ rows: [Int], below count: Int) -> [Int] {
        var bits = none(count)
        for r in rows where r >= 0 && r < count { bits[r >> 6] |= 1 << UInt64(r & 63) }
        return Self.rows(bits, limit: rows.count)
    }

    /// Bit r of `equal` set where `a[r] == k`, of `null` where `a[r] == z`: each row compared,
    /// not looked up in a table of answers, so the loop vectorises. One-byte codes go eight at
    /// a time as one word (`equalBytes`), in a function of their own, not generic.
    @inlinable
    package static func equal<T: FixedWidthInteger>(_ a: [T], _ k: T, _ z: T) -> (equal: [UInt64], null: [UInt64]) {
        if let bytes = a as? [Int8] {
            return equalBytes(bytes, UInt8(truncatingIfNeeded: k), UInt8(truncatingIfNeeded: z))
        }
        let n = a.count
        var eqs = none(n), nulls = none(n)
        var w = 0, start = 0
        while start < n, w < eqs.count {
            let end = min(64, n - start)
            var eq: UInt64 = 0, null: UInt64 = 0
            for b in 0..<end {
                let x = a[start &+ b]
                eq |= UInt64(x == k ? 1 : 0) &<< UInt64(truncatingIfNeeded: b)
                null |= UInt64(x == z ? 1 : 0) &<< UInt64(truncatingIfNeeded: b)
            }
            eqs[w] = eq
            nulls[w] = null
            w &+= 1
            start &+= 64
        }
        return (eqs, nulls)
    }

    /// `equal` for one-byte codes, eight compared at once as a word.
    @usableFromInline package static func equalBytes(_ a: [Int8], _ k: UInt8, _ z: UInt8) -> (equal: [UInt64], null: [UInt64]) {
        let n = a.count
        var eqs = none(n), nulls = none(n)
        a.withUnsafeBufferPointer { c in
            eqs.withUnsafeMutableBufferPointer { ew in
                nulls.withUnsafeMutableBufferPointer { nw in
                    guard let p = c.baseAddress else { return }
                    var w = 0, start = 0
                    while start < n, w < ew.count {
                        let end = min(64, n - start)
                        var eq: UInt64 = 0, null: UInt64 = 0
                        var b = 0
                        let raw = UnsafeRawPointer(p + start)
                        while b + 8 <= end {
                            let word = raw.loadUnaligned(fromByteOffset: b, as: UInt64.self)
                            eq |= equalBytes(word, k) &<< UInt64(b)
                            null |= equalBytes(word, z) &<< UInt64(b)
                            b += 8
                        }
                        while b < end {
                            let x = UInt8(bitPattern: c[start &+ b])
                            eq |= UInt64(x == k ? 1 : 0) &<< UInt64(truncatingIfNeeded: b)
                            null |= UInt64(x == z ? 1 : 0) &<< UInt64(truncatingIfNeeded: b)
                            b += 1
                        }
                        ew[w] = eq
                        nw[w] = null
                        w &+= 1
                        start &+= 64
                    }
                }
            }
        }
        return (eqs, nulls)
    }

    /// The high bit of each byte of x that is zero, and no other bit: ((x & lows) + lows) | x
    /// has a byte's high bit set where the byte is not zero (no carry crosses bytes), inverted.
    @inlinable @inline(__always)
    package static func zeroBytes(_ x: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, highs: UInt64 = 0x8080_8080_8080_8080
        return ~(((x & lows) &+ lows) | x) & highs
    }

    /// One bit for each of the eight bytes of `word` (in memory order, so row order) that equals
    /// `byte`, without a branch or a table: the compiler does not find this for a byte loop.
    @inlinable @inline(__always)
    package static func equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let zero = zeroBytes(UInt64(littleEndian: word) ^ (UInt64(byte) &* 0x0101_0101_0101_0101))
        // Gathers the eight high bits into the top byte, byte i to bit 56 + i (no two partial
        // products share a bit, so nothing carries).
        return ((zero >> 7) &* 0x0102_0408_1020_4080) >> 56
    }
}
