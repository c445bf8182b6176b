import IQLCore
import IQLStorage
import IQLLanguage
/// One value for every row, or one per row: a kernel's operand without copying a constant
/// into an array.
package enum Operand<T> {
    case scalar(T)
    case array([T])

    @inline(__always)
    package subscript(_ i: Int) -> T {
        switch self {
        case .scalar(let v): return v
        case .array(let a): return a[i]
        }
    }
}

extension VectorEvaluator {
    /// `+ - * / %` over two vectors. Exact numbers stay exact (integers and decimals at one
    /// scale, overflow checked); doubles stay doubles; dates shift by days.
    package func arithmetic(_ op: BinaryOperator, _ x: Vector, _ y: Vector, at range: SourceRange) throws -> Vector {
        if case .constant(let a) = x, case .constant(let b) = y {
            return .constant(try Operations.arithmetic(op, a, b, at: range))
        }
        if case .constant(.null) = x { return .constant(.null) }
        if case .constant(.null) = y { return .constant(.null) }
        let generic = { try perRow { r in try Operations.arithmetic(op, x.value(at: r), y.value(at: r), at: range) } }
        if op == .add || op == .subtract || op == .multiply || op == .remainder,
           let a = Self.exact(x), let b = Self.exact(y),
           let v = exactArithmetic(op, a, b) {
            return v
        }
        if op == .divide, let a = Self.exact(x), case .constant(.number(let k)) = y, let v = exactDivision(a, by: k) {
            return v
        }
        if op == .divide, let a = Self.exact(x), let b = Self.exact(y),
           let v = quotients(scales: a.scale, b.scale, nulls: NullMask.union(a.nulls, b.nulls), PlainQuotients(a: a.values, b: b.values)) {
            return v
        }
        if Self.isDouble(x) || Self.isDouble(y), let a = Self.doubles(x), let b = Self.doubles(y),
           let v = doubleArithmetic(op, a, b) {
            return v
        }
        if let v = dateArithmetic(op, x, y) { return v }
        return try generic()
    }

    package func negate(_ x: Vector, at range: SourceRange) throws -> Vector {
        switch x {
        case .constant(let v): return .constant(try Operations.negate(v, at: range))
        case .ints(let a, let m) where !a.enumerated().contains { $0.element == .min && !(m?.contains($0.offset) ?? false) }:
            return .ints(a.map { $0 == .min ? 0 : -$0 }, m)
        case .decimals(let a, let scale, let m) where !a.contains(.min):
            return .decimals(a.map { -$0 }, scale: scale, m)
        case .doubles(let a, let m):
            return .doubles(a.map { -$0 }, m)
        default:
            return try perRow { r in try Operations.negate(x.value(at: r), at: range) }
        }
    }

    // MARK: - Exact numbers

    /// An integer or decimal vector (or constant) as mantissas at a scale.
    package static func exact(_ v: Vector) -> (values: Operand<Int64>, scale: Int, nulls: NullMask?)? {
        switch v {
        case .ints(let a, let m): return (.array(a), 0, m)
        case .decimals(let a, let s, let m): return (.array(a), s, m)
        case .constant(.number(.int(let k))): return (.scalar(k), 0, nil)
        case .constant(.number(.decimal(let d))): return (.scalar(d.mantissa), d.scale, nil)
        default: return nil
        }
    }

    /// Mantissas brought up to a larger scale; nil if one overflows.
    package static func rescaled(_ o: Operand<Int64>, by factor: Int64, count: Int, nulls: NullMask?) -> Operand<Int64>? {
        if factor == 1 { return o }
        switch o {
        case .scalar(let v):
            let (m, overflow) = v.multipliedReportingOverflow(by: factor)
            return overflow ? nil : .scalar(m)
        case .array(let a):
            var out = [Int64](repeating: 0, count: a.count)
            for i in a.indices {
                let (m, overflow) = a[i].multipliedReportingOverflow(by: factor)
                if overflow, !(nulls?.contains(i) ?? false) { return nil }
                out[i] = m
            }
            return .array(out)
        }
    }

    /// Exact `+ - *`; nil when a row overflows (or the scale passes 18), so the row-at-a-time
    /// operations decide that row: an error, or a double.
    private func exactArithmetic(_ op: BinaryOperator, _ a: (values: Operand<Int64>, scale: Int, nulls: NullMask?),
                                 _ b: (values: Operand<Int64>, scale: Int, nulls: NullMask?)) -> Vector? {
        let n = count
        let nulls = NullMask.union(a.nulls, b.nulls)
        var x = a.values, y = b.values
        var scale: Int
        if op == .multiply {
            scale = a.scale + b.scale
            guard scale <= Decimal64.maxScale else { return nil }
        } else {
            scale = max(a.scale, b.scale)
            guard let xs = Self.rescaled(x, by: Decimal64.power(scale - a.scale), count: n, nulls: a.nulls),
                  let ys = Self.rescaled(y, by: Decimal64.power(scale - b.scale), count: n, nulls: b.nulls) else { return nil }
            x = xs
            y = ys
        }
        // A map rather than writes into a sized array: no bounds checks, no pointers. A failure
        // is rare, so the rows after it are still computed rather than breaking out.
        var failed = false
        let out = (0..<n).map { i -> Int64 in
            let (r, overflow): (Int64, Bool)
            switch op {
            case .add: (r, overflow) = x[i].addingReportingOverflow(y[i])
            case .subtract: (r, overflow) = x[i].subtractingReportingOverflow(y[i])
            case .remainder:
                // By zero fails as overflow does: row by row then reports the row. At one
                // scale, the remainder is the same number as at the operands' own.
                let divisor = y[i]
                (r, overflow) = divisor == 0 ? (0, true) : x[i].remainderReportingOverflow(dividingBy: divisor)
            default: (r, overflow) = x[i].multipliedReportingOverflow(by: y[i])
            }
            if overflow, !(nulls?.contains(i) ?? false) { failed = true }
            return overflow ? 0 : r
        }
        if failed { return nil }
        return scale == 0 ? .ints(out, nulls) : .decimals(out, scale: scale, nulls)
    }

    /// Exact numbers divided by a constant whose quotients always terminate (a divisor of a
    /// power of ten: 2, 4, 5, 8, 10, 100, …): exact, as the row-at-a-time division gives them.
    /// Nil for any other divisor, or a row that overflows.
    private func exactDivision(_ a: (values: Operand<Int64>, scale: Int, nulls: NullMask?), by k: Number) -> Vector? {
        guard let d = k.asDecimal, d.mantissa > 0 else { return nil }
        // m / (q / 10^t) at scale s is m * (10^e / q) at scale s + e - t, for the least e with q | 10^e.
        var e = 0
        while e <= Decimal64.maxScale, Decimal64.power(e) % d.mantissa != 0 { e += 1 }
        guard e <= Decimal64.maxScale else { return nil }
        let factor = Decimal64.power(e) / d.mantissa
        var scale = a.scale + e - d.scale
        var multiplier = factor
        if scale < 0 {
            let (m, o) = factor.multipliedReportingOverflow(by: Decimal64.power(-scale))
            guard !o else { return nil }
            multiplier = m
            scale = 0
        }
        guard scale <= Decimal64.maxScale, let out = Self.rescaled(a.values, by: multiplier, count: count, nulls: a.nulls),
              case .array(let values) = out else { return nil }
        return scale == 0 ? .ints(values, a.nulls) : .decimals(values, scale: scale, a.nulls)
    }

    // MARK: - Doubles

    package static func isDouble(_ v: Vector) -> Bool {
        switch v {
        case .doubles, .constant(.number(.double)): return true
        default: return false
        }
    }

    /// A number vector (or constant) as doubles, each converted as `Number.doubleValue` does.
    package static func doubles(_ v: Vector) -> (values: Operand<Double>, nulls: NullMask?)? {
        switch v {
        case .doubles(let a, let m): return (.array(a), m)
        case .ints(let a, let m): return (.array(a.map(Double.init)), m)
        case .decimals(let a, let s, let m): return (.array(a.map { decimalDouble($0, scale: s) }), m)
        case .constant(.number(let k)): return (.scalar(k.doubleValue), nil)
        default: return nil
        }
    }

    /// A mantissa's double as its normalised decimal gives it: the same when the mantissa is
    /// exact in a double, normalised first when it is not.
    package static func decimalDouble(_ m: Int64, scale: Int) -> Double {
        if m.magnitude < 1 << 53 { return Double(m) / Double(Decimal64.power(scale)) }
        return Decimal64(mantissa: m, scale: scale)?.doubleValue ?? Double(m) / Double(Decimal64.power(scale))
    }

    /// Double arithmetic; nil when a row divides by zero or leaves the finite range, which
    /// the row-at-a-time operations report.
    private func doubleArithmetic(_ op: BinaryOperator, _ a: (values: Operand<Double>, nulls: NullMask?),
                                  _ b: (values: Operand<Double>, nulls: NullMask?)) -> Vector? {
        let n = count
        let nulls = NullMask.union(a.nulls, b.nulls)
        let x = a.values, y = b.values
        var failed = false
        let out = (0..<n).map { i -> Double in
            let r: Double
            switch op {
            case .add: r = x[i] + y[i]
            case .subtract: r = x[i] - y[i]
            case .multiply: r = x[i] * y[i]
            case .divide: r = y[i] == 0 ? .nan : x[i] / y[i]
            case .remainder: r = y[i] == 0 ? .nan : x[i].truncatingRemainder(dividingBy: y[i])
            default: r = .nan
            }
            if r.isFinite { return r }
            if !(nulls?.contains(i) ?? false) { failed = true }
            return 0
        }
        return failed ? nil : .doubles(out, nulls)
    }

    // MARK: - Dates

    private static let firstDay = Int64(Day(year: 1, month: 1, day: 1)?.ordinal ?? 0)
    private static let lastDay = Int64(Day(year: 9999, month: 12, day: 31)?.ordinal ?? 0)

    /// date ± whole days and date - date; nil for anything else or a day out of range.
    private func dateArithmetic(_ op: BinaryOperator, _ x: Vector, _ y: Vector) -> Vector? {
        func days(_ v: Vector) -> (Operand<Int64>, NullMask?)? {
            switch v {
            case .dates(let a, let m): return (.array(a.map(Int64.init)), m)
            case .constant(.date(let d)): return (.scalar(Int64(d.ordinal)), nil)
            default: return nil
            }
        }
        func whole(_ v: Vector) -> (Operand<Int64>, NullMask?)? {
            switch v {
            case .ints(let a, let m): return (.array(a), m)
            case .constant(.number(.int(let k))): return (.scalar(k), nil)
            default: return nil
            }
        }
        let n = count
        if op == .subtract, let (a, ma) = days(x), let (b, mb) = days(y) {
            let nulls = NullMask.union(ma, mb)
            return .ints((0..<n).map { a[$0] &- b[$0] }, nulls)
        }
        let shift: (dates: Operand<Int64>, by: Operand<Int64>, nulls: NullMask?, sign: Int64)
        if op == .add || op == .subtract, let (d, md) = days(x), let (k, mk) = whole(y) {
            shift = (d, k, NullMask.union(md, mk), op == .add ? 1 : -1)
        } else if op == .add, let (k, mk) = whole(x), let (d, md) = days(y) {
            shift = (d, k, NullMask.union(md, mk), 1)
        } else {
            return nil
        }
        var out = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            if shift.nulls?.contains(i) ?? false { continue }
            let k = shift.by[i]
            guard (-3_000_000...3_000_000).contains(k) else { return nil }
            let r = shift.dates[i] + shift.sign * k
            guard r >= Self.firstDay, r <= Self.lastDay else { return nil }
            out[i] = Int32(truncatingIfNeeded: r)
        }
        return .dates(out, shift.nulls)
    }
}
