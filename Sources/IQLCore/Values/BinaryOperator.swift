/// An infix operator, as the parser reads it and as value arithmetic and comparison apply it.
package enum BinaryOperator: String, Sendable, Hashable {
    case or, and
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    package var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }
}
