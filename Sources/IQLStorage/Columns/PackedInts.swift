import IQLCore
/// Integers kept as offsets from a base, at the narrowest of 8, 16, 32 or 64 bits that holds
/// their range: a column of dictionary codes for nine regions takes a byte a row, a column of
/// inspection dates two, where plain `Int64`s would take eight.
@usableFromInline package struct PackedInts: Sendable, RandomAccessCollection {
    /// The offsets, at one width.
    @usableFromInline package enum Words: Sendable {
        case i8([Int8]), i16([Int16]), i32([Int32]), i64([Int64])
    }

    /// Added to every offset; 0 for 64-bit words. Chosen so `base + offset` never overflows.
    @usableFromInline package let base: Int64
    /// Bytes a value takes: 1, 2, 4 or 8; the array of that width holds the offsets.
    @usableFromInline package let width: Int
    // Four plain arrays rather than the enum: an enum would keep its case in the spare bits of
    // the array pointer, which leak checkers (LeakSanitizer under the fuzzers) cannot follow.
    @usableFromInline let w8: [Int8], w16: [Int16], w32: [Int32], w64: [Int64]

    @inlinable package init(base: Int64, words: Words) {
        self.base = base
        switch words {
        case .i8(let a): (width, w8, w16, w32, w64) = (1, a, [], [], [])
        case .i16(let a): (width, w8, w16, w32, w64) = (2, [], a, [], [])
        case .i32(let a): (width, w8, w16, w32, w64) = (4, [], [], a, [])
        case .i64(let a): (width, w8, w16, w32, w64) = (8, [], [], [], a)
        }
    }

    /// Packs values at the narrowest width that holds their range.
    package init(_ values: [Int64]) {
        guard !values.isEmpty else {
            self.init(base: 0, words: .i8([]))
            return
        }
        // One pass for both ends, and plain loops over the buffer: the compiler vectorises
        // them (a derived column of 1M rows: 17 ms to pack through `min()`, `max()` and `map`).
        var lo = Int64.max, hi = Int64.min
        values.withUnsafeBufferPointer { v in
            for x in v {
                lo = Swift.min(lo, x)
                hi = Swift.max(hi, x)
            }
        }
        let layout = PackedInts.layout(lo: lo, hi: hi)
        let base = layout.base
        func narrowed<T: FixedWidthInteger>(_: T.Type) -> [T] {
            [T](unsafeUninitializedCapacity: values.count) { out, initialised in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<v.count { out[i] = T(truncatingIfNeeded: v[i] &- base) }
                }
                initialised = values.count
            }
        }
        switch layout.width {
        case 1: self.init(base: base, words: .i8(narrowed(Int8.self)))
        case 2: self.init(base: base, words: .i16(narrowed(Int16.self)))
        case 4: self.init(base: base, words: .i32(narrowed(Int32.self)))
        default: self.init(base: 0, words: .i64(values))
        }
    }

    @inlinable package var startIndex: Int { 0 }

    @inlinable package var endIndex: Int {
        switch width {
        case 1: return w8.count
        case 2: return w16.count
        case 4: return w32.count
        default: return w64.count
        }
    }

    @inlinable @inline(__always)
    package subscript(i: Int) -> Int64 {
        switch width {
        case 1: return base &+ Int64(w8[i])
        case 2: return base &+ Int64(w16[i])
        case 4: return base &+ Int64(w32[i])
        default: return w64[i]
        }
    }

    /// Runs the function written for the stored width on the offsets. Hot loops are written
    /// once as a generic function and passed four times, so each width gets its own
    /// specialised loop instead of a switch per value.
    @inlinable @inline(__always)
    package func visit<R>(_ f8: ([Int8]) throws -> R, _ f16: ([Int16]) throws -> R, _ f32: ([Int32]) throws -> R,
                  _ f64: ([Int64]) throws -> R) rethrows -> R {
        switch width {
        case 1: return try f8(w8)
        case 2: return try f16(w16)
        case 4: return try f32(w32)
        default: return try f64(w64)
        }
    }

    /// The smallest and largest value (the base added), nil if there are none.
    package func range() -> (Int64, Int64)? {
        func run<T: FixedWidthInteger>(_ a: [T]) -> (Int64, Int64)? {
            guard let (lo, hi) = Self.bounds(a) else { return nil }
            return (base &+ Int64(lo), base &+ Int64(hi))
        }
        return visit(run, run, run, run)
    }

    /// The least and greatest stored word, in one pass; nil when there are none.
    package static func bounds<T: FixedWidthInteger>(_ a: [T]) -> (T, T)? {
        guard var lo = a.first else { return nil }
        var hi = lo
        for x in a {
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
        }
        return (lo, hi)
    }

    // MARK: - Layout

    /// The narrowest width (in bytes) holding [lo, hi], and the base that centres the range in it.
    @inlinable package static func layout(lo: Int64, hi: Int64) -> (width: Int, base: Int64) {
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow else { return (8, 0) }
        for width in [1, 2, 4] where span <= (Int64(1) << (8 * width)) - 1 {
            // lo sits at or above the bottom of the signed range and hi at or below the top.
            return (width, lo + (span + 1) / 2)
        }
        return (8, 0)
    }

    /// Words of the given width for `count` values read through `value`, which all fit.
    @inlinable package static func pack(_ count: Int, width: Int, base: Int64, _ value: (Int) -> Int64) -> Words {
        switch width {
        case 1: return .i8((0..<count).map { Int8(truncatingIfNeeded: value($0) &- base) })
        case 2: return .i16((0..<count).map { Int16(truncatingIfNeeded: value($0) &- base) })
        case 4: return .i32((0..<count).map { Int32(truncatingIfNeeded: value($0) &- base) })
        default: return .i64((0..<count).map { value($0) })
        }
    }
}
