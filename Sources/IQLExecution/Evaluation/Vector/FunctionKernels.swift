import IQLCore
import IQLStorage
import IQLLanguage
extension VectorEvaluator {
    /// A scalar function at every row: a kernel for date parts, once per distinct value when
    /// the only varying argument is text, a rating or a bool, and the function's own
    /// row-at-a-time body otherwise.
    package func call(_ name: String, _ args: [CompiledExpression], _ e: CompiledExpression) throws -> Vector {
        guard let function = ScalarFunction.catalog[name] else {
            return .values(try Evaluating.rowByRow(e, over: table, environment))
        }
        switch name {
        case "if": return try conditional(args, e)
        case "coalesce": return try coalesce(args, e)
        default: break
        }
        let values: [Vector]
        if args.dropFirst().contains(where: \.mayFail) {
            // Row by row, a null argument ends the call before later arguments run; so a later
            // argument that could fail runs only where those before it are not null. Should
            // one fail, row by row finds which row fails first, and how.
            guard function.nullPropagating, let guarded = try? guardedArguments(args) else {
                return .values(try Evaluating.rowByRow(e, over: table, environment))
            }
            values = guarded
        } else {
            values = try args.map(evaluate)
        }
        let n = count
        if values.count == 1, let v = Self.wholeNumbers(name, values[0]) { return v }
        if let v = try perDistinct(function, values, range: e.range) { return v }
        if name == "pct_change", values.count == 2, let v = percentChange(values[0], values[1]) { return v }
        switch (name, values.first) {
        case ("year", .dates(let a, let m)?):
            return .ints(a.map { Int64(Day(ordinal: $0).components.year) }, m)
        case ("month", .dates(let a, let m)?):
            return .ints(a.map { Int64(Day(ordinal: $0).components.month) }, m)
        case ("day", .dates(let a, let m)?):
            return .ints(a.map { Int64(Day(ordinal: $0).components.day) }, m)
        case ("days_between", .dates(let a, let ma)?):
            switch values[1] {
            case .dates(let b, let mb) where a.count == n && b.count == n:
                return .ints(Elementwise.map(a, b) { Int64($1) &- Int64($0) }, NullMask.union(ma, mb))
            case .constant(.date(let d)): return .ints(a.map { Int64(d.ordinal) - Int64($0) }, ma)
            default: break
            }
        default: break
        }
        if let v = perDistinctTuple(function, values, range: e.range) { return v }
        let propagate = function.nullPropagating
        var buffer = [Value](repeating: .null, count: values.count)
        return try perRow { r in
            for (i, v) in values.enumerated() {
                let x = v.value(at: r)
                if propagate, x.isNull { return .null }
                buffer[i] = x
            }
            return try function.evaluate(buffer, e.range)
        }
    }


    /// `floor`, `ceil`, `round` (to a whole number) and `abs` of exact numbers (and `floor`,
    /// `ceil`, `abs` of doubles) as loops over mantissas, each row as the function's body
    /// gives it; nil for anything else, or a row the loop cannot decide (`abs` of the least
    /// integer fails; a double too large for a whole number stays a double), which row by row
    /// then takes.
    package static func wholeNumbers(_ name: String, _ x: Vector) -> Vector? {
        switch (name, x) {
        case ("floor", .ints), ("ceil", .ints), ("round", .ints):
            return x
        case ("floor", .decimals(let a, let scale, let m)), ("ceil", .decimals(let a, let scale, let m)),
             ("round", .decimals(let a, let scale, let m)):
            let p = Decimal64.power(scale)
            var out = [Int64](repeating: 0, count: a.count)
            for i in a.indices {
                var q = a[i] / p
                let r = a[i] % p
                switch name {
                case "floor": if r < 0 { q -= 1 }
                case "ceil": if r > 0 { q += 1 }
                // Half away from zero, as people round by hand.
                default: if r.magnitude * 2 >= p.magnitude { q += a[i] < 0 ? -1 : 1 }
                }
                out[i] = q
            }
            return .ints(out, m)
        case ("floor", .doubles(let a, let m)), ("ceil", .doubles(let a, let m)):
            var out = [Int64](repeating: 0, count: a.count)
            for i in a.indices where !(m?.contains(i) ?? false) {
                let w = name == "ceil" ? a[i].rounded(.up) : a[i].rounded(.down)
                guard Swift.abs(w) < 9e18 else { return nil }
                out[i] = Int64(w)
            }
            return .ints(out, m)
        case ("abs", .ints(let a, let m)), ("abs", .decimals(let a, _, let m)):
            var out = [Int64](repeating: 0, count: a.count)
            for i in a.indices {
                if a[i] == .min {
                    if m?.contains(i) ?? false { continue }
                    return nil
                }
                out[i] = a[i] < 0 ? -a[i] : a[i]
            }
            if case .decimals(_, let scale, _) = x { return .decimals(out, scale: scale, m) }
            return .ints(out, m)
        case ("abs", .doubles(let a, let m)):
            return .doubles(a.map { Swift.abs($0) }, m)
        default:
            return nil
        }
    }

    /// The arguments in order, each that can fail evaluated only at the rows where every
    /// argument before it is not null (null at the others). Evaluated at every row first:
    /// if that fails nowhere, the rows that row by row would skip hold values the call
    /// ignores, and the answer is the same without gathering the others.
    private func guardedArguments(_ args: [CompiledExpression]) throws -> [Vector] {
        let n = count
        var values: [Vector] = []
        for arg in args {
            guard arg.mayFail, !values.isEmpty else {
                values.append(try evaluate(arg))
                continue
            }
            if let whole = try? evaluate(arg) {
                values.append(whole)
                continue
            }
            let open = (0..<n).filter { r in !values.contains { $0.isNull(at: r) } }
            if open.count == n {
                values.append(try evaluate(arg))
            } else {
                values.append(Self.scattered(try evaluate(arg, at: open), rows: open, count: n))
            }
        }
        return values
    }

    /// A vector over some rows spread to all `n`, null at the rows not given.
    package static func scattered(_ v: Vector, rows: [Int], count n: Int) -> Vector {
        var mask = NullMask(count: n)
        var given = [Bool](repeating: false, count: n)
        for r in rows { given[r] = true }
        for r in 0..<n where !given[r] { mask.insert(r) }
        func spread<T>(_ a: [T], _ zero: T, _ nulls: NullMask?) -> ([T], NullMask) {
            var out = [T](repeating: zero, count: n)
            var m = mask
            for (k, r) in rows.enumerated() {
                out[r] = a[k]
                if nulls?.contains(k) ?? false { m.insert(r) }
            }
            return (out, m)
        }
        switch v {
        case .ints(let a, let m): let (o, mm) = spread(a, 0, m); return .ints(o, mm)
        case .decimals(let a, let s, let m): let (o, mm) = spread(a, 0, m); return .decimals(o, scale: s, mm)
        case .doubles(let a, let m): let (o, mm) = spread(a, 0, m); return .doubles(o, mm)
        case .dates(let a, let m): let (o, mm) = spread(a, 0, m); return .dates(o, mm)
        default:
            var out = [Value](repeating: .null, count: n)
            for (k, r) in rows.enumerated() { out[r] = v.value(at: k) }
            return .values(out)
        }
    }

    /// `pct_change(old, new)` a column at a time: `(new - old) * 100 / |old|`, null where old is
    /// 0, through the exact (or double) kernels, each step as the function's body takes it.
    /// Nil if a step fails at some row (an overflow): the body then runs row by row and
    /// reports the first such row as it would have.
    private func percentChange(_ old: Vector, _ new: Vector) -> Vector? {
        let n = count
        if let o = Self.exact(old), let w = Self.exact(new) {
            // One pass, each row's steps in registers: new and old at one scale, their
            // difference, times 100, over |old|. A step that overflows makes the whole call
            // go row by row, where the operands are normalised first and may not overflow.
            let s = max(o.scale, w.scale)
            return quotients(scales: s, o.scale, nulls: NullMask.union(o.nulls, w.nulls),
                             PercentChanges(old: o.values, new: w.values, oldUp: Decimal64.power(s - o.scale),
                                            newUp: Decimal64.power(s - w.scale)))
        }
        guard Self.isDouble(old) || Self.isDouble(new), let o = Self.doubles(old), let w = Self.doubles(new) else { return nil }
        let nulls = NullMask.union(o.nulls, w.nulls)
        var out = [Double](repeating: 0, count: n)
        var mask = nulls ?? NullMask(count: n)
        for i in 0..<n where !(nulls?.contains(i) ?? false) {
            let x = o.values[i]
            if x == 0 { mask.insert(i); continue }
            // Each step's result must be finite, as each row-by-row operation checks.
            let change = w.values[i] - x, scaled = change * 100, q = scaled / (x < 0 ? -x : x)
            guard change.isFinite, scaled.isFinite, q.isFinite else { return nil }
            out[i] = q
        }
        return .doubles(out, mask)
    }

    /// When one argument varies and it has few distinct values (text codes, ratings, bools),
    /// the function runs once per distinct value. Nil when that does not apply, or when a
    /// distinct value makes it fail (a value the rows may not hold: row by row decides).
    private func perDistinct(_ function: ScalarFunction, _ values: [Vector], range: SourceRange) throws -> Vector? {
        let varying = values.indices.filter { if case .constant = values[$0] { false } else { true } }
        guard varying.count == 1, let at = varying.first else { return nil }
        var args = values.map { v -> Value in if case .constant(let c) = v { c } else { .null } }
        let constantNull = args.indices.contains { $0 != at && args[$0].isNull }
        func answer(_ x: Value) -> Value? {
            if function.nullPropagating, x.isNull || constantNull { return .null }
            args[at] = x
            return try? function.evaluate(args, range)
        }
        switch values[at] {
        case .texts(let codes, let dictionary):
            // A dictionary much larger than the rows (a few rows of a big table) is not worth it.
            guard dictionary.strings.count <= count + 1 else { return nil }
            var answers: [Value] = []
            answers.reserveCapacity(dictionary.strings.count)
            for c in dictionary.strings.indices {
                guard let a = answer(c == 0 ? .null : .text(dictionary.strings[c])) else { return nil }
                answers.append(a)
            }
            return Self.mapped(answers, codes.map(Int.init))
        case .ratings(let raw):
            var answers: [Value] = []
            for r in 0...4 {
                guard let a = answer(Rating(rawValue: Int8(r)).map(Value.rating) ?? .null) else { return nil }
                answers.append(a)
            }
            return Self.mapped(answers, raw.map(Int.init))
        case .dates(let days, let nulls):
            // Dates span few days compared with the rows: once per day of the span.
            return try bySpan(days.map(Int64.init), nulls) { answer(.date(Day(ordinal: Int32(truncatingIfNeeded: $0)))) }
        case .ints(let ints, let nulls):
            return try bySpan(ints, nulls) { answer(.int($0)) }
        default:
            return nil
        }
    }

    /// When several arguments vary but their combinations repeat (`date(year(d), month(d), 1)`
    /// has one per month), the function runs once per distinct combination, at the first row
    /// holding it. Nil when combinations are nearly as many as rows, an argument has no codes
    /// (mixed values), or one combination makes it fail (row by row then reports the row).
    private func perDistinctTuple(_ function: ScalarFunction, _ values: [Vector], range: SourceRange) -> Vector? {
        let n = count
        guard values.count > 1, n >= 64 else { return nil }
        var groups: Grouping?
        for v in values {
            guard let codes = Grouping.codes(of: v, count: n) else { return nil }
            let own = Grouping.single(codes)
            groups = groups.map { Grouping.combined($0, own) } ?? own
            if let g = groups, g.count > n / 4 { return nil }
        }
        guard let groups else { return nil }
        var answers: [Value] = []
        answers.reserveCapacity(groups.count)
        for r in groups.firstRow {
            let args = values.map { $0.value(at: r) }
            if function.nullPropagating, args.contains(where: \.isNull) {
                answers.append(.null)
                continue
            }
            guard let a = try? function.evaluate(args, range) else { return nil }
            answers.append(a)
        }
        return Self.mapped(answers, groups.groupOf.map(Int.init))
    }

    /// Answers for every value from the smallest to the largest a row holds, when that span is
    /// no longer than the rows; each row then looks its answer up. Code 0 is null.
    private func bySpan(_ values: [Int64], _ nulls: NullMask?, _ answer: (Int64) -> Value?) throws -> Vector? {
        var lo = Int64.max, hi = Int64.min
        for (r, v) in values.enumerated() where !(nulls?.contains(r) ?? false) {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        // Every function taking this path gives null for a null argument.
        let null = Value.null
        if lo > hi { return Self.mapped([null], [Int](repeating: 0, count: values.count)) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow, span < Int64(max(64, values.count / 2)) else { return nil }
        var answers: [Value] = [null]
        answers.reserveCapacity(Int(span) + 2)
        // By offset from the smallest: counting the value itself up would pass Int64.max.
        for offset in 0...span {
            if offset & 4095 == 0 { try environment.checkCancelled() }
            guard let a = answer(lo &+ offset) else { return nil }
            answers.append(a)
        }
        let codes = values.enumerated().map { (r, v) in nulls?.contains(r) ?? false ? 0 : Int(v &- lo) + 1 }
        return Self.mapped(answers, codes)
    }

    /// Rows' answers looked up by code, typed where the answers allow.
    package static func mapped(_ answers: [Value], _ codes: [Int]) -> Vector {
        let n = codes.count
        if answers.allSatisfy({ if case .bool = $0 { true } else { $0.isNull } }) {
            var t = Truth(count: n)
            let table = answers.map(code)
            t.fill(codes, table)
            return .bools(t)
        }
        if answers.allSatisfy({ if case .number(.int) = $0 { true } else { $0.isNull } }) {
            // The answers as a typed table first, so the loop over the rows is a plain lookup.
            let table = answers.map { v -> Int64 in if case .number(.int(let i)) = v { i } else { 0 } }
            let isNull = answers.map(\.isNull)
            // A gather does not vectorise, so checking each index costs little beside the load.
            let out = codes.prefix(n).map { table[$0] }
            var nulls: NullMask?
            if isNull.contains(true) {
                var mask = NullMask(count: n)
                for (r, c) in codes.enumerated() where isNull[c] { mask.insert(r) }
                nulls = mask
            }
            return .ints(out, nulls)
        }
        if answers.allSatisfy({ if case .text = $0 { true } else { $0.isNull } }) {
            // Only the strings some row holds go in the new dictionary, each once.
            var index: [String: UInt32] = [:]
            var strings: [String] = []
            var remap = [UInt32?](repeating: nil, count: answers.count)
            var out = [UInt32](repeating: 0, count: n)
            for (r, c) in codes.enumerated() {
                if let known = remap[c] { out[r] = known; continue }
                var code: UInt32 = 0
                if case .text(let s) = answers[c] {
                    if let existing = index[s] { code = existing } else {
                        strings.append(s)
                        code = UInt32(strings.count)
                        index[s] = code
                    }
                }
                remap[c] = code
                out[r] = code
            }
            return .texts(out, TextDictionary(strings: strings))
        }
        if answers.allSatisfy({ if case .date = $0 { true } else { $0.isNull } }) {
            let days = answers.map { v -> Int32 in if case .date(let d) = v { d.ordinal } else { 0 } }
            var out = [Int32](repeating: 0, count: n)
            var nulls: NullMask?
            for (r, c) in codes.enumerated() {
                out[r] = days[c]
                if answers[c].isNull {
                    if nulls == nil { nulls = NullMask(count: n) }
                    nulls?.insert(r)
                }
            }
            return .dates(out, nulls)
        }
        if answers.allSatisfy({ if case .rating = $0 { true } else { $0.isNull } }) {
            let raw = answers.map { v -> Int8 in if case .rating(let x) = v { x.rawValue } else { 0 } }
            return .ratings(codes.map { raw[$0] })
        }
        return .values(codes.map { answers[$0] })
    }

    /// `if(condition, then, else)`: each branch runs only on the rows that take it.
    private func conditional(_ args: [CompiledExpression], _ e: CompiledExpression) throws -> Vector {
        guard args.count == 3 else { return .values(try Evaluating.rowByRow(e, over: table, environment)) }
        let condition = try Truth.of(args[0], over: table, environment)
        let n = count
        if !args[1].mayFail && !args[2].mayFail {
            let x = try evaluate(args[1]), y = try evaluate(args[2])
            if let v = Self.blend(condition, x, y, count: n) { return v }
            return try perRow { r in condition.isTrueAt(r) ? x.value(at: r) : y.value(at: r) }
        }
        let taken = (0..<n).filter { condition.isTrueAt($0) }
        let other = condition.notTrueRows
        let x = try evaluate(args[1], at: taken), y = try evaluate(args[2], at: other)
        var out = [Value](repeating: .null, count: n)
        for (k, r) in taken.enumerated() { out[r] = x.value(at: k) }
        for (k, r) in other.enumerated() { out[r] = y.value(at: k) }
        return .values(out)
    }

    /// Each row from `x` where the condition is true and from `y` elsewhere, for exact numbers
    /// (brought to one scale); nil for other types.
    package static func blend(_ condition: Truth, _ x: Vector, _ y: Vector, count n: Int) -> Vector? {
        guard let a = exact(x), let b = exact(y) else { return nil }
        let s = max(a.scale, b.scale)
        guard let xs = rescaled(a.values, by: Decimal64.power(s - a.scale), count: n, nulls: a.nulls),
              let ys = rescaled(b.values, by: Decimal64.power(s - b.scale), count: n, nulls: b.nulls) else { return nil }
        // A word of the condition at a time: each row picks without a branch, and the nulls
        // are the taken side's, word by word.
        let words = condition.isTrue
        let out: [Int64]
        switch (xs, ys) {
        case (.array(let p), .array(let q)): out = Elementwise.pick(words, p, q)
        case (.array(let p), .scalar(let k)): out = Elementwise.pick(words, p, k)
        case (.scalar(let k), .array(let q)): out = Elementwise.pick(words, k, q)
        case (.scalar(let j), .scalar(let k)): out = Elementwise.pick(words, j, k, count: n)
        }
        var nulls: NullMask?
        if a.nulls != nil || b.nulls != nil {
            let xn = a.nulls?.words ?? [], yn = b.nulls?.words ?? []
            var mask = [UInt64](repeating: 0, count: (n + 63) >> 6)
            for w in mask.indices {
                let t = w < words.count ? words[w] : 0
                mask[w] = (t & (w < xn.count ? xn[w] : 0)) | (~t & (w < yn.count ? yn[w] : 0))
            }
            if n & 63 != 0, let last = mask.indices.last { mask[last] &= (1 << UInt64(n & 63)) - 1 }
            if mask.contains(where: { $0 != 0 }) { nulls = NullMask(words: mask) }
        }
        return s == 0 ? .ints(out, nulls) : .decimals(out, scale: s, nulls)
    }

    /// `coalesce(a, b, …)`: each argument runs only on the rows still null.
    private func coalesce(_ args: [CompiledExpression], _ e: CompiledExpression) throws -> Vector {
        let n = count
        var out = [Value](repeating: .null, count: n)
        var open = Array(0..<n)
        for arg in args where !open.isEmpty {
            let v = arg.mayFail ? try evaluate(arg, at: open) : try evaluate(arg)
            var still: [Int] = []
            for (k, r) in open.enumerated() {
                let x = arg.mayFail ? v.value(at: k) : v.value(at: r)
                if x.isNull { still.append(r) } else { out[r] = x }
            }
            open = still
        }
        return .values(out)
    }
}
