import IQLCore
import IQLStorage
import IQLLanguage

extension JoinOperator {
    /// A join on several keys whose parts each have codes both sides share, packed into one
    /// integer a row: whole numbers and days as their offset from the least of either side,
    /// text as the joined table's code for the same string, ratings and true/false as stored.
    /// Then one `JoinIndex` on the joined table's codes, and every row paired by its own. Nil
    /// (the join goes value by value) for other kinds, codes past 62 bits, or a text part
    /// naming a council that the joined rows also spell another way, which that path resolves.
    func runOnPackedKeys(_ input: Table, _ other: Table, _ env: RuntimeEnvironment) throws -> Table? {
        guard env.vectorised else { return nil }
        var left = PackedKeys(count: input.rowCount), right = PackedKeys(count: other.rowCount)
        for key in keys {
            guard let (l, r, width) = Self.sharedCodes(input.columns[key.left], other.columns[key.right], env),
                  left.add(l, width: width), right.add(r, width: width) else { return nil }
        }
        try env.checkCancelled()
        let index = try JoinIndex(codes: right.codes, nulls: right.nullMask, env)
        let (lefts, rights, misses, _) = try index.pairs(left.codes, nulls: left.nullMask, keepMisses: kind != .inner, self, env)
        var table = assemble(input, other, lefts, rights, misses)
        guard kind != .anti else { return table }
        // Rows matched, missed and with a null part, and the first missed keys, for the note.
        var counts = SeveralKeysCounts()
        var shown: [String] = [], missedCodes = Set<Int64>()
        for r in 0..<input.rowCount {
            if left.nulls[r] { counts.null += 1; continue }
            if index.holds(left.codes[r]) { counts.exact += 1; continue }
            counts.missed += 1
            if missedCodes.insert(left.codes[r]).inserted, shown.count < 3 {
                shown.append("(" + keys.map { input.columns[$0.left][r].literalText }.joined(separator: ", ") + ")")
            }
        }
        if let note = severalKeysNote(input, counts, missedKeys: shown, more: missedCodes.count > shown.count) {
            table.notes.append(note)
        }
        return table
    }

    /// Each row's key parts packed into one integer, and which rows have a null part.
    struct PackedKeys {
        var codes: [Int64]
        var nulls: [Bool]
        var bits = 0

        init(count: Int) {
            codes = [Int64](repeating: 0, count: count)
            nulls = [Bool](repeating: false, count: count)
        }

        /// Adds a part below those so far (nil: a null row); false past 62 bits.
        mutating func add(_ part: [Int64?], width: Int) -> Bool {
            guard part.count == codes.count, bits + width <= 62 else { return false }
            for r in codes.indices {
                if let c = part[r] { codes[r] = codes[r] << Int64(width) | c } else { nulls[r] = true }
            }
            bits += width
            return true
        }

        var nullMask: NullMask? {
            guard nulls.contains(true) else { return nil }
            var mask = NullMask(count: nulls.count)
            for r in nulls.indices where nulls[r] { mask.insert(r) }
            return mask
        }
    }

    /// Codes for a key pair's two columns that are equal exactly when the values are (nil for
    /// a null row), below 2^width; nil when the pair has none (see `runOnPackedKeys`).
    static func sharedCodes(_ l: Column, _ r: Column, _ env: RuntimeEnvironment) -> ([Int64?], [Int64?], Int)? {
        switch (l.storage, r.storage) {
        case (.int64, .int64), (.date, .date):
            guard let (lc, ln) = JoinIndex.integerCodes(l), let (rc, rn) = JoinIndex.integerCodes(r) else { return nil }
            var lo = Int64.max, hi = Int64.min
            for (codes, nulls) in [(lc, ln), (rc, rn)] {
                for i in codes.indices where !(nulls?.contains(i) ?? false) {
                    lo = min(lo, codes[i])
                    hi = max(hi, codes[i])
                }
            }
            if lo > hi { (lo, hi) = (0, 0) }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span < Int64.max else { return nil }
            func offsets(_ codes: [Int64], _ nulls: NullMask?) -> [Int64?] {
                codes.indices.map { nulls?.contains($0) == true ? nil : codes[$0] &- lo }
            }
            return (offsets(lc, ln), offsets(rc, rn), 64 - (span + 1).leadingZeroBitCount)
        case (.text(let lcodes, let ld), .text(let rcodes, let rd)):
            // Each joined code's first code for its string, among strings some row holds (a
            // filtered table keeps its dictionary whole, and a string no row holds must go to
            // the other path's council resolution); a left string the joined rows lack, a code
            // past all of theirs. Strings are hashed once a dictionary entry, not once a row,
            // and not at all when both sides share one dictionary (a table joined to itself).
            let shared = ld.isShared(with: rd)
            let canonical = shared ? Grouping.firstCodes(of: rd) : []
            var used = [Bool](repeating: false, count: rd.strings.count)
            for i in 0..<r.count {
                let c = Int(rcodes[r.physical(i)])
                if c > 0, c < used.count { used[c] = true }
            }
            var rightCode = [Int64?](repeating: nil, count: rd.strings.count)
            var codeOf: [String: Int64] = [:]
            for c in 1..<max(1, rd.strings.count) where used[c] {
                if shared {
                    rightCode[c] = canonical[c]
                } else {
                    let s = rd.strings[c]
                    rightCode[c] = codeOf[s] ?? Int64(c)
                    if codeOf[s] == nil { codeOf[s] = Int64(c) }
                }
            }
            var heldCanonical = [Bool](repeating: false, count: shared ? rd.strings.count : 0)
            if shared { for c in rightCode.indices { if let k = rightCode[c] { heldCanonical[Int(k)] = true } } }
            let beyond = Int64(rd.strings.count)
            var leftCode = [Int64?](repeating: nil, count: ld.strings.count)
            var councils: [String: String] = [:]
            for (c, s) in ld.strings.enumerated().dropFirst() {
                if shared {
                    let k = canonical[c]
                    leftCode[c] = heldCanonical[Int(k)] ? k : beyond + Int64(c)
                } else {
                    leftCode[c] = codeOf[s] ?? beyond + Int64(c)
                }
                if let id = env.councilNames.identity(of: s) { councils[s] = id }
            }
            // A key that misses is tried again with its councils' parts as the council: that
            // can match only where the joined rows spell one of them another way.
            if !councils.isEmpty {
                var spellings: [String: Set<String>] = [:]
                for c in rightCode.indices where rightCode[c] != nil {
                    let s = rd.strings[c]
                    if let id = env.councilNames.identity(of: s) { spellings[id, default: []].insert(s) }
                }
                for (s, id) in councils where !(spellings[id] ?? []).subtracting([s]).isEmpty { return nil }
            }
            let lrows = (0..<l.count).map { i -> Int64? in
                let c = Int(lcodes[l.physical(i)])
                return c > 0 && c < leftCode.count ? leftCode[c] : nil
            }
            let rrows = (0..<r.count).map { i -> Int64? in
                let c = Int(rcodes[r.physical(i)])
                return c > 0 && c < rightCode.count ? rightCode[c] : nil
            }
            let top = beyond + Int64(ld.strings.count)
            return (lrows, rrows, 64 - top.leadingZeroBitCount)
        case (.rating(let lv), .rating(let rv)):
            func codes(_ v: [Int8], _ c: Column) -> [Int64?] { (0..<c.count).map { let x = v[c.physical($0)]; return x == 0 ? nil : Int64(x) } }
            return (codes(lv, l), codes(rv, r), 8)
        case (.bool(let lv), .bool(let rv)):
            func codes(_ v: [UInt8], _ c: Column) -> [Int64?] { (0..<c.count).map { let x = v[c.physical($0)]; return x == 0 ? nil : Int64(x) } }
            return (codes(lv, l), codes(rv, r), 8)
        default:
            return nil
        }
    }
}
