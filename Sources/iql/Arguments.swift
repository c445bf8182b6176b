import IQL

/// What the command line asked for, as the runner uses it: made by `IQLCommand` and its
/// subcommands from the parsed options, after checking them against each other.
struct Arguments {
    enum Command {
        /// Run a query, a script, standard input, or the REPL.
        case run
        /// Parse and check a script without running it.
        case check
    }

    var command: Command = .run
    var query: String?
    var file: String?
    var format: OutputFormat = .table
    var data: [(name: String, path: String)] = []
    /// `--time NAME=COLUMN`: the time column of a --data dataset, for previous/next and latest.
    var timeColumns: [String: String] = [:]
    var parameters: [String: Value] = [:]
    /// `iql schema [NAME]`: `.some(nil)` lists the datasets.
    var schema: String??
    var version = false
    var color: Bool?
    var timer = false
    /// `--explain CODE`: the code to explain.
    var explain: DiagnosticCode?
    /// `--plan`: print the query's plan (as checked and optimised) instead of running it.
    var plan = false
    /// `--analyze`: run the query and print its plan with each node's rows and time.
    var analyze = false
    /// `--sql DIALECT`: print the query's SQL instead of running it.
    var sql: SQLDialect?
    /// `iql export`: the datasets to write as a SQL script (all when empty).
    var export: [String]?
    /// `iql export --to ADDRESS`: the database to make them in, instead of printing a script.
    var exportTo: String?
    /// `--connect ADDRESS`: the PostgreSQL database queries run in.
    var connect: String?
    /// `--no-optimize`, `--skip-pass PASS`: optimiser passes to leave out.
    var disabledPasses: Set<String> = []
    /// `--diagnostics json`: diagnostics as JSON on standard error.
    var jsonDiagnostics = false
    /// `--lenient`: leave out malformed rows of `--data` files, and say which.
    var lenient = false
    /// `--date-format`: how --data files' slash dates are read.
    var dateOrder: DateOrder?
    /// `--safe`: no query writes a file, and no dot command reads or writes one.
    var safe = false
    /// `--time-limit`, `--max-rows`, `--max-memory`: none unless given.
    var limits = EngineLimits.none
}

/// A subcommand that, once parsed, says what the runner is to do.
protocol ResolvesArguments {
    func arguments() throws -> Arguments
}
