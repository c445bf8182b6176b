import IQLCore
import IQLStorage
import IQLLanguage
/// A `latest` whose rows go straight into a `count` or a `summarize` that does not depend on
/// their order hands them over in the input's order rather than sorting them by key.
package struct LatestInputOrder: PlanPass {
    package let name = "latest-input-order"

    package init() {}

    package func rewrite(_ plan: PipelinePlan) -> PipelinePlan? {
        guard plan.nodes.contains(where: { if case .latest = $0.step { true } else { false } }) else { return nil }
        var out = plan
        var changed = false
        for i in plan.nodes.indices.dropFirst() {
            guard case .aggregate(let aggregate) = plan.nodes[i].step,
                  case .latest(var latest) = plan.nodes[i - 1].step,
                  latest.keyOrder, aggregate.aggregates.allSatisfy(\.function.ignoresRowOrder) else { continue }
            latest.keyOrder = false
            out.nodes[i - 1].step = .latest(latest)
            changed = true
        }
        return changed ? out : nil
    }
}
