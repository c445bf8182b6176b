import IQLCore
import IQLStorage
import IQLLanguage
/// Evaluates an expression over a large table a block of rows at a time, each block by the
/// same vector evaluator, and joins the blocks' answers. Over whole columns, every node of
/// `pupils * fsm_percent / 100 > 200` makes a vector as long as the table (8 MB a node over 1M
/// rows), fresh memory the kernel must fault in and clear; a block's vectors stay in the
/// caches and their memory is reused from block to block.
///
/// The answer is the one the whole-column evaluation gives: every node is a function of its
/// row alone (no window, no aggregate), and blocks run in row order, so where a row fails the
/// error is that of the first failing row, as row by row.
package enum BlockEvaluation {
    /// Rows a block: a multiple of 64, so null masks and truths split on word boundaries, and
    /// small enough that a block's vectors of 64-bit numbers (128 KB each) stay in a core's
    /// 1 MB second-level cache. Blocks of 4,096 rows (32 KB vectors) paid
    /// their fixed costs (slices, allocations, a distinct-value table, a slot) 4x as often:
    /// measured over 1M and 4M rows, `pct_change(pupils, fsm_percent * 10)` then `avg` 9.4 ms
    /// to 8.5 and 43 to 34, `where pupils * fsm_percent / 100 > 200` 2.9 to 2.4 and 17 to 9.7;
    /// 32,768 and 65,536 rows measured the same as 16,384, and would leave more tables whole.
    package static let rows = 16384

    /// Whether `e` is worth evaluating block by block over `table`: the table spans several
    /// blocks, and some node does arithmetic or a call over two or more columns (a node over
    /// one column is answered once per distinct value over the whole table, which blocks would
    /// undo). Text columns are left whole: their functions run once per dictionary entry.
    package static func applies(_ e: CompiledExpression, over table: Table) -> Bool {
        guard table.rowCount >= 4 * rows, e.constant == nil, !e.readsWindow, e.hasWork else { return false }
        switch e.shape {
        // Each side of a condition chooses for itself: `if(pupils > 500, fsm_percent, 0) > 30
        // or coalesce(pupils, 0) == 0` blocks its left side and answers its right once per
        // distinct value of `pupils` (blocked as a whole, it took 83 ms over 1M rows, not 36).
        case .and, .or, .not: return false
        default: break
        }
        guard let (read, multiColumnWork) = survey(e), multiColumnWork else { return false }
        for i in read {
            guard table.columns.indices.contains(i) else { return false }
            switch table.columns[i].storage {
            case .text, .boxed: return false
            default: continue
            }
        }
        return true
    }

    /// The columns `e` reads, and whether a node doing work reads two or more of them; nil
    /// for a tree that must see the whole table (an aggregate, a window).
    private static func survey(_ e: CompiledExpression) -> (read: Set<Int>, multiColumnWork: Bool)? {
        var read = Set<Int>()
        var found = false
        func merge(_ children: [CompiledExpression]) -> Bool {
            for c in children {
                guard let (r, f) = survey(c) else { return false }
                read.formUnion(r)
                found = found || f
            }
            return true
        }
        switch e.shape {
        case .column(let i): read.insert(i)
        case .constant, .binding: break
        case .aggregate, .window: return nil
        case .arithmetic(_, let a, let b):
            guard merge([a, b]) else { return nil }
            if read.count >= 2 { found = true }
        case .call(_, let args):
            guard merge(args) else { return nil }
            if read.count >= 2 { found = true }
        case .negate(let a), .not(let a), .isNull(let a, _), .inList(let a, _, _):
            guard merge([a]) else { return nil }
        case .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .member(let a, of: let b, _):
            guard merge([a, b]) else { return nil }
        case .list(let items):
            guard merge(items) else { return nil }
        }
        return (read, found)
    }

    /// The blocks' row ranges, in order.
    private static func ranges(_ n: Int) -> [Range<Int>] {
        stride(from: 0, to: n, by: rows).map { $0..<min($0 + rows, n) }
    }

    /// The columns `e` reads (sliced for each block; the others are left empty, as `e` never
    /// looks at them) and the blocks' row ranges.
    static func plan(_ e: CompiledExpression, _ table: Table) -> (read: Set<Int>, ranges: [Range<Int>]) {
        var read = Set<Int>()
        e.addColumns(to: &read)
        return (read, ranges(table.rowCount))
    }

    /// A condition's truth, block by block, the blocks split between the cores in two runs
    /// (`TwoCores`: the first failing block's error, as one after another).
    package static func truth(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) throws -> Truth {
        let (read, ranges) = plan(e, table)
        let parts = try TwoCores.map(ranges.count) { k in
            try env.checkCancelled()
            return try Truth.of(e, over: table.block(ranges[k], columns: read), env)
        }
        var out = Truth(count: table.rowCount)
        for (range, part) in zip(ranges, parts) { out.place(part, at: range.lowerBound) }
        return out
    }

    /// An expression's values as a stored column, block by block, split between the cores.
    package static func column(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) throws -> Column {
        let (read, ranges) = plan(e, table)
        let parts = try TwoCores.map(ranges.count) { k in
            try env.checkCancelled()
            return try VectorEvaluator(table: table.block(ranges[k], columns: read), environment: env).evaluate(e)
        }
        return Vector.joined(parts, counts: ranges.map(\.count)).column(count: table.rowCount)
    }
}

extension Table {
    /// Rows `range` as a table of their own: the columns in `used` sliced, the others empty.
    package func block(_ range: Range<Int>, columns used: Set<Int>) -> Table {
        let empty = Column(storage: .boxed([]), count: 0)
        let columns = self.columns.indices.map { used.contains($0) ? self.columns[$0].rows(range) : empty }
        return Table(schema: schema, columns: columns, rowCount: range.count)
    }
}

extension Column {
    /// Rows `range` (starting at a multiple of 64) as a column of their own.
    package func rows(_ range: Range<Int>) -> Column {
        if let selection {
            return Column(viewing: self, count: range.count, selection: Selection(Array(selection.rows[range])))
        }
        let n = range.count
        switch storage {
        case .boxed(let v): return Column(storage: .boxed(Array(v[range])), count: n)
        case .int64(let p, let m): return Column(storage: .int64(p.slice(range), nulls: m?.slice(range)), count: n)
        case .decimal(let p, let scale, let m):
            return Column(storage: .decimal(p.slice(range), scale: scale, nulls: m?.slice(range)), count: n)
        case .double(let v, let m): return Column(storage: .double(Array(v[range]), nulls: m?.slice(range)), count: n)
        case .text(let p, let dictionary): return Column(storage: .text(p.slice(range), dictionary), count: n)
        case .date(let p, let m): return Column(storage: .date(p.slice(range), nulls: m?.slice(range)), count: n)
        case .rating(let v): return Column(storage: .rating(Array(v[range])), count: n)
        case .bool(let v): return Column(storage: .bool(Array(v[range])), count: n)
        case .numbers(let m): return Column(storage: .numbers(m.slice(range)), count: n)
        }
    }
}

extension PackedInts {
    /// Values `range`, at the same width and base.
    package func slice(_ range: Range<Int>) -> PackedInts {
        PackedInts(base: base, words: visit({ .i8(Array($0[range])) }, { .i16(Array($0[range])) },
                                            { .i32(Array($0[range])) }, { .i64(Array($0[range])) }))
    }
}


extension Truth {
    /// Copies `part` (a block's truth) into rows from `start`, a multiple of 64.
    package mutating func place(_ part: Truth, at start: Int) {
        let w = start >> 6
        for k in part.isTrue.indices where w + k < isTrue.count {
            isTrue[w + k] = part.isTrue[k]
            isNull[w + k] = part.isNull[k]
        }
    }
}

extension Vector {
    /// Blocks' vectors (of `counts` rows each) as one, typed where every block has the same
    /// type (and scale), as values otherwise.
    package static func joined(_ parts: [Vector], counts: [Int]) -> Vector {
        let total = counts.reduce(0, +)
        func masks(_ pick: (Vector) -> NullMask??) -> NullMask?? {
            var out: NullMask?
            var start = 0
            for (part, n) in zip(parts, counts) {
                guard let m = pick(part) else { return nil }
                if let m {
                    if out == nil { out = NullMask(count: total) }
                    out?.place(m, at: start)
                }
                start += n
            }
            return .some(out)
        }
        func all<E>(_ pick: (Vector) -> [E]?) -> [E]? {
            var out: [E] = []
            out.reserveCapacity(total)
            for part in parts {
                guard let a = pick(part) else { return nil }
                out.append(contentsOf: a)
            }
            return out
        }
        switch parts.first {
        case .ints?:
            if let a = all({ if case .ints(let a, _) = $0 { a } else { nil } }),
               let m = masks({ if case .ints(_, let m) = $0 { .some(m) } else { nil } }) { return .ints(a, m) }
        case .decimals(_, let scale, _)?:
            if let a = all({ if case .decimals(let a, scale, _) = $0 { a } else { nil } }),
               let m = masks({ if case .decimals(_, scale, let m) = $0 { .some(m) } else { nil } }) {
                return .decimals(a, scale: scale, m)
            }
        case .doubles?:
            if let a = all({ if case .doubles(let a, _) = $0 { a } else { nil } }),
               let m = masks({ if case .doubles(_, let m) = $0 { .some(m) } else { nil } }) { return .doubles(a, m) }
        case .dates?:
            if let a = all({ if case .dates(let a, _) = $0 { a } else { nil } }),
               let m = masks({ if case .dates(_, let m) = $0 { .some(m) } else { nil } }) { return .dates(a, m) }
        case .ratings?:
            if let a = all({ if case .ratings(let a) = $0 { a } else { nil } }) { return .ratings(a) }
        case .bools?:
            if parts.allSatisfy({ if case .bools = $0 { true } else { false } }) {
                var t = Truth(count: total)
                var start = 0
                for (part, n) in zip(parts, counts) {
                    if case .bools(let b) = part { t.place(b, at: start) }
                    start += n
                }
                return .bools(t)
            }
        default:
            break
        }
        // Number blocks of different kinds (one block all exact, the next with a double): each
        // row keeps its own, as row by row.
        if parts.count > 1 {
            var pieces: [MixedNumbers] = []
            for (part, n) in zip(parts, counts) {
                guard let m = MixedNumbers(part, count: n) else { break }
                pieces.append(m)
            }
            if pieces.count == parts.count { return .numbers(MixedNumbers(joining: pieces)) }
        }
        var values: [Value] = []
        values.reserveCapacity(total)
        for (part, n) in zip(parts, counts) { values.append(contentsOf: part.values(count: n)) }
        return .values(values)
    }
}
