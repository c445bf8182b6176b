import IQLCore
/// Collects integers one at a time into `PackedInts`, starting at 8 bits and re-encoding what
/// it holds when a value falls outside the current width, so a column never takes more than
/// its range needs, even while it is being read.
package struct PackedIntsBuilder {
    private var w8: [Int8] = []
    private var w16: [Int16] = []
    private var w32: [Int32] = []
    private var w64: [Int64] = []
    private var width = 1
    private var base: Int64 = 0
    private var lo = Int64.max, hi = Int64.min
    /// Rows to reserve room for in whichever array is in use.
    private let capacity: Int
    /// Re-encodings so far: after a few, the builder goes straight to 64 bits, so data whose
    /// range keeps growing is not copied again and again.
    private var reencodings = 0
    package private(set) var count = 0

    package init(capacity: Int) {
        self.capacity = capacity
        w8.reserveCapacity(capacity)
    }

    package var hasValues: Bool { lo <= hi }

    @inline(__always)
    package mutating func append(_ v: Int64) {
        if v >= lo && v <= hi {
            // Inside the range seen so far, so it fits the width that holds that range.
            let d = v &- base
            switch width {
            case 1: w8.append(Int8(truncatingIfNeeded: d))
            case 2: w16.append(Int16(truncatingIfNeeded: d))
            case 4: w32.append(Int32(truncatingIfNeeded: d))
            default: w64.append(v)
            }
            count += 1
            return
        }
        appendWidening(v)
    }

    private mutating func appendWidening(_ v: Int64) {
        if v < lo || v > hi {
            if lo > hi { base = v }
            lo = min(lo, v)
            hi = max(hi, v)
        }
        let (d, o) = v.subtractingReportingOverflow(base)
        if !o {
            switch width {
            case 1: if let x = Int8(exactly: d) { w8.append(x); count += 1; return }
            case 2: if let x = Int16(exactly: d) { w16.append(x); count += 1; return }
            case 4: if let x = Int32(exactly: d) { w32.append(x); count += 1; return }
            default: break
            }
        }
        if width == 8 {
            w64.append(v)
            count += 1
            return
        }
        reencode()
        appendWidening(v)
    }

    /// A row with no value: any value inside the range will do, as the caller keeps the nulls.
    @inline(__always)
    package mutating func appendNull() {
        switch width {
        case 1: w8.append(0)
        case 2: w16.append(0)
        case 4: w32.append(0)
        default: w64.append(lo)
        }
        count += 1
    }

    /// What has been read so far, as packed integers sharing the builder's storage; null rows
    /// read as a value inside the range.
    package var view: PackedInts {
        switch width {
        case 1: return PackedInts(base: base, words: .i8(w8))
        case 2: return PackedInts(base: base, words: .i16(w16))
        case 4: return PackedInts(base: base, words: .i32(w32))
        default: return PackedInts(base: 0, words: .i64(w64))
        }
    }

    /// Re-encodes everything at a width holding the range with as much room again on each
    /// side, centred on it (64 bits after a few times).
    private mutating func reencode() {
        reencodings += 1
        var (target, newBase) = (8, Int64(0))
        if reencodings <= 6 {
            // Half the span again on each side.
            let (span, o1) = hi.subtractingReportingOverflow(lo)
            let (wide, o2) = span.multipliedReportingOverflow(by: 2)
            if !o1, !o2 {
                let layout = PackedInts.layout(lo: lo, hi: lo &+ wide)
                target = layout.width
                newBase = target == 8 ? 0 : lo &+ span / 2
            }
        }
        let old = self
        w8 = []
        w16 = []
        w32 = []
        w64 = []
        width = target
        base = newBase
        let room = max(capacity, old.count)
        switch target {
        case 1: w8 = PackedIntsBuilder.offsets(old, base: newBase, room: room)
        case 2: w16 = PackedIntsBuilder.offsets(old, base: newBase, room: room)
        case 4: w32 = PackedIntsBuilder.offsets(old, base: newBase, room: room)
        default:
            w64.reserveCapacity(room)
            w64.append(contentsOf: old.view)
        }
    }

    private static func offsets<T: FixedWidthInteger>(_ old: PackedIntsBuilder, base: Int64, room: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(room)
        let values = old.view
        for v in values { out.append(T(truncatingIfNeeded: v &- base)) }
        return out
    }

    /// Appends `count` values at once: room is made for their range first, so the copy is one
    /// loop at the builder's width, with no check or switch per value.
    package mutating func append(_ values: UnsafePointer<Int64>, count n: Int) {
        guard n > 0 else { return }
        var (low, high) = (values[0], values[0])
        for i in 1..<n {
            low = min(low, values[i])
            high = max(high, values[i])
        }
        if low < lo || high > hi {
            append(low)
            append(high)
            removeLastTwo()
        }
        let offset = base
        func copy<D: FixedWidthInteger>(into target: inout [D]) {
            let start = target.count
            target.append(contentsOf: repeatElement(0, count: n))
            target.withUnsafeMutableBufferPointer { target in
                for i in 0..<n { target[start &+ i] = D(truncatingIfNeeded: values[i] &- offset) }
            }
        }
        switch width {
        case 1: copy(into: &w8)
        case 2: copy(into: &w16)
        case 4: copy(into: &w32)
        default: w64.append(contentsOf: UnsafeBufferPointer(start: values, count: n))
        }
        count += n
    }

    /// Appends another builder's rows; its null rows stay null rows (their offsets are its base,
    /// which lies inside its range, so the range here does not grow because of them).
    package mutating func append(contentsOf other: PackedIntsBuilder) {
        guard other.hasValues else {
            for _ in 0..<other.count { appendNull() }
            return
        }
        append(contentsOf: other, mapped: nil)
    }

    /// Appends another builder's rows, each value first put through `map` if given (codes of
    /// one dictionary turned into codes of another). `map` must keep the other's null rows
    /// inside the range of the values it maps.
    package mutating func append(contentsOf other: PackedIntsBuilder, mapped map: [Int64]?) {
        guard other.count > 0 else { return }
        // The range the appended values take, so room is made once, before any is copied.
        var (low, high) = (other.lo, other.hi)
        if let map {
            // Dictionary codes: every code from the other's lowest value to its highest occurs
            // (each was made by a value), so the mapped range is the map's over those codes,
            // a few thousand lookups rather than one a row.
            (low, high) = (Int64.max, Int64.min)
            if other.lo >= 0, other.hi < Int64(map.count) {
                for c in Int(other.lo)...Int(other.hi) {
                    low = min(low, map[c])
                    high = max(high, map[c])
                }
            } else {
                let otherValues = other.view
                for i in 0..<other.count {
                    let v = map[Int(otherValues[i])]
                    low = min(low, v)
                    high = max(high, v)
                }
            }
        }
        if low < lo || high > hi {
            append(low)
            append(high)
            removeLastTwo()
        }
        // Every value now fits: copy at the two widths without a check or switch per value.
        let (fromBase, toBase) = (other.base, base)
        func copy<S: FixedWidthInteger, D: FixedWidthInteger>(_ source: [S], into target: inout [D]) {
            // Zeros first (a memset), then one tight loop over plain buffers: appending a lazy
            // map went value by value through the array's append, the slowest part of the join.
            let start = target.count
            target.append(contentsOf: repeatElement(0, count: source.count))
            target.withUnsafeMutableBufferPointer { target in
                source.withUnsafeBufferPointer { source in
                    if let map {
                        for i in 0..<source.count {
                            target[start + i] = D(truncatingIfNeeded: map[Int(fromBase &+ Int64(source[i]))] &- toBase)
                        }
                    } else {
                        let shift = fromBase &- toBase
                        for i in 0..<source.count { target[start + i] = D(truncatingIfNeeded: Int64(source[i]) &+ shift) }
                    }
                }
            }
        }
        func copy<S: FixedWidthInteger>(_ source: [S]) {
            switch width {
            case 1: copy(source, into: &w8)
            case 2: copy(source, into: &w16)
            case 4: copy(source, into: &w32)
            default:
                // 64-bit words hold values, not offsets (their base is 0).
                copy(source, into: &w64)
            }
        }
        switch other.width {
        case 1: copy(other.w8)
        case 2: copy(other.w16)
        case 4: copy(other.w32)
        default: copy(other.w64)
        }
        count += other.count
    }

    private mutating func removeLastTwo() {
        switch width {
        case 1: w8.removeLast(2)
        case 2: w16.removeLast(2)
        case 4: w32.removeLast(2)
        default: w64.removeLast(2)
        }
        count -= 2
    }

    /// Multiplies every value by `factor` (a decimal column moving to a finer scale); false on
    /// overflow, leaving the builder as it was.
    package mutating func multiply(by factor: Int64) -> Bool {
        guard count > 0 else { return true }
        var scaled = PackedIntsBuilder(capacity: max(capacity, count))
        for value in view {
            let (v, o) = value.multipliedReportingOverflow(by: factor)
            if o { return false }
            scaled.append(v)
        }
        self = scaled
        return true
    }

    /// The packed integers, at the narrowest width for the range.
    package func finish() -> PackedInts {
        guard hasValues else { return PackedInts(base: 0, words: .i8(Array(repeating: 0, count: count))) }
        let layout = PackedInts.layout(lo: lo, hi: hi)
        if layout.width == width { return view }
        // The room kept while reading is no longer needed.
        let values = view
        return PackedInts(base: layout.base, words: PackedInts.pack(count, width: layout.width, base: layout.base) { values[$0] })
    }
}
