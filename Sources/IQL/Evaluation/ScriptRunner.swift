/// Runs a checked script statement by statement, binding `let` names as it goes.
struct ScriptRunner {
    var environment: RuntimeEnvironment

    /// Runs every statement; returns each pipeline's result in order (with its title) and the
    /// bindings the script made.
    mutating func run(_ script: CheckedScript) throws -> [Table] {
        var results: [Table] = []
        for statement in script.statements {
            switch statement {
            case .pipeline(let plan):
                results.append(try run(plan))
            case .letTable(let name, let plan):
                environment.tables[name] = try run(plan)
                environment.values[name] = nil
            case .letValue(let name, let expression):
                environment.values[name] = try expression.evaluate(RowContext(table: .singleEmptyRow, environment: environment))
                environment.tables[name] = nil
            case .param(let name, let value):
                environment.parameters[name] = value
            }
        }
        return results
    }

    func run(_ plan: PipelinePlan) throws -> Table {
        var table = try environment.table(plan.source)
        for op in plan.operators {
            try environment.checkCancelled()
            table = try op.run(table, environment)
        }
        return table
    }
}
