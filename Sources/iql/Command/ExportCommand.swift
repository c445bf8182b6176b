import ArgumentParser
import IQL

/// `iql export --sql DIALECT [DATASET …]`: the datasets as a SQL script that makes them in a
/// database, so that the SQL `--sql` prints answers there as iql answers here; or
/// `iql export --to ADDRESS`, which makes them in a PostgreSQL database itself.
struct ExportCommand: ParsableCommand, ResolvesArguments {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Create datasets as tables in PostgreSQL, or write a SQL script that does, for PostgreSQL or DuckDB.",
        usage: """
            iql export --to postgresql://… [<dataset> ...] [--data <name=path> ...]
              iql export --sql postgres|duckdb [<dataset> ...] [--data <name=path> ...]
            """,
        discussion: """
            All datasets (bundled and --data files) unless some are named. --to creates them in \
            the database in one transaction (COPY), replacing tables of the same names, so that \
            iql --connect answers there as iql answers here. The PostgreSQL script runs in psql \
            (iql export --sql postgres | psql DATABASE); the DuckDB one in the DuckDB CLI. \
            docs/sql.md says how queries then compile against the tables.
            """
    )

    @ParentCommand var root: IQLCommand

    @Option(name: .customLong("to"),
            help: ArgumentHelp("Create the tables in this PostgreSQL database.", valueName: "postgresql://…"))
    var to: String?

    @Argument(help: ArgumentHelp("Datasets to export (all when none are named).", valueName: "dataset"),
              completion: .custom { _, _, _ in Engine().datasetNames })
    var datasets: [String] = []

    func arguments() throws -> Arguments {
        var a = try root.settings(command: .run, exporting: true)
        switch (a.sql, to) {
        case (nil, nil): throw ValidationError("export needs --to postgresql://… (a database) or --sql postgres|duckdb (a script)")
        case (.some, .some): throw ValidationError("give export either --to (a database) or --sql (a script), not both")
        default: break
        }
        if a.connect != nil { throw ValidationError("export reads iql's own datasets; --connect has none to give (use --to for the database to create them in)") }
        a.export = datasets
        a.exportTo = to
        return a
    }
}
