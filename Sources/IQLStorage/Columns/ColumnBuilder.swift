import IQLCore
/// Turns one CSV column's fields, as bytes, into a typed column as they arrive. `append`
/// returns false when a field does not fit the builder's type; the loader then falls back to
/// reading that column's text and inferring its type from all of it.
package struct ColumnBuilder {
    package enum Kind {
        case number, date, rating, bool, text
        /// Keeps every field as text (dictionary codes), to decide the type at the end.
        case raw
    }

    package let kind: Kind
    package private(set) var rows = 0
    private var nulls: NullMask?
    /// Mantissas (number), day numbers (date) or dictionary codes (text, raw).
    private var ints: PackedIntsBuilder
    /// Decimal places of the mantissas.
    private var scale = 0
    // rating, bool
    private var small: [Int8] = []
    private var flags: [UInt8] = []
    private var dictionary = TextDictionaryBuilder()

    package init(kind: Kind, capacity: Int) {
        self.kind = kind
        switch kind {
        case .number, .date, .text, .raw: ints = PackedIntsBuilder(capacity: capacity)
        case .rating:
            ints = PackedIntsBuilder(capacity: 0)
            small.reserveCapacity(capacity)
        case .bool:
            ints = PackedIntsBuilder(capacity: 0)
            flags.reserveCapacity(capacity)
        }
    }

    private mutating func markNull() {
        markNull(at: rows)
    }

    private mutating func markNull(at row: Int) {
        if nulls == nil { nulls = NullMask(count: max(row + 1, 64)) }
        nulls?.insert(row)
    }

    /// Adds a field; false if it does not fit the type.
    package mutating func append(_ field: UnsafeRawBufferPointer) -> Bool {
        switch kind {
        case .text, .raw:
            ints.append(field.isEmpty ? 0 : Int64(dictionary.code(for: field)))
        case .number:
            switch ColumnBuilder.number(field) {
            case .null:
                markNull()
                ints.appendNull()
            case .value(let (m, s)): guard appendNumber(m, s) else { return false }
            case .misfit: return false
            }
        case .date:
            switch ColumnBuilder.date(field) {
            case .null:
                markNull()
                ints.appendNull()
            case .value(let d): ints.append(Int64(d))
            case .misfit: return false
            }
        case .rating:
            switch ColumnBuilder.rating(field) {
            case .null: small.append(0)
            case .value(let r): small.append(r.rawValue)
            case .misfit: return false
            }
        case .bool:
            guard let flag = ColumnBuilder.flag(field) else { return false }
            flags.append(flag)
        }
        rows += 1
        return true
    }

    /// Appends a block's fields for this column, one loop of the builder's kind. Returns the
    /// first row of the block whose field does not fit (the builder is then to be discarded,
    /// as after `append` returns false), or nil. `values` has room for the block's rows.
    package mutating func append(_ fields: FieldBlock.Fields, values: UnsafeMutablePointer<Int64>) -> Int? {
        let n = fields.count
        let first = rows
        switch kind {
        case .text, .raw:
            dictionary.codes(for: fields, into: values)
            ints.append(values, count: n)
        case .number:
            var run = BlockRun(values: values)
            for r in 0..<n {
                switch ColumnBuilder.number(fields[r]) {
                case .null:
                    markNull(at: first &+ r)
                    run.null(at: r)
                case .value(let (m, s)):
                    if s == scale {
                        run.value(m, at: r)
                    } else if s < scale {
                        let (v, o) = m.multipliedReportingOverflow(by: Decimal64.power(scale - s))
                        if o { return r }
                        run.value(v, at: r)
                    } else {
                        // A finer scale: what is held so far is rescaled, so first hand it over.
                        run.flush(into: &ints, through: r)
                        guard appendNumber(m, s) else { return r }
                        run.restart(after: r, lastValue: m)
                    }
                case .misfit: return r
                }
            }
            run.flush(into: &ints, through: n)
        case .date:
            var run = BlockRun(values: values)
            for r in 0..<n {
                switch ColumnBuilder.date(fields[r]) {
                case .null:
                    markNull(at: first &+ r)
                    run.null(at: r)
                case .value(let d): run.value(Int64(d), at: r)
                case .misfit: return r
                }
            }
            run.flush(into: &ints, through: n)
        case .rating:
            let start = small.count
            small.append(contentsOf: repeatElement(0, count: n))
            let bad = small.withUnsafeMutableBufferPointer { out -> Int? in
                for r in 0..<n {
                    switch ColumnBuilder.rating(fields[r]) {
                    case .null: continue
                    case .value(let rating): out[start &+ r] = rating.rawValue
                    case .misfit: return r
                    }
                }
                return nil
            }
            if let bad { return bad }
        case .bool:
            for r in 0..<n {
                guard let flag = ColumnBuilder.flag(fields[r]) else { return r }
                flags.append(flag)
            }
        }
        rows = first &+ n
        return nil
    }

    /// A block's values on their way to the integer builder. A null row needs a value inside
    /// the range (the mask says it is null), so it borrows a neighbour's; rows before the first
    /// value wait for it, and a run of only nulls is appended as nulls.
    private struct BlockRun {
        package let values: UnsafeMutablePointer<Int64>
        /// The first row not yet handed to the builder.
        package var start = 0
        package var last: Int64?
        package var waiting = 0

        package init(values: UnsafeMutablePointer<Int64>) { self.values = values }

        @inline(__always)
        package mutating func value(_ v: Int64, at r: Int) {
            values[r] = v
            if last == nil {
                for w in (r &- waiting)..<r { values[w] = v }
                waiting = 0
            }
            last = v
        }

        @inline(__always)
        package mutating func null(at r: Int) {
            if let last { values[r] = last } else { waiting &+= 1 }
        }

        /// Hands rows `start..<end` to the builder.
        package mutating func flush(into ints: inout PackedIntsBuilder, through end: Int) {
            if last == nil {
                for _ in start..<end { ints.appendNull() }
            } else {
                ints.append(values + start, count: end &- start)
            }
            start = end
            waiting = 0
        }

        /// Carries on after row `r`, which the builder took itself with value `lastValue`.
        package mutating func restart(after r: Int, lastValue: Int64) {
            start = r &+ 1
            last = lastValue
            waiting = 0
        }
    }

    /// True if the builder refused this field as a number only because it does not fit the
    /// column's exact scale, not because it is not a number.
    package func isOverflowingNumber(_ field: UnsafeRawBufferPointer) -> Bool {
        kind == .number && ColumnBuilder.exactNumber(ColumnBuilder.trimmed(field)) != nil
    }

    /// Brings the column to a common scale; false on overflow (the loader then falls back).
    private mutating func appendNumber(_ m: Int64, _ s: Int) -> Bool {
        // Nearly every value has the column's scale already (whole numbers, one-place rates).
        if s == scale {
            ints.append(m)
            return true
        }
        if s > scale {
            guard ints.multiply(by: Decimal64.power(s - scale)) else { return false }
            scale = s
        }
        let (v, o) = m.multipliedReportingOverflow(by: Decimal64.power(scale - s))
        if o { return false }
        ints.append(v)
        return true
    }

    /// Appends the rows another builder of the same kind read (the next part of the file).
    /// False if the two cannot be joined exactly (decimal scales that overflow together).
    package mutating func append(contentsOf other: ColumnBuilder) -> Bool {
        guard kind == other.kind else { return false }
        if let otherNulls = other.nulls {
            for r in 0..<other.rows where otherNulls.contains(r) {
                if nulls == nil { nulls = NullMask(count: rows + other.rows) }
                nulls?.insert(rows + r)
            }
        }
        switch kind {
        case .number:
            var theirs = other.ints
            if other.scale > scale {
                guard ints.multiply(by: Decimal64.power(other.scale - scale)) else { return false }
                scale = other.scale
            } else if other.scale < scale {
                guard theirs.multiply(by: Decimal64.power(scale - other.scale)) else { return false }
            }
            ints.append(contentsOf: theirs)
        case .date: ints.append(contentsOf: other.ints)
        case .rating: small.append(contentsOf: other.small)
        case .bool: flags.append(contentsOf: other.flags)
        case .text, .raw:
            let remap = dictionary.merge(other.dictionary).map { Int64($0) }
            ints.append(contentsOf: other.ints, mapped: remap)
        }
        rows += other.rows
        return true
    }

    /// Whether a text field read so far is not valid UTF-8.
    package var hasInvalidUTF8: Bool { dictionary.hasInvalidUTF8 }

    package func finish() -> Column {
        let activeNulls = nulls.flatMap { $0.isEmpty ? nil : $0 }
        switch kind {
        case .number:
            let mantissas = ints.finish()
            return Column(storage: scale == 0 ? .int64(mantissas, nulls: activeNulls)
                                              : .decimal(mantissas, scale: scale, nulls: activeNulls), count: rows)
        case .date: return Column(storage: .date(ints.finish(), nulls: activeNulls), count: rows)
        case .rating: return Column(storage: .rating(small), count: rows)
        case .bool: return Column(storage: .bool(flags), count: rows)
        case .text, .raw: return Column(storage: .text(ints.finish(), dictionary.build()), count: rows)
        }
    }

    // MARK: - Parsing bytes

    /// What a field of a typed column holds: no value, a value, or something that does not fit
    /// the type. Both `append`s read fields through the functions below, so the rules for what
    /// counts as null live in one place.
    package enum Parsed<T> {
        case null, value(T), misfit
    }

    /// A number field: empty or a suppression marker is null.
    @inline(__always)
    package static func number(_ field: UnsafeRawBufferPointer) -> Parsed<(Int64, Int)> {
        let f = trimmed(field)
        if f.isEmpty { return .null }
        if let n = exactNumber(f) { return .value(n) }
        return isMarker(f) ? .null : .misfit
    }

    /// A date field (`YYYY-MM-DD`): empty is null.
    @inline(__always)
    package static func date(_ field: UnsafeRawBufferPointer) -> Parsed<Int32> {
        let f = trimmed(field)
        if f.isEmpty { return .null }
        return isoDate(f).map { .value($0) } ?? .misfit
    }

    /// A rating field in Ofsted's wording: empty is null.
    @inline(__always)
    package static func rating(_ field: UnsafeRawBufferPointer) -> Parsed<Rating> {
        let f = trimmed(field)
        if f.isEmpty { return .null }
        return rating(wording: f).map { .value($0) } ?? .misfit
    }

    @inline(__always)
    package static func trimmed(_ f: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lo = 0, hi = f.count
        while lo < hi, f[lo] == 0x20 || f[lo] == 0x09 { lo += 1 }
        while hi > lo, f[hi - 1] == 0x20 || f[hi - 1] == 0x09 { hi -= 1 }
        return lo == 0 && hi == f.count ? f : UnsafeRawBufferPointer(rebasing: f[lo..<hi])
    }

    /// A boolean field as stored: 0 empty, 1 false, 2 true; nil if it is neither.
    package static func flag(_ field: UnsafeRawBufferPointer) -> UInt8? {
        switch String(decoding: trimmed(field), as: UTF8.self).lowercased() {
        case "": return 0
        case "false": return 1
        case "true": return 2
        default: return nil
        }
    }

    package static func isMarker(_ f: UnsafeRawBufferPointer) -> Bool {
        f.count <= 3 && CSVLoader.suppressionMarkers.contains(String(decoding: f, as: UTF8.self).lowercased())
    }

    /// An integer or plain decimal as mantissa and scale, read straight from the bytes; other
    /// forms (thousands separators, exponents) through the general parser. nil if it is not a
    /// number IQL holds exactly, or an integer written with a leading zero (a code, so text).
    package static func exactNumber(_ f: UnsafeRawBufferPointer) -> (Int64, Int)? {
        // A whole number with a leading zero is a code such as 007: the column is text.
        if hasLeadingZero(f) { return nil }
        let n = f.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if f[0] == 0x2D { negative = true; i = 1 } else if f[0] == 0x2B { i = 1 }
        // One unsigned compare a byte: digits before the point, then after it. More than 18
        // digits can wrap `m`, but such a number goes to the general parser below.
        var m: Int64 = 0
        let whole = i
        while i < n {
            let d = f[i] &- 0x30
            if d > 9 { break }
            m = m &* 10 &+ Int64(d)
            i &+= 1
        }
        var digits = i &- whole
        var scale = 0
        if i < n && f[i] == 0x2E {
            i &+= 1
            let fraction = i
            while i < n {
                let d = f[i] &- 0x30
                if d > 9 { break }
                m = m &* 10 &+ Int64(d)
                i &+= 1
            }
            scale = i &- fraction
            digits &+= scale
        }
        if i != n || digits > 18 { return slowNumber(f) }
        guard digits > 0 else { return nil }
        return (negative ? -m : m, scale)
    }

    /// Whether a number is written with a leading zero that is not before the point (`007`,
    /// `01.5`, but not `0` or `0.5`), after an optional sign: such numbers are codes.
    @inline(__always)
    package static func hasLeadingZero(_ f: UnsafeRawBufferPointer) -> Bool {
        let start = f.count > 0 && (f[0] == 0x2D || f[0] == 0x2B) ? 1 : 0
        return f.count - start > 1 && f[start] == 0x30 && f[start + 1] != 0x2E
    }

    private static func slowNumber(_ f: UnsafeRawBufferPointer) -> (Int64, Int)? {
        switch CSVLoader.parseNumber(String(decoding: f, as: UTF8.self)) {
        case .int(let i)?: return (i, 0)
        case .decimal(let d)?: return (d.mantissa, d.scale)
        default: return nil
        }
    }

    /// Ofsted's wording in any case, matched on the bytes (this runs once a field).
    package static func rating(wording f: UnsafeRawBufferPointer) -> Rating? {
        // The wordings all differ in length, so the length picks the one to compare. Static
        // strings, not arrays: reading one costs no reference count, once a field.
        let wording: StaticString, written: StaticString
        let rating: Rating
        switch f.count {
        case 11: (wording, written, rating) = ("outstanding", "Outstanding", .outstanding)
        case 4: (wording, written, rating) = ("good", "Good", .good)
        case 31: (wording, written, rating) = ("requires improvement to be good", "Requires improvement to be good", .requiresImprovement)
        case 20: (wording, written, rating) = ("requires improvement", "Requires improvement", .requiresImprovement)
        case 10: (wording, written, rating) = ("inadequate", "Inadequate", .inadequate)
        default: return nil
        }
        // Ofsted's own capitalisation, compared a word at a time, is nearly every field.
        if let p = f.baseAddress, ColumnBuilder.sameWords(p, written.utf8Start, f.count) { return rating }
        let bytes = wording.utf8Start
        for i in 0..<f.count {
            let expected = bytes[i]
            // Letters match in either case; anything else exactly.
            let same = expected >= 0x61 && expected <= 0x7A ? f[i] | 0x20 == expected : f[i] == expected
            if !same { return nil }
        }
        return rating
    }

    /// Whether `n` bytes at `a` and `b` are equal, compared eight at a time (`n` at least 4).
    @inline(__always)
    private static func sameWords(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n < 8 {
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
        }
        var i = 0
        while i &+ 8 < n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        // The last eight bytes, overlapping the words before.
        return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    }

    package static func isoDate(_ f: UnsafeRawBufferPointer) -> Int32? {
        guard f.count == 10, f[4] == 0x2D, f[7] == 0x2D else { return nil }
        // Eight digits, each checked with one unsigned compare, then the day number computed
        // in place: this runs for every date field of a file.
        let y0 = f[0] &- 0x30, y1 = f[1] &- 0x30, y2 = f[2] &- 0x30, y3 = f[3] &- 0x30
        let m0 = f[5] &- 0x30, m1 = f[6] &- 0x30, d0 = f[8] &- 0x30, d1 = f[9] &- 0x30
        guard max(max(max(y0, y1), max(y2, y3)), max(max(m0, m1), max(d0, d1))) <= 9 else { return nil }
        let y = Int(y0) &* 1000 &+ Int(y1) &* 100 &+ Int(y2) &* 10 &+ Int(y3)
        let m = Int(m0) &* 10 &+ Int(m1), d = Int(d0) &* 10 &+ Int(d1)
        return Day.ordinal(year: y, month: m, day: d)
    }
}
