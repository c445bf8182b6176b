/// Runs a checked script statement by statement, binding `let` names as it goes.
struct ScriptRunner {
    var environment: RuntimeEnvironment
    /// Each pipeline's result so far, with its title; kept when a later statement fails.
    private(set) var results: [(title: String?, table: Table)] = []

    init(environment: RuntimeEnvironment) {
        self.environment = environment
    }

    /// Runs every statement, collecting each pipeline's result in order.
    mutating func run(_ script: CheckedScript) throws {
        for statement in script.statements {
            switch statement {
            case .pipeline(let plan, let title):
                results.append((title, try run(plan)))
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

    func run(_ plan: PipelinePlan) throws -> Table {
        var table = try environment.table(plan.source)
        var notes = table.notes
        for op in plan.operators {
            try environment.checkCancelled()
            table = try op.run(table, environment)
            if let limit = environment.rowLimit, table.rowCount > limit {
                throw Diagnostic.error(.rowLimit, "a stage made \(table.rowCount) rows, more than the limit of \(limit)", at: nil,
                                       notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
            }
            // Stages build new tables; what earlier ones noted still holds for the result.
            for note in table.notes where !notes.contains(note) { notes.append(note) }
        }
        table.notes = notes
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
        throw Diagnostic.error(.assertionFailed, "assertion failed: \(plan.text)", at: plan.range, notes: notes)
    }
}
