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

    /// One pipeline's steps, starting with its source.
    public struct Pipeline: Sendable {
        /// The source, then each stage.
        public var steps: [Step]
    }

    /// Every pipeline run, in order (`let` tables included).
    public var pipelines: [Pipeline]
    /// The results, as `run` gives them.
    public var result: ScriptResult

    /// The plan as text: each stage with its row count, the change from the stage before, and
    /// the columns it leaves when they changed.
    public var text: String {
        var out = ""
        for (p, pipeline) in pipelines.enumerated() {
            if pipelines.count > 1 { out += "pipeline \(p + 1)\n" }
            let width = min(60, pipeline.steps.map(\.stage.count).max() ?? 0)
            var previous: Step?
            for step in pipeline.steps {
                let stage = step.stage.count > width ? String(step.stage.prefix(width - 1)) + "…" : step.stage
                var line = stage + String(repeating: " ", count: max(0, width - stage.count))
                line += "  " + Explanation.rows(step.rows)
                if let previous, previous.rows != step.rows {
                    let dropped = previous.rows - step.rows
                    line += dropped > 0 ? "  (\(dropped) fewer)" : "  (\(-dropped) more)"
                }
                out += line + "\n"
                if previous == nil || previous?.schema.columns != step.schema.columns {
                    out += "    " + step.schema.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ") + "\n"
                }
                previous = step
            }
        }
        return out
    }

    static func rows(_ n: Int) -> String { n == 1 ? "1 row" : "\(n) rows" }
}
