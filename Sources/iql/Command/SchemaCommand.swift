import ArgumentParser
import IQL

/// `iql schema [NAME]`: the datasets, or one dataset's columns, in any output format.
struct SchemaCommand: ParsableCommand, ResolvesArguments {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "List the datasets, or the columns of one (with --data files too).",
        usage: "iql schema [<dataset>] [--format <format>] [--data <name=path> ...]"
    )

    @ParentCommand var root: IQLCommand

    @Argument(help: ArgumentHelp("A dataset whose columns to list.", valueName: "dataset"),
              completion: .custom { _, _, _ in Engine().datasetNames })
    var dataset: String?

    func arguments() throws -> Arguments {
        try root.settings(command: .run, schema: .some(dataset))
    }
}
