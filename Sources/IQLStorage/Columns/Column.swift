import IQLCore
/// One column of values, all of the column's type or null.
///
/// Values are stored by type: integers, exact decimals, dates, doubles and ratings in flat
/// arrays, integers packed to the width their range needs; text as codes into a dictionary of
/// its distinct strings, so a million-row column of regions is a byte a row. Anything else
/// (lists, mixed kinds of number) is kept as values.
public struct Column: Sendable {
    @usableFromInline package enum Storage: Sendable {
        case boxed([Value])
        case int64(PackedInts, nulls: NullMask?)
        /// Mantissas at one scale: the value is `m / 10^scale`.
        case decimal(PackedInts, scale: Int, nulls: NullMask?)
        case double([Double], nulls: NullMask?)
        /// Code 0 is null.
        case text(PackedInts, TextDictionary)
        /// Day numbers (`Day.ordinal`).
        case date(PackedInts, nulls: NullMask?)
        /// 0 is null, otherwise `Rating.rawValue`.
        case rating([Int8])
        /// 0 null, 1 false, 2 true.
        case bool([UInt8])
        /// Exact numbers at several scales and doubles, row by row: what a division gives.
        case numbers(MixedNumbers)
    }

    /// Holds the storage by reference, so that copying a column (every filter's result, every
    /// `select`) is one retain, not one for each of the storage's arrays (about 750
    /// instructions a column). A class, not an `indirect` enum: an indirect case keeps its tag
    /// in the box pointer's spare bits, which leak checkers (LeakSanitizer under the fuzzers)
    /// cannot follow.
    @usableFromInline final class Box: Sendable {
        @usableFromInline package let storage: Storage
        @inlinable package init(_ storage: Storage) { self.storage = storage }
    }

    @usableFromInline let box: Box
    @inlinable package var storage: Storage { box.storage }
    /// The rows of `storage` this column shows, in order; nil for all of them. Filtering,
    /// sorting and joining make a selection instead of copying values.
    @usableFromInline package private(set) var selection: Selection?
    /// Number of rows.
    public let count: Int

    /// Another view of `column`'s storage, sharing it (no copy, no allocation).
    @inlinable package init(viewing column: Column, count: Int, selection: Selection?) {
        box = column.box
        self.count = count
        self.selection = selection
    }

    @inlinable package init(storage: Storage, count: Int, selection: Selection? = nil) {
        box = Box(storage)
        self.count = count
        self.selection = selection
    }

    /// The storage row behind a row of the column.
    @inlinable @inline(__always)
    package func physical(_ row: Int) -> Int {
        selection.map { $0.rows[row] } ?? row
    }

    /// Makes a column from values, choosing the most compact storage that holds them exactly.
    @inlinable public init(_ values: [Value]) {
        count = values.count
        box = Box(Column.compact(values))
    }

    /// The value at a row.
    public subscript(row: Int) -> Value {
        let row = physical(row)
        switch storage {
        case .boxed(let v): return v[row]
        case .int64(let v, let nulls):
            if let nulls, nulls.contains(row) { return .null }
            return .int(v[row])
        case .decimal(let v, let scale, let nulls):
            if let nulls, nulls.contains(row) { return .null }
            return .number(Number.exact(v[row], scale: scale) ?? .double(Double(v[row]) / Double(Decimal64.power(scale))))
        case .double(let v, let nulls):
            if let nulls, nulls.contains(row) { return .null }
            return .double(v[row])
        case .text(let codes, let dictionary):
            let c = codes[row]
            return c == 0 ? .null : .text(dictionary.strings[Int(c)])
        case .date(let v, let nulls):
            if let nulls, nulls.contains(row) { return .null }
            return .date(Day(ordinal: Int32(truncatingIfNeeded: v[row])))
        case .rating(let v):
            return Rating(rawValue: v[row]).map(Value.rating) ?? .null
        case .numbers(let m):
            return m.value(row)
        case .bool(let v):
            switch v[row] {
            case 1: return .bool(false)
            case 2: return .bool(true)
            default: return .null
            }
        }
    }

    /// All values, in row order.
    @inlinable public var values: [Value] {
        if case .boxed(let v) = storage { return v }
        return (0..<count).map { self[$0] }
    }

    /// The distinct text values the column holds; from the dictionary when the column is
    /// text (and shows all of its storage), without visiting the rows.
    @inlinable package var distinctTexts: Set<String> {
        if case .text(_, let dictionary) = storage, selection == nil { return Set(dictionary.strings.dropFirst()) }
        var set = Set<String>()
        for r in 0..<count { if case .text(let s) = self[r] { set.insert(s) } }
        return set
    }

    /// How many of the bytes are zero, eight at a time: each word's zero bytes become 1s in
    /// their own bytes and are added up bytewise, 255 words at most before the bytes are
    /// summed. A byte loop compiled to a branch and a checked add a byte (2.7 ms over 1M
    /// ratings, for a note that needs the count), and isNull per row to 6.5 ms.
    private static func zeroByteCount<T: FixedWidthInteger>(_ a: [T]) -> Int {
        a.withUnsafeBytes { raw in
            let evens: UInt64 = 0x00FF_00FF_00FF_00FF
            var n = 0, i = 0
            let words = raw.count / 8
            while i < words {
                let end = min(words, i &+ 255)
                var lanes: UInt64 = 0
                while i < end {
                    let x = raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)
                    lanes &+= BitWords.zeroBytes(x) >> 7
                    i &+= 1
                }
                // Bytes to 16-bit lanes (at most 2 x 255 each), then the four lanes summed.
                let pairs = (lanes & evens) &+ ((lanes >> 8) & evens)
                n &+= Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
            }
            for k in (words &* 8)..<raw.count where raw[k] == 0 { n &+= 1 }
            return n
        }
    }

    /// How many elements equal `x`: a loop over the buffer with one exit and no branch a row,
    /// which the compiler vectorises (`for c in a where c == x` kept a branch, a checked add
    /// and a bounds check a row: 2.5 ms over 1M names, for a note on an aggregate's nulls).
    private static func count<T: FixedWidthInteger>(_ x: T, in a: [T]) -> Int {
        a.withUnsafeBufferPointer { p in
            guard let start = p.baseAddress else { return 0 }
            var n = 0, i = 0
            let end = p.count
            while i < end {
                n &+= start[i] == x ? 1 : 0
                i &+= 1
            }
            return n
        }
    }

    /// How many rows hold null: from the null bitmap or the codes when the column shows all of
    /// its storage, row by row through a selection.
    package var nullCount: Int {
        if selection == nil {
            switch storage {
            case .int64(_, let m), .decimal(_, _, let m), .double(_, let m), .date(_, let m):
                return m?.count(below: count) ?? 0
            case .numbers(let m):
                return m.nulls?.count(below: count) ?? 0
            case .text(let codes, _):
                // Code 0 is null; no stored word can be it when it lies outside the words' range.
                let zero = -codes.base
                func zeros<T: FixedWidthInteger>(_ a: [T]) -> Int {
                    guard zero >= Int64(T.min), zero <= Int64(T.max) else { return 0 }
                    return Self.count(T(truncatingIfNeeded: zero), in: a)
                }
                return codes.visit(zeros, zeros, zeros, zeros)
            case .rating(let v):
                return Self.zeroByteCount(v)
            case .bool(let v):
                return Self.zeroByteCount(v)
            default: break
            }
        }
        if let rows = selection?.rows {
            // Through the selection with the storage taken apart once: a row at a time through
            // `isNull` retained and released the storage's arrays every row (a fifth of a sum
            // over a million joined rows).
            var n = 0
            switch storage {
            case .int64(_, let m), .decimal(_, _, let m), .double(_, let m), .date(_, let m):
                guard let m else { return 0 }
                for p in rows where m.contains(p) { n &+= 1 }
                return n
            case .numbers(let numbers):
                for p in rows where numbers.isNull(p) { n &+= 1 }
                return n
            case .text(let codes, _):
                let zero = -codes.base
                func zeros<T: FixedWidthInteger>(_ a: [T]) -> Int {
                    guard zero >= Int64(T.min), zero <= Int64(T.max) else { return 0 }
                    let z = T(truncatingIfNeeded: zero)
                    var k = 0
                    for p in rows where a[p] == z { k &+= 1 }
                    return k
                }
                return codes.visit(zeros, zeros, zeros, zeros)
            case .rating(let v):
                for p in rows where v[p] == 0 { n &+= 1 }
                return n
            case .bool(let v):
                for p in rows where v[p] == 0 { n &+= 1 }
                return n
            default: break
            }
        }
        var n = 0
        for r in 0..<count where isNull(r) { n += 1 }
        return n
    }

    /// Whether the row holds null.
    @inlinable package func isNull(_ row: Int) -> Bool {
        let row = physical(row)
        switch storage {
        case .boxed(let v): return v[row].isNull
        case .int64(_, let n), .decimal(_, _, let n), .double(_, let n), .date(_, let n): return n?.contains(row) ?? false
        case .text(let c, _): return c[row] == 0
        case .numbers(let m): return m.isNull(row)
        case .rating(let v): return v[row] == 0
        case .bool(let v): return v[row] == 0
        }
    }

    /// Each row's stored integer (through the selection), unpacked to 64 bits.
    @inlinable
    package func widened(_ ints: PackedInts) -> [Int64] {
        let base = ints.base
        func read<T: FixedWidthInteger>(_ a: [T]) -> [Int64] {
            if let selection { return selection.rows.map { base &+ Int64(a[$0]) } }
            return [Int64](unsafeUninitializedCapacity: a.count) { out, initialised in
                a.withUnsafeBufferPointer { a in
                    for i in 0..<a.count { out[i] = base &+ Int64(a[i]) }
                }
                initialised = a.count
            }
        }
        // Full-width words with no base are the values already: shared, not copied.
        return ints.visit(read, read, read) { base == 0 && selection == nil ? $0 : read($0) }
    }

    /// `widened` straight into narrower words (day numbers, text codes), in one pass rather than
    /// through an `Int64` array; each value is cut to `R` as `Int64(truncatingIfNeeded:)` would.
    @inlinable
    package func widened<R: FixedWidthInteger>(_ ints: PackedInts, as _: R.Type) -> [R] {
        let base = ints.base
        func read<T: FixedWidthInteger>(_ a: [T]) -> [R] {
            if let selection { return selection.rows.map { R(truncatingIfNeeded: base &+ Int64(a[$0])) } }
            // A plain loop over raw buffers, which the compiler vectorises (`map`'s closure it
            // did not: the widening was the largest part of `days_between(a, b) > 50`).
            return [R](unsafeUninitializedCapacity: a.count) { out, initialised in
                a.withUnsafeBufferPointer { a in
                    for i in 0..<a.count { out[i] = R(truncatingIfNeeded: base &+ Int64(a[i])) }
                }
                initialised = a.count
            }
        }
        return ints.visit(read, read, read, read)
    }

    /// The values at the given rows, in that order: a view on the same storage.
    @inlinable package func gathering(_ rows: Selection) -> Column {
        Column(viewing: self, count: rows.rows.count, selection: selection.map { rows.composed(after: $0) } ?? rows)
    }

    // MARK: - Compacting values

    @usableFromInline static func compact(_ values: [Value]) -> Storage {
        var type: ValueType?
        var allInts = true, allExact = true
        var maxScale = 0
        for v in values {
            if v.isNull { continue }
            let t = v.type
            if case .list = t { return .boxed(values) }
            if type == nil { type = t } else if type != t { return .boxed(values) }
            if case .number(let n) = v {
                switch n {
                case .int: break
                case .decimal(let d):
                    allInts = false
                    maxScale = Swift.max(maxScale, d.scale)
                case .double:
                    allInts = false
                    allExact = false
                }
            }
        }
        var nulls: NullMask?
        func markNull(_ i: Int) {
            if nulls == nil { nulls = NullMask(count: values.count) }
            nulls?.insert(i)
        }
        switch type {
        case nil:
            return .boxed(values)
        case .number?:
            if allInts {
                var out = [Int64](repeating: 0, count: values.count)
                for (i, v) in values.enumerated() {
                    if case .number(.int(let x)) = v { out[i] = x } else { markNull(i) }
                }
                return .int64(PackedInts(out), nulls: nulls)
            }
            if allExact {
                var out = [Int64](repeating: 0, count: values.count)
                for (i, v) in values.enumerated() {
                    guard case .number(let n) = v, let d = n.asDecimal else { markNull(i); continue }
                    let (m, o) = d.mantissa.multipliedReportingOverflow(by: Decimal64.power(maxScale - d.scale))
                    if o { return .boxed(values) }
                    out[i] = m
                }
                return .decimal(PackedInts(out), scale: maxScale, nulls: nulls)
            }
            if values.allSatisfy({ if case .number(.double) = $0 { return true } else { return $0.isNull } }) {
                var out = [Double](repeating: 0, count: values.count)
                for (i, v) in values.enumerated() {
                    if case .number(.double(let d)) = v { out[i] = d } else { markNull(i) }
                }
                return .double(out, nulls: nulls)
            }
            // Doubles mixed with exact decimals would lose the decimals' exactness as doubles:
            // each row keeps its own.
            return MixedNumbers(values).map(Storage.numbers) ?? .boxed(values)
        case .text?:
            var index: [String: Int64] = [:]
            var strings: [String] = []
            var codes = [Int64](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() {
                guard case .text(let s) = v else { continue }
                if let c = index[s] {
                    codes[i] = c
                } else {
                    strings.append(s)
                    let c = Int64(strings.count)
                    index[s] = c
                    codes[i] = c
                }
            }
            return .text(PackedInts(codes), TextDictionary(strings: strings))
        case .date?:
            var out = [Int64](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() {
                if case .date(let d) = v { out[i] = Int64(d.ordinal) } else { markNull(i) }
            }
            return .date(PackedInts(out), nulls: nulls)
        case .rating?:
            return .rating(values.map { if case .rating(let r) = $0 { return r.rawValue } else { return 0 } })
        case .bool?:
            return .bool(values.map { if case .bool(let b) = $0 { return b ? 2 : 1 } else { return 0 } })
        default:
            return .boxed(values)
        }
    }
}

/// Row numbers into a column's storage, shared by every column a stage selects the same rows
/// of. A class so a table's columns can tell they share one and compose it once.
@usableFromInline package final class Selection: Sendable {
    @usableFromInline package let rows: [Int]

    @inlinable package init(_ rows: [Int]) { self.rows = rows }

    /// These rows, read through an earlier selection.
    @inlinable package func composed(after earlier: Selection) -> Selection {
        Selection(rows.map { earlier.rows[$0] })
    }
}

extension Column {
    /// About how many bytes this column's own values take (a selection's rows are counted by
    /// its table, once for the columns that share it), for the engine's memory budget.
    package var estimatedBytes: Int {
        guard selection == nil else { return 0 }
        let stored: Int
        switch storage {
        case .boxed(let v): stored = v.count &* MemoryLayout<Value>.stride
        case .int64(let p, _), .decimal(let p, _, _), .date(let p, _): stored = p.count &* p.width
        case .double(let v, _): stored = v.count &* 8
        case .numbers(let m): stored = m.count &* 9
        case .text(let codes, _): stored = codes.count &* codes.width
        case .rating(let v): stored = v.count
        case .bool(let v): stored = v.count
        }
        return stored
    }
}
