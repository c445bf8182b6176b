import IQLCore
import IQLStorage
import IQLLanguage
/// Rows assigned to groups of equal keys. Keys that are plain columns group on their stored
/// codes (dictionary codes, ratings, integers, days) without building values; anything else
/// groups on the evaluated values.
package struct Grouping {
    /// The group of each row, numbered in order of first appearance.
    package var groupOf: [Int32]
    /// True when there are no keys: every row is in group 0 (and `groupOf` is left empty).
    package var whole = false
    /// The first row of each group.
    package var firstRow: [Int]

    package var count: Int { firstRow.count }
    /// The groups are numbered in the order of their keys, not of first appearance (asked
    /// for with `make(…, inKeyOrder:)`), so an aggregate's results need no reordering.
    package var numberedInKeyOrder = false
    /// Rows grouped, when `whole` (there is no per-row array to count).
    package var rowCount = 0

    /// `inKeyOrder` lets a single whole-number or date key number its groups by key (see
    /// `numberedInKeyOrder`); otherwise groups are numbered as their first rows come.
    package static func make(_ keys: [CompiledExpression], over table: Table, _ env: RuntimeEnvironment,
                     inKeyOrder: Bool = false) throws -> Grouping {
        let n = table.rowCount
        if keys.isEmpty {
            return Grouping(groupOf: [], whole: true, firstRow: n > 0 ? [0] : [], rowCount: n)
        }
        if keys.count == 1, case .column(let i) = keys[0].shape {
            if inKeyOrder, let g = inOrderOfOffsets(table.columns[i]) { return g }
            if let g = dense(table.columns[i]) { return g }
        }
        // Each key grouped on its own (stored codes index a table directly) and folded into the
        // groups so far; once every row is a group of its own, further keys cannot split any.
        var current: Grouping?
        var folded = 0
        for key in keys {
            try env.checkCancelled()
            if let c = current, c.count == n { folded = keys.count; break }
            var own: Grouping
            if case .column(let i) = key.shape, let g = dense(table.columns[i]) {
                own = g
            } else if let c = try keyCodes(key, table) ?? vectorCodes(key, table, env) {
                own = single(c)
            } else {
                break
            }
            if let c = current { own = combined(c, own) }
            current = own
            folded += 1
        }
        if folded == keys.count, let current { return current }
        let values = try keys.map { try Evaluating.column($0, over: table, env) }
        return try hashed(n, env) { r in values.map { $0[r] } }
    }

    /// One key stored as small codes (dictionary text, ratings, true/false, integers in a narrow
    /// range): each row's code indexes the table of groups directly, with no key array.
    private static func dense(_ column: Column) -> Grouping? {
        func group<C: BinaryInteger>(_ codes: [C], _ size: Int, base: Int = 0) -> Grouping {
            var slot = [Int32](repeating: -1, count: size)
            var groupOf = [Int32](repeating: 0, count: column.count)
            var first: [Int] = []
            for r in 0..<column.count {
                let c = base + Int(codes[column.physical(r)])
                var g = slot[c]
                if g < 0 {
                    g = Int32(first.count)
                    slot[c] = g
                    first.append(r)
                }
                groupOf[r] = g
            }
            return Grouping(groupOf: groupOf, firstRow: first)
        }
        switch column.storage {
        case .text(let codes, let dictionary):
            let size = dictionary.strings.count, base = Int(codes.base)
            return codes.visit({ group($0, size, base: base) }, { group($0, size, base: base) },
                               { group($0, size, base: base) }, { group($0, size) })
        case .rating(let v): return group(v, 5)
        case .bool(let v): return group(v, 3)
        case .int64(let v, nil), .date(let v, nil):
            // Whole numbers in a narrow range (ids, reference numbers, days) index the table
            // of groups by their stored offset, with no key array built.
            func byOffset<T: FixedWidthInteger>(_ a: [T]) -> Grouping? {
                guard let lo = a.min(), let hi = a.max() else { return nil }
                let (span, o) = Int64(hi).subtractingReportingOverflow(Int64(lo))
                guard !o, span < 1 << 22 else { return nil }
                return group(a, Int(span) + 1, base: -Int(lo))
            }
            return v.visit(byOffset, byOffset, byOffset, byOffset)
        default: return nil
        }
    }

    /// A whole-number or date key in a narrow range, grouped by its stored value with the
    /// groups numbered in key order (each value's rank, `KeyNumbering.ranked`). With a
    /// million groups, an aggregate's results put in key order afterwards were read
    /// at random, a cache miss a group (most of `summarize … by urn` over 4M rows).
    private static func inOrderOfOffsets(_ column: Column) -> Grouping? {
        switch column.storage {
        case .int64(let v, nil), .date(let v, nil):
            guard let (groupOf, first) = KeyNumbering.ranked(v, column) else { return nil }
            var g = Grouping(groupOf: groupOf, firstRow: first)
            g.numberedInKeyOrder = true
            return g
        default: return nil
        }
    }

    /// The keys' stored or evaluated codes (nulls as `Int64.min`), packed as one radix key
    /// per row, equal exactly when all the keys are, with no table of groups built: what a
    /// sort by group needs, as groups' numbers are not. Nil when a key has no such codes or
    /// they do not pack into 64 bits.
    package static func packedCodes(_ keys: [CompiledExpression], over table: Table,
                                    _ env: RuntimeEnvironment) throws -> RadixOrder.Packing? {
        var packing = RadixOrder.Packing()
        for key in keys {
            guard let c = try keyCodes(key, table) ?? vectorCodes(key, table, env), c.count == table.rowCount,
                  packing.add(c, null: .min) else { return nil }
        }
        return packing
    }

    /// A key column's rows as integers that are equal exactly when the values are (nulls too),
    /// or nil when the column is not stored that way.
    private static func keyCodes(_ key: CompiledExpression, _ table: Table) -> [Int64]? {
        guard case .column(let i) = key.shape else { return nil }
        let column = table.columns[i]
        let n = column.count
        switch column.storage {
        case .text(let codes, _): return column.widened(codes)
        case .rating(let v): return (0..<n).map { Int64(v[column.physical($0)]) }
        case .bool(let v): return (0..<n).map { Int64(v[column.physical($0)]) }
        case .int64(let v, let nulls):
            guard nulls == nil else { return nil }
            return column.widened(v)
        case .date(let v, let nulls):
            guard nulls == nil else { return nil }
            return column.widened(v)
        default: return nil
        }
    }

    /// Any key's values, evaluated a column at a time, as integers equal exactly when the values
    /// are: numbers at one scale by mantissa, days, doubles by bit pattern, text by its string's
    /// first code, each with one code for null. Nil where the vector has no such form (values
    /// of several types), or a value would collide with the null code.
    private static func vectorCodes(_ key: CompiledExpression, _ table: Table, _ env: RuntimeEnvironment) throws -> [Int64]? {
        guard env.vectorised else { return nil }
        return codes(of: try VectorEvaluator(table: table, environment: env).evaluate(key), count: table.rowCount)
    }

    /// A vector's values as integers equal exactly when the values are (see `vectorCodes`).
    package static func codes(of vector: Vector, count n: Int) -> [Int64]? {
        switch vector {
        case .constant: return [Int64](repeating: 0, count: n)
        case .ints(let a, let m), .decimals(let a, _, let m):
            guard let m else { return a }
            var out = a
            for r in 0..<n {
                if m.contains(r) { out[r] = .min } else if a[r] == .min { return nil }
            }
            return out
        case .dates(let a, let m):
            return (0..<n).map { r in m?.contains(r) == true ? Int64.min : Int64(a[r]) }
        case .doubles(let a, let m):
            var out = [Int64](repeating: .min, count: n)
            for r in 0..<n where !(m?.contains(r) ?? false) {
                let d = a[r]
                guard !d.isNaN else { return nil }
                // 0 and -0 are equal values.
                let bits = Int64(bitPattern: (d == 0 ? 0.0 : d).bitPattern)
                if bits == .min { return nil }
                out[r] = bits
            }
            return out
        case .texts(let codes, let dictionary):
            let canonical = firstCodes(of: dictionary)
            return codes.map { Int($0) < canonical.count ? canonical[Int($0)] : 0 }
        case .ratings(let a): return a.map(Int64.init)
        case .bools(let t): return (0..<n).map { t.isTrueAt($0) ? 2 : t.isNullAt($0) ? 0 : 1 }
        // An exact 2 and a double 2 are one value: the general path compares them.
        case .numbers, .values: return nil
        }
    }

    /// Each code's first code holding the same string: a dictionary a function made may hold
    /// a string twice, and equal strings are one value. Computed once a dictionary and kept.
    package static func firstCodes(of dictionary: TextDictionary) -> [Int64] {
        dictionary.firstCodes { strings in
            var firstCode: [String: Int64] = [:]
            return strings.indices.map { c -> Int64 in
                if c == 0 { return 0 }
                if let k = firstCode[strings[c]] { return k }
                firstCode[strings[c]] = Int64(c)
                return Int64(c)
            }
        }
    }

    package static func single(_ codes: [Int64]) -> Grouping {
        // Keys in a narrow range (dictionary codes, ratings, small numbers; Int64.min, the null
        // code, aside) index an array by offset; others go to the open-addressing table.
        var lo = Int64.max, hi = Int64.min
        for c in codes where c != .min {
            if c < lo { lo = c }
            if c > hi { hi = c }
        }
        if lo > hi { lo = 0; hi = 0 }
        let (span, o) = hi.subtractingReportingOverflow(lo)
        guard !o, span < 1 << 22 else { return probed(codes) }
        let nullSlot = Int(span) + 1
        return bySlot(codes.count, slots: nullSlot + 1) { r in
            let c = codes[r]
            return c == .min ? nullSlot : Int(c &- lo)
        }
    }

    /// Rows numbered by a small table: `slot(r)` is the row's place in it (below `slots`), and
    /// each place gets a group the first time a row lands there.
    @inline(__always)
    private static func bySlot(_ n: Int, slots: Int, _ slot: (Int) -> Int) -> Grouping {
        var table = [Int32](repeating: -1, count: slots)
        var groupOf = [Int32](repeating: 0, count: n)
        var first: [Int] = []
        for r in 0..<n {
            let k = slot(r)
            var g = table[k]
            if g < 0 {
                g = Int32(truncatingIfNeeded: first.count)
                table[k] = g
                first.append(r)
            }
            groupOf[r] = g
        }
        return Grouping(groupOf: groupOf, firstRow: first)
    }

    /// Integer keys of any range, numbered in order of first appearance (`KeyNumbering`).
    private static func probed(_ codes: [Int64]) -> Grouping {
        let (groupOf, first) = KeyNumbering.probed(codes)
        return Grouping(groupOf: groupOf, firstRow: first)
    }

    /// The groups of two keys together, from each one's groups: the pair of group numbers is
    /// one integer key, so no row builds an array of its keys. Groups are numbered in order of
    /// first appearance, as grouping on the whole tuple would number them.
    package static func combined(_ current: Grouping, _ own: Grouping) -> Grouping {
        let n = own.groupOf.count
        let width = Int64(own.count)
        let pairs = Int64(current.count).multipliedReportingOverflow(by: width)
        guard !pairs.overflow, pairs.partialValue < 1 << 22 else {
            return probed(zip(current.groupOf, own.groupOf).map { Int64($0) << 32 | Int64($1) })
        }
        // Few enough pairs to index a table by pair directly.
        let w = Int(width)
        return bySlot(n, slots: Int(pairs.partialValue)) { r in Int(current.groupOf[r]) * w + Int(own.groupOf[r]) }
    }

    /// Groups rows by a hashable key, numbering groups in order of first appearance, checking
    /// for cancellation every few thousand rows when given an environment.
    private static func hashed<K: Hashable>(_ n: Int, _ env: RuntimeEnvironment?, key: (Int) -> K) throws -> Grouping {
        var index: [K: Int32] = [:]
        var groupOf = [Int32](repeating: 0, count: n)
        var first: [Int] = []
        for r in 0..<n {
            if r & 4095 == 0 { try env?.checkCancelled() }
            let k = key(r)
            if let g = index[k] {
                groupOf[r] = g
            } else {
                let g = Int32(first.count)
                index[k] = g
                first.append(r)
                groupOf[r] = g
            }
        }
        return Grouping(groupOf: groupOf, firstRow: first)
    }

    /// The rows of each group, in input order.
    package func rowsByGroup() -> [[Int]] {
        if whole { return [Array(0..<(count == 0 ? 0 : rowCount))] }
        var sizes = [Int](repeating: 0, count: count)
        for g in groupOf { sizes[Int(g)] += 1 }
        var rows = sizes.map { size -> [Int] in
            var a: [Int] = []
            a.reserveCapacity(size)
            return a
        }
        for (r, g) in groupOf.enumerated() { rows[Int(g)].append(r) }
        return rows
    }

    /// Group numbers sorted by their key values (nulls last), for output in key order.
    package func orderByKeys(_ keys: [CompiledExpression], over table: Table, _ env: RuntimeEnvironment) throws -> [Int] {
        guard !keys.isEmpty, count > 1, !numberedInKeyOrder else { return Array(0..<count) }
        if keys.count == 1, case .column(let i) = keys[0].shape,
           let ranks = SortKeys.ranks(of: table.columns[i].gathering(Selection(firstRow))) {
            // One stored key: order by the rank of each group's first row, no values built.
            return Grouping.order(byDistinctRanks: ranks) ?? (0..<count).sorted { ranks[$0] < ranks[$1] }
        }
        let sample = table.gathering(firstRow)
        // Several keys: each one's ranks packed into one integer a group, then one radix sort,
        // where comparing values group by group took 225 ms for 245,000 groups of (urn, phase).
        var packing = RadixOrder.Packing()
        var packs = true
        for key in keys where packs {
            let ranks = SortKeys.ranks(of: try Evaluating.stored(key, over: sample, env))
            packs = ranks?.count == count && packing.add(ranks ?? [], null: .max)
        }
        if packs, let packed = packing.packed(count: count), let order = RadixOrder.stableOrder(packed) {
            return order.rows.map(Int.init)
        }
        let keyValues = try keys.map { try Evaluating.column($0, over: sample, env) }
        return (0..<count).sorted { a, b in
            for column in keyValues where column[a] != column[b] { return Value.orderedBefore(column[a], column[b]) }
            return false
        }
    }

    /// Indices in order of their ranks, when the ranks are distinct (each group has its own key
    /// value) and dense enough to place by value: linear time where sorting is n log n, which
    /// matters with a million groups. Int64.max (null) comes last. Nil if the ranks do not allow it.
    package static func order(byDistinctRanks ranks: [Int64]) -> [Int]? {
        var lo = Int64.max, hi = Int64.min, nullIndex: Int?
        for (i, r) in ranks.enumerated() {
            if r == .max {
                if nullIndex != nil { return nil }
                nullIndex = i
                continue
            }
            lo = min(lo, r)
            hi = max(hi, r)
        }
        guard lo <= hi else { return nullIndex.map { [$0] } ?? [] }
        let (span, o) = hi.subtractingReportingOverflow(lo)
        guard !o, span < 4 * Int64(ranks.count) + 1024 else { return nil }
        var at = [Int32](repeating: -1, count: Int(span) + 1)
        for (i, r) in ranks.enumerated() where r != .max {
            let k = Int(r &- lo)
            if at[k] >= 0 { return nil }
            at[k] = Int32(truncatingIfNeeded: i)
        }
        var out: [Int] = []
        out.reserveCapacity(ranks.count)
        for g in at where g >= 0 { out.append(Int(g)) }
        if let nullIndex { out.append(nullIndex) }
        return out
    }
}
