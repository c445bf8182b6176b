import IQLCore

/// `pct_change(old, new)`'s quotient rows: `(new - old) * 100` over `|old|`, old and new
/// brought to one scale first, null where old is 0.
package struct PercentChanges: QuotientRows {
    let old: Operand<Int64>, new: Operand<Int64>
    /// The powers of ten that bring old and new to the larger of their scales.
    let oldUp: Int64, newUp: Int64

    @inline(__always)
    package func row(_ i: Int) -> QuotientRow {
        let m = old[i]
        if m == 0 { return .null }
        let (x, o1) = new[i].multipliedReportingOverflow(by: newUp)
        let (y, o2) = m.multipliedReportingOverflow(by: oldUp)
        let (change, o3) = x.subtractingReportingOverflow(y)
        let (scaled, o4) = change.multipliedReportingOverflow(by: 100)
        // |old|: negating the smallest integer overflows, as row by row it would.
        guard !(o1 || o2 || o3 || o4), m != .min else { return .fail }
        return .divide(scaled, m < 0 ? -m : m)
    }
}
