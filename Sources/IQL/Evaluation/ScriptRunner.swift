import Foundation

/// Runs a checked script statement by statement, binding `let` names as it goes.
struct ScriptRunner {
    var environment: RuntimeEnvironment
    /// Each pipeline's result so far, with its title; kept when a later statement fails.
    private(set) var results: [(title: String?, table: Table)] = []
    /// Whether to record each stage's output for `explain`.
    var tracing = false
    private(set) var traces: [Explanation.Pipeline] = []

    init(environment: RuntimeEnvironment) {
        self.environment = environment
    }

    /// Runs every statement, collecting each pipeline's result in order.
    mutating func run(_ script: CheckedScript) throws {
        for statement in script.statements {
            switch statement {
            case .pipeline(let plan, let title):
                var table = try run(plan)
                if let title, table.chart != nil { table.chart?.title = title }
                if let spec = table.chart, let file = spec.file { try write(ChartRenderer().svg(table, spec), to: file) }
                results.append((title, table))
            case .letTable(let name, let plan):
                environment.tables[name] = try run(plan)
                environment.values[name] = nil
            case .letValue(let name, let expression):
                environment.values[name] = try expression.evaluate(RowContext(table: .singleEmptyRow, environment: environment))
                environment.tables[name] = nil
            case .param(let name, let value):
                environment.parameters[name] = value
            case .assert(let plan):
                try check(plan, over: results.last?.table)
            }
        }
    }

    mutating func run(_ plan: PipelinePlan) throws -> Table {
        let clock = ContinuousClock()
        var started = clock.now
        var table = try environment.table(plan.source)
        var notes = table.notes
        var steps: [Explanation.Step] = []
        func label(_ i: Int) -> String { i < plan.labels.count ? plan.labels[i] : "stage \(i)" }
        if tracing { steps.append(.init(stage: "from " + label(0), rows: table.rowCount, schema: table.schema, time: clock.now - started)) }
        for (i, op) in plan.operators.enumerated() {
            try environment.checkCancelled()
            started = clock.now
            table = try op.run(table, environment)
            if tracing { steps.append(.init(stage: label(i + 1), rows: table.rowCount, schema: table.schema, time: clock.now - started)) }
            if let limit = environment.rowLimit, table.rowCount > limit {
                throw Diagnostic.error(.rowLimit, "a stage made \(table.rowCount) rows, more than the limit of \(limit)", at: nil,
                                       notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
            }
            // Stages build new tables; what earlier ones noted still holds for the result.
            for note in table.notes where !notes.contains(note) { notes.append(note) }
        }
        table.notes = notes
        if tracing { traces.append(Explanation.Pipeline(steps: steps)) }
        return table
    }

    private func write(_ svg: String, to path: String) throws {
        do {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostic.error(.unwritableFile, "cannot write the chart to \(path)", at: nil,
                                   notes: ["check that the folder exists and can be written to"])
        }
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
        throw Diagnostic.error(.assertionFailed, "assertion failed: \(plan.text)", at: plan.range, notes: notes)
    }
}
