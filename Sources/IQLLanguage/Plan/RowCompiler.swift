import IQLCore
import IQLStorage
/// Turns an expression tree into the closure that evaluates it at one row: the path for what
/// `VectorEvaluator` has no kernel for, and the reference its kernels must agree with.
///
/// It is the only place closures are made from expressions, so the checker and the optimiser
/// deal only in trees, and a rewritten tree always evaluates as it reads.
package enum RowCompiler {
    package static func closure(for shape: CompiledExpression.Shape, type: ValueType,
                        range: SourceRange) -> CompiledExpression.Evaluate {
        switch shape {
        case .constant(let v):
            return { _ in v }
        case .column(let i):
            return { ctx in ctx.table.columns[i][ctx.row] }
        case .binding(let name):
            return { ctx in ctx.environment.values[name] ?? .null }
        case .arithmetic(let op, let l, let r):
            let lf = l.evaluate, rf = r.evaluate
            return { ctx in try Operations.arithmetic(op, try lf(ctx), try rf(ctx), at: range) }
        case .negate(let a):
            let f = a.evaluate
            return { ctx in try Operations.negate(try f(ctx), at: range) }
        case .compare(let op, let l, let r):
            let lf = l.evaluate, rf = r.evaluate
            return { ctx in Operations.compare(op, try lf(ctx), try rf(ctx)) }
        case .and(let l, let r):
            let lf = l.evaluate, rf = r.evaluate
            return { ctx in try Operations.and(try lf(ctx)) { try rf(ctx) } }
        case .or(let l, let r):
            let lf = l.evaluate, rf = r.evaluate
            return { ctx in try Operations.or(try lf(ctx)) { try rf(ctx) } }
        case .not(let a):
            let f = a.evaluate
            return { ctx in Operations.not(try f(ctx)) }
        case .isNull(let a, let negated):
            let f = a.evaluate
            return { ctx in .bool(try f(ctx).isNull != negated) }
        case .inList(let a, let items, let negated):
            let f = a.evaluate
            return { ctx in Operations.member(try f(ctx), of: items, negated: negated) }
        case .member(let a, let list, let negated):
            let f = a.evaluate, lf = list.evaluate
            return { ctx in
                guard case .list(let items) = try lf(ctx) else { return .null }
                return Operations.member(try f(ctx), of: items, negated: negated)
            }
        case .list(let items):
            let parts = items.map(\.evaluate)
            return { ctx in .list(try parts.map { try $0(ctx) }) }
        case .call(let name, let args):
            return call(name, args, range: range)
        case .aggregate(let index, _):
            return { ctx in index < ctx.aggregates.count ? ctx.aggregates[index] : .null }
        case .window(let next, let inner):
            let f = inner.evaluate
            return { ctx in
                guard let links = ctx.window else { return .null }
                let other = next ? links.next[ctx.row] : links.previous[ctx.row]
                guard other >= 0 else { return .null }
                var moved = ctx
                moved.row = Int(other)
                return try f(moved)
            }
        }
    }

    private static func call(_ name: String, _ args: [CompiledExpression], range: SourceRange) -> CompiledExpression.Evaluate {
        let fs = args.map(\.evaluate)
        switch name {
        case "if" where fs.count == 3:
            // Only the branch taken is evaluated, so the other cannot fail.
            return { ctx in try fs[0](ctx) == .bool(true) ? try fs[1](ctx) : try fs[2](ctx) }
        case "coalesce":
            return { ctx in
                for f in fs {
                    let v = try f(ctx)
                    if !v.isNull { return v }
                }
                return .null
            }
        default:
            // The checker admits only catalogued names; a tree naming another evaluates to null.
            guard let function = ScalarFunction.catalog[name] else { return { _ in .null } }
            let evaluate = function.evaluate
            let propagate = function.nullPropagating
            return { ctx in
                var values: [Value] = []
                values.reserveCapacity(fs.count)
                for f in fs {
                    let v = try f(ctx)
                    if propagate, v.isNull { return .null }
                    values.append(v)
                }
                return try evaluate(values, range)
            }
        }
    }
}
