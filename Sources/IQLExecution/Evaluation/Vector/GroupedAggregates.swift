import IQLCore
import IQLStorage
import IQLLanguage
/// Aggregates by group over the argument's typed vector, whatever the argument is (a column or
/// any expression) and whatever its type: `sum`/`avg` on exact numbers (overflow checked) and
/// doubles, `min`/`max`/`first`/`last` as the row holding the answer, `count_distinct` and
/// `unique` on integer keys, `any`/`all` on a condition's bits (row by row they boxed a value
/// a row: `any` and `all` by authority over 1M rows were 4.6x DuckDB's time). Each gives what `Aggregate.compute` gives over the group's values; where the
/// answer could differ (an overflow, values of mixed types) it returns nil and the general
/// path runs, reporting any error with the call's range.
package enum GroupedAggregates {
    /// `evaluated` is the argument's vector if the caller has it, and holds it afterwards;
    /// `nullRows` the argument's null rows where they were counted without one.
    package static func compute(_ call: AggregateCall, _ grouping: Grouping, groups: Int, over table: Table,
                                _ env: RuntimeEnvironment, evaluated: inout Vector?, nullRows: inout Int?) throws -> [Value]? {
        guard env.vectorised, groups > 0, let argument = call.argument else { return nil }
        switch call.function {
        case .sum, .avg, .min, .max, .count_distinct, .first, .last, .unique, .any, .all: break
        default: return nil
        }
        // A whole-table sum of work over several columns: added block by block as the blocks
        // are evaluated, no column of them made.
        if call.function == .sum || call.function == .avg, grouping.whole, evaluated == nil,
           BlockEvaluation.applies(argument, over: table) {
            // A sum past the finite doubles (or with no number) is the general path's to report.
            guard let sum = try BlockEvaluation.sum(argument, over: table, env),
                  sum.count == 0 || sum.total != nil else { return nil }
            nullRows = table.rowCount - Int(sum.count)
            return try answers(call, totals: [sum.total], counts: [sum.count])
        }
        let vector = try evaluated ?? VectorEvaluator(table: table, environment: env).evaluate(argument)
        evaluated = vector
        let n = table.rowCount
        let groupOf = grouping.groupOf
        let whole = grouping.whole
        guard whole || groupOf.count == n else { return nil }
        switch call.function {
        case .sum, .avg:
            return try sum(call, vector, n: n, groups: groups, whole: whole, groupOf: groupOf)
        case .first, .last:
            let isLast = call.function == .last
            var row = [Int](repeating: -1, count: groups)
            vector.forEachNonNullRow(count: n) { r in
                let g = whole ? 0 : Int(groupOf[r])
                if isLast || row[g] < 0 { row[g] = r }
            }
            return row.map { $0 < 0 ? .null : vector.value(at: $0) }
        case .any, .all:
            // all: no row false (nulls aside); any: some row true.
            guard case .bools(let truth) = vector, truth.count == n else { return nil }
            let isAll = call.function == .all
            var answer = [Bool](repeating: isAll, count: groups)
            for r in 0..<n {
                let w = r >> 6, bit = UInt64(1) << UInt64(r & 63)
                let isTrue = truth.isTrue[w] & bit != 0, isNull = truth.isNull[w] & bit != 0
                if isAll ? (!isTrue && !isNull) : isTrue { answer[whole ? 0 : Int(groupOf[r])] = !isAll }
            }
            return answer.map(Value.bool)
        case .unique:
            // No value twice in a group: as many distinct (group, value) pairs as values.
            guard let codes = Grouping.codes(of: vector, count: n) else { return nil }
            let values = Grouping.single(codes)
            let pairs = whole ? values : Grouping.combined(grouping, values)
            var distinct = [Int](repeating: 0, count: groups), present = [Int](repeating: 0, count: groups)
            for r in pairs.firstRow where !vector.isNull(at: r) { distinct[whole ? 0 : Int(groupOf[r])] += 1 }
            vector.forEachNonNullRow(count: n) { r in present[whole ? 0 : Int(groupOf[r])] += 1 }
            return (0..<groups).map { .bool(distinct[$0] == present[$0]) }
        case .min, .max, .count_distinct:
            guard let keys = orderKeys(vector, count: n) else { return nil }
            if call.function == .count_distinct {
                // The distinct (group, value) pairs, grouped as two keys are; each pair's first
                // row counts once for its group, unless its value is null.
                // Codes that keep null apart from every value (a null row's stored number is arbitrary).
                guard let codes = Grouping.codes(of: vector, count: n) else { return nil }
                let values = Grouping.single(codes)
                let pairs = whole ? values : Grouping.combined(grouping, values)
                var counts = [Int64](repeating: 0, count: groups)
                for r in pairs.firstRow where !keys.isNull(r) { counts[whole ? 0 : Int(groupOf[r])] += 1 }
                return counts.map(Value.int)
            }
            let isMax = call.function == .max
            var row = [Int](repeating: -1, count: groups)
            var best = [Int64](repeating: 0, count: groups)
            for r in 0..<n where !keys.isNull(r) {
                let g = whole ? 0 : Int(groupOf[r]), k = keys.values[r]
                // The first row holding the least (or greatest) value, as `min(by:)` finds it.
                if row[g] < 0 || (isMax ? k > best[g] : k < best[g]) {
                    row[g] = r
                    best[g] = k
                }
            }
            return row.map { $0 < 0 ? .null : vector.value(at: $0) }
        default:
            return nil
        }
    }

    /// A key per row whose order is the values' order and whose equality is theirs; nil for
    /// vectors that have none (doubles, values of several types).
    private struct Keys {
        package var values: [Int64]
        package var nulls: NullMask?
        package var nullCodes = false

        package func isNull(_ r: Int) -> Bool { nullCodes ? values[r] == Int64.min : (nulls?.contains(r) ?? false) }
    }

    private static func orderKeys(_ v: Vector, count n: Int) -> Keys? {
        switch v {
        case .ints(let a, let m), .decimals(let a, _, let m): return Keys(values: a, nulls: m)
        case .dates(let a, let m): return Keys(values: a.map(Int64.init), nulls: m)
        case .texts(let codes, let dictionary):
            // Each entry's place among the dictionary's strings, as `sort` orders them.
            var place = SortKeys.ranks(of: dictionary)
            if !place.isEmpty { place[0] = Int64.min }
            return Keys(values: codes.map { Int($0) < place.count ? place[Int($0)] : Int64.min },
                        nulls: nil, nullCodes: true)
        case .ratings(let a):
            let order = Rating.allCases.sorted { Value.orderedBefore(.rating($0), .rating($1)) }
            var place = [Int64](repeating: Int64.min, count: 256)
            for (k, rating) in order.enumerated() { place[Int(UInt8(bitPattern: rating.rawValue))] = Int64(k) }
            return Keys(values: a.map { place[Int(UInt8(bitPattern: $0))] }, nulls: nil, nullCodes: true)
        default:
            return nil
        }
    }

    /// Sums by group in row order, as the general path adds them; nil on an overflow or a
    /// double that is not finite, which the general path then reports.
    private static func sum(_ call: AggregateCall, _ v: Vector, n: Int, groups: Int, whole: Bool,
                            groupOf: [Int32]) throws -> [Value]? {
        var counts = [Int64](repeating: 0, count: groups)
        var totals: [Number?] = []
        switch v {
        case .ints(let a, let m), .decimals(let a, _, let m):
            var scale = 0
            if case .decimals(_, let s, _) = v { scale = s }
            var sums = [Int64](repeating: 0, count: groups)
            if !whole, groups > GroupedIntegers.partitionGroups, a.count == n {
                // More groups than stay in the cache: the stored-column kernel's loop by range
                // of groups, over the values packed as a column would hold them.
                let column = Column(storage: .int64(PackedInts(a), nulls: m), count: n)
                guard case .int64(let packed, let nulls) = column.storage,
                      let t = GroupedIntegers.accumulate(packed, nulls, column: column, groupOf: groupOf, groups: groups,
                                                         sum: true, low: false, high: false) else { return nil }
                sums = t.sums
                counts = t.counts
            } else if whole {
                // One sum in locals, not array elements; a null row adds 0 and counts 0.
                var sum: Int64 = 0, count: Int64 = 0
                let fits = eachRow(n, m) { r, keep in
                    let (s, o) = sum.addingReportingOverflow(a[r] & -keep)
                    sum = s
                    count &+= keep
                    return !o
                }
                guard fits else { return nil }
                sums[0] = sum
                counts[0] = count
            } else {
                let fits = eachRow(n, m) { r, keep in
                    let g = Int(groupOf[r])
                    let (s, o) = sums[g].addingReportingOverflow(a[r] & -keep)
                    sums[g] = s
                    counts[g] &+= keep
                    return !o
                }
                guard fits else { return nil }
            }
            totals = sums.map { Number.exact($0, scale: scale) }
            for (t, c) in zip(totals, counts) where t == nil && c > 0 { return nil }
        case .doubles(let a, let m):
            // Each sum starts at -0.0, which adds to any double as the double itself, and a
            // null row adds -0.0, which leaves any sum as it is: the row-by-row additions.
            var sums = [Double](repeating: -0.0, count: groups)
            if whole {
                var sum = -0.0, count: Int64 = 0
                _ = eachRow(n, m) { r, keep in
                    sum += keep == 1 ? a[r] : -0.0
                    count &+= keep
                    return true
                }
                sums[0] = sum
                counts[0] = count
            } else {
                _ = eachRow(n, m) { r, keep in
                    let g = Int(groupOf[r])
                    sums[g] += keep == 1 ? a[r] : -0.0
                    counts[g] &+= keep
                    return true
                }
            }
            guard sums.allSatisfy(\.isFinite) else { return nil }
            totals = sums.map(Number.double)
        case .numbers(let m):
            guard let t = mixedSums(m, n: n, groups: groups, whole: whole, groupOf: groupOf, counts: &counts) else { return nil }
            totals = t
        default:
            return nil
        }
        return try answers(call, totals: totals, counts: counts)
    }

    /// Each group's sum, or its average over its `counts` rows; null for a group of none.
    private static func answers(_ call: AggregateCall, totals: [Number?], counts: [Int64]) throws -> [Value] {
        try zip(totals, counts).map { total, count in
            guard count > 0, let total else { return .null }
            if call.function == .sum { return .number(total) }
            return .number(try Operations.numeric(.divide, total, .int(count), at: call.range))
        }
    }

    /// `body(r, keep)` for the rows below n in order, keep 1 where row r is not null and 0
    /// where it is, until `body` gives false (then false): a word of null bits at a time, the
    /// rows of a word with no null in a loop with no test, the others taking the bit as a
    /// number. Skipping null rows with a branch mispredicted wherever nulls fall at random (a
    /// quarter of `next(pupils) by urn`'s rows), and that branch was most of a sum's time.
    @inline(__always)
    private static func eachRow(_ n: Int, _ nulls: NullMask?, _ body: (Int, Int64) -> Bool) -> Bool {
        guard let nulls else {
            for r in 0..<n where !body(r, 1) { return false }
            return true
        }
        var start = 0
        while start < n {
            let end = min(start &+ 64, n), word = nulls.word(start >> 6)
            if word == 0 {
                for r in start..<end where !body(r, 1) { return false }
            } else {
                for r in start..<end where !body(r, Int64(truncatingIfNeeded: ~(word >> UInt64(r & 63)) & 1)) {
                    return false
                }
            }
            start = end
        }
        return true
    }

    /// Sums of exact rows and doubles by group, in row order, as `Operations.numeric` adds
    /// them: exact while every row so far is exact (at the largest scale seen, normalised at
    /// the end), a double from a group's first double row on, the exact part so far converted
    /// as its normalised decimal is. Nil on an overflow or a double that is not finite.
    private static func mixedSums(_ m: MixedNumbers, n: Int, groups: Int, whole: Bool, groupOf: [Int32],
                                  counts: inout [Int64]) -> [Number?]? {
        var sums: [MixedSum]
        if whole {
            // One sum in a local, not an array element checked for sharing at every row.
            var sum = MixedSum()
            guard sum.add(m, rows: n) else { return nil }
            sums = [sum]
        } else {
            sums = [MixedSum](repeating: MixedSum(), count: groups)
            for r in 0..<n where !m.isNull(r) {
                guard sums[Int(groupOf[r])].add(m, r) else { return nil }
            }
        }
        var totals: [Number?] = []
        totals.reserveCapacity(groups)
        for g in 0..<groups {
            counts[g] = sums[g].count
            guard let t = sums[g].total else { return nil }
            totals.append(t)
        }
        return totals
    }
}
