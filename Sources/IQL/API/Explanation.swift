import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// What `Engine.explain` returns: for each pipeline the script ran, its stages in order with
/// the rows and columns after each, and the script's ordinary result.
public struct Explanation: Sendable {
    /// One stage's output.
    public struct Step: Sendable {
        /// The stage as written (`sort … | take N` run as one step shows both).
        public var stage: String
        /// Rows after the stage.
        public var rows: Int
        /// Columns after the stage.
        public var schema: Schema
        /// How long the stage took.
        public var time: Duration
    }

    /// One pipeline's plan and what each of its nodes did.
    public struct Pipeline: Sendable {
        /// The source, then each node of the plan that ran (stages fused by the optimiser are one).
        public var steps: [Step]
        /// The plan as the checker made it, one node per line.
        public var checkedPlan: String
        /// The optimiser passes that changed it, in order.
        public var passes: [String]
        /// The plan that ran, with the rows each node produced and its time.
        public var plan: String
    }

    /// Every pipeline run, in order (`let` tables included).
    public var pipelines: [Pipeline]
    /// The results, as `run` gives them.
    public var result: ScriptResult

    /// Each pipeline's plan as checked, the optimiser passes that changed it, and the plan that
    /// ran with each node's rows and time.
    public var text: String {
        var out = ""
        for (p, pipeline) in pipelines.enumerated() {
            if pipelines.count > 1 { out += "pipeline \(p + 1)\n" }
            if pipeline.passes.isEmpty {
                out += "plan (the optimiser changed nothing):\n"
            } else {
                out += "plan as checked:\n" + Self.indented(pipeline.checkedPlan)
                out += "optimised (" + pipeline.passes.joined(separator: ", ") + "):\n"
            }
            out += Self.indented(pipeline.plan)
        }
        return out
    }

    private static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  " + $0 + "\n" }.joined()
    }

}
