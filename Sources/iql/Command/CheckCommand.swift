import ArgumentParser

/// `iql check FILE`: parse and type-check a script without running it.
struct CheckCommand: ParsableCommand, ResolvesArguments {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and type-check a script without running it (exit 0 or 1).",
        usage: "iql check <file.iql> [--param <name=value> ...]",
        discussion: "Parameters without a value are fine: an editor checks a script before anyone gives it one."
    )

    @ParentCommand var root: IQLCommand

    @Argument(help: ArgumentHelp("The script to check.", valueName: "file.iql"), completion: .file(extensions: ["iql"]))
    var file: String

    func arguments() throws -> Arguments {
        try root.settings(command: .check, file: file)
    }
}
