import IQLCore
import IQLStorage
import IQLLanguage
/// An expression that reads one stored column holding few distinct values, evaluated once per
/// distinct value rather than once per row: `year(inspected) == 2020` is worked out for each
/// day the column spans, `starts_with(lower(authority), "west")` for each council name, and
/// each row then takes its value's answer through its stored code, with no per-row vector built
/// for the inner nodes.
///
/// The distinct values are evaluated as a small table by the same evaluator, so answers are the
/// same. If that evaluation fails (on a value the span holds but perhaps no row does), nil:
/// the rows are then evaluated as they are, which reports a failure only for a row that has it.
package struct DistinctValues {
    /// The distinct values as a one-column table: row k holds the value of code k.
    package let table: Table
    /// Maps a stored offset to its row of `table`.
    package let column: Column
    private let kind: Kind

    private enum Kind {
        /// Dictionary text: the code is the row.
        case text
        /// Ratings and bools: the stored byte is the row.
        case small
        /// Whole numbers, decimals (by mantissa) and days: row 0 is null, row k + 1 the value lo + k.
        case span(lo: Int64)
    }

    /// Whether evaluating per distinct value is worth it for this expression: it reads exactly
    /// one column, does work per row beyond a comparison (a call or arithmetic), and reads no
    /// neighbouring rows.
    package static func applies(to e: CompiledExpression) -> Int? {
        guard e.constant == nil, !e.readsWindow, e.hasWork else { return nil }
        var read = Set<Int>()
        e.addColumns(to: &read)
        return read.count == 1 ? read.first : nil
    }

    package init?(_ column: Column, rows n: Int) {
        self.column = column
        switch column.storage {
        case .text(_, let dictionary):
            // A dictionary much larger than the rows (a few rows of a big table) is not worth it.
            guard dictionary.strings.count * 2 <= n else { return nil }
            let d = dictionary.strings.count
            table = Table(schema: Schema(columns: [.init(name: "v", type: .text)]),
                          columns: [Column(storage: .text(PackedInts((0..<Int64(d)).map { $0 }), dictionary), count: d)],
                          rowCount: d)
            kind = .text
        case .rating:
            guard n >= 64 else { return nil }
            table = Table(schema: Schema(columns: [.init(name: "v", type: .rating)]),
                          columns: [Column(storage: .rating([0, 1, 2, 3, 4]), count: 5)], rowCount: 5)
            kind = .small
        case .int64(let v, _), .date(let v, _), .decimal(let v, _, _):
            guard let (lo, hi) = v.range(), hi >= lo else { return nil }
            let (span, o) = hi.subtractingReportingOverflow(lo)
            guard !o, span < Int64(n / 2), span < 1 << 22 else { return nil }
            // Row 0 is null; then every value of the span, by offset (no value passes Int64.max).
            let count = Int(span) + 2
            var values = [Int64](repeating: 0, count: count)
            for k in 1..<count { values[k] = lo &+ Int64(k - 1) }
            var mask = NullMask(count: count)
            mask.insert(0)
            let storage: Column.Storage
            switch column.storage {
            case .date: storage = .date(PackedInts(values), nulls: mask)
            case .decimal(_, let scale, _): storage = .decimal(PackedInts(values), scale: scale, nulls: mask)
            default: storage = .int64(PackedInts(values), nulls: mask)
            }
            let type: ValueType = if case .date = column.storage { .date } else { .number }
            table = Table(schema: Schema(columns: [.init(name: "v", type: type)]),
                          columns: [Column(storage: storage, count: count)], rowCount: count)
            kind = .span(lo: lo)
        default:
            return nil
        }
    }

    /// Each row's truth from the answer of its distinct value (0 false, 1 true, 2 null): read
    /// straight from the stored codes (a text code is its value's row of `table`; a span's
    /// stored word is, moved by a constant), through `rows()` for a span behind a selection.
    package func truth(_ answers: [UInt8]) -> Truth {
        if case .text = kind, let t = Truth.byTextCode(column, answers) { return t }
        if column.selection == nil {
            switch (kind, column.storage) {
            case (.span(let lo), .int64(let v, let nulls)), (.span(let lo), .date(let v, let nulls)),
                 (.span(let lo), .decimal(let v, _, let nulls)):
                // A null row's stored word lies in the span too (the span is the words' range),
                // so it is read safely, then given the null's answer.
                let shift = Int(v.base &- lo) + 1
                func run<T: FixedWidthInteger & Sendable>(_ a: [T]) -> Truth {
                    var t = Truth(count: column.count)
                    t.fill(a, answers, base: shift)
                    return t
                }
                var t = v.visit(run, run, run, run)
                if let nulls { t.overwrite(nulls, with: answers[0]) }
                return t
            default:
                break
            }
        }
        var out = Truth(count: column.count)
        out.fill(rows(), answers)
        return out
    }

    /// A span column with no selection, whose stored words lead straight to the rows of
    /// `table`: row r takes row `word + shift`.
    private var directWords: (words: PackedInts, shift: Int, nulls: NullMask?)? {
        guard column.selection == nil, case .span(let lo) = kind else { return nil }
        switch column.storage {
        case .int64(let v, let m), .date(let v, let m), .decimal(let v, _, let m): return (v, Int(v.base &- lo) + 1, m)
        default: return nil
        }
    }

    /// Row r takes `values[its word + shift]`; a null row's word lies in the span too (the
    /// span is the words' range), so it is read safely, then given the null's answer.
    private func take<E: Sendable>(_ values: [E], _ direct: (words: PackedInts, shift: Int, nulls: NullMask?)) -> [E] {
        let n = column.count
        var out = direct.words.lookup(values, shift: direct.shift, count: n)
        if let columnNulls = direct.nulls, let first = values.first {
            columnNulls.forEachRow(below: n) { out[$0] = first }
        }
        return out
    }

    /// The rows whose answer is null.
    private func nulls(_ answerNulls: NullMask?, _ direct: (words: PackedInts, shift: Int, nulls: NullMask?)) -> NullMask? {
        guard let answerNulls, !answerNulls.isEmpty else { return nil }
        var others = answerNulls
        others.remove(0)
        // Mostly only the null value's answer is null: the rows that are null then are.
        if others.isEmpty { return direct.nulls }
        let n = column.count, shift = direct.shift
        var mask = NullMask(count: n)
        func run<T: FixedWidthInteger>(_ a: [T]) {
            for r in 0..<n where answerNulls.contains(Int(a[r]) &+ shift) { mask.insert(r) }
        }
        direct.words.visit(run, run, run, run)
        if let columnNulls = direct.nulls {
            let nullAnswer = answerNulls.contains(0)
            columnNulls.forEachRow(below: n) { r in
                if nullAnswer { mask.insert(r) } else { mask.remove(r) }
            }
        }
        return mask.isEmpty ? nil : mask
    }

    /// Each row's value from its distinct value's answer (`answers` has a row per row of
    /// `table`), read straight through the stored words, with no per-row index array built;
    /// nil where the words do not lead straight to the answers, or these are untyped.
    package func gathered(_ answers: Vector) -> Vector? {
        guard let direct = directWords else { return nil }
        switch answers {
        case .constant: return answers
        case .ints(let a, let m): return .ints(take(a, direct), nulls(m, direct))
        case .decimals(let a, let scale, let m): return .decimals(take(a, direct), scale: scale, nulls(m, direct))
        case .doubles(let a, let m): return .doubles(take(a, direct), nulls(m, direct))
        case .dates(let a, let m): return .dates(take(a, direct), nulls(m, direct))
        case .texts(let codes, let dictionary): return .texts(take(codes, direct), dictionary)
        case .ratings(let a): return .ratings(take(a, direct))
        case .numbers(let m):
            return .numbers(MixedNumbers(bits: take(m.bits, direct), scales: take(m.scales, direct), nulls: nulls(m.nulls, direct)))
        case .bools, .values: return nil
        }
    }

    /// `gathered` as a stored column: whole numbers, decimals and days are packed once, in the
    /// table of answers, and each row takes its packed word, so no full-width array is made and
    /// packed again (`derive q = abs(pupils - 500)` over 1M rows).
    package func storedColumn(_ answers: Vector) -> Column? {
        guard let direct = directWords else { return nil }
        let n = column.count
        // Answers evaluated one by one are typed first: there are few of them.
        if case .values(let values) = answers {
            let typed = VectorEvaluator.mapped(values, Array(values.indices))
            if case .values = typed { return nil }
            return storedColumn(typed)
        }
        func packed(_ values: [Int64]) -> PackedInts {
            let small = PackedInts(values)
            let words = small.visit({ PackedInts.Words.i8(take($0, direct)) }, { .i16(take($0, direct)) },
                                    { .i32(take($0, direct)) }, { .i64(take($0, direct)) })
            return PackedInts(base: small.base, words: words)
        }
        switch answers {
        case .ints(let a, let m): return Column(storage: .int64(packed(a), nulls: nulls(m, direct)), count: n)
        case .decimals(let a, let scale, let m):
            return Column(storage: .decimal(packed(a), scale: scale, nulls: nulls(m, direct)), count: n)
        case .dates(let a, let m): return Column(storage: .date(packed(a.map(Int64.init)), nulls: nulls(m, direct)), count: n)
        default: return gathered(answers)?.column(count: n)
        }
    }

    /// The row of `table` each row of the column takes.
    package func rows() -> [Int] {
        let n = column.count
        switch (kind, column.storage) {
        case (.text, .text(let codes, _)):
            let base = Int(codes.base)
            func run<T: FixedWidthInteger>(_ a: [T]) -> [Int] {
                if let rows = column.selection?.rows { return rows.map { base + Int(a[$0]) } }
                return a.map { base + Int($0) }
            }
            return codes.visit(run, run, run, run)
        case (.small, .rating(let v)):
            return (0..<n).map { Int(v[column.physical($0)]) }
        case (.span(let lo), .int64(let v, let nulls)), (.span(let lo), .date(let v, let nulls)),
             (.span(let lo), .decimal(let v, _, let nulls)):
            let shift = Int(v.base &- lo) + 1
            func run<T: FixedWidthInteger>(_ a: [T]) -> [Int] {
                if nulls == nil, column.selection == nil { return a.map { Int($0) &+ shift } }
                return (0..<n).map { r in
                    let p = column.physical(r)
                    if let nulls, nulls.contains(p) { return 0 }
                    return Int(a[p]) &+ shift
                }
            }
            return v.visit(run, run, run, run)
        default:
            return []
        }
    }
}

extension CompiledExpression {
    /// Whether it does more per row than read and compare (`Traits.hasWork`).
    package var hasWork: Bool { traits.contains(.hasWork) }
}

extension Truth {
    /// A condition over one column of few distinct values, by `DistinctValues`; nil where that
    /// does not apply.
    package static func byDistinctValues(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) -> Truth? {
        guard let i = DistinctValues.applies(to: e), table.columns.indices.contains(i),
              let distinct = DistinctValues(table.columns[i], rows: table.rowCount),
              let onValues = e.remapped({ $0 == i ? 0 : nil }),
              let small = try? Truth.of(onValues, over: distinct.table, env) else { return nil }
        let answers: [UInt8] = (0..<small.count).map { small.isTrueAt($0) ? 1 : small.isNullAt($0) ? 2 : 0 }
        return distinct.truth(answers)
    }
}

extension VectorEvaluator {
    /// An expression over one column of few distinct values, by `DistinctValues`; nil where
    /// that does not apply.
    package func byDistinctValues(_ e: CompiledExpression) -> Vector? {
        guard let (distinct, small) = onDistinctValues(e) else { return nil }
        if let typed = distinct.gathered(small) { return typed }
        return Self.throughRows(distinct, small)
    }

    /// Each row's answer through `rows()`, where the stored words do not lead straight to the
    /// answers (a column behind a filter's selection): a typed gather of the typed answers.
    /// Boxed, each row a `Value`, `fsm_percent + 1` after a `where` took 36 ms over 1M rows,
    /// and every kernel after it ran row by row.
    private static func throughRows(_ distinct: DistinctValues, _ small: Vector) -> Vector {
        var answers = small
        if case .values(let values) = small { answers = mapped(values, Array(values.indices)) }
        switch answers {
        case .ints, .decimals, .doubles, .dates, .texts, .ratings, .numbers:
            return answers.gathered(distinct.rows().map { Int32(truncatingIfNeeded: $0) })
        case .bools, .values, .constant:
            return mapped(small.values(count: distinct.table.rowCount), distinct.rows())
        }
    }

    /// `byDistinctValues` as a stored column, packed straight from the answers where it can be.
    package func storedByDistinctValues(_ e: CompiledExpression) -> Column? {
        guard e.type != .bool, let (distinct, small) = onDistinctValues(e) else { return nil }
        if let column = distinct.storedColumn(small) { return column }
        return Self.throughRows(distinct, small).column(count: count)
    }

    /// The expression's answer for each distinct value of the one column it reads.
    private func onDistinctValues(_ e: CompiledExpression) -> (DistinctValues, Vector)? {
        guard let i = DistinctValues.applies(to: e), table.columns.indices.contains(i),
              let distinct = DistinctValues(table.columns[i], rows: count),
              let onValues = e.remapped({ $0 == i ? 0 : nil }),
              let small = try? VectorEvaluator(table: distinct.table, environment: environment).evaluate(onValues)
        else { return nil }
        return (distinct, small)
    }
}
