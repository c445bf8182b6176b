import Synchronization
import IQLCore

/// A stable order of rows by unsigned 64-bit keys, by least-significant-digit radix sort:
/// linear in the rows, and every pass reads and writes its arrays in order, where a
/// comparison sort (or placing rows by group and sorting each group) reads at random once
/// the rows outgrow the cache. Sorting by several keys is sorting by one key packed from
/// their ranks (`Packing`).
package enum RadixOrder {
    /// Digits of at most this many bits: 2,048 buckets, whose write positions stay in cache.
    @usableFromInline static let maxDigitBits = 11

    /// The rows 0..<keys.count ordered by key, equal keys in row order; with `sameAbove`,
    /// also bit i set where the i-th row's key agrees with the one before it above that many
    /// low bits (a window's rows continuing their group), else no bits. Nil for more rows
    /// than `Int32` numbers.
    ///
    /// Past the cache, one pass on the highest digit splits the rows into 256 runs (a pass
    /// over memory), and each run is sorted on the lower digits while it stays in the cache;
    /// three passes over memory on 4 million rows took 5x the time of 1 million.
    package static func stableOrder(_ keys: consuming [UInt64], sameAbove: UInt64? = nil,
                                    keepingKeys: Bool = false) -> (rows: [Int32], same: [UInt64], keys: [UInt64])? {
        let n = keys.count
        guard n < Int(Int32.max) else { return nil }
        var high: UInt64 = 0
        keys.withUnsafeBufferPointer { for k in $0 { high |= k } }
        let bits = 64 - high.leadingZeroBitCount
        let split = n >= 1 << 16 && bits > maxDigitBits
        if (split ? bits - topBits : bits) <= 32 {
            return byWords(keys, bits: bits, split: split, sameAbove: sameAbove, keepingKeys: keepingKeys)
        }
        let (rows, sorted) = byPairs(keys, bits: bits, split: split)
        return (rows, sameAbove.map { BitWords.sameAsPrevious(sorted, above: $0) } ?? [], keepingKeys ? sorted : [])
    }

    /// The bits of the highest digit, on which rows past the cache are split into runs.
    private static let topBits = 8

    /// `stableOrder` where each row's key below the highest digit fits 32 bits: key and row
    /// move as one word (the key's bits above the row's), 8 bytes a row and one write a row
    /// a pass, where a key array and a row array were 12 bytes and two writes (and the first
    /// pass read a row array that only counted up). Each run's rows and group bits are taken
    /// out of its words while the run is still in the cache from its last pass.
    private static func byWords(_ keys: consuming [UInt64], bits: Int, split: Bool, sameAbove: UInt64?,
                                keepingKeys: Bool) -> (rows: [Int32], same: [UInt64], keys: [UInt64]) {
        let n = keys.count
        let lowBits = split ? bits - topBits : bits
        // Agreeing above `sameAbove` bits: no bit differs under this mask (none for 64).
        let groupMask = sameAbove.map { $0 >= 64 ? 0 : UInt64.max << $0 }
        let halves = Halves.count(n)
        let wordCount = (n + 63) >> 6
        var spare = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        var rows = [Int32](unsafeUninitializedCapacity: n) { _, count in count = n }
        // Each half sets the bits of its own rows in a copy of its own, ORed at the end.
        var same = [UInt64](repeating: 0, count: groupMask == nil ? 0 : halves * wordCount)
        // Each place's key, when asked for: written as the words are taken apart.
        var sortedKeys = [UInt64](unsafeUninitializedCapacity: keepingKeys ? n : 0) { _, count in count = keepingKeys ? n : 0 }
        keys.withUnsafeMutableBufferPointer { keys in
            spare.withUnsafeMutableBufferPointer { spare in
                rows.withUnsafeMutableBufferPointer { rows in
                  sortedKeys.withUnsafeMutableBufferPointer { sortedKeys in
                    same.withUnsafeMutableBufferPointer { same in
                        let out = Extraction(rows: rows, same: same, keys: keepingKeys ? sortedKeys : nil, wordCount: wordCount,
                                             groupMask: groupMask, lowBits: lowBits)
                        let shared = UnsafeSendable((keys, spare, out))
                        if !split {
                            for i in 0..<n { keys[i] = keys[i] << 32 | UInt64(truncatingIfNeeded: i) }
                            let sorted = lsdWords(keys, spare, 0..<n, bits: bits, halves: halves) ? spare : keys
                            let words = UnsafeSendable(sorted)
                            Halves.run(halves) { h in
                                let range = Halves.range(h, of: halves, n)
                                let before = range.lowerBound > 0 ? words.value[range.lowerBound - 1] >> 32 : nil
                                shared.value.2.take(words.value, range, top: 0, before: before, half: h)
                            }
                            return
                        }
                        let starts = scatterWords(keys, into: spare, 0..<n, shift: lowBits, digitBits: topBits,
                                                  halves: halves, lowMask: lowBits == 0 ? 0 : UInt64.max >> UInt64(64 - lowBits))
                        // Every run takes the same passes, so all end in the same array.
                        let endsInKeys = lsdPasses(lowBits) % 2 == 1
                        let runs = starts.count - 1
                        let mid = halves == 2 ? min(starts.firstIndex { $0 >= n / 2 } ?? runs, runs) : runs
                        Halves.run(halves) { h in
                            let (keys, spare, out) = shared.value
                            for b in h == 0 ? 0..<mid : mid..<runs where starts[b] < starts[b + 1] {
                                let range = starts[b]..<starts[b + 1]
                                _ = lsdWords(spare, keys, range, bits: lowBits, halves: 1)
                                out.take(endsInKeys ? keys : spare, range, top: UInt64(b) << UInt64(lowBits), before: nil, half: h)
                            }
                        }
                        // A run's first row against the last row of the run before it.
                        guard let groupMask else { return }
                        let sorted = endsInKeys ? keys : spare
                        var last: UInt64? = nil
                        for b in 0..<runs where starts[b] < starts[b + 1] {
                            let top = UInt64(b) << UInt64(lowBits), first = starts[b]
                            if let last, ((top | sorted[first] >> 32) ^ last) & groupMask == 0 {
                                same[first >> 6] |= 1 << UInt64(first & 63)
                            }
                            last = top | sorted[starts[b + 1] - 1] >> 32
                        }
                    }
                  }
                }
            }
        }
        if halves == 2, !same.isEmpty {
            for w in 0..<wordCount { same[w] |= same[wordCount + w] }
            same.removeLast(wordCount)
        }
        return (rows, same, sortedKeys)
    }

    /// Takes sorted words apart: each one's row, its key if asked, and whether its key
    /// continues the group of the key before.
    private struct Extraction {
        let rows: UnsafeMutableBufferPointer<Int32>
        let same: UnsafeMutableBufferPointer<UInt64>
        let keys: UnsafeMutableBufferPointer<UInt64>?
        let wordCount: Int
        let groupMask: UInt64?
        let lowBits: Int

        /// The rows of `range` of `words`, whose keys are `top` above their low bits; the
        /// first compared with `before` (the key of the word before it), if given.
        func take(_ words: UnsafeMutableBufferPointer<UInt64>, _ range: Range<Int>, top: UInt64, before: UInt64?, half: Int) {
            guard !range.isEmpty else { return }
            if let keys {
                for i in range { keys[i] = top | words[i] >> 32 }
            }
            guard let groupMask else {
                for i in range { rows[i] = Int32(truncatingIfNeeded: words[i] & 0xFFFF_FFFF) }
                return
            }
            let base = half &* wordCount
            var previous = before ?? ~(top | words[range.lowerBound] >> 32)
            for i in range {
                let w = words[i]
                rows[i] = Int32(truncatingIfNeeded: w & 0xFFFF_FFFF)
                let key = top | w >> 32
                let continues: UInt64 = (key ^ previous) & groupMask == 0 ? 1 : 0
                same[base &+ i >> 6] |= continues << UInt64(i & 63)
                previous = key
            }
            // A range's first word with no key before it continues nothing (a mask of 0,
            // where any key agrees, is why it is cleared rather than compared).
            if before == nil, let first = range.first {
                same[base &+ first >> 6] &= ~(1 << UInt64(first & 63))
            }
        }
    }

    /// `lsd` for words, the key above bit 32: sorts `range` of `a` on its keys' lowest `bits`
    /// bits, back and forth with `b`; true if it ends in `b`.
    private static func lsdWords(_ a: UnsafeMutableBufferPointer<UInt64>, _ b: UnsafeMutableBufferPointer<UInt64>,
                                 _ range: Range<Int>, bits: Int, halves: Int) -> Bool {
        let passes = lsdPasses(bits)
        guard passes > 0 else { return false }
        let digitBits = (bits + passes - 1) / passes
        var from = a, to = b
        for pass in 0..<passes {
            _ = scatterWords(from, into: to, range, shift: 32 + pass * digitBits, digitBits: digitBits, halves: halves, lowMask: nil)
            swap(&from, &to)
        }
        return passes % 2 == 1
    }

    /// `scatter` for words. With `lowMask`, `from` holds plain keys, and each is written as
    /// its bits under the mask above its row's number.
    private static func scatterWords(_ from: UnsafeMutableBufferPointer<UInt64>, into to: UnsafeMutableBufferPointer<UInt64>,
                                     _ range: Range<Int>, shift: Int, digitBits: Int, halves: Int, lowMask: UInt64?) -> [Int] {
        if let lowMask {
            return scatter(KeysToWords(keys: from, lowMask: lowMask), into: Words(words: to), range, shift: shift, digitBits: digitBits, halves: halves)
        }
        return scatter(Words(words: from), into: Words(words: to), range, shift: shift, digitBits: digitBits, halves: halves)
    }

    /// `stableOrder` with keys and rows in arrays of their own, for keys too wide to share a
    /// word with the row; the sorted keys beside their rows.
    private static func byPairs(_ keys: consuming [UInt64], bits: Int, split: Bool) -> (rows: [Int32], keys: [UInt64]) {
        let n = keys.count
        var rows = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for r in 0..<n { buffer[r] = Int32(truncatingIfNeeded: r) }
            count = n
        }
        var spareKeys = [UInt64](unsafeUninitializedCapacity: n) { _, count in count = n }
        var spareRows = [Int32](unsafeUninitializedCapacity: n) { _, count in count = n }
        var inSpare = false
        keys.withUnsafeMutableBufferPointer { keys in
            rows.withUnsafeMutableBufferPointer { rows in
                spareKeys.withUnsafeMutableBufferPointer { spareKeys in
                    spareRows.withUnsafeMutableBufferPointer { spareRows in
                        let main = Run(keys: keys, rows: rows), spare = Run(keys: spareKeys, rows: spareRows)
                        if !split {
                            inSpare = lsd(main, spare, 0..<n, bits: bits)
                            return
                        }
                        let shift = bits - topBits
                        let halves = Halves.count(n)
                        let starts = scatter(main, into: spare, 0..<n, shift: shift, digitBits: topBits, halves: halves)
                        // The runs are sorted apart, so each core takes those of about half the rows.
                        let runs = starts.count - 1
                        let mid = halves == 2 ? min(starts.firstIndex { $0 >= n / 2 } ?? runs, runs) : runs
                        let shared = UnsafeSendable((main, spare))
                        Halves.run(halves) { h in
                            let (main, spare) = shared.value
                            for b in h == 0 ? 0..<mid : mid..<runs {
                                _ = lsd(spare, main, starts[b]..<starts[b + 1], bits: shift)
                            }
                        }
                        // Every run takes the same passes (at least one, as shift > 0), so all
                        // end in the same array: main after an odd number.
                        inSpare = lsdPasses(shift) % 2 == 0
                    }
                }
            }
        }
        if inSpare { return (spareRows, spareKeys) }
        return (rows, keys)
    }

    /// Keys and rows, sorted together.
    private struct Run: Source {
        var keys: UnsafeMutableBufferPointer<UInt64>
        var rows: UnsafeMutableBufferPointer<Int32>
        @inline(__always) func key(_ i: Int) -> UInt64 { keys[i] }
        @inline(__always) func move(_ i: Int, key: UInt64, to at: Int, in target: Run) {
            target.keys[at] = key
            target.rows[at] = rows[i]
        }
    }

    /// Sorts `range` of `a` on its keys' lowest `bits` bits, passing back and forth with the
    /// same range of `b`; true if the sorted range ends in `b`. The same `bits` always takes
    /// the same number of passes.
    private static func lsd(_ a: Run, _ b: Run, _ range: Range<Int>, bits: Int) -> Bool {
        let passes = lsdPasses(bits)
        guard passes > 0 else { return false }
        let digitBits = (bits + passes - 1) / passes
        var from = a, to = b
        for pass in 0..<passes {
            _ = scatter(from, into: to, range, shift: pass * digitBits, digitBits: digitBits)
            swap(&from, &to)
        }
        return passes % 2 == 1
    }

    /// Half h of `range`, of `halves`.
    private static func part(_ h: Int, of halves: Int, _ range: Range<Int>) -> Range<Int> {
        let r = Halves.range(h, of: halves, range.count)
        return range.lowerBound + r.lowerBound..<range.lowerBound + r.upperBound
    }

    /// A scatter pass's counts (half h's count of digit b at h * buckets + b) turned into where
    /// each half's next row of each digit goes, half 0's rows of a digit before half 1's, rows
    /// placed from `start`; returns where each digit's rows begin, and the end last.
    private static func placements(_ fills: UnsafeMutableBufferPointer<Int>, buckets: Int, halves: Int, from start: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: buckets + 1)
        var at = start
        for b in 0..<buckets {
            starts[b] = at
            for h in 0..<halves {
                let count = fills[h &* buckets &+ b]
                fills[h &* buckets &+ b] = at
                at &+= count
            }
        }
        starts[buckets] = at
        return starts
    }

    /// The passes `lsd` takes on `bits` bits.
    private static func lsdPasses(_ bits: Int) -> Int { (bits + maxDigitBits - 1) / maxDigitBits }

    /// What a scatter pass reads: each row's key, and the row written at a place of a target.
    private protocol Source: SendableMetatype {
        associatedtype Target
        func key(_ i: Int) -> UInt64
        func move(_ i: Int, key: UInt64, to at: Int, in target: Target)
    }

    /// Words (a key above its row) moved as they are.
    private struct Words: Source {
        let words: UnsafeMutableBufferPointer<UInt64>
        @inline(__always) func key(_ i: Int) -> UInt64 { words[i] }
        @inline(__always) func move(_ i: Int, key: UInt64, to at: Int, in target: Words) { target.words[at] = key }
    }

    /// Plain keys written as words: the key's bits under the mask above the row's number.
    private struct KeysToWords: Source {
        let keys: UnsafeMutableBufferPointer<UInt64>
        let lowMask: UInt64
        @inline(__always) func key(_ i: Int) -> UInt64 { keys[i] }
        @inline(__always) func move(_ i: Int, key: UInt64, to at: Int, in target: Words) {
            target.words[at] = (key & lowMask) << 32 | UInt64(truncatingIfNeeded: i)
        }
    }

    /// One stable counting-sort pass of `range` from `from` into the same range of `to`, on
    /// the digit of `digitBits` bits at `shift`; returns where each digit's rows begin, and
    /// the range's end last. With two `halves` each core counts and places half the range,
    /// half 0's rows of a digit before half 1's, so the pass stays stable. Every index written
    /// is within the range, as the counts of its keys add up to its length.
    private static func scatter<S: Source>(_ from: S, into to: S.Target, _ range: Range<Int>, shift: Int, digitBits: Int,
                                           halves: Int = 1) -> [Int] {
        let buckets = 1 << digitBits
        let mask = UInt64(buckets - 1), s = UInt64(shift)
        @Sendable func rows(_ h: Int) -> Range<Int> { part(h, of: halves, range) }
        // Half h's count of digit b at h * buckets + b, then where its next row of b goes.
        var fills = [Int](repeating: 0, count: halves * buckets)
        var starts: [Int] = []
        fills.withUnsafeMutableBufferPointer { fills in
            let shared = UnsafeSendable((from, to, fills))
            Halves.run(halves) { h in
                let (from, _, fills) = shared.value
                let base = h &* buckets
                for i in rows(h) { fills[base &+ Int(truncatingIfNeeded: (from.key(i) >> s) & mask)] &+= 1 }
            }
            starts = placements(fills, buckets: buckets, halves: halves, from: range.lowerBound)
            Halves.run(halves) { h in
                let (from, to, fills) = shared.value
                let base = h &* buckets
                for i in rows(h) {
                    let k = from.key(i)
                    let slot = base &+ Int(truncatingIfNeeded: (k >> s) & mask)
                    let at = fills[slot]
                    fills[slot] = at &+ 1
                    from.move(i, key: k, to: at, in: to)
                }
            }
        }
        return starts
    }

    /// Several keys packed into one unsigned key whose order is theirs, the first key in the
    /// highest bits: each key's values less their least, reversed when descending, with its
    /// null (a value no row otherwise holds) after every value, in the bits its span needs.
    /// What a sort by several keys, a window's (group, time) order and a group's one code
    /// share.
    package struct Packing: Sendable {
        private struct Key: Sendable {
            var values: [Int64]
            var null: Int64
            var low: Int64
            var span: UInt64
            var descending: Bool
        }
        private var keys: [Key] = []
        /// Each key's shift within the packed key, in the order the keys were added.
        package private(set) var shifts: [UInt64] = []
        /// Bits used so far.
        package private(set) var bits = 0

        package init() {}

        /// Adds a key below those added so far, rows holding `null` coming after every other
        /// value; false (and nothing added) if the packed key would need more than 64 bits.
        package mutating func add(_ values: [Int64], null: Int64, descending: Bool = false) -> Bool {
            // Each half's least and greatest, then theirs: the same whichever half has which.
            let halves = Halves.count(values.count)
            let ends = Mutex([(Int64.max, Int64.min), (Int64.max, Int64.min)])
            Halves.run(halves) { h in
                var lo = Int64.max, hi = Int64.min
                for x in values[Halves.range(h, of: halves, values.count)] where x != null {
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
                ends.withLock { $0[h] = (lo, hi) }
            }
            var (lo, hi) = ends.withLock { (Swift.min($0[0].0, $0[1].0), Swift.max($0[0].1, $0[1].1)) }
            if lo > hi { (lo, hi) = (0, 0) }
            // hi >= lo, so the bit pattern of the wrapped difference is the exact span; the
            // null takes the code after it.
            let span = UInt64(bitPattern: hi &- lo)
            guard span < UInt64.max else { return false }
            let width = 64 - (span + 1).leadingZeroBitCount
            guard bits + width <= 64 else { return false }
            for i in shifts.indices { shifts[i] += UInt64(width) }
            shifts.append(0)
            bits += width
            keys.append(Key(values: values, null: null, low: lo, span: span, descending: descending))
            return true
        }

        /// The packed key of each of the first `n` rows (every key must hold that many).
        package func packed(count n: Int) -> [UInt64]? {
            guard n >= 0, keys.allSatisfy({ $0.values.count >= n }) else { return nil }
            // Two cores each pack half the rows (from 65,536): each writes rows of its own.
            let halves = Halves.count(n)
            let keys = self.keys, shifts = self.shifts
            return [UInt64](unsafeUninitializedCapacity: n) { out, count in
                out.initialize(repeating: 0)
                let shared = UnsafeSendable(out)
                Halves.run(halves) { h in
                    let out = shared.value
                    let rows = Halves.range(h, of: halves, n)
                    for (key, shift) in zip(keys, shifts) {
                        let lo = key.low, span = key.span, null = key.null, descending = key.descending
                        for r in rows {
                            let x = key.values[r]
                            let offset = UInt64(bitPattern: x &- lo)
                            out[r] |= (x == null ? span &+ 1 : descending ? span &- offset : offset) << shift
                        }
                    }
                }
                count = n
            }
        }
    }
}
