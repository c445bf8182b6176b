import IQLCore
import IQLStorage
import IQLLanguage
/// A condition evaluated over a whole table: one bit a row for "true" and one for "null"
/// (neither means false), so `and`, `or` and `not` keep SQL's three-valued logic as word-wide
/// bit operations.
package struct Truth {
    package var isTrue: [UInt64]
    package var isNull: [UInt64]
    package let count: Int

    package init(count: Int) {
        self.count = count
        // Two arrays of their own: one shared would be copied at the first null set.
        isTrue = Array(repeating: 0, count: (count + 63) >> 6)
        isNull = Array(repeating: 0, count: (count + 63) >> 6)
    }

    /// The rows where the condition is true, in order.
    package var trueRows: [Int] {
        var rows: [Int] = []
        rows.reserveCapacity(trueCount)
        forEachTrueRow { rows.append($0) }
        return rows
    }

    package var trueCount: Int { isTrue.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Calls `body` with each row where the condition is true, in order, without collecting them.
    package func forEachTrueRow(_ body: (Int) -> Void) {
        for (w, word) in isTrue.enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                body(w << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    @inline(__always)
    package mutating func set(_ row: Int, _ v: UInt8) {
        // v: 0 false, 1 true, 2 null
        if v == 1 { isTrue[row >> 6] |= 1 << UInt64(row & 63) } else if v == 2 { isNull[row >> 6] |= 1 << UInt64(row & 63) }
    }

    /// Sets every row's bits from a per-code answer (0 false, 1 true, 2 null): `base` is added
    /// to each stored code to give the index into `answers`. The loop is `BitWords.lookUp`.
    package mutating func fill<C: BinaryInteger & Sendable>(_ codes: [C], _ answers: [UInt8], base codeBase: Int = 0) {
        let (trues, nulls) = BitWords.lookUp(codes, answers, base: codeBase)
        if codes.count == count {
            isTrue = trues
            isNull = nulls
            return
        }
        // Fewer or more codes than rows: the rows both have, and the last word cut at the row count.
        let words = min(isTrue.count, trues.count)
        for w in 0..<words {
            isTrue[w] = trues[w]
            isNull[w] = nulls[w]
        }
        if words == isTrue.count, words > 0 {
            isTrue[words - 1] &= tailMask
            isNull[words - 1] &= tailMask
        }
    }

    /// Gives the rows of `mask` the answer `v` (0 false, 1 true, 2 null), whatever they had.
    package mutating func overwrite(_ mask: NullMask, with v: UInt8) {
        let words = min(isTrue.count, mask.words.count)
        for w in 0..<words {
            var bits = mask.words[w]
            if w == isTrue.count - 1 { bits &= tailMask }
            isTrue[w] &= ~bits
            isNull[w] &= ~bits
            if v == 1 { isTrue[w] |= bits } else if v == 2 { isNull[w] |= bits }
        }
    }

    /// Makes `words` the true bits (rows past `count` dropped), nulls unchanged.
    package mutating func setTrue(words: [UInt64]) {
        if words.count == isTrue.count {
            isTrue = words
        } else {
            for w in 0..<min(words.count, isTrue.count) { isTrue[w] = words[w] }
        }
        if let last = isTrue.indices.last { isTrue[last] &= tailMask }
    }

    /// Bits past the last row, cleared so complements stay within the table.
    package var tailMask: UInt64 {
        let r = count & 63
        return r == 0 ? ~0 : (1 << UInt64(r)) - 1
    }

    private func isFalse(_ w: Int) -> UInt64 {
        var f = ~isTrue[w] & ~isNull[w]
        if w == isTrue.count - 1 { f &= tailMask }
        return f
    }

    // The operators write into their left operand, which the caller gives up: no new arrays.

    package static func and(_ a: consuming Truth, _ b: Truth) -> Truth {
        var out = a
        for w in out.isTrue.indices {
            let t = out.isTrue[w] & b.isTrue[w]
            let f = out.isFalse(w) | b.isFalse(w)
            out.isNull[w] = (out.isNull[w] | b.isNull[w]) & ~f & ~t
            out.isTrue[w] = t
        }
        return out
    }

    package static func or(_ a: consuming Truth, _ b: Truth) -> Truth {
        var out = a
        for w in out.isTrue.indices {
            let t = out.isTrue[w] | b.isTrue[w]
            out.isNull[w] = (out.isNull[w] | b.isNull[w]) & ~t
            out.isTrue[w] = t
        }
        return out
    }

    package static func not(_ a: consuming Truth) -> Truth {
        var out = a
        for w in out.isTrue.indices {
            out.isTrue[w] = out.isFalse(w)
        }
        return out
    }
}

extension Truth {
    /// Evaluates a condition over every row of a table, a column at a time: stored columns
    /// compared with a constant straight from their storage, everything else through
    /// `VectorEvaluator`. The result (errors included) equals evaluating it at each row.
    package static func of(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) throws -> Truth {
        let n = table.rowCount
        guard env.vectorised else { return try rowByRow(e, over: table, env) }
        if let t = byDistinctValues(e, over: table, env) { return t }
        if BlockEvaluation.applies(e, over: table) { return try BlockEvaluation.truth(e, over: table, env) }
        // Made only where a case needs it: most filters are answered from storage, and a copy
        // of the table and environment per condition cost more than some of them.
        var vectors: VectorEvaluator { VectorEvaluator(table: table, environment: env) }
        switch e.shape {
        case .and(let a, let b) where e.constant == nil:
            let left = try of(a, over: table, env)
            let right = b.mayFail ? try gated(b, at: left.notFalseRows, over: table, env) : try of(b, over: table, env)
            return and(left, right)
        case .or(let a, let b) where e.constant == nil:
            let left = try of(a, over: table, env)
            let right = b.mayFail ? try gated(b, at: left.notTrueRows, over: table, env) : try of(b, over: table, env)
            return or(left, right)
        case .not(let a) where e.constant == nil:
            return not(try of(a, over: table, env))
        case .isNull(let a, let negated) where e.constant == nil:
            var out = Truth(count: n)
            if case .column(let i) = a.shape, table.columns.indices.contains(i) {
                let column = table.columns[i]
                for r in 0..<n where column.isNull(r) != negated { out.set(r, 1) }
            } else {
                let v = try vectors.evaluate(a)
                for r in 0..<n where v.isNull(at: r) != negated { out.set(r, 1) }
            }
            return out
        case .compare(let op, let a, let b) where e.constant == nil:
            if case .column(let i) = a.shape, case .constant(let v) = b.shape, table.columns.indices.contains(i),
               let t = try compare(table.columns[i], op, v, env) { return t }
            if case .constant(let v) = a.shape, case .column(let i) = b.shape, table.columns.indices.contains(i),
               let t = try compare(table.columns[i], op.flipped, v, env) { return t }
            return try vectors.compare(op, a, b)
        case .inList(let a, let items, let negated) where e.constant == nil:
            if case .column(let i) = a.shape, table.columns.indices.contains(i),
               let t = textMembership(table.columns[i], items, negated: negated) {
                return t
            }
            if case .column(let i) = a.shape, table.columns.indices.contains(i),
               let t = byDistinctValue(table.columns[i], { Operations.member($0, of: items, negated: negated) }) {
                return t
            }
            let v = try vectors.evaluate(a)
            if let t = VectorEvaluator.perValue(v, count: n, { Operations.member($0, of: items, negated: negated) }) { return t }
            var out = Truth(count: n)
            for r in 0..<n { out.set(r, VectorEvaluator.code(Operations.member(v.value(at: r), of: items, negated: negated))) }
            return out
        default:
            return try vectors.evaluate(e).truth(count: n)
        }
    }

    /// A condition evaluated only at the rows that need it (for `and`, where the left side is
    /// not false), as row-by-row evaluation would; the other rows come out false.
    private static func gated(_ e: CompiledExpression, at rows: [Int], over table: Table, _ env: RuntimeEnvironment) throws -> Truth {
        if rows.count == table.rowCount { return try of(e, over: table, env) }
        let inner = try of(e, over: table.gathering(rows), env)
        var out = Truth(count: table.rowCount)
        for (k, r) in rows.enumerated() {
            if inner.isTrueAt(k) { out.set(r, 1) } else if inner.isNullAt(k) { out.set(r, 2) }
        }
        return out
    }

    private static func rowByRow(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) throws -> Truth {
        var out = Truth(count: table.rowCount)
        let values = try Evaluating.rowByRow(e, over: table, env)
        for (r, v) in values.enumerated() {
            switch v {
            case .bool(true): out.set(r, 1)
            case .null: out.set(r, 2)
            default: break
            }
        }
        return out
    }

    private static func compare(_ column: Column, _ op: BinaryOperator, _ v: Value, _ env: RuntimeEnvironment) throws -> Truth? {
        if let t = textEquality(column, op, v) { return t }
        if let t = byDistinctValue(column, { Operations.compare(op, $0, v) }) { return t }
        let n = column.count
        var out = Truth(count: n)
        func fill(_ values: PackedInts, _ nulls: NullMask?, _ k: Int64) {
            let test = op.test(against: k)
            let base = values.base
            // Fills its own Truth rather than a captured one, which would be boxed.
            func run<T: FixedWidthInteger>(_ a: [T]) -> Truth {
                if column.selection == nil, a.count == n {
                    // The constant moved into the stored words' terms, compared a word at a time
                    // by the branch-free kernel; beyond the words' range, one answer for all.
                    let (d, o) = k.subtractingReportingOverflow(base)
                    if !o, let kt = T(exactly: d) { return VectorEvaluator.fill(n, op, .array(a), .scalar(kt), nulls) }
                    // k lies outside base + T's range, so every stored word (a null row's too)
                    // is on the same side of it as the first.
                    var t = Truth(count: n)
                    if let first = a.first, test(base &+ Int64(first)) { t.setAll(1) }
                    if let nulls { t.overwrite(nulls, with: 2) }
                    return t
                }
                var t = Truth(count: n)
                for r in 0..<n {
                    let p = column.physical(r)
                    if let nulls, nulls.contains(p) { t.set(r, 2) } else if test(base &+ Int64(a[p])) { t.set(r, 1) }
                }
                return t
            }
            out = values.visit(run, run, run, run)
        }
        switch (column.storage, v) {
        case (.int64(let values, let nulls), .number(.int(let k))):
            fill(values, nulls, k)
        case (.date(let values, let nulls), .date(let d)):
            fill(values, nulls, Int64(d.ordinal))
        default:
            return nil
        }
        return out
    }

    /// A text column `==` or `!=` a text constant: the dictionary's strings compared with it
    /// directly (no `Value` per entry), then each row looks its code's answer up.
    private static func textEquality(_ column: Column, _ op: BinaryOperator, _ v: Value) -> Truth? {
        guard op == .eq || op == .ne, case .text(let s) = v, case .text(_, let dictionary) = column.storage else { return nil }
        // One search: the first matching code, and any others (two entries equal by Swift's
        // `==`, composed and decomposed accents) apart, so the usual case allocates nothing.
        var first: Int?, others: [Int] = []
        dictionary.forEachCode(equalTo: s) { code in
            if first == nil { first = code } else { others.append(code) }
        }
        if others.isEmpty, column.selection == nil, case .text(let codes, _) = column.storage, codes.count == column.count {
            return codeEquality(codes, code: first, negated: op == .ne)
        }
        let equal: UInt8 = op == .eq ? 1 : 0
        var answers = [UInt8](repeating: 1 - equal, count: dictionary.strings.count)
        answers[0] = 2
        for code in (first.map { [$0] } ?? []) + others { answers[code] = equal }
        return byTextCode(column, answers)
    }

    /// Rows whose stored code is `code` (`negated`: is not), null where the code is 0, for a
    /// text equal to at most one dictionary entry (nil: none): each row's code is compared, not
    /// looked up in a table of answers, so the loop vectorises (a tenth of the look-up's
    /// instructions a row).
    package static func codeEquality(_ codes: PackedInts, code: Int?, negated: Bool) -> Truth {
        let n = codes.count
        // Codes are stored less the base: one that does not fit the words no row holds.
        let nullWord = (0 as Int64).subtractingReportingOverflow(codes.base)
        let matchWord = code.map { Int64($0).subtractingReportingOverflow(codes.base) }
        func run<T: FixedWidthInteger>(_ a: [T]) -> Truth {
            var t = Truth(count: n)
            let z = nullWord.overflow ? nil : T(exactly: nullWord.partialValue)
            let k = matchWord.flatMap { $0.overflow ? nil : T(exactly: $0.partialValue) }
            // With no row null, the null test repeats the match test and its bits are dropped;
            // with no row matching, the match test repeats the null test and null wins.
            guard let first = k ?? z else {
                if negated { t.setAll(1) }
                return t
            }
            let kk = k ?? first, zz = z ?? first
            let keepsNulls = z != nil, matchesAny = k != nil
            let (eq, null) = BitWords.equal(a, kk, zz)
            for w in 0..<min(t.isTrue.count, eq.count) {
                let rows: UInt64 = w == t.isTrue.count - 1 ? t.tailMask : ~0
                let e = matchesAny ? eq[w] : 0, z = keepsNulls ? null[w] : 0
                t.isTrue[w] = (negated ? ~e & rows : e) & ~z
                t.isNull[w] = z
            }
            return t
        }
        return codes.visit(run, run, run, run)
    }

    /// A text column `in` a list of texts (and nulls), with SQL's rules: true where the row's
    /// text is listed; otherwise null if the list holds a null, else false (`not in` the
    /// opposite); null rows null. A lookup per listed text, not a pass over the list per entry.
    private static func textMembership(_ column: Column, _ items: [Value], negated: Bool) -> Truth? {
        guard case .text(_, let dictionary) = column.storage else { return nil }
        var texts: [String] = []
        texts.reserveCapacity(items.count)
        var sawNull = false
        for item in items {
            switch item {
            case .text(let s): texts.append(s)
            case .null: sawNull = true
            default: return nil
            }
        }
        let listed: UInt8 = negated ? 0 : 1
        var answers = [UInt8](repeating: sawNull ? 2 : 1 - listed, count: dictionary.strings.count)
        answers[0] = 2
        for code in dictionary.codes(equalTo: texts) { answers[code] = listed }
        return byTextCode(column, answers)
    }

    /// Each row of a text column given its code's answer (0 false, 1 true, 2 null; code 0 is null).
    package static func byTextCode(_ column: Column, _ answers: [UInt8]) -> Truth? {
        guard case .text(let codes, _) = column.storage else { return nil }
        let n = column.count
        let base = Int(codes.base), selection = column.selection
        // Fills its own Truth rather than a captured one, which would be boxed.
        func run<T: FixedWidthInteger & Sendable>(_ a: [T]) -> Truth {
            var t = Truth(count: n)
            if let selection {
                for r in 0..<n { t.set(r, answers[base + Int(a[selection.rows[r]])]) }
            } else {
                t.fill(a, answers, base: base)
            }
            return t
        }
        return codes.visit(run, run, run, run)
    }

    /// For columns with few distinct values (text, ratings, true/false): the condition is
    /// computed once per distinct value, then each row looks its answer up.
    private static func byDistinctValue(_ column: Column, _ test: (Value) -> Value) -> Truth? {
        let n = column.count
        var out = Truth(count: n)
        func encode(_ v: Value) -> UInt8 {
            switch v {
            case .bool(true): return 1
            case .null: return 2
            default: return 0
            }
        }
        switch column.storage {
        case .text(_, let dictionary):
            let answers = dictionary.strings.indices.map { code in encode(test(code == 0 ? .null : .text(dictionary.strings[code]))) }
            return byTextCode(column, answers)
        case .rating(let values):
            let answers = (0...4).map { raw in encode(test(Rating(rawValue: Int8(raw)).map(Value.rating) ?? .null)) }
            if column.selection == nil {
                out.fill(values, answers)
            } else {
                for r in 0..<n { out.set(r, answers[Int(values[column.physical(r)])]) }
            }
        case .bool(let values):
            let answers = [encode(test(.null)), encode(test(.bool(false))), encode(test(.bool(true)))]
            for r in 0..<n { out.set(r, answers[Int(values[column.physical(r)])]) }
        default:
            return nil
        }
        return out
    }
}

extension BinaryOperator {
    /// The operator with its sides swapped: `5 < x` is `x > 5`.
    package var flipped: BinaryOperator {
        switch self {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return self
        }
    }

    /// The comparison `value OP k` as a test on stored values of one type.
    package func test<T: Comparable>(against k: T) -> (T) -> Bool {
        switch self {
        case .eq: return { $0 == k }
        case .ne: return { $0 != k }
        case .lt: return { $0 < k }
        case .le: return { $0 <= k }
        case .gt: return { $0 > k }
        default: return { $0 >= k }
        }
    }
}
