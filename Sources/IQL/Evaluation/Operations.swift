/// The runtime meaning of IQL's operators on values. Nulls propagate; integer arithmetic is
/// checked, never wrapping; comparisons follow SQL's three-valued logic.
enum Operations {
    static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, at range: SourceRange) throws -> Value {
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
        throw Diagnostic.error(.runtime, "cannot apply '\(op.rawValue)' to \(a.type) and \(b.type)", at: range)
    }

    private static func shift(_ d: Day, by n: Number, negate: Bool, at range: SourceRange) throws -> Day {
        guard let days = n.exactInteger, (-3_000_000...3_000_000).contains(days) else {
            throw Diagnostic.error(.runtime, "can only add a whole number of days to a date", at: range)
        }
        let result = Int64(d.ordinal) + (negate ? -days : days)
        guard let ordinal = Int32(exactly: result), Day(ordinal: ordinal).components.year <= 9999,
              Day(ordinal: ordinal).components.year >= 1 else {
            throw Diagnostic.error(.runtime, "date out of range", at: range)
        }
        return Day(ordinal: ordinal)
    }

    static func numeric(_ op: BinaryOperator, _ x: Number, _ y: Number, at range: SourceRange) throws -> Number {
        if case .int(let a) = x, case .int(let b) = y {
            let (r, overflow): (Int64, Bool)
            switch op {
            case .add: (r, overflow) = a.addingReportingOverflow(b)
            case .subtract: (r, overflow) = a.subtractingReportingOverflow(b)
            case .multiply: (r, overflow) = a.multipliedReportingOverflow(by: b)
            case .divide:
                guard b != 0 else { throw Diagnostic.error(.runtime, "division by zero", at: range) }
                let (q, o) = a.dividedReportingOverflow(by: b)
                if !o, q.multipliedReportingOverflow(by: b).partialValue == a { return .int(q) }
                return try finite(Double(a) / Double(b), at: range)
            case .remainder:
                guard b != 0 else { throw Diagnostic.error(.runtime, "division by zero in '%'", at: range) }
                (r, overflow) = a.remainderReportingOverflow(dividingBy: b)
            default: throw Diagnostic.error(.runtime, "'\(op.rawValue)' is not arithmetic", at: range)
            }
            guard !overflow else {
                throw Diagnostic.error(.runtime, "integer overflow in '\(op.rawValue)': \(a) \(op.rawValue) \(b) does not fit in 64 bits",
                                       at: range)
            }
            return .int(r)
        }
        let a = x.doubleValue, b = y.doubleValue
        switch op {
        case .add: return try finite(a + b, at: range)
        case .subtract: return try finite(a - b, at: range)
        case .multiply: return try finite(a * b, at: range)
        case .divide:
            guard b != 0 else { throw Diagnostic.error(.runtime, "division by zero", at: range) }
            return try finite(a / b, at: range)
        case .remainder:
            guard b != 0 else { throw Diagnostic.error(.runtime, "division by zero in '%'", at: range) }
            return try finite(a.truncatingRemainder(dividingBy: b), at: range)
        default: throw Diagnostic.error(.runtime, "'\(op.rawValue)' is not arithmetic", at: range)
        }
    }

    static func finite(_ d: Double, at range: SourceRange) throws -> Number {
        guard d.isFinite else { throw Diagnostic.error(.runtime, "number out of range", at: range) }
        return .double(d)
    }

    static func negate(_ v: Value, at range: SourceRange) throws -> Value {
        switch v {
        case .null: return .null
        case .number(.int(let i)):
            guard i != .min else { throw Diagnostic.error(.runtime, "integer overflow in '-'", at: range) }
            return .int(-i)
        case .number(.double(let d)): return .double(-d)
        default: throw Diagnostic.error(.runtime, "cannot negate \(v.type)", at: range)
        }
    }

    /// Equality of two non-null values of compatible types.
    static func equal(_ a: Value, _ b: Value) -> Bool { a == b }

    /// Three-valued comparison: null if either side is null.
    static func compare(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
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
    static func member(_ v: Value, of list: [Value], negated: Bool) -> Value {
        if v.isNull { return .null }
        var sawNull = false
        for item in list {
            if item.isNull { sawNull = true } else if item == v { return .bool(!negated) }
        }
        return sawNull ? .null : .bool(negated)
    }

    static func and(_ a: Value, _ b: () throws -> Value) rethrows -> Value {
        if case .bool(false) = a { return .bool(false) }
        let r = try b()
        if case .bool(false) = r { return .bool(false) }
        if a.isNull || r.isNull { return .null }
        return .bool(true)
    }

    static func or(_ a: Value, _ b: () throws -> Value) rethrows -> Value {
        if case .bool(true) = a { return .bool(true) }
        let r = try b()
        if case .bool(true) = r { return .bool(true) }
        if a.isNull || r.isNull { return .null }
        return .bool(false)
    }

    static func not(_ a: Value) -> Value {
        if case .bool(let b) = a { return .bool(!b) }
        return .null
    }
}
