import ArgumentParser
import IQL

/// The `iql` command: every option, the help, the usage errors and the shell completion
/// scripts come from these declarations. The options belong to the root so they may stand
/// anywhere on the line (`iql run FILE --param …`, `iql --data t=f.csv schema t`); `run`
/// (the default), `check` and `schema` add only their positional arguments.
struct IQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iql",
        abstract: "Answers questions about English councils' children's services from Ofsted and DfE data.",
        usage: """
        iql [<options>] [<file.iql>]
        iql [<options>] -c <query>
        iql run <file.iql> [--param <name=value> ...] [<options>]
        iql check <file.iql> [--param <name=value> ...]
        iql schema [<dataset>] [<options>]
        iql export --to postgresql://… | --sql postgres|duckdb [<dataset> ...]
        """,
        // The language lists read the function catalogue, a twentieth of start-up: built only
        // when this run prints the help.
        discussion: helpRequested ? discussion : "",
        subcommands: [RunCommand.self, CheckCommand.self, SchemaCommand.self, ExportCommand.self],
        defaultSubcommand: RunCommand.self
    )

    @OptionGroup(title: "Query") var query: QueryOptions
    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Limits and safety") var limits: LimitOptions
    @OptionGroup(title: "Plans and timing") var plans: PlanOptions

    @Option(help: ArgumentHelp("How errors and warnings are written to stderr.", valueName: "format"))
    var diagnostics: DiagnosticsFormat = .text

    @Flag(inversion: .prefixedNo, help: "Force colour on or off (default: on for a terminal, off if NO_COLOR is set).")
    var color: Bool?

    @Option(help: ArgumentHelp("Explain a diagnostic code such as IQL0201, with an example and the fix.", valueName: "code"),
            completion: .list(DiagnosticCode.allCases.map(\.id)))
    var explain: String?

    @Flag(help: "Show the version and how recent the bundled data is (its newest date).")
    var version = false

    /// Each option's own value; how they go together (a file and -c, --plan with neither) is
    /// checked once the subcommand has its file (`settings`).
    mutating func validate() throws {
        _ = try options()
    }

    /// The options' values, each checked on its own.
    private func options() throws -> Arguments {
        var a = Arguments()
        try query.apply(to: &a)
        try data.apply(to: &a)
        try limits.apply(to: &a)
        try plans.apply(to: &a)
        a.jsonDiagnostics = diagnostics == .json
        a.color = color
        a.version = version
        if let id = explain {
            guard let code = DiagnosticCode(id: id) else {
                throw ValidationError("no diagnostic code '\(id)': codes look like IQL0201 (docs/errors.md lists them)")
            }
            a.explain = code
        }
        return a
    }

    /// The options as the runner uses them, checked against each other and the subcommand's
    /// `command`, `file` and `schema`.
    func settings(command: Arguments.Command, file: String? = nil, schema: String?? = nil, exporting: Bool = false) throws -> Arguments {
        var a = try options()
        a.command = command
        a.file = file
        a.schema = schema
        if a.query != nil && a.file != nil {
            throw ValidationError("give either -c QUERY or a script file, not both")
        }
        let planFlag = a.plan ? "--plan" : a.analyze ? "--analyze" : a.sql != nil ? "--sql" : nil
        if let planFlag, a.query == nil && a.file == nil && command == .run && !exporting {
            throw ValidationError("\(planFlag) needs -c QUERY or a script file")
        }
        if command == .check && a.query != nil {
            throw ValidationError("check takes a script file, not -c")
        }
        return a
    }

    /// Whether the command line asks for the help (`-h`, `--help`, `iql help`).
    private static var helpRequested: Bool {
        CommandLine.arguments.dropFirst().contains { $0 == "-h" || $0 == "--help" || $0 == "help" }
    }

    private static var discussion: String { """
        With no query or file, iql reads a script from standard input, or starts the \
        interactive shell when standard input is a terminal. A script file's results are each \
        printed under the comment above it.

        The language (docs/language.md; in the shell, .help TOPIC):
          stages      \(wrapped(LanguageReference.stages.map(\.name)))
          functions   \(wrapped(LanguageReference.functions.map(\.name)))
          aggregates  \(wrapped(LanguageReference.aggregates.map(\.name)))
          in derive   \(wrapped(LanguageReference.windowFunctions.map(\.name)))

        Exit status: 0 success, 1 a query, data or assertion error, 2 a usage error.

        Shell completion: iql --generate-completion-script bash|zsh|fish (see the README).

        Examples:
          iql -c 'from inspections | latest by authority | count by overall'
          iql run queries/children_in_care_change.iql --param council=Oldham
          iql schema inspections
        """
    }

    /// Names joined with commas, broken before 80 columns, continuation lines indented under
    /// the first name.
    static func wrapped(_ names: [String], indent: Int = 14) -> String {
        var lines: [String] = [], line = ""
        for name in names {
            let piece = line.isEmpty ? name : ", " + name
            if indent + line.count + piece.count > 79 {
                lines.append(line + ",")
                line = name
            } else {
                line += piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}

/// `--diagnostics text|json`.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
