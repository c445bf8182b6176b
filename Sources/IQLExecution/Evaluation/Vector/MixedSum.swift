import IQLCore
import IQLStorage

/// One group's running sum of `MixedNumbers` rows, as `Operations.numeric` adds them one
/// after another: exact while every row so far is exact (at the largest scale seen,
/// normalised at the end), a double from the first double row on, the exact part so far
/// converted as its normalised decimal is. A value, so a sum can be carried from one block of
/// rows to the next (`BlockEvaluation.sum`) and give the bits one pass over the column gives.
package struct MixedSum: Sendable {
    var exact: Int64 = 0
    var scale = 0
    var double: Double = 0
    var inexact = false
    /// The rows added (not null).
    package private(set) var count: Int64 = 0

    package init() {}

    /// Adds row r (not null); false on an overflow.
    @inline(__always)
    mutating func add(_ m: MixedNumbers, _ r: Int) -> Bool {
        if m.isDouble(r) {
            let d = m.double(r)
            if count == 0 {
                double = d
            } else if inexact {
                double += d
            } else {
                guard let sofar = Decimal64(mantissa: exact, scale: scale) else { return false }
                double = sofar.doubleValue + d
            }
            inexact = true
        } else if inexact {
            double += m.double(r)
        } else {
            let s = Int(m.scales[r])
            var x = m.bits[r]
            if s > scale {
                let (up, o) = exact.multipliedReportingOverflow(by: Decimal64.power(s - scale))
                if o { return false }
                exact = up
                scale = s
            } else if s < scale {
                let (up, o) = x.multipliedReportingOverflow(by: Decimal64.power(scale - s))
                if o { return false }
                x = up
            }
            let (sum, o) = exact.addingReportingOverflow(x)
            if o { return false }
            exact = sum
        }
        count += 1
        return true
    }

    /// Adds the first `n` rows of `m` that are not null, in order; false on an overflow.
    mutating func add(_ m: MixedNumbers, rows: Int) -> Bool {
        let n = min(rows, m.count)
        var r = 0
        while r < n, !inexact {
            if !m.isNull(r) {
                guard add(m, r) else { return false }
            }
            r += 1
        }
        // From the first double on, every row adds as a double: one loop with no branch on
        // the sum's state (most mixed columns are doubles from early on).
        addAsDoubles(m, from: r, to: n)
        return true
    }

    /// Adds the first `n` rows of a block's vector that are not null, in order, as they would
    /// add from the vector's `MixedNumbers`; false on an overflow or a vector that is not
    /// numbers. Whole numbers and decimals add in their own loop while the sum is exact, and
    /// doubles in theirs: a block of them is not copied into mixed rows first.
    mutating func add(_ v: Vector, rows n: Int) -> Bool {
        switch v {
        case .ints(let a, let m) where !inexact:
            return addExact(a, scale: 0, m, rows: min(n, a.count))
        case .decimals(let a, let s, let m) where !inexact:
            return addExact(a, scale: s, m, rows: min(n, a.count))
        case .doubles(let a, let m):
            let n = min(n, a.count)
            var d = double, c = count, exactSoFar = inexact ? nil : (exact, scale)
            for r in 0..<n where !(m?.contains(r) ?? false) {
                if let (e, s) = exactSoFar {
                    // The first double: onto the exact sum so far, as a decimal, if any.
                    if c == 0 {
                        d = a[r]
                    } else {
                        guard let sofar = Decimal64(mantissa: e, scale: s) else { return false }
                        d = sofar.doubleValue + a[r]
                    }
                    exactSoFar = nil
                    inexact = true
                } else {
                    d += a[r]
                }
                c += 1
            }
            double = d
            count = c
            return true
        case .values(let values):
            // Numbers some kernel left boxed: each row keeps its own kind, as row by row.
            guard let m = MixedNumbers(values) else { return false }
            return add(m, rows: n)
        default:
            guard let m = MixedNumbers(v, count: n) else { return false }
            return add(m, rows: n)
        }
    }

    /// Adds exact rows at one scale while the sum is exact; false on an overflow.
    private mutating func addExact(_ a: [Int64], scale s: Int, _ m: NullMask?, rows n: Int) -> Bool {
        var e = exact, c = count
        if s > scale {
            let (up, o) = e.multipliedReportingOverflow(by: Decimal64.power(s - scale))
            if o { return false }
            e = up
            scale = s
        }
        // Each row at the sum's scale: whole numbers and smaller scales brought up.
        let factor = Decimal64.power(scale - s)
        for r in 0..<n where !(m?.contains(r) ?? false) {
            let (x, o1) = a[r].multipliedReportingOverflow(by: factor)
            let (sum, o2) = e.addingReportingOverflow(x)
            if o1 || o2 { return false }
            e = sum
            c += 1
        }
        exact = e
        count = c
        return true
    }

    /// Adds rows `start..<end` (the sum already a double), each as a double, in order.
    mutating func addAsDoubles(_ m: MixedNumbers, from start: Int, to end: Int) {
        guard start < end else { return }
        var d = double
        var c = count
        if let nulls = m.nulls {
            for r in start..<end where !nulls.contains(r) {
                d += m.double(r)
                c += 1
            }
        } else {
            for r in start..<end { d += m.double(r) }
            c += Int64(end - start)
        }
        double = d
        count = c
    }

    /// The sum as a number; nil when a double is not finite or the exact sum has no number.
    package var total: Number? {
        if inexact { return double.isFinite ? .double(double) : nil }
        return Number.exact(exact, scale: scale)
    }
}
