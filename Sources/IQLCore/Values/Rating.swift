/// One of Ofsted's four judgements, ordered so that `outstanding > good > requiresImprovement > inadequate`.
public enum Rating: Int8, Sendable, Hashable, Comparable, CaseIterable {
    case inadequate = 1
    case requiresImprovement = 2
    case good = 3
    case outstanding = 4

    /// The judgement in Ofsted's published wording, e.g. `Requires improvement to be good`.
    @inlinable public var wording: String {
        switch self {
        case .outstanding: return "Outstanding"
        case .good: return "Good"
        case .requiresImprovement: return "Requires improvement to be good"
        case .inadequate: return "Inadequate"
        }
    }

    /// The literal that names this rating in IQL source, e.g. `requires_improvement`.
    @inlinable public var literal: String {
        switch self {
        case .outstanding: return "outstanding"
        case .good: return "good"
        case .requiresImprovement: return "requires_improvement"
        case .inadequate: return "inadequate"
        }
    }

    /// Reads Ofsted's wording in any case; also accepts the short "Requires improvement"
    /// that third-party files use. Returns nil for anything else.
    @inlinable public init?(wording text: String) {
        switch text.lowercased() {
        case "outstanding": self = .outstanding
        case "good": self = .good
        case "requires improvement to be good", "requires improvement", "ri", "r.i.": self = .requiresImprovement
        case "inadequate": self = .inadequate
        default: return nil
        }
    }

    @inlinable public static func < (lhs: Rating, rhs: Rating) -> Bool { lhs.rawValue < rhs.rawValue }
}
