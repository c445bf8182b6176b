import Foundation

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
    @usableFromInline package static func exact(_ mantissa: Int64, scale: Int) -> Number? {
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
    package var asDecimal: Decimal64? {
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

extension Number {
    /// Significant digits a non-exact number shows in a table or Markdown for people to read.
    package static let shownDigits = 6

    /// The number as a person reads it in a table: exact numbers as written, a double (an
    /// average, a ratio, a computed comparator) to six significant digits, never fewer than its
    /// whole part (`102.304` for 102.30434782608695, `59.9474`, `1234568` for 1234567.891).
    /// CSV and JSON keep `description`, every digit.
    public var shownText: String {
        guard case .double(let d) = self, d.isFinite, d != d.rounded() else { return description }
        let magnitude = Int((abs(d)).log10Floor)
        let decimals = Number.shownDigits - 1 - magnitude
        // Six digits or more before the point: the whole number (beyond 10^15, as `description`).
        if decimals <= 0 { return abs(d) < 1e15 ? String(Int64(d.rounded(.toNearestOrAwayFromZero))) : description }
        // Beyond 15 decimals a double has no digits left to show that are its own: too small
        // a number for fixed notation, shown in full instead.
        guard decimals <= 15 else { return description }
        // Six digits as an exact mantissa, written as a decimal is: no exponent, no noise.
        let mantissa = (d * Double(Decimal64.power(decimals))).rounded(.toNearestOrAwayFromZero)
        guard abs(mantissa) < 1e15, let shown = Number.exact(Int64(mantissa), scale: decimals) else { return description }
        return shown.description
    }
}

private extension Double {
    /// ⌊log10 |x|⌋ for a finite non-zero x, exactly at powers of ten.
    var log10Floor: Double {
        var e = (Foundation.log10(abs(self))).rounded(.down)
        if Foundation.pow(10, e) > abs(self) { e -= 1 } else if Foundation.pow(10, e + 1) <= abs(self) { e += 1 }
        return e
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
