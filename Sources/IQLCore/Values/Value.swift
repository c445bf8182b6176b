/// One IQL value: a cell of a table or the result of an expression.
public enum Value: Sendable, Hashable {
    case null
    case number(Number)
    case text(String)
    case date(Day)
    case rating(Rating)
    case bool(Bool)
    case list([Value])

    /// An integer value.
    public static func int(_ i: Int64) -> Value { .number(.int(i)) }
    /// A decimal value.
    public static func double(_ d: Double) -> Value { .number(.double(d)) }

    /// The type of this value; `null` for null.
    public var type: ValueType {
        switch self {
        case .null: return .null
        case .number: return .number
        case .text: return .text
        case .date: return .date
        case .rating: return .rating
        case .bool: return .bool
        case .list(let items):
            return .list(items.reduce(ValueType.null) { $0.unified(with: $1.type) ?? $0 })
        }
    }

    /// Whether the value may stand in a column of this type: null anywhere, otherwise the
    /// same type (a list's items each of the list's element type).
    package func fits(_ type: ValueType) -> Bool {
        switch (self, type) {
        case (.null, _): return true
        case (.number, .number), (.text, .text), (.date, .date), (.rating, .rating), (.bool, .bool): return true
        case (.list(let items), .list(let element)): return items.allSatisfy { $0.fits(element) }
        default: return false
        }
    }

    /// True for `null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as users read it: ratings in Ofsted's wording, dates as `YYYY-MM-DD`,
    /// null as the empty string.
    public var displayText: String {
        switch self {
        case .null: return ""
        case .number(let n): return n.description
        case .text(let s): return s
        case .date(let d): return d.description
        case .rating(let r): return r.wording
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.literalText).joined(separator: ", ") + "]"
        }
    }

    /// The value as a table or Markdown shows it to a person: as `displayText`, but a number
    /// that is not exact to six significant digits (`Number.shownText`).
    public var shownText: String {
        if case .number(let n) = self { return n.shownText }
        return displayText
    }

    /// The value as IQL source would write it.
    public var literalText: String {
        switch self {
        case .null: return "null"
        case .text(let s):
            var out = "\""
            for ch in s {
                switch ch {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default: out.append(ch)
                }
            }
            return out + "\""
        case .rating(let r): return r.literal
        default: return displayText
        }
    }
}

extension Value {
    /// Total order used by `sort`, grouping output and min/max: nulls last, then by type,
    /// then by value. Values of one column share a type, so the type order rarely matters.
    package static func orderedBefore(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, _): return false
        case (_, .null): return true
        case (.number(let x), .number(let y)): return x < y
        case (.text(let x), .text(let y)): return x < y
        case (.date(let x), .date(let y)): return x < y
        case (.rating(let x), .rating(let y)): return x < y
        case (.bool(let x), .bool(let y)): return !x && y
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) where p != q { return orderedBefore(p, q) }
            return x.count < y.count
        default: return a.typeRank < b.typeRank
        }
    }

    private var typeRank: Int {
        switch self {
        case .bool: return 0
        case .number: return 1
        case .text: return 2
        case .date: return 3
        case .rating: return 4
        case .list: return 5
        case .null: return 6
        }
    }
}
