import ArgumentParser

/// `iql run FILE` and plain `iql [FILE]`: a query (`-c`), a script, standard input, or the shell.
struct RunCommand: ParsableCommand, ResolvesArguments {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a query, a script file, standard input or the interactive shell (the default).",
        usage: "iql run <file.iql> [--param <name=value> ...] [<options>]",
        discussion: "Takes every option of iql (see iql --help)."
    )

    @ParentCommand var root: IQLCommand

    @Argument(help: ArgumentHelp("A script to run; each result is printed under the comment above it.", valueName: "file.iql"),
              completion: .file(extensions: ["iql"]))
    var file: String?

    func arguments() throws -> Arguments {
        try root.settings(command: .run, file: file)
    }
}
