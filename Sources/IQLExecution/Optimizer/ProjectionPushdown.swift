import IQLCore
import IQLStorage
import IQLLanguage
/// Works out which of the source's columns the pipeline reads, from the last node back to the
/// scan, so a reader loading a file for this one query can skip the others.
package struct ProjectionPushdown: PlanPass {
    package let name = "prune-columns"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        var needed = Set(plan.schema.columns.indices)
        for i in plan.nodes.indices.reversed() {
            let node = plan.nodes[i]
            let input = plan.input(of: i)
            guard let read = node.step.columnsRead(input: input) else {
                needed = Set(input.columns.indices)
                continue
            }
            if node.step.passesRowsThrough {
                var replaced = Set<Int>()
                if case .derive(let o) = node.step { replaced = Set(o.items.compactMap(\.replacing)) }
                needed = needed.filter { $0 < input.columns.count && !replaced.contains($0) }.union(read)
            } else {
                needed = read
            }
        }
        guard needed.count < plan.sourceSchema.columns.count else { return nil }
        var out = plan
        out.sourceColumns = needed.sorted()
        return out
    }
}
