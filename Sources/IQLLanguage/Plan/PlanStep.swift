import IQLCore
import IQLStorage
/// What one plan node does, with everything it needs as data: typed expression trees and
/// column positions in the node's input, never closures of its own. Each case is the operator
/// that runs it (`run`); the optimiser matches on the cases instead of downcasting.
/// Indirect: a node is then one reference, so copying a plan (as the passes do) copies no
/// operator's fields.
package indirect enum PlanStep: Sendable {
    case filter(FilterOperator)
    case select(SelectOperator)
    case derive(DeriveOperator)
    case sort(SortOperator)
    case take(TakeOperator)
    /// `sort … | take N` as one node.
    case topN(TopKOperator)
    /// `count` and `summarize`.
    case aggregate(AggregateOperator)
    case distinct(DistinctOperator)
    case join(JoinOperator)
    case latest(LatestOperator)
    case rank(RankOperator)
    case compare(CompareOperator)
    case pivot(PivotOperator)
    case unpivot(UnpivotOperator)
    case chart(ChartOperator)
    case diff(DiffOperator)

    /// The node's name in a printed plan.
    package var name: String {
        switch self {
        case .filter: return "Filter"
        case .select: return "Project"
        case .derive: return "Derive"
        case .sort: return "Sort"
        case .take: return "Limit"
        case .topN: return "TopN"
        case .aggregate: return "Aggregate"
        case .distinct: return "Distinct"
        case .join: return "Join"
        case .latest: return "Latest"
        case .rank(let o): return o.output == .rank ? "Rank" : "Quartile"
        case .compare: return "Compare"
        case .pivot: return "Pivot"
        case .unpivot: return "Unpivot"
        case .chart: return "Chart"
        case .diff: return "Diff"
        }
    }

    /// Which input columns the node reads, or nil when it may read any of them (it passes the
    /// whole row on, or looks at columns by name when it runs).
    package func columnsRead(input: Schema) -> Set<Int>? {
        var used = Set<Int>()
        func add(_ e: CompiledExpression) { e.addColumns(to: &used) }
        switch self {
        case .filter(let o): add(o.condition)
        case .select(let o): o.items.forEach(add)
        case .derive(let o):
            o.items.forEach { add($0.expression) }
            o.keys.forEach(add)
            if let t = o.timeColumn { used.insert(t) }
        case .sort(let o): o.keys.forEach { add($0.expression) }
        case .take(let o): add(o.count)
        case .topN(let o): o.keys.forEach { add($0.expression) }
        case .aggregate(let o):
            o.keys.forEach(add)
            o.aggregates.forEach { $0.argument.map(add) }
            o.items.forEach(add)
        case .distinct(let o):
            guard !o.keys.isEmpty else { return nil }
            o.keys.forEach(add)
        case .latest(let o):
            used.insert(o.column)
            o.keys.forEach(add)
            o.asOf.map(add)
        case .rank(let o):
            add(o.value)
            o.keys.forEach(add)
            if let m = o.measureColumn { used.insert(m) }
        case .join(let o): used.formUnion(o.keys.map(\.left))
        case .pivot(let o):
            used.formUnion([o.column, o.value] + o.keys)
        case .compare, .unpivot, .chart, .diff:
            return nil
        }
        // Aggregate and derive items also read their own outputs by position; those are not
        // input columns.
        return used.filter { $0 < input.columns.count }
    }

    /// Whether the node's output keeps every input column at the same position (it only drops,
    /// reorders or appends), so what it passes on still needs whatever comes after needs.
    package var passesRowsThrough: Bool {
        switch self {
        case .filter, .sort, .take, .topN, .latest, .derive, .rank, .join, .chart: return true
        default: return false
        }
    }
}

extension CompiledExpression {
    /// Adds every column the expression reads to `columns`.
    package func addColumns(to columns: inout Set<Int>) {
        switch shape {
        case .column(let i): columns.insert(i)
        case .constant, .binding, .aggregate: break
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b),
             .member(let a, of: let b, _):
            a.addColumns(to: &columns)
            b.addColumns(to: &columns)
        case .negate(let a), .not(let a), .isNull(let a, _), .inList(let a, _, _), .window(_, let a):
            a.addColumns(to: &columns)
        case .list(let items), .call(_, let items):
            for e in items { e.addColumns(to: &columns) }
        }
    }

    /// The same expression reading column `map(i)` wherever it read column `i`; nil if one of
    /// them has no counterpart.
    package func remapped(_ map: (Int) -> Int?) -> CompiledExpression? {
        var missing = false
        let out = rewritten { e in
            guard case .column(let i) = e.shape else { return nil }
            guard let j = map(i) else {
                missing = true
                return e
            }
            return CompiledExpression(type: e.type, range: e.range, shape: .column(j))
        }
        return missing ? nil : out
    }

    /// The same expression with each node for which `replace` gives a tree replaced by it
    /// (its children not looked at), the others rebuilt over their children's replacements.
    package func rewritten(_ replace: (CompiledExpression) -> CompiledExpression?) -> CompiledExpression {
        if let r = replace(self) { return r }
        func m(_ e: CompiledExpression) -> CompiledExpression { e.rewritten(replace) }
        let shape: Shape
        switch self.shape {
        case .column, .constant, .binding, .aggregate: return self
        case .arithmetic(let op, let a, let b): shape = .arithmetic(op, m(a), m(b))
        case .compare(let op, let a, let b): shape = .compare(op, m(a), m(b))
        case .and(let a, let b): shape = .and(m(a), m(b))
        case .or(let a, let b): shape = .or(m(a), m(b))
        case .member(let a, let b, let negated): shape = .member(m(a), of: m(b), negated: negated)
        case .negate(let a): shape = .negate(m(a))
        case .not(let a): shape = .not(m(a))
        case .isNull(let a, let negated): shape = .isNull(m(a), negated: negated)
        case .inList(let a, let items, let negated): shape = .inList(m(a), items, negated: negated)
        case .window(let next, let a): shape = .window(next: next, m(a))
        case .list(let items): shape = .list(items.map(m))
        case .call(let name, let args): shape = .call(name, args.map(m))
        }
        return CompiledExpression(type: type, range: range, shape: shape)
    }

    /// Whether it reads a window's neighbours, which depend on which rows are present.
    package var readsWindow: Bool { traits.contains(.readsWindow) }
}

extension PlanStep {
    /// Whether `test` holds for some expression the step evaluates over its input.
    package func anyExpression(_ test: (CompiledExpression) -> Bool) -> Bool {
        switch self {
        case .filter(let o): return test(o.condition)
        case .select(let o): return o.items.contains(where: test)
        case .derive(let o): return o.items.contains { test($0.expression) } || o.keys.contains(where: test)
        case .sort(let o): return o.keys.contains { test($0.expression) }
        case .topN(let o): return o.keys.contains { test($0.expression) }
        case .aggregate(let o):
            return o.keys.contains(where: test) || o.items.contains(where: test)
                || o.aggregates.contains { $0.argument.map(test) ?? false }
        case .distinct(let o): return o.keys.contains(where: test)
        case .latest(let o): return o.keys.contains(where: test)
        case .rank(let o): return test(o.value) || o.keys.contains(where: test)
        case .take, .join, .compare, .pivot, .unpivot, .chart, .diff: return false
        }
    }

    /// The traits of the expressions it evaluates over its input, together.
    package var expressionTraits: CompiledExpression.Traits {
        var t: CompiledExpression.Traits = []
        _ = anyExpression { t.formUnion($0.traits); return false }
        return t
    }

    /// The same step with `f` applied to each expression it evaluates over its input.
    package func mapExpressions(_ f: (CompiledExpression) -> CompiledExpression) -> PlanStep {
        switch self {
        case .filter(var o):
            o.condition = f(o.condition)
            return .filter(o)
        case .select(var o):
            o.items = o.items.map(f)
            return .select(o)
        case .derive(var o):
            for k in o.items.indices { o.items[k].expression = f(o.items[k].expression) }
            o.keys = o.keys.map(f)
            return .derive(o)
        case .sort(var o):
            o.keys = o.keys.map { (f($0.expression), $0.descending) }
            return .sort(o)
        case .topN(var o):
            o.keys = o.keys.map { (f($0.expression), $0.descending) }
            return .topN(o)
        case .aggregate(var o):
            o.keys = o.keys.map(f)
            for k in o.aggregates.indices { o.aggregates[k].argument = o.aggregates[k].argument.map(f) }
            o.items = o.items.map(f)
            return .aggregate(o)
        case .distinct(var o):
            o.keys = o.keys.map(f)
            return .distinct(o)
        case .latest(var o):
            o.keys = o.keys.map(f)
            return .latest(o)
        case .rank(var o):
            o.value = f(o.value)
            o.keys = o.keys.map(f)
            return .rank(o)
        case .take, .join, .compare, .pivot, .unpivot, .chart, .diff:
            return self
        }
    }
}

extension CompiledExpression {
    /// Whether the two compute the same tree (same nodes, columns and constants).
    package func sameTree(as other: CompiledExpression) -> Bool {
        func same(_ a: [CompiledExpression], _ b: [CompiledExpression]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.sameTree(as: $1) }
        }
        switch (shape, other.shape) {
        case (.column(let a), .column(let b)): return a == b
        case (.constant(let a), .constant(let b)): return a == b && type == other.type
        case (.binding(let a), .binding(let b)): return a == b
        case (.aggregate(let a, _), .aggregate(let b, _)): return a == b
        case (.arithmetic(let o, let a, let b), .arithmetic(let p, let c, let d)),
             (.compare(let o, let a, let b), .compare(let p, let c, let d)):
            return o == p && a.sameTree(as: c) && b.sameTree(as: d)
        case (.and(let a, let b), .and(let c, let d)), (.or(let a, let b), .or(let c, let d)):
            return a.sameTree(as: c) && b.sameTree(as: d)
        case (.member(let a, let b, let n), .member(let c, let d, let m)):
            return n == m && a.sameTree(as: c) && b.sameTree(as: d)
        case (.negate(let a), .negate(let b)), (.not(let a), .not(let b)): return a.sameTree(as: b)
        case (.isNull(let a, let n), .isNull(let b, let m)): return n == m && a.sameTree(as: b)
        case (.inList(let a, let xs, let n), .inList(let b, let ys, let m)): return n == m && xs == ys && a.sameTree(as: b)
        case (.window(let n, let a), .window(let m, let b)): return n == m && a.sameTree(as: b)
        case (.list(let a), .list(let b)): return same(a, b)
        case (.call(let f, let a), .call(let g, let b)): return f == g && same(a, b)
        default: return false
        }
    }
}
