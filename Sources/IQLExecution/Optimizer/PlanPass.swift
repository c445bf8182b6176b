import IQLCore
import IQLStorage
import IQLLanguage
/// One rewrite of a pipeline's plan that leaves its answer unchanged: the same rows in the
/// same order, the same values, and the same errors on rows that are kept.
package protocol PlanPass: Sendable {
    /// The pass's name, as `explain` prints it and `Engine.disabledOptimizerPasses` takes it.
    var name: String { get }
    /// The rewritten plan, or nil when the pass has nothing to change.
    func rewrite(_ plan: PipelinePlan) -> PipelinePlan?
}

extension PlanPass {
    /// The plan after the pass, changed or not.
    package func apply(to plan: PipelinePlan) -> PipelinePlan { rewrite(plan) ?? plan }
}
