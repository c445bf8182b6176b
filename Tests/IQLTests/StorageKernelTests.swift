import Testing
@testable import IQL

/// The storage kernels promise safe signatures over raw-buffer loops (README, "Layout"): any
/// arrays in give the answer the plain definition gives, with indices that fall outside a
/// table answering as documented rather than reading past it. Each kernel against a naive
/// loop, over lengths around the 64-row word and codes inside and outside the table.
struct StorageKernelTests {
    static let lengths = [0, 1, 63, 64, 65, 130, 1000]

    /// A deterministic spread of values, some repeated, for row counts up to a few thousand.
    static func values(_ n: Int, seed: Int) -> [Int] {
        var x = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<n).map { _ in
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            return Int(x % 41) - 20
        }
    }

    static func bits(_ words: [UInt64], _ n: Int) -> [Bool] {
        (0..<n).map { r in r >> 6 < words.count && words[r >> 6] >> UInt64(r & 63) & 1 != 0 }
    }

    @Test(arguments: lengths) func packMatchesTheTest(n: Int) {
        let a = Self.values(n, seed: n)
        let b = Self.values(n + 3, seed: n + 1)
        let one = BitWords.pack(a) { $0 > 3 }
        #expect(one.count == (n + 63) / 64)
        #expect(Self.bits(one, n) == a.map { $0 > 3 })
        let two = BitWords.pack(a, b) { $0 < $1 }
        #expect(two.count == (n + 63) / 64, "the shorter array's rows only")
        #expect(Self.bits(two, n) == zip(a, b).map { $0 < $1 })
    }

    /// Answers by code, for codes of every width, with bases that put some codes outside the
    /// table: those rows are null, as documented, never a read past it. On one core and split
    /// between two (from `Halves.minimumRows`; an odd count leaves a part word in the upper half).
    @Test(arguments: lengths + [Halves.minimumRows - 1, Halves.minimumRows, Halves.minimumRows + 131])
    func lookUpAnswersByCodeAndOutsideIsNull(n: Int) {
        let raw = Self.values(n, seed: 7 * n + 1)
        let answers: [UInt8] = (0..<30).map { UInt8($0 % 3) }
        func expected(_ codes: [Int], base: Int) -> (trues: [Bool], nulls: [Bool]) {
            let a = codes.map { c -> UInt8 in let i = c + base; return i >= 0 && i < answers.count ? answers[i] : 2 }
            return (a.map { $0 == 1 }, a.map { $0 == 2 })
        }
        for base in [-5, 0, 20, 1000] {
            func check<C: BinaryInteger & Sendable>(_ codes: [C], _ ints: [Int]) {
                let want = expected(ints, base: base)
                let got = BitWords.lookUp(codes, answers, base: base)
                #expect(Self.bits(got.trues, n) == want.trues && Self.bits(got.nulls, n) == want.nulls, "\(C.self) base \(base)")
            }
            check(raw.map { Int8($0) }, raw)
            check(raw.map { Int16($0) }, raw)
            check(raw.map { Int32($0) }, raw)
            check(raw.map { Int64($0) }, raw)
            check(raw.map { UInt8($0 + 20) }, raw.map { $0 + 20 })
        }
        // One-byte codes whose whole range the table covers take the unchecked loop.
        let wide: [UInt8] = (0..<256).map { UInt8($0 % 3) }
        let codes = raw.map { UInt8(bitPattern: Int8($0)) }
        let got = BitWords.lookUp(codes, wide)
        #expect(Self.bits(got.trues, n) == codes.map { wide[Int($0)] == 1 })
    }

    @Test(arguments: lengths) func equalMarksMatchesAndNulls(n: Int) {
        let raw = Self.values(n, seed: 3 * n + 2)
        let bytes = BitWords.equal(raw.map { Int8($0) }, 4, 0)
        let shorts = BitWords.equal(raw.map { Int16($0) }, 4, 0)
        for got in [bytes, shorts] {
            #expect(Self.bits(got.equal, n) == raw.map { $0 == 4 })
            #expect(Self.bits(got.null, n) == raw.map { $0 == 0 })
        }
    }

    @Test func rowsOfABitmapStayWithinTheirRoom() {
        let rows = [9, 2, 70, 0, 64, 2, -1, 500]
        #expect(BitWords.ascending(rows, below: 71) == [0, 2, 9, 64, 70])
        // Room for fewer rows than are set: the first ones, never past the room.
        #expect(BitWords.rows(BitWords.pack(Array(repeating: 1, count: 200)) { $0 == 1 }, limit: 5) == [0, 1, 2, 3, 4])
        #expect(BitWords.rows([~0], limit: -3) == [])
    }

    @Test(arguments: lengths) func elementwiseLoopsMatchTheirDefinitions(n: Int) {
        let a = Self.values(n, seed: n + 11), b = Self.values(n + 5, seed: n + 12)
        #expect(Elementwise.map(a, b) { $0 - $1 } == zip(a, b).map { $0 - $1 })
        #expect(Elementwise.map(a) { Double($0) / 2 } == a.map { Double($0) / 2 })
        // Two arrays from one pass; nil once a row fails, whichever row that is.
        let built: ([Int], [Int8])? = Elementwise.build(count: n) { (a[$0] * 3, Int8(truncatingIfNeeded: a[$0])) }
        #expect(built?.0 == a.map { $0 * 3 } && built?.1 == a.map { Int8(truncatingIfNeeded: $0) })
        var asked = 0
        let failed: ([Int], [Int])? = Elementwise.build(count: n) { r in
            asked += 1
            return r == n / 2 ? nil : (a[r], b[r])
        }
        #expect(n == 0 ? failed != nil : failed == nil)
        #expect(asked == (n == 0 ? 0 : n / 2 + 1))
        let taken = BitWords.pack(a) { $0 >= 0 }
        #expect(Elementwise.pick(taken, a, b) == zip(a, b).map { $0 >= 0 ? $0 : $1 })
        #expect(Elementwise.pick(taken, a, 99) == a.map { $0 >= 0 ? $0 : 99 })
        #expect(Elementwise.pick(taken, 99, a) == a.map { $0 >= 0 ? 99 : $0 })
        #expect(Elementwise.pick(taken, 1, 2, count: n + 10) == (0..<(n + 10)).map { $0 < n && a[$0] >= 0 ? 1 : 2 })
        // Stops at the first code outside the table or without a match.
        let table = (0..<41).map { $0 == 17 ? -1 : $0 * 2 }
        let got = Elementwise.lookUpUntilMiss(a, offset: 20, in: table)
        let stop = a.firstIndex { $0 + 20 == 17 } ?? n
        #expect(got == a.prefix(stop).map { ($0 + 20) * 2 })
        #expect(Elementwise.lookUpUntilMiss(a, offset: 100, in: table).isEmpty)
    }

    @Test func integerKeysAreNumberedInOrderOfFirstAppearance() {
        let codes: [Int64] = [5, -3, 5, .max, .min, -3, 0, .max]
        let (groupOf, first) = KeyNumbering.probed(codes)
        #expect(groupOf == [0, 1, 0, 2, 3, 1, 4, 2])
        #expect(first == [0, 1, 3, 4, 6])
        #expect(KeyNumbering.probed([]) == ([], []))
    }

    /// Integers in a narrow range are numbered by rank of value (the order of the keys), each
    /// group keeping its first row, as sorting the distinct values numbers them: over lengths
    /// around the 64-value word, negative values, a selection, and ranges too wide refused.
    /// From `Halves.minimumRows` rows the numbering is split between two cores, each half
    /// with tables of its own: the lengths around it check the merge, a group's first row
    /// being in either half or both.
    @Test(arguments: lengths + [5000, Halves.minimumRows - 1, Halves.minimumRows, 3 * Halves.minimumRows + 7])
    func narrowIntegersAreNumberedByRank(n: Int) {
        func expected(_ values: [Int64]) -> (groupOf: [Int32], firstRow: [Int]) {
            let order = Array(Set(values)).sorted()
            let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            var first = [Int](repeating: -1, count: order.count)
            for (r, v) in values.enumerated().reversed() { first[rank[v] ?? 0] = r }
            return (values.map { Int32(rank[$0] ?? -1) }, first)
        }
        // Values spread over a few hundred (several words of bits), some repeated, and a few
        // values that only rows of the second half have.
        let raw = Self.values(n, seed: n).enumerated().map { r, v in Int64(r > n / 2 && r % 7 == 0 ? 2000 + r % 13 : v * 17 + r % 5) }
        let column = Column(storage: .int64(PackedInts(raw), nulls: nil), count: n)
        guard case .int64(let packed, _) = column.storage else { return }
        let got = KeyNumbering.ranked(packed, column)
        if n == 0 {
            #expect(got == nil)
            return
        }
        let want = expected(raw)
        #expect(got?.groupOf == want.groupOf)
        #expect(got?.firstRow == want.firstRow)
        // Every third row, through a selection: ranks among the selected rows' values only.
        let rows = Array(stride(from: 0, to: n, by: 3))
        let picked = column.gathering(Selection(rows))
        guard case .int64(let pickedValues, _) = picked.storage else { return }
        let sub = KeyNumbering.ranked(pickedValues, picked)
        let subWant = expected(rows.map { raw[$0] })
        #expect(sub?.groupOf == subWant.groupOf)
        #expect(sub?.firstRow == subWant.firstRow)
    }

    /// The counting layout puts each entry's rows together in row order, leaves out rows of no
    /// entry, and its pairs are the plain loop's: every match in order, a miss kept as -1 only
    /// when asked, a range past the rows taken within them.
    @Test func countingLayoutAndPairsMatchThePlainLoops() {
        let entryOfRow: [Int32] = (0..<1000).map { r in r % 13 == 0 ? -1 : Int32((r &* 37) % 50) }
        let (starts, rows) = CountingLayout.layOut(entryOfRow, entries: 50)
        var want: [Int] = []
        for e in 0..<50 { want += entryOfRow.indices.filter { entryOfRow[$0] == Int32(e) } }
        #expect(rows == want)
        #expect(starts.count == 51 && starts.last == want.count)
        let place = (0..<60).map { l -> Range<Int> in l % 5 == 0 ? 0..<0 : l == 59 ? 990..<1200 : starts[l % 50]..<starts[l % 50 + 1] }
        for keep in [false, true] {
            var lefts: [Int] = [], rights: [Int] = []
            for (l, range) in place.enumerated() {
                let range = range.clamped(to: 0..<rows.count)
                if range.isEmpty {
                    if keep { lefts.append(l); rights.append(-1) }
                    continue
                }
                for p in range { lefts.append(l); rights.append(rows[p]) }
            }
            let got = CountingLayout.pairs(place, rows, keepMisses: keep)
            #expect(got.lefts == lefts && got.rights == rights, "keep misses: \(keep)")
        }
    }

    /// Null counts through a selection (a join's or a sort's output) equal the count of rows
    /// `isNull` says are null, for every storage with nulls: masks, text code 0 at any base,
    /// ratings, true/false and mixed numbers; rows picked out of order and twice.
    @Test func nullCountsThroughASelectionMatchIsNull() throws {
        let values: [Value] = (0..<500).map { r in
            r % 7 == 0 ? .null : r % 3 == 0 ? .text("t\(r % 11)") : .text("u")
        }
        let numbers: [Value] = (0..<500).map { r in r % 5 == 0 ? .null : .int(Int64(r)) }
        let decimals: [Value] = (0..<500).map { r in r % 4 == 0 ? .null : Decimal64(mantissa: Int64(r), scale: 1).map { .number(.decimal($0)) } ?? .null }
        let ratings: [Value] = (0..<500).map { r in r % 6 == 0 ? .null : .rating(.good) }
        let bools: [Value] = (0..<500).map { r in r % 9 == 0 ? .null : .bool(r % 2 == 0) }
        let days: [Value] = (0..<500).map { r in r % 8 == 0 ? .null : .date(Day(ordinal: Int32(730_000 + r))) }
        let rows = (0..<700).map { ($0 &* 7919) % 500 }
        for column in [values, numbers, decimals, ratings, bools, days].map(Column.init) {
            let picked = column.gathering(Selection(rows))
            try #require(picked.selection != nil, "\(column.storage)")
            #expect(picked.nullCount == (0..<picked.count).filter { picked.isNull($0) }.count, "\(column.storage)")
            #expect(picked.nullCount > 0)
        }
    }

    /// Ratings and true/false count their nulls (zero bytes) eight at a time: as a plain count,
    /// over lengths that leave bytes past the last word and runs of more than 255 words.
    @Test(arguments: lengths + [2047, 2048, 2049, 5000]) func zeroBytesAreCountedAsNulls(n: Int) {
        let codes = Self.values(n, seed: n + 7).map { Int8(($0 + 20) % 5) }
        let ratings = Column(storage: .rating(codes), count: n)
        #expect(ratings.nullCount == codes.filter { $0 == 0 }.count)
        let flags = codes.map { UInt8($0 % 3) }
        let bools = Column(storage: .bool(flags), count: n)
        #expect(bools.nullCount == flags.filter { $0 == 0 }.count)
        let none = Column(storage: .rating([Int8](repeating: 3, count: n)), count: n)
        #expect(none.nullCount == 0)
        let all = Column(storage: .rating([Int8](repeating: 0, count: n)), count: n)
        #expect(all.nullCount == n)
        // Text: null is code 0, whatever the width and base its codes are stored at.
        for distinct in [3, 300, 70_000] where n > 0 {
            let values: [Value] = codes.enumerated().map { r, c in c == 0 ? .null : .text("t\((r * 31) % distinct)") }
            let text = Column(values)
            guard case .text = text.storage else {
                Issue.record("text values with nulls are not stored as dictionary codes")
                continue
            }
            #expect(text.nullCount == values.filter(\.isNull).count, "\(distinct) distinct")
        }
        let noNulls = Column((0..<n).map { Value.text("x\($0 % 9)") })
        #expect(noNulls.nullCount == 0)
    }

    /// A column's neighbours (`previous` and `next` of a stored column) are its rows at the
    /// given row numbers with their stored width and base, null where the number is -1 or the
    /// row is null; through a selection; and refused for a row past the column.
    @Test(arguments: lengths) func neighboursAreTheRowsAtTheirNumbers(n: Int) throws {
        let raw = Self.values(n, seed: n + 3).map { Int64($0) * 37 + 1000 }
        var nulls = NullMask(count: n)
        for r in stride(from: 2, to: n, by: 5) { nulls.insert(r) }
        let rows = (0..<n).map { r -> Int32 in r % 4 == 3 ? -1 : Int32((r &* 7919) % max(n, 1)) }
        for storage in [Column.Storage.int64(PackedInts(raw), nulls: nulls), .decimal(PackedInts(raw), scale: 2, nulls: nulls),
                        .date(PackedInts(raw), nulls: nil)] {
            let column = Column(storage: storage, count: n)
            let got = try #require(column.neighbours(rows))
            #expect(got.count == n)
            for r in 0..<n {
                let want: Value = rows[r] < 0 ? .null : column[Int(rows[r])]
                #expect(got[r] == want, "row \(r)")
            }
            // Through a selection: every other row, the numbers within the selected rows.
            let picked = column.gathering(Selection(Array(stride(from: 1, to: n, by: 2))))
            let half = rows.prefix(picked.count).map { $0 < 0 ? -1 : $0 % Int32(max(picked.count, 1)) }
            let fromPicked = try #require(picked.neighbours(Array(half)))
            for r in 0..<picked.count {
                let want: Value = half[r] < 0 ? .null : picked[Int(half[r])]
                #expect(fromPicked[r] == want)
            }
            if n > 0 { #expect(column.neighbours([Int32(n)]) == nil, "a row past the column") }
        }
        #expect(Column(storage: .rating([1, 2]), count: 2).neighbours([1, 0]) == nil, "ratings go the general way")
    }

    /// A column shifted along a window order gives what its neighbours by tables of links give:
    /// numbers with nulls, days, ratings, through a selection, at a group's edges; refused for
    /// an order of another length or text.
    @Test(arguments: lengths) func shiftingAlongTheOrderMatchesTheLinks(n: Int) throws {
        // A permutation, cut into groups of one to four rows.
        var order = (0..<n).map { Int32(truncatingIfNeeded: ($0 &* 7919) % max(n, 1)) }
        if n > 0, Set(order).count != n { order = (0..<n).map { Int32($0) }.reversed() }
        var same = [UInt64](repeating: 0, count: (n + 63) >> 6)
        for i in stride(from: 1, to: n, by: 1) where i % 4 != 0 && i % 7 != 3 { same[i >> 6] |= 1 << UInt64(i & 63) }
        let links = WindowLinks(order: order, sameGroup: same).tables()
        let raw = Self.values(n, seed: n + 11).map { Int64($0) * 13 }
        var nulls = NullMask(count: n)
        for r in stride(from: 1, to: n, by: 6) { nulls.insert(r) }
        let ratings = Self.values(n, seed: n).map { Int8(($0 + 20) % 5) }
        let base = Column(storage: .int64(PackedInts(raw + [0, 0]), nulls: nil), count: n + 2)
        for column in [Column(storage: .int64(PackedInts(raw), nulls: nulls), count: n),
                       Column(storage: .date(PackedInts(raw.map { $0 + 18000 }), nulls: nil), count: n),
                       Column(storage: .rating(ratings), count: n),
                       base.gathering(Selection(Array(2..<(n + 2))))] {
            for next in [false, true] {
                let got = try #require(column.shifted(along: order, sameGroup: same, next: next))
                for r in 0..<n {
                    let other = Int(next ? links.next[r] : links.previous[r])
                    #expect(got[r] == (other < 0 ? .null : column[other]), "row \(r), next: \(next)")
                }
            }
        }
        let text = Column((0..<max(n, 1)).map { Value.text("x\($0 % 3)") })
        #expect(text.shifted(along: order, sameGroup: same, next: true) == nil || n == 0)
        #expect(Column(storage: .rating(ratings), count: n).shifted(along: order + [0], sameGroup: same, next: true) == nil)
    }

    /// From `Halves.minimumRows` rows, shifting and gathering neighbours split the rows between
    /// two cores, each with null bits of its own: the answer is still the links' answer, and a
    /// null that only the upper half makes (the last row's `next` in one group, a missing
    /// neighbour in the last row) is kept.
    @Test(arguments: [Halves.minimumRows - 1, Halves.minimumRows + 130])
    func neighboursSplitBetweenCoresMatchTheLinks(n: Int) throws {
        let order = (0..<n).map { Int32(($0 &* 7919) % n) }
        #expect(Set(order).count == n, "a permutation")
        var groups = [UInt64](repeating: 0, count: (n + 63) >> 6)
        for i in 1..<n where i % 5 != 0 { groups[i >> 6] |= 1 << UInt64(i & 63) }
        var one = [UInt64](repeating: .max, count: (n + 63) >> 6)
        one[0] &= ~1
        let raw = Self.values(n, seed: 5).map { Int64($0) * 1000 }
        var nulls = NullMask(count: n)
        for r in stride(from: 3, to: n, by: 11) { nulls.insert(r) }
        let ratings = Self.values(n, seed: 6).map { Int8(($0 + 20) % 5) }
        let dense = Column(storage: .int64(PackedInts(raw), nulls: nil), count: n)
        for (same, label) in [(groups, "groups"), (one, "one group")] {
            let links = WindowLinks(order: order, sameGroup: same).tables()
            for column in [Column(storage: .int64(PackedInts(raw), nulls: nulls), count: n),
                           dense, Column(storage: .rating(ratings), count: n)] {
                for next in [false, true] {
                    let got = try #require(column.shifted(along: order, sameGroup: same, next: next))
                    let want = (0..<n).map { r -> Value in
                        let other = Int(next ? links.next[r] : links.previous[r])
                        return other < 0 ? .null : column[other]
                    }
                    #expect((0..<n).first { got[$0] != want[$0] } == nil, "first row that differs, \(label), next: \(next)")
                }
            }
        }
        let last = try #require(dense.shifted(along: order, sameGroup: one, next: true))
        #expect(last.nullCount == 1 && last.isNull(Int(order[n - 1])), "the upper half's only null")
        // Gathering: a missing neighbour only in the last row, then nulls read in both halves.
        var rows = (0..<n).map { Int32(($0 &* 7919) % n) }
        rows[n - 1] = -1
        let gathered = try #require(dense.neighbours(rows))
        #expect(gathered.nullCount == 1 && gathered.isNull(n - 1))
        let withNulls = Column(storage: .int64(PackedInts(raw), nulls: nulls), count: n)
        let read = try #require(withNulls.neighbours(rows))
        #expect((0..<n).first { read[$0] != (rows[$0] < 0 ? .null : withNulls[Int(rows[$0])]) } == nil, "first row that differs")
    }

    /// A gather of answers by stored word takes row r's `values[word + shift]`, at every word
    /// width and element type, on one core and split between two (either side of
    /// `Halves.minimumRows`, and an odd count, so the halves are unequal).
    @Test(arguments: lengths + [Halves.minimumRows - 1, Halves.minimumRows, Halves.minimumRows + 131])
    func gatherByWordTakesEachRowsAnswer(n: Int) {
        let raw = Self.values(n, seed: 3 * n + 2)
        let shift = 20
        let table = (0..<41).map { Int64($0 * $0 - 7) }
        let want = raw.map { table[$0 + shift] }
        for words in [PackedInts.Words.i8(raw.map { Int8($0) }), .i16(raw.map { Int16($0) }),
                      .i32(raw.map { Int32($0) }), .i64(raw.map { Int64($0) })] {
            let packed = PackedInts(base: 0, words: words)
            #expect(packed.lookup(table, shift: shift, count: n) == want)
            #expect(packed.lookup(table.map(Double.init), shift: shift, count: n) == want.map(Double.init))
            #expect(packed.lookup(table.map { Int8(truncatingIfNeeded: $0) }, shift: shift, count: n)
                    == want.map { Int8(truncatingIfNeeded: $0) })
        }
        // Fewer rows asked for than stored: only those.
        let packed = PackedInts(base: 0, words: .i16(raw.map { Int16($0) }))
        #expect(packed.lookup(table.map { Int32($0) }, shift: shift, count: n / 2) == want.prefix(n / 2).map { Int32($0) })
    }

    @Test func integerRangesTooWideForRanksAreRefused() {
        let wide = Column(storage: .int64(PackedInts([0, 1 << 22, 5]), nulls: nil), count: 3)
        guard case .int64(let w, _) = wide.storage else { return }
        #expect(KeyNumbering.ranked(w, wide) == nil)
        let extremes = Column(storage: .int64(PackedInts([.min, .max]), nulls: nil), count: 2)
        guard case .int64(let e, _) = extremes.storage else { return }
        #expect(KeyNumbering.ranked(e, extremes) == nil)
        let justInside = Column(storage: .int64(PackedInts([-7, (1 << 22) - 8, -7]), nulls: nil), count: 3)
        guard case .int64(let j, _) = justInside.storage else { return }
        #expect(KeyNumbering.ranked(j, justInside)?.groupOf == [0, 1, 0])
        #expect(KeyNumbering.ranked(j, justInside)?.firstRow == [0, 1])
    }

    /// Grouped sums refuse a group number outside the groups instead of writing past them.
    @Test func groupedIntegersCheckTheirGroups() throws {
        let column = Column(storage: .int64(PackedInts([1, 2, 3, 4]), nulls: nil), count: 4)
        guard case .int64(let values, let nulls) = column.storage else { return }
        let sums = try #require(GroupedIntegers.accumulate(values, nulls, column: column, groupOf: [0, 1, 0, 1], groups: 2,
                                                           sum: true, low: true, high: true))
        #expect(sums.sums == [4, 6] && sums.counts == [2, 2] && sums.lows == [1, 2] && sums.highs == [3, 4])
        #expect(GroupedIntegers.accumulate(values, nulls, column: column, groupOf: [0, 1, 2, 1], groups: 2,
                                           sum: true, low: false, high: false) == nil)
        #expect(GroupedIntegers.accumulate(values, nulls, column: column, groupOf: [0, 1], groups: 2,
                                           sum: true, low: false, high: false) == nil, "fewer group numbers than rows")
    }

    /// Grouped sums over more groups than one partition holds (the partitioned loop) give
    /// what the one-pass loop gives: with nulls, a selection, and overflow still refused; for
    /// values stored in 8 and 16 bits (each pair packed in one word, negative values too) and
    /// in 32 (a pair in two arrays).
    @Test(arguments: [1, 100, 100_000]) func groupedIntegersAgreeAcrossPartitions(scale: Int64) throws {
        let groups = GroupedIntegers.partitionGroups * 3 + 17, n = groups * 2 + 5
        let raw = Self.values(n, seed: 99).map { Int64($0) * scale }
        let width = PackedInts(raw).visit({ _ in 8 }, { _ in 16 }, { _ in 32 }, { _ in 64 })
        #expect(width == [1: 8, 100: 16, 100_000: 32][scale], "the values are stored as narrow as intended")
        var nulls = NullMask(count: n)
        for r in stride(from: 3, to: n, by: 11) { nulls.insert(r) }
        let groupOf = (0..<n).map { Int32(truncatingIfNeeded: ($0 &* 7919) % groups) }
        for withNulls in [false, true] {
            let mask = withNulls ? nulls : nil
            let column = Column(storage: .int64(PackedInts(raw), nulls: mask), count: n)
            guard case .int64(let values, let m) = column.storage else { return }
            let got = try #require(GroupedIntegers.accumulate(values, m, column: column, groupOf: groupOf, groups: groups,
                                                              sum: true, low: true, high: true))
            var sums = [Int64](repeating: 0, count: groups), counts = sums
            var lows = [Int64](repeating: .max, count: groups), highs = [Int64](repeating: .min, count: groups)
            for r in 0..<n where !(mask?.contains(r) ?? false) {
                let g = Int(groupOf[r])
                sums[g] += raw[r]
                counts[g] += 1
                lows[g] = min(lows[g], raw[r])
                highs[g] = max(highs[g], raw[r])
            }
            #expect(got.sums == sums, "nulls: \(withNulls)")
            #expect(got.counts == counts)
            #expect(got.lows == lows)
            #expect(got.highs == highs)
        }
        // Rows through a selection: every other row.
        let stored = Column(storage: .int64(PackedInts(raw), nulls: nil), count: n)
        let picked = stored.gathering(Selection(Array(stride(from: 0, to: n, by: 2))))
        guard case .int64(let values, _) = picked.storage else { return }
        let half = Array(groupOf.prefix(picked.count))
        let got = try #require(GroupedIntegers.accumulate(values, nil, column: picked, groupOf: half, groups: groups,
                                                          sum: true, low: false, high: false))
        var sums = [Int64](repeating: 0, count: groups)
        for r in 0..<picked.count { sums[Int(half[r])] += raw[2 * r] }
        #expect(got.sums == sums)
        // A sum past Int64 is refused, as the one-pass loop refuses it.
        let big = Column(storage: .int64(PackedInts([Int64](repeating: .max / 2, count: n)), nulls: nil), count: n)
        guard case .int64(let bigValues, _) = big.storage else { return }
        let oneGroupTwice = (0..<n).map { Int32($0 < 3 ? 0 : $0 % groups) }
        #expect(GroupedIntegers.accumulate(bigValues, nil, column: big, groupOf: oneGroupTwice, groups: groups,
                                           sum: true, low: false, high: false) == nil)
        #expect(GroupedIntegers.accumulate(bigValues, nil, column: big, groupOf: oneGroupTwice.map { $0 == 0 ? Int32(groups) : $0 },
                                           groups: groups, sum: true, low: false, high: false) == nil, "a group past the groups")
        // The same in the last rows and the last range of groups, which the second core counts,
        // places and adds when the work is split (it is: there are more rows than Halves.minimumRows).
        #expect(n >= Halves.minimumRows)
        let lastGroupTwice = (0..<n).map { Int32($0 >= n - 3 ? groups - 1 : $0 % (groups - 1)) }
        #expect(GroupedIntegers.accumulate(bigValues, nil, column: big, groupOf: lastGroupTwice, groups: groups,
                                           sum: true, low: false, high: false) == nil)
        #expect(GroupedIntegers.accumulate(bigValues, nil, column: big, groupOf: lastGroupTwice.map { $0 == groups - 1 ? Int32(groups) : $0 },
                                           groups: groups, sum: true, low: false, high: false) == nil, "a group past the groups, last")
    }

    /// A dictionary's derived tables are computed once and kept by its copies (the promise
    /// that lets `sort`, `min` and `max` on a million names skip sorting them again), and a
    /// new dictionary computes its own.
    @Test func dictionaryTablesAreComputedOnceAndShared() {
        let d = TextDictionary(strings: ["pear", "apple", "fig"])
        var calls = 0
        func places(_ strings: [String]) -> [Int64] {
            calls += 1
            return strings.map { Int64($0.count) }
        }
        let copy = d
        #expect(d.sortedPlaces(places) == [0, 4, 5, 3])
        #expect(copy.sortedPlaces(places) == [0, 4, 5, 3])
        #expect(calls == 1, "a copy shares the table")
        #expect(d.firstCodes(places) == [0, 4, 5, 3] && calls == 2, "each table on its own")
        #expect(SortKeys.ranks(of: d) == [0, 4, 5, 3], "ranks read the kept table, not a new sort")
        let fresh = TextDictionary(strings: ["pear", "apple", "fig"])
        #expect(SortKeys.ranks(of: fresh) == [.max, 2, 0, 1], "places in sorted order, null last")
        _ = fresh.sortedPlaces(places)
        #expect(calls == 2, "the new dictionary kept the table its ranks made")
    }

    /// The radix order is the stable sort's order, its keys in that order when asked, and its
    /// group bits say which rows agree with the row before above the low bits: for few and many rows (one pass on the highest
    /// digit from 65,536 on), keys that share a word with the row (at most 32 bits below that
    /// digit: 32 and 40 bits) and keys that do not (33 bits of few rows, 41 and 64 of many).
    @Test(arguments: [0, 1, 2, 1000, 1 << 16, (1 << 16) + 999])
    func radixOrderIsTheStableSortsOrder(n: Int) throws {
        var x: UInt64 = 0x2545_F491_4F6C_DD1D &+ UInt64(n)
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        for bits in [1, 11, 12, 32, 33, 40, 41, 64] {
            let mask = bits == 64 ? UInt64.max : (1 << UInt64(bits)) - 1
            // Few distinct keys at each width, so ties are many and their order is tested.
            let palette = (0..<97).map { _ in next() & mask }
            let keys = (0..<n).map { _ in palette[Int(next() % 97)] }
            let want = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            let plain = try #require(RadixOrder.stableOrder(keys))
            #expect(plain.rows.map(Int.init) == want && plain.same.isEmpty, "\(bits) bits, no group bits asked")
            for shift: UInt64 in [0, UInt64(bits / 2), UInt64(bits - 1), 64] {
                let keeping = shift == 0
                let got = try #require(RadixOrder.stableOrder(keys, sameAbove: shift, keepingKeys: keeping))
                try #require(got.rows.count == n, "\(bits) bits")
                let differs = want.indices.first { Int(got.rows[$0]) != want[$0] }
                #expect(differs == nil, "first place that differs, \(bits) bits")
                let sorted = want.map { keys[$0] }
                #expect(got.same == BitWords.sameAsPrevious(sorted, above: shift), "group bits, \(bits) bits above \(shift)")
                #expect(got.keys == (keeping ? sorted : []), "the keys in order when asked, \(bits) bits")
            }
        }
    }

    /// Packed keys order as their keys do, the first key highest: each less its least,
    /// reversed when descending, its null after every value; a key that would take the packed
    /// key past 64 bits is refused and adds nothing.
    /// Packing split between the cores gives each row the key one pass gives: the least and
    /// greatest from either half (here the least only in the upper half, the greatest only in
    /// the lower), nulls and a descending key in both.
    @Test(arguments: [Halves.minimumRows - 1, Halves.minimumRows, Halves.minimumRows + 131])
    func packingSplitBetweenCoresMatchesOnePass(n: Int) throws {
        let half = n / 2
        let first = (0..<n).map { r -> Int64 in r % 97 == 3 ? .min : r == 5 ? 900 : r == half + 7 ? -300 : Int64(r % 41) }
        let second = (0..<n).map { r -> Int64 in r % 89 == 1 ? .max : Int64((r &* 7) % 1000) }
        var packing = RadixOrder.Packing()
        #expect(packing.add(first, null: .min) && packing.add(second, null: .max, descending: true))
        let got = try #require(packing.packed(count: n))
        // first: -300...900 and null (11 bits); second: 0...999 and null, descending (10 bits).
        let low1: Int64 = -300, span1: UInt64 = 1200, span2: UInt64 = 999
        #expect(packing.shifts == [10, 0])
        let want = (0..<n).map { r -> UInt64 in
            let a = first[r] == .min ? span1 + 1 : UInt64(first[r] - low1)
            let b = second[r] == .max ? span2 + 1 : span2 - UInt64(second[r])
            return a << 10 | b
        }
        #expect(got.count == n)
        let wrong = (0..<n).first { got[$0] != want[$0] }
        #expect(wrong == nil, "row \(wrong ?? -1) of \(n)")
    }

    @Test func packingOrdersAsTheKeysAndRefusesMoreThan64Bits() throws {
        var packing = RadixOrder.Packing()
        let first: [Int64] = [7, 3, .min, 7, 5], second: [Int64] = [1, 9, 9, .max, 4]
        let added = [packing.add(first, null: .min), packing.add([4, 4, 4, 4, 4], null: .min),
                     packing.add(second, null: .max, descending: true)]
        #expect(added == [true, true, true], "a key of one value takes one bit, for its null")
        // first: 3...7 and null, 3 bits; the constant: 1 bit; second: 1...9 and null, 4 bits.
        #expect(packing.shifts == [5, 4, 0] && packing.bits == 8)
        let packed = try #require(packing.packed(count: 5))
        // Each row: first's code in bits 5-7, the constant's in bit 4, second's in bits 0-3.
        let expected: [UInt64] = [4 * 32 + 8, 0, 5 * 32, 4 * 32 + 9, 2 * 32 + 5]
        #expect(packed == expected)
        let order = packed.indices.sorted { packed[$0] < packed[$1] }
        #expect(order == [1, 4, 0, 3, 2], "3; 5; 7 with 1 (descending: after 9) before null; then first's null")
        let refused = packing.add([0, Int64(1) << 57, 0, 0, 0], null: .min)
        #expect(!refused)
        #expect(packing.bits == 8 && packing.shifts.count == 3, "a refused key adds nothing")
        #expect(packing.packed(count: 6) == nil, "more rows than a key holds")
    }

    /// Which rows continue the group of the row before, above the low bits, against the plain
    /// loop: both halves (from `Halves.minimumRows`), row 0 never, and a shift of 64 (no group
    /// bits), where every row after the first continues.
    @Test(arguments: lengths + [Halves.minimumRows + 131])
    func sameAsPreviousMatchesTheLoop(n: Int) {
        let keys = Self.values(n, seed: 7).map { UInt64($0 + 20) }
        for shift: UInt64 in [0, 2, 5, 64] {
            var want = BitWords.none(n)
            for i in 1..<max(1, n) where keys[i] >> shift == keys[i - 1] >> shift { want[i >> 6] |= 1 << UInt64(i & 63) }
            #expect(BitWords.sameAsPrevious(keys, above: shift) == want, "n \(n), shift \(shift)")
        }
    }
}
