import ArgumentParser
import IQL

/// Plans instead of (or beside) results, the optimiser's passes, and timings.
struct PlanOptions: ParsableArguments {
    @Flag(help: "Print the plan of -c QUERY or FILE (as checked, then optimised) without running it.")
    var plan = false

    @Flag(help: "Run -c QUERY or FILE and print its plan with each node's rows and time.")
    var analyze = false

    @Option(help: ArgumentHelp("Print the SQL that computes -c QUERY or FILE in PostgreSQL or DuckDB, without running it (docs/sql.md).",
                               valueName: "dialect"))
    var sql: SQLDialect?

    @Flag(name: .customLong("no-optimize"), help: "Leave out all of the optimiser's passes.")
    var noOptimize = false

    @Option(name: .customLong("skip-pass"),
            help: ArgumentHelp("Leave out one optimiser pass (repeatable, or a comma-separated list): \(Engine.optimizerPasses.joined(separator: ", ")).",
                               valueName: "pass"),
            completion: .list(Engine.optimizerPasses))
    var skipped: [String] = []

    @Flag(help: "Print how long loading, parsing, checking and running took (to stderr).")
    var timer = false

    func apply(to a: inout Arguments) throws {
        a.plan = plan
        a.analyze = analyze
        a.sql = sql
        a.timer = timer
        if noOptimize { a.disabledPasses = Set(Engine.optimizerPasses) }
        for list in skipped {
            for n in list.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                guard Engine.optimizerPasses.contains(n) else {
                    let close = Engine.closest(to: n, among: Engine.optimizerPasses).map { " (did you mean '\($0)'?)" } ?? ""
                    throw ValidationError("no optimiser pass '\(n)'\(close): the passes are \(Engine.optimizerPasses.joined(separator: ", "))")
                }
                a.disabledPasses.insert(n)
            }
        }
    }
}

extension SQLDialect: ExpressibleByArgument {}
