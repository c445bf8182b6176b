import IQLCore
import IQLStorage
import IQLLanguage
/// `sort … | take N` becomes one top-N node: the same rows in the same order, kept in a bounded
/// heap instead of sorting every row.
package struct TopNFusion: PlanPass {
    package let name = "top-n"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        // Looked at before anything is copied: most plans have no `sort | take`.
        guard plan.nodes.indices.dropFirst().contains(where: { i in
            if case .take = plan.nodes[i].step, case .sort = plan.nodes[i - 1].step { true } else { false }
        }) else { return nil }
        var out = plan
        out.nodes = []
        var changed = false
        for node in plan.nodes {
            if case .take(let take) = node.step, let last = out.nodes.last, case .sort(let sort) = last.step {
                out.nodes[out.nodes.count - 1] = PlanNode(step: .topN(TopKOperator(keys: sort.keys, take: take)),
                                                          schema: node.schema, text: Substring(last.text + " | " + node.text),
                                                          range: last.range.union(node.range))
                changed = true
            } else {
                out.nodes.append(node)
            }
        }
        return changed ? out : nil
    }
}
