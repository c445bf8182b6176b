import IQLCore
import IQLStorage
/// Writes an expression tree back as IQL, naming columns from the schema it reads, so a
/// printed plan shows what each node computes after the optimiser has rewritten it.
package struct ExpressionPrinter {
    package let schema: Schema

    package init(schema: Schema) { self.schema = schema }

    package func text(_ e: CompiledExpression) -> String {
        text(e, precedence: 0)
    }

    /// Binding strength, as the parser reads it: a child weaker than its parent is bracketed.
    private static func precedence(_ op: BinaryOperator) -> Int {
        switch op {
        case .or: return 1
        case .and: return 2
        case .eq, .ne, .lt, .le, .gt, .ge: return 4
        case .add, .subtract: return 5
        case .multiply, .divide, .remainder: return 6
        }
    }

    private func text(_ e: CompiledExpression, precedence outer: Int) -> String {
        let (body, own) = render(e)
        return own < outer ? "(" + body + ")" : body
    }

    private func binary(_ op: BinaryOperator, _ a: CompiledExpression, _ b: CompiledExpression) -> (String, Int) {
        let p = Self.precedence(op)
        // Operators group left to right, so a right operand of the same strength is bracketed.
        return (text(a, precedence: p) + " " + op.rawValue + " " + text(b, precedence: p + 1), p)
    }

    private func render(_ e: CompiledExpression) -> (String, Int) {
        switch e.shape {
        case .column(let i):
            return (i < schema.columns.count ? schema.columns[i].name : "#\(i)", 9)
        case .constant(let v): return (v.literalText, 9)
        case .binding(let name): return (name, 9)
        case .arithmetic(let op, let a, let b), .compare(let op, let a, let b): return binary(op, a, b)
        case .and(let a, let b): return binary(.and, a, b)
        case .or(let a, let b): return binary(.or, a, b)
        case .negate(let a): return ("-" + text(a, precedence: 8), 8)
        case .not(let a): return ("not " + text(a, precedence: 3), 3)
        case .isNull(let a, let negated): return (text(a, precedence: 5) + (negated ? " is not null" : " is null"), 4)
        case .inList(let a, let items, let negated):
            return (text(a, precedence: 5) + (negated ? " not in " : " in ") + Value.list(items).literalText, 4)
        case .member(let a, let list, let negated):
            return (text(a, precedence: 5) + (negated ? " not in " : " in ") + text(list, precedence: 5), 4)
        case .list(let items): return ("[" + items.map { text($0) }.joined(separator: ", ") + "]", 9)
        case .call(let name, let args): return (name + "(" + args.map { text($0) }.joined(separator: ", ") + ")", 9)
        case .aggregate(_, let written): return (written, 9)
        case .window(let next, let a): return ((next ? "next(" : "previous(") + text(a) + ")", 9)
        }
    }
}
