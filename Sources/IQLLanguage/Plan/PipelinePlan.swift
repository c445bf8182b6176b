import IQLCore
import IQLStorage
/// A pipeline's logical plan: where its rows come from and the nodes they pass through, in
/// order. It is data: the optimiser rewrites it, `explain` prints it, and only when it runs
/// does each node become the operator that executes it.
package struct PipelinePlan: Sendable {
    package enum Source: Sendable, Hashable {
        case dataset(String)
        case binding(String)
    }

    package var source: Source
    /// The source's columns, as the first node reads them.
    package var sourceSchema: Schema
    /// The source as written (`from …`), made when shown rather than stored per plan.
    package var sourceText: String {
        switch source {
        case .dataset(let name), .binding(let name): "from " + name
        }
    }
    package var nodes: [PlanNode]
    /// The source columns the pipeline reads, when a pass has worked them out (nil: all);
    /// a reader that loads a file for this one query may skip the others.
    package var sourceColumns: [Int]?

    /// The result's columns.
    package var schema: Schema { nodes.last?.schema ?? sourceSchema }

    /// The `let` tables the pipeline reads: its source, and those it joins or diffs with.
    package var bindingsRead: Set<String> {
        var names: Set<String> = []
        if case .binding(let n) = source { names.insert(n) }
        for node in nodes {
            switch node.step {
            case .join(let o): if case .binding(let n) = o.right { names.insert(n) }
            case .diff(let o): if case .binding(let n) = o.other { names.insert(n) }
            default: break
            }
        }
        return names
    }

    /// The columns each node reads, in order: the source's, then each node's output.
    package func input(of node: Int) -> Schema {
        node > 0 && node <= nodes.count ? nodes[node - 1].schema : sourceSchema
    }

    package init(source: Source, sourceSchema: Schema, nodes: [PlanNode], sourceColumns: [Int]? = nil) {
        self.source = source
        self.sourceSchema = sourceSchema
        self.nodes = nodes
        self.sourceColumns = sourceColumns
    }
}

/// One stage of a plan: what it does, the columns it leaves, and the stage it came from.
package struct PlanNode: Sendable {
    package var step: PlanStep {
        didSet { traits = step.expressionTraits }
    }
    /// What its expressions have between them (may fail, foldable, …), so a pass can tell
    /// whether it has anything to do without opening the step.
    package private(set) var traits: CompiledExpression.Traits
    /// The columns after this node.
    package var schema: Schema
    /// The stage (or stages, once fused) as written: a slice of the script, not a copy.
    package var text: Substring
    /// Where that is in the source, so a limit or failure met while it runs points there.
    package var range: SourceRange

    package init(step: PlanStep, schema: Schema, text: Substring, range: SourceRange) {
        self.step = step
        self.schema = schema
        self.text = text
        self.range = range
        traits = step.expressionTraits
    }
}

extension PipelinePlan.Source {
    /// The dataset or table name.
    package var name: String {
        switch self {
        case .dataset(let n), .binding(let n): return n
        }
    }
}
