/// An IQL number: an exact 64-bit integer, an exact decimal, or (only where exactness is
/// impossible, such as `1 / 3`) a binary double.
///
/// Arithmetic on exact numbers stays exact or reports an overflow; it never wraps or rounds
/// silently into a double.
public enum Number: Sendable, CustomStringConvertible {
    case int(Int64)
    case decimal(Decimal64)
    case double(Double)

    /// An exact number from a mantissa and scale: an integer when the scale normalises to 0.
    static func exact(_ mantissa: Int64, scale: Int) -> Number? {
        guard let d = Decimal64(mantissa: mantissa, scale: scale) else { return nil }
        return d.scale == 0 ? .int(d.mantissa) : .decimal(d)
    }

    /// The value as a double, for mixed arithmetic.
    public var doubleValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .decimal(let d): return d.doubleValue
        case .double(let d): return d
        }
    }

    /// The integer this number holds exactly, if it holds one.
    public var exactInteger: Int64? {
        switch self {
        case .int(let i): return i
        case .decimal: return nil
        case .double(let d):
            guard d.rounded() == d, abs(d) < 9.2e18 else { return nil }
            return Int64(d)
        }
    }

    /// The value as an exact decimal (integers have scale 0), if it is exact.
    var asDecimal: Decimal64? {
        switch self {
        case .int(let i): return Decimal64(mantissa: i, scale: 0)
        case .decimal(let d): return d
        case .double: return nil
        }
    }

    /// Shortest text that reads back to the same number; whole doubles print without `.0`.
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .decimal(let d): return d.text
        case .double(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        }
    }
}

extension Number: Hashable, Comparable {
    public static func == (lhs: Number, rhs: Number) -> Bool {
        if let a = lhs.asDecimal, let b = rhs.asDecimal {
            guard let (x, y, _) = Decimal64.aligned(a, b) else { return false }
            return x == y
        }
        return lhs.doubleValue == rhs.doubleValue
    }

    public func hash(into hasher: inout Hasher) {
        // Equal numbers of different kinds must hash alike: whole numbers by their integer,
        // the rest by their double (an exact decimal equals a double only through it).
        if let i = exactInteger { hasher.combine(i) } else { hasher.combine(doubleValue) }
    }

    public static func < (lhs: Number, rhs: Number) -> Bool {
        if let a = lhs.asDecimal, let b = rhs.asDecimal, let (x, y, _) = Decimal64.aligned(a, b) {
            return x < y
        }
        return lhs.doubleValue < rhs.doubleValue
    }
}
