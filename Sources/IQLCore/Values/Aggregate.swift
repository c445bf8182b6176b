/// A built-in aggregate function, usable only inside `summarize`. Every aggregate skips nulls.
package enum Aggregate: String, Sendable, CaseIterable {
    case count, count_distinct, sum, avg, min, max, median, first, last
    /// True when no non-null value occurs twice; for `assert unique(authority)`.
    case unique
    /// True when the condition holds on every row where it is not null.
    case all
    /// True when the condition holds on some row.
    case any

    /// Whether the result is the same whatever order the group's rows come in. Not `first` and
    /// `last`, nor `sum` and `avg`, whose floating-point totals can differ in the last digit.
    package var ignoresRowOrder: Bool {
        switch self {
        case .count, .count_distinct, .min, .max, .median, .unique, .all, .any: return true
        case .sum, .avg, .first, .last: return false
        }
    }

    /// Whether the result leaves out rows whose argument is null (which a note then says).
    package var skipsNullValues: Bool {
        switch self {
        case .count_distinct, .sum, .avg, .min, .max, .median, .first, .last: return true
        case .count, .unique, .all, .any: return false
        }
    }

    package struct Problem: Error {
        package var message: String
    }

    package var signature: String {
        switch self {
        case .count: return "count() or count(condition)"
        case .count_distinct: return "count_distinct(value)"
        case .sum, .avg, .median: return "\(rawValue)(number)"
        case .min, .max, .first, .last, .unique: return "\(rawValue)(value)"
        case .all, .any: return "\(rawValue)(condition)"
        }
    }

    /// The result type for an argument type, or a message saying what was expected.
    package func resultType(argument: ValueType?) -> Result<ValueType, Problem> {
        switch self {
        case .count:
            guard let a = argument else { return .success(.number) }
            return a == .bool || a == .null ? .success(.number) : .failure(Problem(message: "count takes a condition (bool), found \(a)"))
        case .count_distinct:
            guard let a = argument else { return .failure(Problem(message: "count_distinct needs a value")) }
            if case .list = a { return .failure(Problem(message: "count_distinct cannot count lists")) }
            return .success(.number)
        case .sum, .avg, .median:
            guard let a = argument else { return .failure(Problem(message: "\(rawValue) needs a number")) }
            return a == .number || a == .null ? .success(.number) : .failure(Problem(message: "\(rawValue) takes a number, found \(a)"))
        case .min, .max, .first, .last:
            guard let a = argument else { return .failure(Problem(message: "\(rawValue) needs a value")) }
            if case .list = a { return .failure(Problem(message: "\(rawValue) cannot take a list")) }
            return .success(a)
        case .unique:
            guard argument != nil else { return .failure(Problem(message: "unique needs a value")) }
            return .success(.bool)
        case .all, .any:
            guard let a = argument else { return .failure(Problem(message: "\(rawValue) needs a condition")) }
            return a == .bool || a == .null ? .success(.bool) : .failure(Problem(message: "\(rawValue) takes a condition (bool), found \(a)"))
        }
    }

    /// Folds one group's argument values (in row order), or its row count for `count()`.
    /// `values` is nil for `count()`, which counts rows.
    package func compute(_ argument: [Value]?, rowCount: Int, at range: SourceRange) throws -> Value {
        guard let values = argument else { return .int(Int64(rowCount)) }
        switch self {
        case .count:
            return .int(Int64(values.reduce(0) { $0 + ($1 == .bool(true) ? 1 : 0) }))
        case .count_distinct:
            return .int(Int64(Set(values.filter { !$0.isNull }).count))
        case .sum:
            return try sum(values, at: range).map(Value.number) ?? .null
        case .avg:
            guard let total = try sum(values, at: range) else { return .null }
            let n = values.reduce(Int64(0)) { $0 + ($1.isNull ? 0 : 1) }
            return .number(try Operations.numeric(.divide, total, .int(n), at: range))
        case .median:
            let nums = values.compactMap { v -> Number? in if case .number(let n) = v { return n } else { return nil } }
                .sorted()
            return try Aggregate.median(count: nums.count, at: range) { nums[$0] }
        case .min:
            return values.filter { !$0.isNull }.min(by: Value.orderedBefore) ?? .null
        case .max:
            return values.filter { !$0.isNull }.max(by: Value.orderedBefore) ?? .null
        case .unique:
            var seen = Set<Value>()
            for v in values where !v.isNull { if !seen.insert(v).inserted { return .bool(false) } }
            return .bool(true)
        case .all:
            return .bool(!values.contains(.bool(false)))
        case .any:
            return .bool(values.contains(.bool(true)))
        case .first:
            return values.first { !$0.isNull } ?? .null
        case .last:
            return values.last { !$0.isNull } ?? .null
        }
    }

    /// The median of `count` sorted numbers, read by position: the middle one, or the mean of
    /// the middle two. Shared by the general path and the typed kernel, so the two agree.
    package static func median(count: Int, at range: SourceRange, _ number: (Int) -> Number) throws -> Value {
        guard count > 0 else { return .null }
        if count % 2 == 1 { return .number(number(count / 2)) }
        let a = number(count / 2 - 1), b = number(count / 2)
        guard let total = try? Operations.numeric(.add, a, b, at: range) else {
            // Two values so large their sum overflows: halve each first.
            return .double(a.doubleValue / 2 + b.doubleValue / 2)
        }
        return .number(try Operations.numeric(.divide, total, .int(2), at: range))
    }

    /// The exact sum where the values are exact; nil when there are no numbers.
    private func sum(_ values: [Value], at range: SourceRange) throws -> Number? {
        var total: Number?
        for v in values {
            guard case .number(let n) = v else { continue }
            total = try total.map { try Operations.numeric(.add, $0, n, at: range) } ?? n
        }
        return total
    }
}
