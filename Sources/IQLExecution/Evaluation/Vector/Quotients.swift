import IQLCore
import IQLStorage

/// What one row gives a quotient kernel: its numerator and divisor mantissas, a null answer,
/// or a step that failed (an overflow), which sends the whole call row by row.
package enum QuotientRow {
    case divide(Int64, Int64)
    case null
    case fail
}

/// Where a quotient kernel's rows come from. A type rather than a closure: the kernel is
/// specialised for it and its row inlined (as a closure it stayed a call per row, a tenth
/// of `pct_change`'s time).
package protocol QuotientRows {
    func row(_ i: Int) -> QuotientRow
}

/// `a / b` row by row.
package struct PlainQuotients: QuotientRows {
    let a: Operand<Int64>, b: Operand<Int64>

    @inline(__always)
    package func row(_ i: Int) -> QuotientRow { .divide(a[i], b[i]) }
}

extension VectorEvaluator {
    /// Exact numbers divided row by row, each quotient as `Operations` gives it: exact when
    /// it terminates within 18 places (and the working stays in 64 bits), else the double.
    /// `rows.row(i)` gives row i's mantissas, at scales `asc` and `bsc`; rows null in `nulls`
    /// are not asked. Nil when a row fails, divides by zero or leaves the finite range (row by
    /// row then reports it).
    ///
    /// One loop writes each row's answer in place into two arrays (mantissa or a double's
    /// bits, and its scale or -1): collecting them through a struct's stored arrays, a call
    /// per row, cost twice the quotients themselves.
    @inline(__always)
    package func quotients<Rows: QuotientRows>(scales asc: Int, _ bsc: Int, nulls: NullMask?, _ rows: Rows) -> Vector? {
        let n = count
        var answerNulls: [Int] = []
        var exact = 0, inexact = 0
        var top: Int8 = 0
        // Below these bounds both sides of the double division are exact, so it is rounded
        // once from the true quotient: the same double whether or not the operands' trailing
        // zeros are dropped first (dropping them only makes each side smaller), which lets
        // the inexact rows, most of them, skip normalising.
        let up = Decimal64.power(bsc - asc), down = Decimal64.power(asc - bsc)
        let aBound = UInt64(1 << 53) / UInt64(up), bBound = UInt64(1 << 53) / UInt64(down)
        let upDouble = Double(up), downDouble = Double(down)
        let built: ([Int64], [Int8])? = Elementwise.build(count: n) { i in
            if let nulls, nulls.contains(i) { return (0, 0) }
            switch rows.row(i) {
            case .null:
                answerNulls.append(i)
                return (0, 0)
            case .fail:
                return nil
            case .divide(let a0, let b0):
                guard b0 != 0 else { return nil }
                // Most quotients do not terminate, and one remainder says so (a divisor's
                // trailing zeros do not change what is left of it after its 2s and 5s).
                if a0.magnitude % Self.factorsOfTwoAndFive(b0).rest == 0 {
                    // The operands as `Number.exact` leaves them: trailing zeros of a fraction dropped.
                    let (a, sa) = asc > 0 ? Decimal64.normalised(a0, asc) : (a0, asc)
                    let (b, sb) = bsc > 0 ? Decimal64.normalised(b0, bsc) : (b0, bsc)
                    if let (m, s) = Self.terminatingQuotient(a, sa, b, sb, Self.factorsOfTwoAndFive(b)) {
                        exact += 1
                        top = max(top, Int8(truncatingIfNeeded: s))
                        return (m, Int8(truncatingIfNeeded: s))
                    }
                }
                let d: Double
                if a0.magnitude < aBound, b0.magnitude < bBound {
                    d = Double(a0) * upDouble / (Double(b0) * downDouble)
                } else {
                    let (a, sa) = asc > 0 ? Decimal64.normalised(a0, asc) : (a0, asc)
                    let (b, sb) = bsc > 0 ? Decimal64.normalised(b0, bsc) : (b0, bsc)
                    d = Decimal64.inexactQuotient(a, sa, b, sb)
                }
                guard d.isFinite else { return nil }
                inexact += 1
                return (Int64(bitPattern: d.bitPattern), -1)
            }
        }
        guard let (bits, scales) = built else { return nil }
        var mask = nulls
        if !answerNulls.isEmpty {
            var m = nulls ?? NullMask(count: n)
            for i in answerNulls { m.insert(i) }
            mask = m
        }
        if exact == 0 {
            return .doubles(Elementwise.map(bits) { Double(bitPattern: UInt64(bitPattern: $0)) }, mask)
        }
        if inexact == 0 {
            if top == 0 { return .ints(bits, mask) }
            // All exact: one scale for all, if every mantissa fits at the largest.
            var fits = true
            let atTop = (0..<n).map { i -> Int64 in
                let (m, o) = bits[i].multipliedReportingOverflow(by: Decimal64.power(Int(top) - Int(scales[i])))
                if o { fits = false }
                return m
            }
            if fits { return .decimals(atTop, scale: Int(top), mask) }
        }
        // Exact and inexact rows: each keeps its own. The exact ones are normalised already:
        // the operands are, and the power of ten is the least that makes the division exact.
        return .numbers(MixedNumbers(normalisedBits: bits, scales: scales, nulls: mask))
    }

    /// A divisor's factors 2 and 5, and what is left of it (odd, no factor 5; the quotient
    /// terminates exactly when that divides the numerator).
    @inline(__always)
    package static func factorsOfTwoAndFive(_ bm: Int64) -> (twos: Int, fives: Int, rest: UInt64) {
        var rest = bm.magnitude
        let twos = rest.trailingZeroBitCount
        rest >>= UInt64(twos)
        var fives = 0
        // Most odd divisors have no factor 5: one test says so.
        if rest % 5 == 0 {
            repeat { rest /= 5; fives += 1 } while rest % 5 == 0
        }
        return (twos, fives, rest)
    }

    /// `am / 10^asc ÷ bm / 10^bsc` as an exact decimal, as `Operations.exactQuotient` finds it
    /// (the least k ≤ 18 with bm | am·10^k, am·10^k within 64 bits, the scale at most 18); nil
    /// when it has none. `factors` are bm's.
    package static func terminatingQuotient(_ am: Int64, _ asc: Int, _ bm: Int64, _ bsc: Int,
                                            _ factors: (twos: Int, fives: Int, rest: UInt64)) -> (Int64, Int)? {
        let (twos, fives, rest) = factors
        guard bm != 0, am.magnitude % rest == 0 else { return nil }
        // The 2s and 5s am already has count towards them.
        var aTwos = am == 0 ? 64 : am.magnitude.trailingZeroBitCount
        var aFives = 0
        if am != 0 {
            var x = am.magnitude
            while aFives < fives, x % 5 == 0 { x /= 5; aFives += 1 }
        } else {
            aFives = fives
        }
        aTwos = min(aTwos, twos)
        let k = max(0, twos - aTwos, fives - aFives)
        guard k <= Decimal64.maxScale else { return nil }
        let (numerator, o) = am.multipliedReportingOverflow(by: Decimal64.power(k))
        guard !o else { return nil }
        let (q, o2) = numerator.dividedReportingOverflow(by: bm)
        guard !o2 else { return nil }
        var scale = k + asc - bsc
        var mantissa = q
        while scale < 0 {
            let (m, o3) = mantissa.multipliedReportingOverflow(by: 10)
            guard !o3 else { return nil }
            mantissa = m
            scale += 1
        }
        guard scale <= Decimal64.maxScale else { return nil }
        return (mantissa, scale)
    }
}
