/// The runtime meaning of IQL's operators on values. Nulls propagate; integer arithmetic is
/// checked, never wrapping; comparisons follow SQL's three-valued logic.
package enum Operations {
    package static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value {
        switch (a, b) {
        case (.null, _), (_, .null): return .null
        case (.number(let x), .number(let y)): return .number(try numeric(op, x, y, at: range))
        case (.date(let d), .number(let n)):
            guard op == .add || op == .subtract else { break }
            return .date(try shift(d, by: n, negate: op == .subtract, at: range))
        case (.number(let n), .date(let d)) where op == .add:
            return .date(try shift(d, by: n, negate: false, at: range))
        case (.date(let x), .date(let y)) where op == .subtract:
            return .int(Int64(x.ordinal) - Int64(y.ordinal))
        default: break
        }
        throw Diagnostic.error(.cannotApply(op.rawValue, a.type, b.type), at: range)
    }

    private static func shift(_ d: Day, by n: Number, negate: Bool, at range: SourceRange) throws -> Day {
        guard let days = n.exactInteger, (-3_000_000...3_000_000).contains(days) else {
            throw Diagnostic.error(.daysAddedToDate, at: range)
        }
        let result = Int64(d.ordinal) + (negate ? -days : days)
        guard let ordinal = Int32(exactly: result), Day(ordinal: ordinal).components.year <= 9999,
              Day(ordinal: ordinal).components.year >= 1 else {
            throw Diagnostic.error(.dateOutOfRange, at: range)
        }
        return Day(ordinal: ordinal)
    }

    package static func numeric(_ op: BinaryOperator, _ x: Number, _ y: Number, at range: SourceRange) throws -> Number {
        if let a = x.asDecimal, let b = y.asDecimal {
            return try exact(op, a, b, at: range)
        }
        let a = x.doubleValue, b = y.doubleValue
        switch op {
        case .add: return try finite(a + b, at: range)
        case .subtract: return try finite(a - b, at: range)
        case .multiply: return try finite(a * b, at: range)
        case .divide:
            guard b != 0 else { throw Diagnostic.error(.divisionByZero, at: range) }
            return try finite(a / b, at: range)
        case .remainder:
            guard b != 0 else { throw Diagnostic.error(.remainderByZero, at: range) }
            return try finite(a.truncatingRemainder(dividingBy: b), at: range)
        default: throw Diagnostic.error(.notArithmetic(op.rawValue), at: range)
        }
    }

    /// Arithmetic on integers and exact decimals: exact, or an overflow error. Only a quotient
    /// with no terminating decimal (`1 / 3`) becomes a double.
    private static func exact(_ op: BinaryOperator, _ a: Decimal64, _ b: Decimal64, at range: SourceRange) throws -> Number {
        func overflow() -> Diagnostic {
            let kind = a.scale == 0 && b.scale == 0 ? "integer" : "number"
            return .error(.arithmeticOverflow(kind, op.rawValue, a.text, b.text),
                          at: range)
        }
        switch op {
        case .add, .subtract:
            guard let (x, y, s) = Decimal64.aligned(a, b) else { throw overflow() }
            let (r, o) = op == .add ? x.addingReportingOverflow(y) : x.subtractingReportingOverflow(y)
            guard !o, let n = Number.exact(r, scale: s) else { throw overflow() }
            return n
        case .multiply:
            let (r, o) = a.mantissa.multipliedReportingOverflow(by: b.mantissa)
            guard !o else { throw overflow() }
            if let n = Number.exact(r, scale: a.scale + b.scale) { return n }
            // More than 18 decimal places cannot be held exactly.
            return try finite(a.doubleValue * b.doubleValue, at: range)
        case .divide:
            guard b.mantissa != 0 else { throw Diagnostic.error(.divisionByZero, at: range) }
            if let q = exactQuotient(a, b) { return q }
            return try finite(Decimal64.inexactQuotient(a.mantissa, a.scale, b.mantissa, b.scale), at: range)
        case .remainder:
            guard b.mantissa != 0 else { throw Diagnostic.error(.remainderByZero, at: range) }
            guard let (x, y, s) = Decimal64.aligned(a, b) else { throw overflow() }
            let (r, o) = x.remainderReportingOverflow(dividingBy: y)
            guard !o, let n = Number.exact(r, scale: s) else { throw overflow() }
            return n
        default:
            throw Diagnostic.error(.notArithmetic(op.rawValue), at: range)
        }
    }

    /// a / b as an exact decimal of at most 18 places, if the quotient terminates by then.
    package static func exactQuotient(_ a: Decimal64, _ b: Decimal64) -> Number? {
        var numerator = a.mantissa
        for k in 0...Decimal64.maxScale {
            if k > 0 {
                let (m, o) = numerator.multipliedReportingOverflow(by: 10)
                if o { return nil }
                numerator = m
            }
            let (q, o) = numerator.dividedReportingOverflow(by: b.mantissa)
            if o { return nil }
            if numerator % b.mantissa == 0 {
                var scale = k + a.scale - b.scale
                var mantissa = q
                while scale < 0 {
                    let (m, o2) = mantissa.multipliedReportingOverflow(by: 10)
                    if o2 { return nil }
                    mantissa = m
                    scale += 1
                }
                return Number.exact(mantissa, scale: scale)
            }
        }
        return nil
    }

    package static func finite(_ d: Double, at range: SourceRange) throws -> Number {
        guard d.isFinite else { throw Diagnostic.error(.numberOutOfRange, at: range) }
        return .double(d)
    }

    package static func negate(_ v: Value, at range: SourceRange) throws -> Value {
        switch v {
        case .null: return .null
        case .number(.int(let i)):
            guard i != .min else { throw Diagnostic.error(.integerNegationOverflow, at: range) }
            return .int(-i)
        case .number(.decimal(let d)):
            let (m, o) = Int64(0).subtractingReportingOverflow(d.mantissa)
            guard !o, let n = Number.exact(m, scale: d.scale) else {
                throw Diagnostic.error(.numberNegationOverflow, at: range)
            }
            return .number(n)
        case .number(.double(let d)): return .double(-d)
        default: throw Diagnostic.error(.cannotNegate(v.type), at: range)
        }
    }

    /// Equality of two non-null values of compatible types.
    package static func equal(_ a: Value, _ b: Value) -> Bool { a == b }

    /// Three-valued comparison: null if either side is null.
    package static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        if a.isNull || b.isNull { return .null }
        switch op {
        case .eq: return .bool(a == b)
        case .ne: return .bool(a != b)
        case .lt: return .bool(Value.orderedBefore(a, b))
        case .le: return .bool(!Value.orderedBefore(b, a))
        case .gt: return .bool(Value.orderedBefore(b, a))
        case .ge: return .bool(!Value.orderedBefore(a, b))
        default: return .null
        }
    }

    /// `x in [..]` with SQL's rules: true if found; null if not found but a null was compared.
    package static func member(_ v: Value, of list: [Value], negated: Bool) -> Value {
        if v.isNull { return .null }
        var sawNull = false
        for item in list {
            if item.isNull { sawNull = true } else if item == v { return .bool(!negated) }
        }
        return sawNull ? .null : .bool(negated)
    }

    package static func and(_ a: Value, _ b: () throws -> Value) rethrows -> Value {
        if case .bool(false) = a { return .bool(false) }
        let r = try b()
        if case .bool(false) = r { return .bool(false) }
        if a.isNull || r.isNull { return .null }
        return .bool(true)
    }

    package static func or(_ a: Value, _ b: () throws -> Value) rethrows -> Value {
        if case .bool(true) = a { return .bool(true) }
        let r = try b()
        if case .bool(true) = r { return .bool(true) }
        if a.isNull || r.isNull { return .null }
        return .bool(false)
    }

    package static func not(_ a: Value) -> Value {
        if case .bool(let b) = a { return .bool(!b) }
        return .null
    }
}
