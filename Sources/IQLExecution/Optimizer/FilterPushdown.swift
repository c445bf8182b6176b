import IQLCore
import IQLStorage
import IQLLanguage
/// Moves each `where` as early as it can go, so the stages before it run on fewer rows: past a
/// `sort` (stable, so the kept rows keep their order), and a `derive` or `select` whose columns
/// it does not read as derived.
///
/// A stage is passed only if none of its expressions can fail: row by row, the stage would
/// have run on every row and reported an error on one the filter then drops. Nor does a filter
/// pass a `join`, whose note under the result counts the rows it matched and missed: moved, the
/// same answer would come with other counts.
package struct FilterPushdown: PlanPass {
    package let name = "push-filters"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        // Only a filter after some other stage can move.
        guard plan.nodes.indices.dropFirst().contains(where: { i in
            if case .filter = plan.nodes[i].step { true } else { false }
        }) else { return nil }
        var out = plan
        var changed = false
        var i = 0
        while i < out.nodes.count {
            guard case .filter = out.nodes[i].step else { i += 1; continue }
            var k = i
            while k > 0, let swapped = Self.swap(out.nodes[k - 1], out.nodes[k], input: out.input(of: k - 1)) {
                out.nodes[k - 1] = swapped.filter
                out.nodes[k] = swapped.stage
                k -= 1
                changed = true
            }
            i += 1
        }
        return changed ? out : nil
    }

    /// The filter moved before `stage`, and the stage after it, if that leaves the answer alone.
    private static func swap(_ stage: PlanNode, _ filterNode: PlanNode, input: Schema)
        -> (filter: PlanNode, stage: PlanNode)? {
        guard case .filter(let filter) = filterNode.step else { return nil }
        var read = Set<Int>()
        filter.condition.addColumns(to: &read)
        let moved: CompiledExpression?
        switch stage.step {
        case .sort(let o):
            guard !o.keys.contains(where: { $0.expression.mayFail }) else { return nil }
            moved = filter.condition
        case .derive(let o):
            guard o.timeColumn == nil, !o.items.contains(where: { $0.expression.mayFail || $0.expression.readsWindow }) else { return nil }
            let replaced = Set(o.items.compactMap(\.replacing))
            guard read.allSatisfy({ $0 < input.columns.count && !replaced.contains($0) }) else { return nil }
            moved = filter.condition
        case .select(let o):
            guard !o.items.contains(where: \.mayFail) else { return nil }
            moved = filter.condition.remapped { i in
                guard i < o.items.count, case .column(let j) = o.items[i].shape else { return nil }
                return j
            }
        default:
            return nil
        }
        guard let condition = moved else { return nil }
        var newFilter = filterNode
        newFilter.step = .filter(FilterOperator(condition: condition))
        newFilter.schema = input
        return (newFilter, stage)
    }
}
