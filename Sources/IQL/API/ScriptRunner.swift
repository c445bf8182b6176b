import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

/// Runs a checked script statement by statement, binding `let` names as it goes.
struct ScriptRunner {
    var environment: RuntimeEnvironment
    /// Each pipeline's result so far, with its title; kept when a later statement fails.
    private(set) var results: [(title: String?, table: Table)] = []
    /// Whether to record each stage's output for `explain`.
    var tracing = false
    /// The passes each pipeline's plan goes through before it runs.
    var optimizer = Optimizer() {
        didSet { runningOptimizer = optimizer.forRunning }
    }
    /// `optimizer.forRunning`, worked out once rather than per statement.
    private var runningOptimizer = Optimizer().forRunning
    private(set) var traces: [Explanation.Pipeline] = []
    /// Set when the engine is connected to a database: pipelines run there, as far as they
    /// compile, and `let` tables are made there.
    var database: DatabaseRunner?

    init(environment: RuntimeEnvironment) {
        self.environment = environment
    }

    /// Runs every statement, collecting each pipeline's result in order.
    mutating func run(_ script: CheckedScript) throws {
        try run(consuming: script.statements)
    }

    /// Runs the statements, freeing each one's plan once it has run (a long script's plans
    /// would otherwise all live until its end).
    mutating func run(consuming statements: consuming [CheckedStatement]) throws {
        var statements = statements
        let lets = statements.count { if case .letTable = $0 { true } else { false } }
        environment.tables.reserveCapacity(environment.tables.count + lets)
        statements.reverse()
        while let statement = statements.popLast() {
            switch statement {
            case .pipeline(let checked, let title):
                let (plan, applied) = runnable(checked)
                var table = try run(plan, checked: checked, applied: applied)
                // A script's results are all kept until it ends.
                try environment.budget.reserve(table.estimatedBytes, for: "the result")
                if let title, table.chart != nil { table.chart?.title = title }
                // explain shows what a query does; it saves nothing.
                if let spec = table.chart, let file = spec.file, !tracing {
                    // Errors point at the chart stage.
                    let at = plan.nodes.last { if case .chart = $0.step { true } else { false } }?.range
                    do throws(Diagnostic) {
                        guard let folder = environment.outputFolder else {
                            throw Diagnostic.error(.noFileOutput(file), at: at)
                        }
                        let svg = try ChartRenderer().svg(table, spec, budget: environment.budget, maxBytes: environment.outputBytes)
                        try folder.store(svg, as: file)
                    } catch {
                        var d = error
                        if d.range == nil { d.range = at }
                        throw d
                    }
                }
                results.append((title, table))
            case .letTable(let name, let checked) where database != nil:
                // The database makes the table from the statement when it can; else iql
                // runs the pipeline (as far as it compiles, in the database) and sends the rows.
                if try !(database?.makeTable(name, checked, budget: environment.budget) ?? false) {
                    let (plan, applied) = runnable(checked)
                    let table = try run(plan, checked: checked, applied: applied)
                    try database?.store(name, table, budget: environment.budget, at: checked.nodes.last?.range)
                }
                environment.tables[name] = nil
                environment.values[name] = nil
            case .letTable(let name, let checked):
                let (plan, applied) = runnable(checked)
                let table = try run(plan, checked: checked, applied: applied)
                try environment.budget.reserve(table.estimatedBytes, for: "let \(name)")
                environment.tables[name] = table
                environment.values[name] = nil
            case .letValue(let name, let expression):
                let value = try expression.evaluate(RowContext(table: .singleEmptyRow, environment: environment))
                environment.values[name] = value
                environment.tables[name] = nil
                database?.compiler.values[name] = value
            case .param(let name, let value):
                environment.parameters[name] = value
                database?.compiler.values[name] = value
            case .assert(let plan):
                try check(plan, over: results.last?.table)
            }
        }
    }

    /// The plan to run: all passes when it will be shown, only those that change execution
    /// otherwise.
    private func runnable(_ checked: PipelinePlan) -> (plan: PipelinePlan, applied: [String]) {
        (tracing ? optimizer : runningOptimizer).optimise(checked)
    }

    /// Runs an optimised plan; `checked` is the plan before the optimiser and `applied` the
    /// passes that changed it, for `explain`.
    mutating func run(_ plan: PipelinePlan, checked: PipelinePlan, applied: [String]) throws -> Table {
        // What the stages charged is given back once the pipeline is done: only its result lives on.
        let charged = environment.budget.bytesUsed
        defer { environment.budget.release(environment.budget.bytesUsed - charged) }
        let clock = ContinuousClock()
        var started = clock.now
        var table: Table
        var nodes = plan.nodes[...]
        var steps: [Explanation.Step] = []
        var sqlText: String?
        if var connected = database {
            // The checked plan, whose stages the SQL compiler knows (the optimiser's fusions
            // are iql's own operators); those that do not compile run here on the rows.
            let (rows, stages) = try connected.rows(checked, budget: environment.budget, rowLimit: environment.rowLimit)
            table = rows
            nodes = checked.nodes.dropFirst(stages)
            if tracing {
                let done = [checked.sourceText] + checked.nodes.prefix(stages).map { String($0.text) }
                steps.append(.init(stage: "in \(connected.database.name): " + done.joined(separator: " | "),
                                   rows: table.rowCount, schema: table.schema, time: clock.now - started))
                var start = checked
                start.nodes = Array(checked.nodes.prefix(stages))
                sqlText = try? connected.compiler.statementSQL(start)
            }
            database = connected
        } else {
            table = try environment.table(plan.source)
            if tracing { steps.append(.init(stage: plan.sourceText, rows: table.rowCount, schema: table.schema, time: clock.now - started)) }
        }
        var notes = table.notes
        for node in nodes {
            try environment.checkCancelled()
            started = clock.now
            do {
                table = try node.step.run(table, environment)
            } catch var d as Diagnostic where d.range == nil {
                // A limit or a failure met while the stage ran points at the stage.
                d.range = node.range
                throw d
            }
            if tracing { steps.append(.init(stage: String(node.text), rows: table.rowCount, schema: table.schema, time: clock.now - started)) }
            if let limit = environment.rowLimit, table.rowCount > limit {
                throw Diagnostic.error(.stageRows(table.rowCount, limit: limit), at: node.range,
                                       notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
            }
            // Stages build new tables; what earlier ones noted still holds for the result.
            for note in table.notes where !notes.contains(note) { notes.append(note) }
        }
        table.notes = notes
        if tracing, let sqlText, let first = steps.first {
            // What the database ran, then the stages iql ran on its rows.
            var text = "\(first.stage): \(PlanPrinter.rows(first.rows)), \(PlanPrinter.milliseconds(first.time))\n"
            text += sqlText.split(separator: "\n").map { "    " + $0 + "\n" }.joined()
            if steps.count > 1 {
                text += "then in iql:\n"
                for step in steps.dropFirst() { text += "  \(step.stage): \(PlanPrinter.rows(step.rows)), \(PlanPrinter.milliseconds(step.time))\n" }
            }
            traces.append(Explanation.Pipeline(steps: steps, checkedPlan: PlanPrinter().text(checked), passes: [], plan: text))
        } else if tracing {
            traces.append(Explanation.Pipeline(
                steps: steps, checkedPlan: PlanPrinter().text(checked), passes: applied,
                plan: PlanPrinter(measured: steps.map { ($0.rows, $0.time) }).text(plan)))
        }
        return table
    }

    /// Evaluates an assertion over the whole table; a failure names the values it saw.
    private func check(_ plan: AssertPlan, over table: Table?) throws {
        guard let table else { return }
        var values: [Value] = []
        for call in plan.aggregates {
            let argument = try call.argument.map { try Evaluating.column($0, over: table, environment) }
            values.append(try call.function.compute(argument, rowCount: table.rowCount, at: call.range))
        }
        let context = table.rowCount > 0
            ? RowContext(table: table, environment: environment, row: 0, aggregates: values)
            : RowContext(table: .singleEmptyRow, environment: environment, aggregates: values)
        let outcome = try plan.condition.evaluate(context)
        guard outcome != .bool(true) else { return }
        var notes: [String] = []
        for (call, value) in zip(plan.aggregates, values) {
            notes.append("\(call.text) is \(value.literalText)")
        }
        if outcome.isNull { notes.append("the condition is null, which is not true") }
        throw Diagnostic.error(.assertionFailed(plan.text), at: plan.range, notes: notes)
    }
}
