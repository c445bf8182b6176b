import IQLCore
import IQLStorage
import IQLLanguage

/// What a plan step does when it runs: each step of the plan (data, in IQLLanguage) gets its
/// `run` here, in the layer that executes.
package protocol TableOperator: Sendable {
    func run(_ input: Table, _ environment: RuntimeEnvironment) throws -> Table
}

extension ChartOperator: TableOperator {
    /// The rows pass through unchanged, marked with the picture to draw from them.
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        var t = input
        t.chart = spec
        return t
    }
}

extension PlanStep {
    /// Runs the node's operator over its input: a switch rather than an `any TableOperator`,
    /// whose box (most operators are too large for an existential's inline room) cost an
    /// allocation each time a node ran.
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        switch self {
        case .filter(let o): return try o.run(input, env)
        case .select(let o): return try o.run(input, env)
        case .derive(let o): return try o.run(input, env)
        case .sort(let o): return try o.run(input, env)
        case .take(let o): return try o.run(input, env)
        case .topN(let o): return try o.run(input, env)
        case .aggregate(let o): return try o.run(input, env)
        case .distinct(let o): return try o.run(input, env)
        case .join(let o): return try o.run(input, env)
        case .latest(let o): return try o.run(input, env)
        case .rank(let o): return try o.run(input, env)
        case .compare(let o): return try o.run(input, env)
        case .pivot(let o): return try o.run(input, env)
        case .unpivot(let o): return try o.run(input, env)
        case .chart(let o): return try o.run(input, env)
        case .diff(let o): return try o.run(input, env)
        }
    }
}
