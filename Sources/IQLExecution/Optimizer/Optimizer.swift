import IQLCore
import IQLStorage
import IQLLanguage
/// Runs the plan passes over every pipeline of a checked script, in a fixed order, leaving out
/// the ones switched off (for tests that compare answers with and without them, and for
/// `--no-optimize`).
package struct Optimizer: Sendable {
    /// Every pass, in the order they run: folding first exposes filters to move, moving filters
    /// next to the scan leaves `sort | take` adjacent, and columns are counted last.
    package static let passes: [any PlanPass] = [
        ConstantFolding(), FilterPushdown(), TopNFusion(), DeriveIntoAggregate(), LatestInputOrder(), ProjectionPushdown(),
    ]

    package static var passNames: [String] { passes.map(\.name) }

    package var disabled: Set<String> = [] {
        didSet { active = Self.passes.filter { !disabled.contains($0.name) } }
    }
    /// The passes not disabled, worked out when `disabled` changes rather than per plan.
    private var active: [any PlanPass] = Optimizer.passes

    package init(disabled: Set<String> = []) {
        self.disabled = disabled
        active = Self.passes.filter { !disabled.contains($0.name) }
    }

    /// The passes that change how a plan runs in memory, for running it: `prune-columns` only
    /// tells a file's reader what to skip, which has happened by then, so it runs only where
    /// the plan is shown (`explain`) or a file is about to be read.
    package var forRunning: Optimizer {
        var o = self
        o.disabled.insert(ProjectionPushdown().name)
        return o
    }

    /// The plan after each pass that changed it, with the pass's name.
    package func optimise(_ plan: PipelinePlan) -> (plan: PipelinePlan, applied: [String]) {
        var plan = plan
        var applied: [String] = []
        for pass in active {
            guard let next = pass.rewrite(plan) else { continue }
            applied.append(pass.name)
            plan = next
        }
        return (plan, applied)
    }

    package func optimise(_ script: CheckedScript) -> CheckedScript {
        var out = script
        out.statements = script.statements.map { statement in
            switch statement {
            case .pipeline(let p, let title): return .pipeline(optimise(p).plan, title: title)
            case .letTable(let name, let p): return .letTable(name, optimise(p).plan)
            default: return statement
            }
        }
        return out
    }
}
