/// The static type of an IQL column or expression.
public enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case number, text, date, rating, bool
    /// The type of `null` and of a column that holds nothing else: it fits anywhere.
    case null
    indirect case list(ValueType)

    public var description: String {
        switch self {
        case .number: return "number"
        case .text: return "text"
        case .date: return "date"
        case .rating: return "rating"
        case .bool: return "bool"
        case .null: return "null"
        case .list(let e): return "list of \(e)"
        }
    }

    /// The type both sides share, when one is `null` or they agree.
    package func unified(with other: ValueType) -> ValueType? {
        if self == other { return self }
        if self == .null { return other }
        if other == .null { return self }
        if case .list(let a) = self, case .list(let b) = other, let e = a.unified(with: b) { return .list(e) }
        return nil
    }
}
