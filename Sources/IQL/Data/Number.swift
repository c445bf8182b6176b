/// An IQL number: an exact 64-bit integer, or a decimal held as a binary double.
///
/// Integer arithmetic never wraps: an overflow is reported, not rounded into a double.
public enum Number: Sendable, CustomStringConvertible {
    case int(Int64)
    case double(Double)

    /// The value as a double, for mixed arithmetic and averages.
    public var doubleValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    /// The integer this number holds exactly, if it holds one.
    public var exactInteger: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.rounded() == d, abs(d) < 9.2e18 else { return nil }
            return Int64(d)
        }
    }

    /// Shortest text that reads back to the same number; whole doubles print without `.0`.
    public var description: String {
        switch self {
        case .int(let i): return String(i)
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
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a == b
        default:
            if let a = lhs.exactInteger, let b = rhs.exactInteger { return a == b }
            return lhs.doubleValue == rhs.doubleValue
        }
    }

    public func hash(into hasher: inout Hasher) {
        if let i = exactInteger { hasher.combine(i) } else { hasher.combine(doubleValue) }
    }

    public static func < (lhs: Number, rhs: Number) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        default:
            if let a = lhs.exactInteger, let b = rhs.exactInteger { return a < b }
            return lhs.doubleValue < rhs.doubleValue
        }
    }
}
