import IQLCore
import IQLStorage
import IQLLanguage
extension VectorEvaluator {
    /// A comparison of two expressions at every row, with SQL's nulls.
    package func compare(_ op: BinaryOperator, _ a: CompiledExpression, _ b: CompiledExpression) throws -> Truth {
        compare(op, try evaluate(a), try evaluate(b))
    }

    package func compare(_ op: BinaryOperator, _ x: Vector, _ y: Vector) -> Truth {
        let n = count
        if case .constant(let v) = y, let t = compareWithConstant(op, x, v) { return t }
        if case .constant(let v) = x, let t = compareWithConstant(op.flipped, y, v) { return t }
        // Exact numbers at one scale, or doubles, or dates: integer or double comparisons.
        if let a = Self.exact(x), let b = Self.exact(y) {
            let s = max(a.scale, b.scale)
            if let xs = Self.rescaled(a.values, by: Decimal64.power(s - a.scale), count: n, nulls: a.nulls),
               let ys = Self.rescaled(b.values, by: Decimal64.power(s - b.scale), count: n, nulls: b.nulls) {
                return Self.fill(n, op, xs, ys, NullMask.union(a.nulls, b.nulls))
            }
        } else if Self.isNumber(x), Self.isNumber(y), let a = Self.doubles(x), let b = Self.doubles(y) {
            return Self.fill(n, op, a.values, b.values, NullMask.union(a.nulls, b.nulls))
        } else if case .dates(let a, let ma) = x, case .dates(let b, let mb) = y {
            return Self.fill(n, op, Operand.array(a), Operand.array(b), NullMask.union(ma, mb))
        }
        var out = Truth(count: n)
        for r in 0..<n { out.set(r, Self.code(Operations.compare(op, x.value(at: r), y.value(at: r)))) }
        return out
    }

    /// A value as `Truth.set`'s code.
    package static func code(_ v: Value) -> UInt8 {
        switch v {
        case .bool(true): return 1
        case .null: return 2
        default: return 0
        }
    }

    package static func isNumber(_ v: Vector) -> Bool {
        switch v {
        case .ints, .decimals, .doubles, .constant(.number): return true
        default: return false
        }
    }

    /// Typed comparison of each row against one value; nil when the types have no kernel.
    private func compareWithConstant(_ op: BinaryOperator, _ x: Vector, _ v: Value) -> Truth? {
        let n = count
        if v.isNull {
            var t = Truth(count: n)
            t.setAll(2)
            return t
        }
        if let t = Self.perValue(x, count: n, { Operations.compare(op, $0, v) }) { return t }
        switch (x, v) {
        case (.dates(let a, let m), .date(let d)):
            return Self.fill(n, op, Operand.array(a), Operand.scalar(d.ordinal), m)
        case (.bools(let t), .bool(let b)):
            var out = Truth(count: n)
            for r in 0..<n { out.set(r, Self.code(Operations.compare(op, t.value(at: r), .bool(b)))) }
            return out
        default:
            return nil
        }
    }

    /// A condition of one text or rating vector, computed once per distinct value (nulls
    /// included) and looked up by each row's code; nil for other vectors.
    package static func perValue(_ x: Vector, count n: Int, _ test: (Value) -> Value) -> Truth? {
        var t = Truth(count: n)
        switch x {
        case .texts(let codes, let dictionary):
            t.fill(codes, dictionary.strings.indices.map { code(test($0 == 0 ? .null : .text(dictionary.strings[$0]))) })
        case .ratings(let a):
            t.fill(a.map { UInt8(bitPattern: $0) }, (0...4).map { code(test(Rating(rawValue: Int8($0)).map(Value.rating) ?? .null)) })
        default:
            return nil
        }
        return t
    }

    /// Compares row by row over typed operands; null rows come out null.
    package static func fill<T: Comparable>(_ n: Int, _ op: BinaryOperator, _ x: Operand<T>, _ y: Operand<T>, _ nulls: NullMask?) -> Truth {
        // One call per operator with a literal test, so each loop is specialised and inlined
        // rather than calling a closure per row.
        switch op {
        case .eq: return fill(n, x, y, nulls) { $0 == $1 }
        case .ne: return fill(n, x, y, nulls) { $0 != $1 }
        case .lt: return fill(n, x, y, nulls) { $0 < $1 }
        case .le: return fill(n, x, y, nulls) { $0 <= $1 }
        case .gt: return fill(n, x, y, nulls) { $0 > $1 }
        default: return fill(n, x, y, nulls) { $0 >= $1 }
        }
    }

    @inline(__always)
    private static func fill<T>(_ n: Int, _ x: Operand<T>, _ y: Operand<T>, _ nulls: NullMask?, _ test: (T, T) -> Bool) -> Truth {
        var t = Truth(count: n)
        // Each pairing of arrays and constants gets its own loop (`BitWords.pack`), each row's
        // bit set without a branch: the loop then vectorises (days_between … > 50: 18% of the
        // query's time in the per-element switch on the operand and the branch).
        switch (x, y) {
        case (.array(let a), .array(let b)): t.setTrue(words: BitWords.pack(a, b, test))
        case (.array(let a), .scalar(let k)): t.setTrue(words: BitWords.pack(a) { test($0, k) })
        case (.scalar(let k), .array(let b)): t.setTrue(words: BitWords.pack(b) { test(k, $0) })
        case (.scalar(let j), .scalar(let k)): if test(j, k) { t.setAll(1) }
        }
        // Null rows are not true, and are null: a word at a time.
        if let nulls { t.overwrite(nulls, with: 2) }
        return t
    }
}
