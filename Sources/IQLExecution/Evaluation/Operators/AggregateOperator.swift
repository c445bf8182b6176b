import IQLCore
import IQLStorage
import IQLLanguage

extension AggregateOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let grouping = try Grouping.make(keys, over: input, env, inKeyOrder: true)
        try env.checkCancelled()
        var order = try grouping.orderByKeys(keys, over: input, env)
        let emptyWhole = keys.isEmpty && grouping.count == 0
        if emptyWhole { order = [0] }
        let groups = emptyWhole ? 1 : grouping.count
        var lazyRows: [[Int]]?
        var results: [AggregateAnswer] = []
        // The kernels' answers, the aggregates split between the cores when there are rows
        // enough to pay for it; each argument's vector is kept for its note on nulls. A
        // kernel's error is thrown in the aggregates' order, after the general path of any
        // aggregate before it, as one after another.
        let calls = aggregates
        let kernels = { @Sendable (index: Int) -> (values: Result<AggregateAnswer?, any Error>, vector: Vector?, nulls: Int?) in
            var vector: Vector?
            var nulls: Int?
            let call = calls[index]
            let fast = Result { () throws -> AggregateAnswer? in
                try env.checkCancelled()
                if let typed = try AggregateKernels.compute(call, grouping, groups: groups, over: input, env) { return typed }
                return try GroupedAggregates.compute(call, grouping, groups: groups, over: input, env,
                                                     evaluated: &vector, nullRows: &nulls)
                    .map(AggregateAnswer.values)
            }
            return (fast, vector, nulls)
        }
        let answers = input.rowCount >= 1 << 16 ? try TwoCores.map(calls.count, kernels) : calls.indices.map(kernels)
        let vectors = answers.map(\.vector)
        var nullCounts = answers.map(\.nulls)
        for (index, call) in aggregates.enumerated() {
            try env.checkCancelled()
            if let fast = try answers[index].values.get() {
                results.append(fast)
                continue
            }
            if lazyRows == nil { lazyRows = emptyWhole ? [[]] : grouping.rowsByGroup() }
            let rows = lazyRows ?? []
            let argument = try call.argument.map { try Evaluating.column($0, over: input, env) }
            // Counted here, so the note on nulls does not evaluate the argument again.
            if let argument { nullCounts[index] = argument.reduce(0) { $0 + ($1.isNull ? 1 : 0) } }
            results.append(.values(try rows.map { groupRows in
                try call.function.compute(argument.map { column in groupRows.map { column[$0] } },
                                          rowCount: groupRows.count, at: call.range)
            }))
        }
        let firsts = emptyWhole ? Table.singleEmptyRow : input.gathering(order.map { grouping.firstRow[$0] })
        // Keys keep their stored form (a group's first row holds its key).
        var columns = try keys.map { try Evaluating.stored($0, over: firsts, env) }
        // An item that is one aggregate is that aggregate's results in key order; any other is
        // evaluated per group, reading the group's aggregates and (for keys) its first row.
        var ctx = RowContext(table: firsts, environment: env)
        for item in items {
            if case .aggregate(let i, _) = item.shape, i < results.count {
                columns.append(results[i].column(in: order))
                continue
            }
            var values: [Value] = []
            values.reserveCapacity(order.count)
            let evaluate = item.evaluate
            for (position, g) in order.enumerated() {
                ctx.row = emptyWhole ? 0 : position
                ctx.aggregates = results.map { $0.value(g) }
                values.append(try evaluate(ctx))
            }
            columns.append(Column(values))
        }
        var table = Table(schema: schema, columns: columns, rowCount: order.count)
        table.notes = try nullNotes(input, env, grouped: !keys.isEmpty, vectors: vectors, nullCounts: nullCounts)
        return table
    }

    /// A note for each aggregate that left out null values, so an average over 148 of 153
    /// councils does not pass for one over all of them.
    private func nullNotes(_ input: Table, _ env: RuntimeEnvironment, grouped: Bool, vectors: [Vector?],
                           nullCounts: [Int?]) throws -> [ResultNote] {
        var notes: [ResultNote] = []
        let n = input.rowCount
        for (index, call) in aggregates.enumerated() where call.function.skipsNullValues {
            guard let argument = call.argument else { continue }
            let nulls: Int
            if case .column(let i) = argument.shape {
                nulls = input.columns[i].nullCount
            } else if index < nullCounts.count, let counted = nullCounts[index] {
                nulls = counted
            } else if index < vectors.count, let vector = vectors[index] {
                nulls = vector.nullCount(count: n)
            } else if env.vectorised {
                nulls = try VectorEvaluator(table: input, environment: env).evaluate(argument).nullCount(count: n)
            } else {
                let values = try Evaluating.column(argument, over: input, env)
                nulls = values.reduce(0) { $0 + ($1.isNull ? 1 : 0) }
            }
            guard nulls > 0 else { continue }
            let name = call.text.isEmpty ? call.function.rawValue : call.text
            let what = nulls == 1 ? "1 is null" : "\(nulls.formatted) are null"
            notes.append(ResultNote(.nullsLeftOut, grouped ? "\(name) leaves out null values: \(what), of \(n.formatted) rows"
                                                           : "\(name) is over \((n - nulls).formatted) of \(n.formatted) rows: \(what)",
                                    counts: ["nulls": nulls, "rows": n]))
        }
        return notes
    }
}

extension Int {
    /// With thousands separated by commas, as the notes under tables write counts.
    package var formatted: String {
        let digits = String(magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (self < 0 ? "-" : "") + out
    }
}

/// Aggregates computed in one pass over typed storage, by group number.
package enum AggregateKernels {
    package static func compute(_ call: AggregateCall, _ grouping: Grouping, groups: Int, over table: Table,
                        _ env: RuntimeEnvironment) throws -> AggregateAnswer? {
        let n = table.rowCount
        switch (call.function, call.argument) {
        case (.count, nil) where grouping.whole:
            return .values([.int(Int64(n))])
        case (.count, let condition?) where grouping.whole:
            return .values([.int(Int64(try Truth.of(condition, over: table, env).trueCount))])
        case (.count, nil):
            var counts = [Int64](repeating: 0, count: groups)
            for g in grouping.groupOf { counts[Int(g)] += 1 }
            return .integers(counts, present: nil)
        case (.count, let condition?):
            let truth = try Truth.of(condition, over: table, env)
            var counts = [Int64](repeating: 0, count: groups)
            truth.forEachTrueRow { counts[Int(grouping.groupOf[$0])] += 1 }
            return .integers(counts, present: nil)
        case (.sum, let argument?), (.avg, let argument?), (.min, let argument?), (.max, let argument?):
            guard case .column(let i) = argument.shape, case .int64(let values, let nulls) = table.columns[i].storage else {
                return nil
            }
            let column = table.columns[i]
            if grouping.whole && groups == 0 { return nil }
            if grouping.whole, column.selection == nil, let whole = wholeColumn(values, nulls, rows: n, extremes: call.function == .min || call.function == .max) {
                if whole.count == 0 { return .values([.null]) }
                switch call.function {
                case .sum: return .values([.int(whole.sum)])
                case .min: return .values([.int(whole.low)])
                case .max: return .values([.int(whole.high)])
                default: return .values([.number(try Operations.numeric(.divide, .int(whole.sum), .int(whole.count), at: call.range))])
                }
            }
            // Nil on overflow: the general path then reports it with the call's range.
            guard let (sums, counts, lows, highs) = GroupedIntegers.accumulate(
                values, nulls, column: column, groupOf: grouping.whole ? nil : grouping.groupOf, groups: groups,
                sum: call.function == .sum || call.function == .avg, low: call.function == .min, high: call.function == .max
            ) else { return nil }
            switch call.function {
            case .sum: return .integers(sums, present: counts)
            case .min: return .integers(lows, present: counts)
            case .max: return .integers(highs, present: counts)
            default:
                return .values(try (0..<groups).map { g in
                    if counts[g] == 0 { return .null }
                    return .number(try Operations.numeric(.divide, .int(sums[g]), .int(counts[g]), at: call.range))
                })
            }
        case (.median, let argument?):
            return try median(call, argument, grouping, groups: groups, over: table, env).map(AggregateAnswer.values)
        default:
            return nil
        }
    }

    /// Sum, count, least and greatest of a whole stored column of whole numbers, in plain loops
    /// the compiler can vectorise. The sum is over every stored word, then less the null rows'
    /// (read from the mask's set bits), so nulls cost nothing where there are none and little
    /// where there are: a 64-row block holding one null made a per-row loop with a branch a row
    /// (most blocks, at 2% nulls; half of `m_derive_numbers`). Least and greatest, only when
    /// `extremes`, run over the stretches between null rows.
    /// Nil where some partial sum might overflow (the row-at-a-time path then reports it);
    /// below that bound no partial sum can, so the answer is the one row by row would give.
    package static func wholeColumn(_ values: PackedInts, _ nulls: NullMask?, rows n: Int, extremes: Bool)
        -> (sum: Int64, count: Int64, low: Int64, high: Int64)? {
        let base = values.base
        // Every value lies within |base| + 2^(bits-1) of zero (64-bit words: anywhere).
        guard values.width < 8 else { return nil }
        let reach = base.magnitude.addingReportingOverflow(UInt64(1) << UInt64(values.width * 8 - 1))
        guard !reach.overflow, reach.partialValue <= UInt64(Int64.max),
              !Int64(reach.partialValue).multipliedReportingOverflow(by: Int64(max(n, 1))).overflow else { return nil }
        func run<T: FixedWidthInteger>(_ a: [T]) -> (sum: Int64, count: Int64, low: Int64, high: Int64) {
            let stored = a.prefix(n)
            var sum: Int64 = 0
            for v in stored { sum &+= Int64(v) }
            var count = stored.count
            // Each null row's word is taken back out: the bound holds for every word, null or not.
            nulls?.forEachRow(below: stored.count) { r in
                sum &-= Int64(stored[r])
                count -= 1
            }
            var low = T.max, high = T.min
            if extremes {
                func scan(_ range: Range<Int>) {
                    var l = low, h = high
                    for v in stored[range] {
                        l = min(l, v)
                        h = max(h, v)
                    }
                    low = l
                    high = h
                }
                var from = 0
                nulls?.forEachRow(below: stored.count) { r in
                    if r > from { scan(from..<r) }
                    from = r &+ 1
                }
                if from < stored.count { scan(from..<stored.count) }
            }
            // The bound above keeps count × base + sum within range.
            return (sum &+ base &* Int64(count), Int64(count), base &+ Int64(low), base &+ Int64(high))
        }
        return values.visit(run, run, run, run)
    }

    /// Each group's median of exact numbers, from the argument's vector: rows placed by group
    /// (a counting sort), each group's mantissas sorted as integers. Nil for doubles or mixed
    /// numbers, which the general path sorts as values.
    private static func median(_ call: AggregateCall, _ argument: CompiledExpression, _ grouping: Grouping, groups: Int,
                               over table: Table, _ env: RuntimeEnvironment) throws -> [Value]? {
        guard env.vectorised, groups > 0 else { return nil }
        let n = table.rowCount
        let vector = try VectorEvaluator(table: table, environment: env).evaluate(argument)
        guard let (operand, scale, nulls) = VectorEvaluator.exact(vector), case .array(let values) = operand else { return nil }
        func group(_ r: Int) -> Int { grouping.whole ? 0 : Int(grouping.groupOf[r]) }
        var starts = [Int](repeating: 0, count: groups + 1)
        for r in 0..<n where !(nulls?.contains(r) ?? false) { starts[group(r) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var placed = [Int64](repeating: 0, count: starts[groups])
        var next = starts
        for r in 0..<n where !(nulls?.contains(r) ?? false) {
            let g = group(r)
            placed[next[g]] = values[r]
            next[g] += 1
        }
        try env.checkCancelled()
        func number(_ m: Int64) -> Number { Number.exact(m, scale: scale) ?? .double(VectorEvaluator.decimalDouble(m, scale: scale)) }
        var out: [Value] = []
        out.reserveCapacity(groups)
        for g in 0..<groups {
            let lo = starts[g], count = starts[g + 1] - lo
            guard count > 0 else { out.append(.null); continue }
            // Only the middle one or two are needed: selected in place, in linear time.
            let upper = lo + count / 2
            Self.select(&placed, upper, in: lo..<(lo + count))
            var lower = upper
            if count % 2 == 0 {
                // The largest of the half below the middle is the other middle value.
                lower = lo
                for i in lo..<upper where placed[i] > placed[lower] { lower = i }
            }
            let middle = [placed[lower], placed[upper]]
            out.append(try Aggregate.median(count: count, at: call.range) { k in
                number(k == count / 2 ? middle[1] : middle[0])
            })
        }
        return out
    }

    /// Moves the `k`th smallest of `a[range]` to `a[k]`, smaller ones before it and larger after
    /// (quickselect, median-of-three pivots; a range that keeps splitting badly is sorted).
    package static func select(_ a: inout [Int64], _ k: Int, in range: Range<Int>) {
        var lo = range.lowerBound, hi = range.upperBound - 1
        var rounds = 0
        while lo < hi {
            rounds += 1
            if rounds > 64 {
                a[lo...hi].sort()
                return
            }
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}

/// One aggregate's answer for every group: values, or from a kernel over stored whole
/// numbers the column `Column(values)` would make, built without a `Value` a group (a
/// million groups' values were a fifth of `summarize sum(x) by urn` over 4M rows).
package enum AggregateAnswer: Sendable {
    case values([Value])
    case column(Column)

    /// Whole numbers by group, null where `present` (each group's count of values) is 0.
    /// The column `Column(values)` makes from the same values: packed integers and a null
    /// mask, or boxed nulls when every group is null.
    package static func integers(_ numbers: [Int64], present: [Int64]?) -> AggregateAnswer {
        // No groups: Column(values) holds no values as boxed.
        if numbers.isEmpty { return .values([]) }
        guard let present else {
            return .column(Column(storage: .int64(PackedInts(numbers), nulls: nil), count: numbers.count))
        }
        var out = numbers
        var nulls: NullMask?
        for g in out.indices where g >= present.count || present[g] == 0 {
            if nulls == nil { nulls = NullMask(count: out.count) }
            nulls?.insert(g)
            out[g] = 0
        }
        if let nulls, nulls.count(below: out.count) == out.count {
            return .values([Value](repeating: .null, count: out.count))
        }
        return .column(Column(storage: .int64(PackedInts(out), nulls: nulls), count: out.count))
    }

    package func value(_ g: Int) -> Value {
        switch self {
        case .values(let v): return v[g]
        case .column(let c): return c[g]
        }
    }

    /// The groups' answers in `order`.
    package func column(in order: [Int]) -> Column {
        switch self {
        case .values(let v): return Column(order.map { v[$0] })
        case .column(let c):
            if order.count == c.count, order.indices.allSatisfy({ order[$0] == $0 }) { return c }
            return c.gathering(Selection(order))
        }
    }
}
