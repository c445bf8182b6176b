/// An exact decimal: `mantissa × 10^-scale`, with up to 18 decimal places.
///
/// Decimal literals and CSV figures such as `58.3` are held exactly, and `+`, `-`, `*` on them
/// stay exact, so `0.1 + 0.2` is `0.3`. Kept normalised (no trailing zeros in the mantissa),
/// so equal values have equal representations.
public struct Decimal64: Sendable, Hashable {
    /// The digits, as an integer.
    public let mantissa: Int64
    /// How many of the digits are after the decimal point (1 to 18 once normalised).
    public let scale: Int

    @usableFromInline package static let maxScale = 18

    /// Wraps a mantissa and scale; nil when the scale is outside 0...18. Trailing zeros are dropped.
    @inlinable public init?(mantissa: Int64, scale: Int) {
        guard (0...Decimal64.maxScale).contains(scale) else { return nil }
        var m = mantissa, s = scale
        while s > 0, m % 10 == 0 {
            m /= 10
            s -= 1
        }
        self.mantissa = m
        self.scale = s
    }

    /// 10^n for n in 0...18 (n clamped to that range), from a switch the compiler makes a
    /// table of: kernels ask for it several times a row, and a loop of up to 18
    /// multiplications cost a tenth of a division's time.
    @inline(__always)
    @inlinable package static func power(_ n: Int) -> Int64 {
        switch n {
        case ...0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1000
        case 4: return 10000
        case 5: return 100000
        case 6: return 1000000
        case 7: return 10000000
        case 8: return 100000000
        case 9: return 1000000000
        case 10: return 10000000000
        case 11: return 100000000000
        case 12: return 1000000000000
        case 13: return 10000000000000
        case 14: return 100000000000000
        case 15: return 1000000000000000
        case 16: return 10000000000000000
        case 17: return 100000000000000000
        default: return 1000000000000000000
        }
    }

    /// Reads `-12.50`, `3`, `1e-3`, `2.5E2` exactly; nil if it needs more than 18 places or 64 bits.
    package static func parse(_ text: some StringProtocol) -> Decimal64? {
        var digits: Int64 = 0
        var scale = 0
        var negative = false
        var seenDigit = false
        var seenPoint = false
        var exponent = 0
        var iterator = text.utf8.makeIterator()
        var pending = iterator.next()
        if pending == 0x2D || pending == 0x2B {
            negative = pending == 0x2D
            pending = iterator.next()
        }
        while let c = pending {
            if c >= 0x30 && c <= 0x39 {
                let (m1, o1) = digits.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(c - 0x30))
                if o1 || o2 { return nil }
                digits = m2
                seenDigit = true
                if seenPoint { scale += 1 }
            } else if c == 0x2E, !seenPoint {
                seenPoint = true
            } else if c == 0x65 || c == 0x45 {
                var e = 0, sign = 1, any = false
                var next = iterator.next()
                if next == 0x2D || next == 0x2B {
                    sign = next == 0x2D ? -1 : 1
                    next = iterator.next()
                }
                while let d = next, d >= 0x30, d <= 0x39 {
                    e = e * 10 + Int(d - 0x30)
                    if e > 400 { return nil }
                    any = true
                    next = iterator.next()
                }
                guard any, next == nil else { return nil }
                exponent = sign * e
                break
            } else {
                return nil
            }
            pending = iterator.next()
        }
        guard seenDigit else { return nil }
        scale -= exponent
        while scale < 0 {
            let (m, o) = digits.multipliedReportingOverflow(by: 10)
            if o { return nil }
            digits = m
            scale += 1
        }
        while scale > maxScale, digits % 10 == 0 {
            digits /= 10
            scale -= 1
        }
        return Decimal64(mantissa: negative ? -digits : digits, scale: scale)
    }

    /// The value as a double (rounded).
    @inlinable public var doubleValue: Double { Double(mantissa) / Double(Decimal64.power(scale)) }

    /// `am / 10^asc ÷ bm / 10^bsc` as a double, for a quotient that does not terminate: one
    /// division, of operands that are exact when below 2^53, so the answer is rounded once
    /// (dividing each side by its power of ten first rounded three times, and its two
    /// divisions were most of a division kernel's time). The row-by-row operations and the
    /// kernels both call this, so they give the same double.
    @inlinable @inline(__always)
    package static func inexactQuotient(_ am: Int64, _ asc: Int, _ bm: Int64, _ bsc: Int) -> Double {
        let shift = bsc - asc
        if shift >= 0 { return Double(am) * Double(power(shift)) / Double(bm) }
        return Double(am) / (Double(bm) * Double(power(-shift)))
    }

    /// Mantissas of two decimals brought to one scale, or nil if that overflows.
    @inlinable package static func aligned(_ a: Decimal64, _ b: Decimal64) -> (Int64, Int64, Int)? {
        let s = max(a.scale, b.scale)
        let (x, o1) = a.mantissa.multipliedReportingOverflow(by: power(s - a.scale))
        let (y, o2) = b.mantissa.multipliedReportingOverflow(by: power(s - b.scale))
        return o1 || o2 ? nil : (x, y, s)
    }

    /// The plain decimal text, e.g. `-0.05`.
    @inlinable public var text: String {
        let negative = mantissa < 0
        var digits = String(mantissa.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }
}

extension Decimal64 {
    /// A mantissa and scale with the trailing zeros of the fraction dropped.
    @inlinable package static func normalised(_ m: Int64, _ s: Int) -> (Int64, Int) {
        var m = m, s = s
        while s > 0, m % 10 == 0 { m /= 10; s -= 1 }
        return (m, s)
    }
}
