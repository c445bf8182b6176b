import IQLCore
import IQLStorage
/// A built-in scalar function: how to check a call's argument types and how to evaluate it.
package struct ScalarFunction: Sendable {
    /// Functions whose kernel is a plain loop over the rows, cheaper than evaluating once per
    /// distinct value and mapping the rows to the answers (`CompiledExpression.Traits.hasWork`).
    /// Measured: `abs` is (a compare and a negation); `floor`, `ceil` and `round` of decimals
    /// are not (a division a row: 56–64 ms against 34 ms by distinct value over 1M rows).
    package static let loopFunctions: Set<String> = ["abs"]

    /// Signature as shown in messages and docs, e.g. `round(number[, digits])`.
    package var signature: String
    package var arity: ClosedRange<Int>
    /// Given argument types (null allowed anywhere), the result type or a complaint about argument i.
    package var resultType: @Sendable ([ValueType]) -> Result<ValueType, ArgumentProblem>
    /// Evaluates with argument values; null arguments are handled by `nullPropagating`.
    package var evaluate: @Sendable ([Value], SourceRange) throws -> Value
    /// When true, any null argument gives null without calling `evaluate`.
    package var nullPropagating = true
    /// Whether `evaluate` can throw for arguments of its declared types (a date not in the
    /// calendar, an overflow): such a call must not run on rows that evaluation skips.
    package var canFail = false

    package struct ArgumentProblem: Error {
        package var index: Int
        package var message: String
    }
}

extension ScalarFunction {
    /// Every argument must have the given type (or be null); returns `result`.
    package static func typed(_ signature: String, _ params: [ValueType], optional: Int = 0, returns result: ValueType,
                      _ evaluate: @escaping @Sendable ([Value], SourceRange) throws -> Value) -> ScalarFunction {
        ScalarFunction(signature: signature, arity: (params.count - optional)...params.count,
                       resultType: { types in
                           for (i, t) in types.enumerated() where i < params.count {
                               if t != .null && t != params[i] {
                                   return .failure(ArgumentProblem(index: i, message: "expected \(params[i]), found \(t)"))
                               }
                           }
                           return .success(result)
                       }, evaluate: evaluate)
    }

    /// Whether `text` holds `part`, searching bytes; nil unless both are ASCII, where a byte
    /// search and Swift's character comparison agree.
    package static func asciiContains(_ text: String, _ part: String) -> Bool? {
        var text = text, part = part
        return text.withUTF8 { t -> Bool? in
            part.withUTF8 { p -> Bool? in
                guard !t.contains(where: { $0 >= 0x80 }), !p.contains(where: { $0 >= 0x80 }) else { return nil }
                guard p.count <= t.count, let first = p.first else { return p.isEmpty }
                var i = 0
                let last = t.count - p.count
                while i <= last {
                    if t[i] == first {
                        var k = 1
                        while k < p.count, t[i + k] == p[k] { k += 1 }
                        if k == p.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// SQL's LIKE: `%` matches any run of characters (none included), `_` exactly one, and
    /// every other character itself; the whole text must match. No escape character, as in
    /// SQL without ESCAPE. Linear in practice: a `%` is only ever re-tried from its last place.
    package static func matches(_ text: String, pattern: String) -> Bool {
        let t = Array(text.unicodeScalars), p = Array(pattern.unicodeScalars)
        var i = 0, j = 0
        var star = -1, resume = 0
        while i < t.count {
            if j < p.count, p[j] == "%" {
                star = j
                resume = i
                j += 1
            } else if j < p.count, p[j] == "_" || p[j] == t[i] {
                i += 1
                j += 1
            } else if star >= 0 {
                // Let the last % take one more character and try again from there.
                resume += 1
                i = resume
                j = star + 1
            } else {
                return false
            }
        }
        while j < p.count, p[j] == "%" { j += 1 }
        return j == p.count
    }

    package static let catalog: [String: ScalarFunction] = {
        var f: [String: ScalarFunction] = [:]
        f["year"] = .typed("year(date)", [.date], returns: .number) { a, _ in .int(Int64(a[0].argumentDay.components.year)) }
        f["month"] = .typed("month(date)", [.date], returns: .number) { a, _ in .int(Int64(a[0].argumentDay.components.month)) }
        f["day"] = .typed("day(date)", [.date], returns: .number) { a, _ in .int(Int64(a[0].argumentDay.components.day)) }
        f["date"] = ScalarFunction(signature: "date(year, month, day) or date(text, format)", arity: 2...3, resultType: { types in
            let wanted: [ValueType] = types.count == 2 ? [.text, .text] : [.number, .number, .number]
            for (i, t) in types.enumerated() where t != .null && t != wanted[i] {
                return .failure(ArgumentProblem(index: i, message: "expected \(wanted[i]), found \(t)"))
            }
            return .success(.date)
        }, evaluate: { a, range in
            if a.count == 2 {
                guard let day = DateOrder.day(a[0].argumentText, format: a[1].argumentText) else {
                    throw Diagnostic.error(.textNotDate(a[0].argumentText, format: a[1].argumentText), at: range)
                }
                return .date(day)
            }
            guard let y = a[0].number.exactInteger, let m = a[1].number.exactInteger, let d = a[2].number.exactInteger,
                  let yi = Int(exactly: y), let mi = Int(exactly: m), let di = Int(exactly: d),
                  let day = Day(year: yi, month: mi, day: di) else {
                throw Diagnostic.error(.noSuchDate(a[0].displayText, a[1].displayText, a[2].displayText),
                                       at: range)
            }
            return .date(day)
        })
        f["date"]?.canFail = true
        f["days_between"] = .typed("days_between(from, to)", [.date, .date], returns: .number) { a, _ in
            .int(Int64(a[1].argumentDay.ordinal) - Int64(a[0].argumentDay.ordinal))
        }
        f["round"] = .typed("round(number[, digits])", [.number, .number], optional: 1, returns: .number) { a, range in
            var digits: Int64 = 0
            if a.count > 1 {
                guard let d = a[1].number.exactInteger, (-15...15).contains(d) else {
                    throw Diagnostic.error(.roundDigits, at: range)
                }
                digits = d
            }
            return .number(round(a[0].number, digits: Int(digits)))
        }
        f["round"]?.canFail = true
        f["abs"] = .typed("abs(number)", [.number], returns: .number) { a, range in
            let n = a[0].number
            if case .double(let d) = n { return .double(Swift.abs(d)) }
            return n < .int(0) ? try Operations.negate(a[0], at: range) : a[0]
        }
        f["abs"]?.canFail = true
        f["floor"] = .typed("floor(number)", [.number], returns: .number) { a, _ in
            .number(wholePart(a[0].number, up: false))
        }
        f["ceil"] = .typed("ceil(number)", [.number], returns: .number) { a, _ in
            .number(wholePart(a[0].number, up: true))
        }
        f["lower"] = .typed("lower(text)", [.text], returns: .text) { a, _ in .text(a[0].argumentText.lowercased()) }
        f["upper"] = .typed("upper(text)", [.text], returns: .text) { a, _ in .text(a[0].argumentText.uppercased()) }
        f["length"] = .typed("length(text)", [.text], returns: .number) { a, _ in .int(Int64(a[0].argumentText.count)) }
        f["contains"] = .typed("contains(text, part)", [.text, .text], returns: .bool) { a, _ in
            let text = a[0].argumentText, part = a[1].argumentText
            if part.isEmpty { return .bool(true) }
            // ASCII text compares byte by byte exactly as it does character by character.
            if let found = ScalarFunction.asciiContains(text, part) { return .bool(found) }
            return .bool(text.contains(part))
        }
        f["starts_with"] = .typed("starts_with(text, prefix)", [.text, .text], returns: .bool) { a, _ in
            .bool(a[0].argumentText.hasPrefix(a[1].argumentText))
        }
        f["ends_with"] = .typed("ends_with(text, suffix)", [.text, .text], returns: .bool) { a, _ in
            .bool(a[0].argumentText.hasSuffix(a[1].argumentText))
        }
        f["like"] = .typed("like(text, pattern)", [.text, .text], returns: .bool) { a, _ in
            .bool(ScalarFunction.matches(a[0].argumentText, pattern: a[1].argumentText))
        }
        f["ilike"] = .typed("ilike(text, pattern)", [.text, .text], returns: .bool) { a, _ in
            .bool(ScalarFunction.matches(a[0].argumentText.lowercased(), pattern: a[1].argumentText.lowercased()))
        }
        f["pct_change"] = .typed("pct_change(old, new)", [.number, .number], returns: .number) { a, range in
            let old = a[0].number, new = a[1].number
            if old == .int(0) { return .null }
            let change = try Operations.numeric(.subtract, new, old, at: range)
            let scaled = try Operations.numeric(.multiply, change, .int(100), at: range)
            let base = old < .int(0) ? try Operations.negate(.number(old), at: range).number : old
            return .number(try Operations.numeric(.divide, scaled, base, at: range))
        }
        f["pct_change"]?.canFail = true
        f["coalesce"] = ScalarFunction(signature: "coalesce(value, value, ...)", arity: 1...64, resultType: { types in
            var t = ValueType.null
            for (i, u) in types.enumerated() {
                guard let n = t.unified(with: u) else {
                    return .failure(ArgumentProblem(index: i, message: "expected \(t), found \(u)"))
                }
                t = n
            }
            return .success(t)
        }, evaluate: { a, _ in a.first { !$0.isNull } ?? .null }, nullPropagating: false)
        f["if"] = ScalarFunction(signature: "if(condition, then, else)", arity: 3...3, resultType: { types in
            if types[0] != .bool && types[0] != .null {
                return .failure(ArgumentProblem(index: 0, message: "expected bool, found \(types[0])"))
            }
            guard let t = types[1].unified(with: types[2]) else {
                return .failure(ArgumentProblem(index: 2, message: "both branches must have one type: \(types[1]) and \(types[2])"))
            }
            return .success(t)
        }, evaluate: { a, _ in a[0] == .bool(true) ? a[1] : a[2] }, nullPropagating: false)
        return f
    }()

    /// floor or ceil: exact numbers stay exact.
    package static func wholePart(_ n: Number, up: Bool) -> Number {
        switch n {
        case .int: return n
        case .decimal(let d):
            let p = Decimal64.power(d.scale)
            var q = d.mantissa / p
            let r = d.mantissa % p
            if r != 0 && (r > 0) == up { q += up ? 1 : -1 }
            return .int(q)
        case .double(let d):
            let w = up ? d.rounded(.up) : d.rounded(.down)
            return Swift.abs(w) < 9e18 ? .int(Int64(w)) : .double(w)
        }
    }

    /// Rounds half away from zero, as people round by hand; exact numbers stay exact.
    package static func round(_ n: Number, digits: Int) -> Number {
        guard let d = n.asDecimal else {
            let x = n.doubleValue
            let scale = pow10(digits)
            let r = (x * scale).rounded(.toNearestOrAwayFromZero) / scale
            // The shortest text of the rounded double is the decimal a person expects.
            return Decimal64.parse(String(r)).map { Number.exact($0.mantissa, scale: $0.scale) ?? .double(r) } ?? .double(r)
        }
        if digits >= d.scale { return n }
        let drop = d.scale - digits
        guard drop <= 18 else { return .int(0) }
        let p = Decimal64.power(drop)
        var q = d.mantissa / p
        let r = d.mantissa % p
        if r.magnitude * 2 >= p.magnitude { q += d.mantissa < 0 ? -1 : 1 }
        if digits >= 0 { return Number.exact(q, scale: digits) ?? n }
        let (m, o) = q.multipliedReportingOverflow(by: Decimal64.power(-digits))
        return o ? n : .int(m)
    }

    private static func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<Swift.abs(n) { r *= 10 }
        return n < 0 ? 1 / r : r
    }
}

extension Value {
    /// Accessors for evaluating functions whose argument types the checker has already enforced.
    package var number: Number {
        if case .number(let n) = self { return n }
        return .int(0)
    }
    package var argumentText: String {
        if case .text(let s) = self { return s }
        return displayText
    }
    package var argumentDay: Day {
        if case .date(let d) = self { return d }
        return Day(ordinal: 0)
    }
}
