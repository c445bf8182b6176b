import IQLCore
import IQLStorage
import IQLLanguage

/// The joined table's rows by key, for a join on one key: the rows laid out key after key
/// (ascending within each), and where each key's rows are. Whole numbers or days joined to
/// the same kind find a key's place by its offset from the least key, a table of one entry
/// per value the keys span (a dictionary of integers when they span more than 4x the rows);
/// other keys by a dictionary of the distinct values, the rows grouped on their stored codes
/// first. A dictionary of every row's key, each with an array of its
/// rows, boxed a value and allocated an array a row: joining a million rows on `urn` took
/// 675 ms, 31x DuckDB's time.
package struct JoinIndex {
    /// Each distinct non-null key's entry, when the keys are not integers.
    package private(set) var entryOfKey: [Value: Int] = [:]
    /// Integer keys: the least, and each offset's entry (-1: no row holds it).
    private var low: Int64 = 0
    private var entryOfOffset: [Int32] = []
    /// Integer keys spanning too much for a table of offsets: each code's entry.
    private var entryOfCode: [Int64: Int32]?
    /// True when built on integer codes (`pairs`); keys of other storage are held by the
    /// dictionary of values instead.
    package private(set) var integers = false
    /// Where each entry's rows begin in `rows`, and the end last.
    private var starts: [Int] = [0]
    /// The rows, entry after entry.
    private var rows: [Int] = []

    /// The rows of `table` by the key in `column`; `integerKeys`, when the keys it will be
    /// asked for are stored whole numbers or days as these are (see `integerCodes`).
    package init(_ table: Table, key column: Int, integerKeys: Bool, _ env: RuntimeEnvironment) throws {
        let n = table.rowCount
        let keys = table.columns[column]
        if integerKeys, let (codes, nulls) = Self.integerCodes(keys), codes.count == n {
            try self.init(codes: codes, nulls: nulls, env)
            return
        }
        self.init()
        let key = CompiledExpression.column(column, type: table.schema.columns[column].type, range: SourceRange(start: 0, end: 0))
        let grouping = try Grouping.make([key], over: table, env)
        guard grouping.groupOf.count == n else { return }
        // Groups of one key (a dictionary a function made may hold a string twice) share
        // the first's entry, and the null key's group takes none (-1).
        entryOfKey.reserveCapacity(grouping.count)
        var entryOfGroup = [Int32](repeating: -1, count: grouping.count)
        for (g, r) in grouping.firstRow.enumerated() where !keys.isNull(r) {
            let k = keys[r]
            if let e = entryOfKey[k] {
                entryOfGroup[g] = Int32(truncatingIfNeeded: e)
            } else {
                entryOfGroup[g] = Int32(truncatingIfNeeded: entryOfKey.count)
                entryOfKey[k] = entryOfKey.count
            }
        }
        try lay(grouping.groupOf.map { entryOfGroup[Int($0)] }, entries: entryOfKey.count, env)
    }

    /// The rows by integer codes (`nulls`: rows that match nothing), for `pairs`: a table of
    /// offsets from the least code when they span at most 4x the rows, else a dictionary.
    package init(codes: [Int64], nulls: NullMask?, _ env: RuntimeEnvironment) throws {
        guard let (lo, span) = Self.span(codes, nulls) else {
            self.init()
            integers = true
            return
        }
        try self.init(codes: codes, nulls: nulls, low: lo, span: span, env)
    }

    /// No rows.
    private init() {}

    private init(codes: [Int64], nulls: NullMask?, low lo: Int64, span: Int64, _ env: RuntimeEnvironment) throws {
        self.init()
        let n = codes.count
        var entryOfRow = [Int32](repeating: -1, count: n)
        var entries = 0
        integers = true
        low = lo
        // Entries numbered as their codes first appear.
        if span < Int64(max(4 * n, 1 << 16)) {
            var entryOfOffset = [Int32](repeating: -1, count: Int(span) + 1)
            for r in 0..<n where !(nulls?.contains(r) ?? false) {
                let offset = Int(codes[r] &- lo)
                if entryOfOffset[offset] < 0 {
                    entryOfOffset[offset] = Int32(truncatingIfNeeded: entries)
                    entries += 1
                }
                entryOfRow[r] = entryOfOffset[offset]
            }
            self.entryOfOffset = entryOfOffset
        } else {
            var entryOfCode: [Int64: Int32] = [:]
            for r in 0..<n where !(nulls?.contains(r) ?? false) {
                if let e = entryOfCode[codes[r]] {
                    entryOfRow[r] = e
                } else {
                    entryOfRow[r] = Int32(truncatingIfNeeded: entries)
                    entryOfCode[codes[r]] = entryOfRow[r]
                    entries += 1
                }
            }
            self.entryOfCode = entryOfCode
        }
        try lay(entryOfRow, entries: entries, env)
    }

    /// Lays the rows out entry after entry, by a counting sort (each entry's rows stay in row
    /// order); rows of entry -1 are left out.
    private mutating func lay(_ entryOfRow: [Int32], entries: Int, _ env: RuntimeEnvironment) throws {
        try env.checkCancelled()
        (starts, rows) = CountingLayout.layOut(entryOfRow, entries: entries)
    }

    /// A column's keys as integers that are equal exactly when the values are, for whole
    /// numbers and days, and its null rows (which hold any integer); nil for other storage.
    package static func integerCodes(_ column: Column) -> (codes: [Int64], nulls: NullMask?)? {
        switch column.storage {
        case .int64(let v, let nulls), .date(let v, let nulls):
            let rows = column.selection?.rows
            return (column.widened(v), nulls.flatMap { mask in rows.map { mask.gathering($0) } ?? mask })
        default: return nil
        }
    }

    /// True when two columns' `integerCodes` compare as their values do: the same kind.
    package static func sameIntegerKind(_ a: Column, _ b: Column) -> Bool {
        switch (a.storage, b.storage) {
        case (.int64, .int64), (.date, .date): return true
        default: return false
        }
    }

    /// The least non-null code and how far the greatest is above it; nil with no non-null
    /// row or a span past 64 bits.
    private static func span(_ codes: [Int64], _ nulls: NullMask?) -> (Int64, Int64)? {
        var lo = Int64.max, hi = Int64.min
        for r in codes.indices where !(nulls?.contains(r) ?? false) {
            lo = min(lo, codes[r])
            hi = max(hi, codes[r])
        }
        guard lo <= hi else { return nil }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        return overflow ? nil : (lo, span)
    }

    /// The rows whose key is `key`, ascending; none for null or a key no row holds.
    package func matches(_ key: Value) -> ArraySlice<Int> {
        if integers {
            switch key {
            case .number(.int(let i)): return rows[places(code: i)]
            case .date(let d): return rows[places(code: Int64(d.ordinal))]
            default: return []
            }
        }
        guard !key.isNull, let e = entryOfKey[key] else { return [] }
        return rows[starts[e]..<starts[e + 1]]
    }

    /// Where in `rows` the rows whose integer key is `code` are (an empty range for none).
    @inline(__always)
    private func places(code: Int64) -> Range<Int> {
        if let entryOfCode {
            guard let e = entryOfCode[code] else { return 0..<0 }
            return starts[Int(e)]..<starts[Int(e) + 1]
        }
        let (offset, overflow) = code.subtractingReportingOverflow(low)
        guard !overflow, offset >= 0, offset < Int64(entryOfOffset.count) else { return 0..<0 }
        let e = Int(entryOfOffset[Int(offset)])
        return e < 0 ? 0..<0 : starts[e]..<starts[e + 1]
    }

    /// Every left row paired with its matches by integer codes (built with `integerKeys`), in
    /// two passes: each row's matches counted, then the pairs written into arrays made once
    /// at their length, where appending a pair at a time (its checks, and a reference to the
    /// rows retained and released a row) was most of a million-row join. A row with no match
    /// is paired with -1 when `keepMisses` (a left or anti join), else left out; and whether
    /// every left row matched. The row limit and the memory budget are checked before
    /// anything is written.
    package func pairs(_ codes: [Int64], nulls: NullMask?, keepMisses: Bool, _ join: JoinOperator,
                       _ env: RuntimeEnvironment) throws -> (lefts: [Int], rights: [Int], misses: Bool, everyRowMatched: Bool) {
        let n = codes.count
        var placeOf = [Range<Int>](repeating: 0..<0, count: n)
        var total = 0, misses = false, unmatched = false
        for r in 0..<n {
            if r & 0xFFFF == 0xFFFF { try env.checkCancelled() }
            let range = nulls?.contains(r) == true ? 0..<0 : places(code: codes[r])
            placeOf[r] = range
            let count = range.isEmpty ? (keepMisses ? 1 : 0) : range.count
            if range.isEmpty {
                unmatched = true
                if keepMisses { misses = true }
            }
            if let limit = env.rowLimit, total + count > limit, !range.isEmpty {
                throw join.tooManyRows(matching: count, limit: limit)
            }
            total += count
        }
        var reserved = 0
        while reserved < total {
            try env.budget.reserve(JoinOperator.reservationStep &* JoinOperator.bytesPerRow, for: "the join")
            reserved &+= JoinOperator.reservationStep
        }
        let (lefts, rights) = CountingLayout.pairs(placeOf, rows, keepMisses: keepMisses)
        return (lefts, rights, misses, !unmatched)
    }

    /// True when some row's integer code is `code` (built on integer codes).
    package func holds(_ code: Int64) -> Bool { !places(code: code).isEmpty }

    /// The distinct non-null keys (of keys that are not integers).
    package var keys: [Value] { Array(entryOfKey.keys) }

    /// True when no key is held by two rows (a lookup table).
    package var isUnique: Bool {
        for e in 0..<(starts.count - 1) where starts[e + 1] - starts[e] > 1 { return false }
        return true
    }
}
