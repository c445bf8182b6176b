import IQLCore
import IQLStorage
import IQLLanguage
/// An expression's values for every row of a table, held by type: what `VectorEvaluator`'s
/// kernels read and write. Unlike `Column` nothing is packed or behind a selection, so a kernel
/// is a plain loop over arrays; `values` is the fallback for what no kernel types.
package enum Vector {
    /// The same value at every row.
    case constant(Value)
    case ints([Int64], NullMask?)
    /// Mantissas at one scale: the value is `m / 10^scale`.
    case decimals([Int64], scale: Int, NullMask?)
    case doubles([Double], NullMask?)
    /// Day numbers.
    case dates([Int32], NullMask?)
    /// Codes into the dictionary's strings; 0 is null.
    case texts([UInt32], TextDictionary)
    /// 0 is null, otherwise `Rating.rawValue`.
    case ratings([Int8])
    case bools(Truth)
    /// Exact numbers at several scales and doubles, row by row (a division's quotients).
    case numbers(MixedNumbers)
    case values([Value])

    /// A column's values through its selection.
    package init(_ column: Column) {
        let rows = column.selection?.rows
        func nulls(_ mask: NullMask?) -> NullMask? {
            guard let mask else { return nil }
            return rows.map { mask.gathering($0) } ?? mask
        }
        switch column.storage {
        case .boxed(let v):
            self = .values(rows.map { $0.map { v[$0] } } ?? v)
        case .int64(let p, let m):
            self = .ints(column.widened(p), nulls(m))
        case .decimal(let p, let scale, let m):
            self = .decimals(column.widened(p), scale: scale, nulls(m))
        case .double(let v, let m):
            self = .doubles(rows.map { $0.map { v[$0] } } ?? v, nulls(m))
        case .date(let p, let m):
            self = .dates(column.widened(p, as: Int32.self), nulls(m))
        case .text(let p, let dictionary):
            self = .texts(column.widened(p, as: UInt32.self), dictionary)
        case .rating(let v):
            self = .ratings(rows.map { $0.map { v[$0] } } ?? v)
        case .numbers(let m):
            self = .numbers(rows.map { m.gathering($0) } ?? m)
        case .bool(let v):
            var t = Truth(count: column.count)
            for r in 0..<column.count { t.set(r, Vector.truthCode(v[column.physical(r)])) }
            self = .bools(t)
        }
    }

    /// Stored bool (0 null, 1 false, 2 true) as `Truth.set`'s code (0 false, 1 true, 2 null).
    package static func truthCode(_ stored: UInt8) -> UInt8 {
        switch stored {
        case 2: return 1
        case 1: return 0
        default: return 2
        }
    }

    /// The value at a row.
    package func value(at r: Int) -> Value {
        switch self {
        case .constant(let v): return v
        case .ints(let a, let m):
            if let m, m.contains(r) { return .null }
            return .int(a[r])
        case .decimals(let a, let scale, let m):
            if let m, m.contains(r) { return .null }
            return .number(Number.exact(a[r], scale: scale) ?? .double(Double(a[r]) / Double(Decimal64.power(scale))))
        case .doubles(let a, let m):
            if let m, m.contains(r) { return .null }
            return .double(a[r])
        case .dates(let a, let m):
            if let m, m.contains(r) { return .null }
            return .date(Day(ordinal: a[r]))
        case .texts(let codes, let dictionary):
            let c = Int(codes[r])
            return c == 0 ? .null : .text(dictionary.strings[c])
        case .ratings(let a):
            return Rating(rawValue: a[r]).map(Value.rating) ?? .null
        case .bools(let t):
            return t.value(at: r)
        case .numbers(let m):
            return m.value(r)
        case .values(let v):
            return v[r]
        }
    }

    /// Whether the row holds null.
    package func isNull(at r: Int) -> Bool {
        switch self {
        case .constant(let v): return v.isNull
        case .ints(_, let m), .decimals(_, _, let m), .doubles(_, let m), .dates(_, let m): return m?.contains(r) ?? false
        case .texts(let codes, _): return codes[r] == 0
        case .ratings(let a): return a[r] == 0
        case .bools(let t): return t.isNullAt(r)
        case .numbers(let m): return m.isNull(r)
        case .values(let v): return v[r].isNull
        }
    }

    /// Calls `body` with each of the first `count` rows that is not null, in order, with the
    /// kind of vector decided once rather than at every row.
    @inline(__always)
    package func forEachNonNullRow(count n: Int, _ body: (Int) -> Void) {
        switch self {
        case .ints(_, let m), .decimals(_, _, let m), .doubles(_, let m), .dates(_, let m):
            if let m {
                for r in 0..<n where !m.contains(r) { body(r) }
            } else {
                for r in 0..<n { body(r) }
            }
        case .texts(let codes, _):
            for r in 0..<min(n, codes.count) where codes[r] != 0 { body(r) }
        case .ratings(let a):
            for r in 0..<min(n, a.count) where a[r] != 0 { body(r) }
        default:
            for r in 0..<n where !isNull(at: r) { body(r) }
        }
    }

    /// How many of the first `count` rows hold null, read from the mask or codes without
    /// building a value a row.
    package func nullCount(count: Int) -> Int {
        switch self {
        case .constant(let v): return v.isNull ? count : 0
        case .ints(_, let m), .decimals(_, _, let m), .doubles(_, let m), .dates(_, let m):
            return m?.count(below: count) ?? 0
        case .texts(let codes, _): return codes.prefix(count).reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        case .ratings(let a): return a.prefix(count).reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        case .bools(let t): return t.isNull.reduce(0) { $0 + $1.nonzeroBitCount }
        case .numbers(let m): return m.nulls?.count(below: count) ?? 0
        case .values(let v): return v.prefix(count).reduce(0) { $0 + ($1.isNull ? 1 : 0) }
        }
    }

    /// Every row's value.
    package func values(count: Int) -> [Value] {
        if case .values(let v) = self { return v }
        if case .constant(let v) = self { return Array(repeating: v, count: count) }
        return (0..<count).map(value(at:))
    }

    /// The values as a column, keeping their typed storage.
    package func column(count: Int) -> Column {
        switch self {
        case .ints(let a, let m): return Column(storage: .int64(PackedInts(a), nulls: m), count: count)
        case .decimals(let a, let scale, let m): return Column(storage: .decimal(PackedInts(a), scale: scale, nulls: m), count: count)
        case .doubles(let a, let m): return Column(storage: .double(a, nulls: m), count: count)
        case .dates(let a, let m): return Column(storage: .date(PackedInts(a.map(Int64.init)), nulls: m), count: count)
        case .texts(let codes, let dictionary): return Column(storage: .text(PackedInts(codes.map(Int64.init)), dictionary), count: count)
        case .ratings(let a): return Column(storage: .rating(a), count: count)
        case .numbers(let m): return Column(storage: .numbers(m), count: count)
        case .bools(let t):
            return Column(storage: .bool((0..<count).map { t.isTrueAt($0) ? 2 : t.isNullAt($0) ? 0 : 1 }), count: count)
        case .constant, .values: return Column(values(count: count))
        }
    }

    /// A condition's rows: true where the value is true, null where it is null.
    package func truth(count: Int) -> Truth {
        switch self {
        case .bools(let t): return t
        case .constant(let v):
            var t = Truth(count: count)
            if v == .bool(true) { t.setAll(1) } else if v.isNull { t.setAll(2) }
            return t
        default:
            var t = Truth(count: count)
            for r in 0..<count {
                switch value(at: r) {
                case .bool(true): t.set(r, 1)
                case .null: t.set(r, 2)
                default: break
                }
            }
            return t
        }
    }

    /// Row r takes the value at `rows[r]`, or null where that is -1 (a window's missing neighbour).
    package func gathered(_ rows: [Int32]) -> Vector {
        let n = rows.count
        func mask(_ m: NullMask?) -> NullMask? {
            var out: NullMask?
            for (r, s) in rows.enumerated() where s < 0 || (m?.contains(Int(s)) ?? false) {
                if out == nil { out = NullMask(count: n) }
                out?.insert(r)
            }
            return out
        }
        func take<T>(_ a: [T], _ none: T) -> [T] { rows.map { $0 < 0 ? none : a[Int($0)] } }
        switch self {
        case .constant(let v):
            return v.isNull ? self : .values(rows.map { $0 < 0 ? .null : v })
        case .ints(let a, let m): return .ints(take(a, 0), mask(m))
        case .decimals(let a, let scale, let m): return .decimals(take(a, 0), scale: scale, mask(m))
        case .doubles(let a, let m): return .doubles(take(a, 0), mask(m))
        case .dates(let a, let m): return .dates(take(a, 0), mask(m))
        case .texts(let codes, let dictionary): return .texts(take(codes, 0), dictionary)
        case .ratings(let a): return .ratings(take(a, 0))
        case .numbers(let m): return .numbers(m.gathering(rows))
        case .bools, .values: return .values(rows.map { $0 < 0 ? .null : value(at: Int($0)) })
        }
    }

    /// The nulls of a typed number or date vector.
    package var nullMask: NullMask? {
        switch self {
        case .ints(_, let m), .decimals(_, _, let m), .doubles(_, let m), .dates(_, let m): return m
        default: return nil
        }
    }
}

extension Truth {
    package func isTrueAt(_ r: Int) -> Bool { isTrue[r >> 6] & (1 << UInt64(r & 63)) != 0 }
    package func isNullAt(_ r: Int) -> Bool { isNull[r >> 6] & (1 << UInt64(r & 63)) != 0 }

    package func value(at r: Int) -> Value {
        isTrueAt(r) ? .bool(true) : isNullAt(r) ? .null : .bool(false)
    }

    /// Every row true (1) or null (2).
    package mutating func setAll(_ v: UInt8) {
        guard count > 0 else { return }
        let r = count & 63
        let last: UInt64 = r == 0 ? ~0 : (1 << UInt64(r)) - 1
        for w in isTrue.indices {
            let word = w == isTrue.count - 1 ? last : ~0
            if v == 1 { isTrue[w] = word } else { isNull[w] = word }
        }
    }

    /// Rows where the condition is not false (true or null), in order.
    package var notFalseRows: [Int] {
        var rows: [Int] = []
        for r in 0..<count where isTrueAt(r) || isNullAt(r) { rows.append(r) }
        return rows
    }

    /// Rows where the condition is not true (false or null), in order.
    package var notTrueRows: [Int] {
        var rows: [Int] = []
        for r in 0..<count where !isTrueAt(r) { rows.append(r) }
        return rows
    }
}
