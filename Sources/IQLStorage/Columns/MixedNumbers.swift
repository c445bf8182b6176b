import IQLCore
/// Numbers whose rows are exact at different scales or doubles, as a division gives them
/// (`pupils / 7` is exact where the quotient terminates, a double where it does not): two
/// arrays and a null mask, not a boxed `Value` a row. Each row keeps the exactness it has
/// row by row, so a kernel over these and the row-by-row path give the same answers.
@usableFromInline package struct MixedNumbers: Sendable {
    /// Per row: the exact mantissa, or where `scales[r]` is negative a double's bit pattern.
    @usableFromInline package private(set) var bits: [Int64]
    /// Per row: the mantissa's scale with trailing zeros dropped (as `Number.exact` leaves
    /// it), or -1 where the row is a double.
    @usableFromInline package private(set) var scales: [Int8]
    @usableFromInline package private(set) var nulls: NullMask?

    @inlinable package var count: Int { bits.count }

    /// Rows built from per-row exact mantissas and scales (normalised here) or doubles.
    @inlinable package init(bits: [Int64], scales: [Int8], nulls: NullMask?) {
        var bits = bits, scales = scales
        for i in bits.indices where scales[i] > 0 && bits[i] % 10 == 0 {
            let (m, s) = Decimal64.normalised(bits[i], Int(scales[i]))
            bits[i] = m
            scales[i] = Int8(s)
        }
        self.bits = bits
        self.scales = scales
        self.nulls = nulls
    }

    /// Rows whose exact mantissas are normalised already (no trailing zero at a positive
    /// scale), as a quotient kernel leaves them: no pass to normalise them again.
    @inlinable package init(normalisedBits bits: [Int64], scales: [Int8], nulls: NullMask?) {
        self.bits = bits
        self.scales = scales
        self.nulls = nulls
    }

    /// The numbers of `values` if every one is a number or null and they are not all of one
    /// kind a typed storage already holds; nil otherwise.
    package init?(_ values: [Value]) {
        var bits = [Int64](repeating: 0, count: values.count)
        var scales = [Int8](repeating: 0, count: values.count)
        var nulls: NullMask?
        for (i, v) in values.enumerated() {
            switch v {
            case .null:
                if nulls == nil { nulls = NullMask(count: values.count) }
                nulls?.insert(i)
            case .number(.int(let x)): bits[i] = x
            case .number(.decimal(let d)):
                bits[i] = d.mantissa
                scales[i] = Int8(d.scale)
            case .number(.double(let d)):
                bits[i] = Int64(bitPattern: d.bitPattern)
                scales[i] = -1
            default:
                return nil
            }
        }
        self.bits = bits
        self.scales = scales
        self.nulls = nulls
    }

    /// Blocks of rows one after another (each but the last a multiple of 64 rows long).
    package init(joining parts: [MixedNumbers]) {
        let total = parts.reduce(0) { $0 + $1.count }
        var bits: [Int64] = [], scales: [Int8] = []
        bits.reserveCapacity(total)
        scales.reserveCapacity(total)
        var nulls: NullMask?
        for part in parts {
            if let m = part.nulls {
                if nulls == nil { nulls = NullMask(count: total) }
                nulls?.place(m, at: bits.count)
            }
            bits += part.bits
            scales += part.scales
        }
        self.bits = bits
        self.scales = scales
        self.nulls = nulls
    }

    @inlinable @inline(__always)
    package func isNull(_ r: Int) -> Bool { nulls?.contains(r) ?? false }

    @inlinable @inline(__always)
    package func isDouble(_ r: Int) -> Bool { scales[r] < 0 }

    /// Row r as a double (for a double row, the double itself).
    @inlinable @inline(__always)
    package func double(_ r: Int) -> Double {
        let s = scales[r]
        if s < 0 { return Double(bitPattern: UInt64(bitPattern: bits[r])) }
        return Double(bits[r]) / Double(Decimal64.power(Int(s)))
    }

    /// Row r's number (not null).
    @inlinable package func number(_ r: Int) -> Number {
        let s = Int(scales[r])
        if s < 0 { return .double(Double(bitPattern: UInt64(bitPattern: bits[r]))) }
        if s == 0 { return .int(bits[r]) }
        return Number.exact(bits[r], scale: s) ?? .double(double(r))
    }

    @inlinable package func value(_ r: Int) -> Value {
        isNull(r) ? .null : .number(number(r))
    }

    /// The rows `rows`, in that order.
    @inlinable package func gathering(_ rows: [Int]) -> MixedNumbers {
        var out = self
        out.bits = rows.map { bits[$0] }
        out.scales = rows.map { scales[$0] }
        out.nulls = nulls?.gathering(rows)
        return out
    }

    /// The rows `rows`, in that order; null where a row is negative (no match).
    @inlinable package func gathering(_ rows: [Int32]) -> MixedNumbers {
        var out = self
        out.bits = rows.map { $0 < 0 ? 0 : bits[Int($0)] }
        out.scales = rows.map { $0 < 0 ? 0 : scales[Int($0)] }
        var mask: NullMask?
        for (i, r) in rows.enumerated() where r < 0 || isNull(Int(r)) {
            if mask == nil { mask = NullMask(count: rows.count) }
            mask?.insert(i)
        }
        out.nulls = mask
        return out
    }

    /// Rows `range` (starting at a multiple of 64).
    @inlinable package func slice(_ range: Range<Int>) -> MixedNumbers {
        var out = self
        out.bits = Array(bits[range])
        out.scales = Array(scales[range])
        out.nulls = nulls?.slice(range)
        return out
    }
}
