import ArgumentParser
import IQL

/// `iql export --sql DIALECT [DATASET …]`: the datasets as a SQL script that makes them in a
/// database, so that the SQL `--sql` prints answers there as iql answers here.
struct ExportCommand: ParsableCommand, ResolvesArguments {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write datasets as a SQL script that creates and fills them in PostgreSQL or DuckDB.",
        usage: "iql export --sql postgres|duckdb [<dataset> ...] [--data <name=path> ...]",
        discussion: """
            All datasets (bundled and --data files) unless some are named. The PostgreSQL script \
            runs in psql (iql export --sql postgres | psql DATABASE); the DuckDB one in the DuckDB \
            CLI. docs/sql.md says how queries then compile against the tables.
            """
    )

    @ParentCommand var root: IQLCommand

    @Argument(help: ArgumentHelp("Datasets to export (all when none are named).", valueName: "dataset"),
              completion: .custom { _, _, _ in Engine().datasetNames })
    var datasets: [String] = []

    func arguments() throws -> Arguments {
        var a = try root.settings(command: .run, exporting: true)
        guard a.sql != nil else { throw ValidationError("export needs --sql postgres or --sql duckdb") }
        a.export = datasets
        return a
    }
}
