import IQLCore
import IQLStorage
import IQLLanguage
/// Simplifies what is known before the query runs, typically parameters: `$region == "" or
/// region == $region` with `$region` given reads as `region == "…"`, which then runs on the
/// column's dictionary instead of row by row. A `where` that is always true goes.
///
/// The checker already folds an operator whose inputs are all constants; this pass does what
/// needs one constant side (`true and x` is `x`), and `if`/`coalesce` with a known choice. A
/// part that row-by-row evaluation would run is dropped only when it cannot fail.
package struct ConstantFolding: PlanPass {
    package let name = "fold-constants"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        // Most plans have nothing to fold: they are looked at, not copied.
        guard plan.nodes.contains(where: { $0.traits.contains(.foldable) }),
              plan.nodes.contains(where: { $0.step.anyExpression { Self.simplified($0) != nil } }) else { return nil }
        var out = plan
        out.nodes = []
        for var node in plan.nodes {
            node.step = node.step.mapExpressions { Self.simplified($0) ?? $0 }
            if case .filter(let f) = node.step, f.condition.constant == .bool(true) { continue }
            out.nodes.append(node)
        }
        return out
    }

    /// The expression simplified, or nil when there is nothing to simplify.
    package static func simplified(_ e: CompiledExpression) -> CompiledExpression? {
        guard e.constant == nil, e.hasFoldableConstant else { return nil }
        let s = simplify(e)
        return s.sameTree(as: e) ? nil : s
    }

    package static func simplify(_ e: CompiledExpression) -> CompiledExpression {
        if e.constant != nil { return e }
        func rebuilt(_ shape: CompiledExpression.Shape, inputs: [CompiledExpression]) -> CompiledExpression {
            let c = CompiledExpression(type: e.type, range: e.range, shape: shape)
            guard inputs.allSatisfy({ $0.constant != nil }),
                  let v = try? c.evaluate(RowContext(table: .singleEmptyRow, environment: RuntimeEnvironment())) else { return c }
            return .constant(v, type: e.type, range: e.range)
        }
        /// `x` standing for the whole expression, keeping the whole expression's type.
        func becomes(_ x: CompiledExpression) -> CompiledExpression {
            CompiledExpression(type: e.type, range: x.range, shape: x.shape)
        }
        switch e.shape {
        case .and(let a0, let b0):
            let a = simplify(a0), b = simplify(b0)
            if a.constant == .bool(true) { return becomes(b) }
            if a.constant == .bool(false) { return .constant(.bool(false), type: e.type, range: e.range) }
            if b.constant == .bool(true) { return becomes(a) }
            if b.constant == .bool(false), !a.mayFail { return .constant(.bool(false), type: e.type, range: e.range) }
            return rebuilt(.and(a, b), inputs: [a, b])
        case .or(let a0, let b0):
            let a = simplify(a0), b = simplify(b0)
            if a.constant == .bool(true) { return .constant(.bool(true), type: e.type, range: e.range) }
            if a.constant == .bool(false) { return becomes(b) }
            if b.constant == .bool(false) { return becomes(a) }
            if b.constant == .bool(true), !a.mayFail { return .constant(.bool(true), type: e.type, range: e.range) }
            return rebuilt(.or(a, b), inputs: [a, b])
        case .not(let a0):
            let a = simplify(a0)
            if case .not(let inner) = a.shape { return becomes(inner) }
            return rebuilt(.not(a), inputs: [a])
        case .call("if", let args0) where args0.count == 3:
            let args = args0.map(simplify)
            if let c = args[0].constant { return becomes(c == .bool(true) ? args[1] : args[2]) }
            return rebuilt(.call("if", args), inputs: args)
        case .call("coalesce", let args0):
            var args: [CompiledExpression] = []
            for a in args0.map(simplify) {
                if a.constant == .null { continue }
                args.append(a)
                // Nothing after a value that is never null is ever read.
                if a.constant != nil { break }
            }
            if args.isEmpty { return .constant(.null, type: e.type, range: e.range) }
            if args.count == 1 { return becomes(args[0]) }
            return rebuilt(.call("coalesce", args), inputs: args)
        case .call(let name, let args0):
            let args = args0.map(simplify)
            return rebuilt(.call(name, args), inputs: args)
        case .arithmetic(let op, let a0, let b0):
            let a = simplify(a0), b = simplify(b0)
            return rebuilt(.arithmetic(op, a, b), inputs: [a, b])
        case .compare(let op, let a0, let b0):
            let a = simplify(a0), b = simplify(b0)
            return rebuilt(.compare(op, a, b), inputs: [a, b])
        case .negate(let a0):
            let a = simplify(a0)
            return rebuilt(.negate(a), inputs: [a])
        case .isNull(let a0, let negated):
            let a = simplify(a0)
            return rebuilt(.isNull(a, negated: negated), inputs: [a])
        case .inList(let a0, let items, let negated):
            let a = simplify(a0)
            return rebuilt(.inList(a, items, negated: negated), inputs: [a])
        case .member(let a0, let b0, let negated):
            let a = simplify(a0), b = simplify(b0)
            if case .list(let items)? = b.constant { return rebuilt(.inList(a, items, negated: negated), inputs: [a]) }
            return rebuilt(.member(a, of: b, negated: negated), inputs: [a, b])
        case .list(let items0):
            let items = items0.map(simplify)
            return rebuilt(.list(items), inputs: items)
        case .window(let next, let a0):
            // A neighbour's value: constant only if the neighbour exists, which is not known.
            return CompiledExpression(type: e.type, range: e.range, shape: .window(next: next, simplify(a0)))
        case .column, .constant, .binding, .aggregate:
            return e
        }
    }
}

extension CompiledExpression {
    /// Whether some operator or call in it has a constant operand (not a bare constant or a
    /// plain comparison with one, which the checker has already folded as far as it can).
    package var hasFoldableConstant: Bool { traits.contains(.foldable) }
}
