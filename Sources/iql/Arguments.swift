import IQL

/// The command line, parsed. Anything malformed is a usage error (exit 2).
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
    var schema: String??
    var help = false
    var version = false
    var color: Bool?
    var timer = false
    /// `--explain CODE`: the code to explain.
    var explain: DiagnosticCode?
    /// `--plan`: print the query's plan (as checked and optimised) instead of running it.
    var plan = false
    /// `--analyze`: run the query and print its plan with each node's rows and time.
    var analyze = false
    /// `--no-optimize[=PASS,…]`: optimiser passes to leave out (all when none are named).
    var disabledPasses: Set<String> = []
    /// `--diagnostics json`: diagnostics as JSON on standard error.
    var jsonDiagnostics = false
    /// `--lenient`: leave out malformed rows of `--data` files, and say which.
    var lenient = false
    /// `--date-format`: how --data files' slash dates are read.
    var dateOrder: DateOrder?
    /// `--safe`: no query writes a file, and no dot command reads or writes one.
    var safe = false
    /// `--time-limit`, `--max-rows`: none unless given, as a person at a terminal can
    /// press Ctrl-C (the library's defaults are for servers).
    var limits = EngineLimits.none

    struct UsageError: Error {
        var message: String
    }

    static let usage = """
    usage: iql [options] [FILE.iql]
           iql [options] -c QUERY
           iql run FILE.iql [--param NAME=VALUE …] [options]
           iql check FILE.iql [--param NAME=VALUE …]

    Answers questions about English councils' children's services from Ofsted and DfE data.

      -c QUERY             run a query (or several statements) given as text
      FILE.iql, run FILE   run a script file; each result is printed under the comment above it
      check FILE           parse and type-check a script without running it (exit 0 or 1)
                           with no query or file, read a script from standard input, or start
                           the interactive shell when standard input is a terminal
    options:
      --format FORMAT      \(OutputFormat.namesInWords); table is the default
      --data NAME=PATH     add a CSV file as the dataset NAME (repeatable)
      --time NAME=COLUMN   the time column of --data dataset NAME (what previous, next and latest
                           order by when none is named)
      --date-format dmy|mdy  read --data files' slash dates (31/03/2024) day first or month
                           first; without it, the file's values decide where they can
      --lenient            leave out rows of --data files with the wrong number of fields (and say
                           which) instead of stopping at the first
      --param NAME=VALUE   give a script parameter a value (repeatable)
      --schema [NAME]      list the datasets, or the columns of one
      --safe               refuse every file a query or dot command would write or read (chart … to,
                           .output FILE, .read, .load, .save); by default charts may be saved
                           in the working folder
      --timer              print how long parsing, checking and running took (to stderr)
      --time-limit SECONDS stop a query that runs longer (default: no limit; Ctrl-C stops one)
      --max-rows N         stop a query when a stage would make more than N rows (default: no limit)
      --max-memory MB      stop a query whose intermediate results and let tables would pass MB
                           megabytes (default: no limit)
      --diagnostics FORMAT text (default) or json: how errors and warnings are written to stderr
      --plan               print the plan of -c QUERY or FILE (as checked, then optimised) without
                           running it
      --analyze            run -c QUERY or FILE and print its plan with each node's rows and time
      --no-optimize[=PASS,…]
                           leave out the optimiser's passes (all, or those named: \(Engine.optimizerPasses.joined(separator: ", ")))
      --explain CODE       explain a diagnostic code such as IQL0201, with an example and the fix
      --color, --no-color  force colour on or off (default: on for a terminal, off if NO_COLOR is set)
      -h, --help           show this help
      --version            show the version and how recent the bundled data is (its newest date)

    the language (docs/language.md; in the shell, .help TOPIC):
      stages     \(Arguments.wrapped(LanguageReference.stages.map(\.name), indent: 13))
      functions  \(Arguments.wrapped(LanguageReference.functions.map(\.name), indent: 13))
      aggregates \(Arguments.wrapped(LanguageReference.aggregates.map(\.name), indent: 13))
      in derive  \(Arguments.wrapped(LanguageReference.windowFunctions.map(\.name), indent: 13))

    exit status: 0 success, 1 a query, data or assertion error, 2 a usage error

    examples:
      iql -c 'from inspections | where framework == "ILACS" | latest by authority | count by overall'
      iql run queries/children_in_care_change.iql --param council=Oldham
      iql --schema inspections
    """

    /// Names joined with commas, broken before 96 columns, continuation lines indented.
    static func wrapped(_ names: [String], indent: Int) -> String {
        var lines: [String] = [], line = ""
        for name in names {
            let piece = line.isEmpty ? name : ", " + name
            if indent + line.count + piece.count > 95 {
                lines.append(line + ",")
                line = name
            } else {
                line += piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }

    static func parse(_ args: [String]) throws(UsageError) -> Arguments {
        var a = Arguments()
        var args = args
        if let first = args.first, first == "run" || first == "check" {
            a.command = first == "check" ? .check : .run
            args.removeFirst()
            guard args.contains(where: { !$0.hasPrefix("-") }) else {
                throw UsageError(message: "\(first) needs a script file: iql \(first) FILE.iql")
            }
        }
        var i = 0
        func value(_ flag: String) throws(UsageError) -> String {
            i += 1
            guard i < args.count else { throw UsageError(message: "\(flag) needs a value") }
            return args[i]
        }
        while i < args.count {
            let arg = args[i]
            var flag = arg
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                flag = String(arg[..<eq])
                inline = String(arg[arg.index(after: eq)...])
            }
            func take() throws(UsageError) -> String {
                if let inline { return inline }
                return try value(flag)
            }
            switch flag {
            case "-c", "--command":
                guard a.query == nil else { throw UsageError(message: "give -c only once") }
                a.query = try take()
            case "--format", "-f":
                let f = try take()
                guard let format = OutputFormat(rawValue: f) else {
                    throw UsageError(message: "unknown format '\(f)': use \(OutputFormat.namesInWords)")
                }
                a.format = format
            case "--data":
                let spec = try take()
                guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                    throw UsageError(message: "--data takes NAME=PATH.csv, found '\(spec)'")
                }
                a.data.append((String(spec[..<eq]), String(spec[spec.index(after: eq)...])))
            case "--time":
                let spec = try take()
                guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                    throw UsageError(message: "--time takes NAME=COLUMN, found '\(spec)'")
                }
                a.timeColumns[String(spec[..<eq])] = String(spec[spec.index(after: eq)...])
            case "--param", "-p":
                let spec = try take()
                guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                    throw UsageError(message: "--param takes NAME=VALUE, found '\(spec)'")
                }
                var name = String(spec[..<eq])
                if name.hasPrefix("$") { name.removeFirst() }
                let text = String(spec[spec.index(after: eq)...])
                guard a.parameters[name] == nil else { throw UsageError(message: "--param \(name) is given twice") }
                a.parameters[name] = Value.parseLiteral(text) ?? .text(text)
            case "--schema":
                if let inline {
                    a.schema = .some(inline)
                } else if i + 1 < args.count, !args[i + 1].hasPrefix("-"), !args[i + 1].hasSuffix(".iql") {
                    i += 1
                    a.schema = .some(args[i])
                } else {
                    a.schema = .some(nil)
                }
            case "--timer": a.timer = true
            case "--plan": a.plan = true
            case "--analyze": a.analyze = true
            case "--no-optimize":
                let names = inline.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                    ?? Engine.optimizerPasses
                for n in names where !Engine.optimizerPasses.contains(n) {
                    throw UsageError(message: "no optimiser pass '\(n)': the passes are \(Engine.optimizerPasses.joined(separator: ", "))")
                }
                a.disabledPasses.formUnion(names)
            case "--date-format":
                let f = try take()
                guard let order = DateOrder(spelling: f) else {
                    throw UsageError(message: "unknown date format '\(f)': use dmy (DD/MM/YYYY, the UK's) or mdy (MM/DD/YYYY)")
                }
                a.dateOrder = order
            case "--lenient": a.lenient = true
            case "--safe": a.safe = true
            case "--time-limit":
                let v = try value(flag)
                guard let seconds = Double(v), seconds > 0, seconds.isFinite, seconds < 1e9 else {
                    throw UsageError(message: "--time-limit takes a number of seconds, found '\(v)'")
                }
                a.limits.time = .milliseconds(Int64((seconds * 1000).rounded(.up)))
            case "--max-rows":
                let v = try value(flag)
                guard let n = Int(v), n > 0 else {
                    throw UsageError(message: "--max-rows takes a whole number of rows, found '\(v)'")
                }
                a.limits.rows = n
            case "--max-memory":
                let v = try value(flag)
                guard let mb = Int(v), mb > 0, mb < 1 << 40 else {
                    throw UsageError(message: "--max-memory takes a whole number of megabytes, found '\(v)'")
                }
                a.limits.memory = mb << 20
            case "--explain":
                let id = try value(flag)
                guard let code = DiagnosticCode(id: id) else {
                    throw UsageError(message: "no diagnostic code '\(id)': codes look like IQL0201 (docs/errors.md lists them)")
                }
                a.explain = code
            case "--diagnostics":
                switch try value(flag) {
                case "json": a.jsonDiagnostics = true
                case "text": a.jsonDiagnostics = false
                case let other: throw UsageError(message: "--diagnostics takes text or json, found '\(other)'")
                }
            case "--color": a.color = true
            case "--no-color": a.color = false
            case "-h", "--help": a.help = true
            case "--version": a.version = true
            default:
                if arg.hasPrefix("-") && arg != "-" {
                    throw UsageError(message: "unknown option '\(arg)'")
                }
                guard a.file == nil else { throw UsageError(message: "give one script file, found '\(a.file ?? "")' and '\(arg)'") }
                a.file = arg
            }
            i += 1
        }
        if a.query != nil && a.file != nil {
            throw UsageError(message: "give either -c QUERY or a script file, not both")
        }
        for name in a.timeColumns.keys where !a.data.contains(where: { $0.name == name }) {
            throw UsageError(message: "--time \(name)=…: no --data \(name)=FILE.csv to take it")
        }
        if (a.plan || a.analyze) && a.query == nil && a.file == nil {
            throw UsageError(message: "\(a.plan ? "--plan" : "--analyze") needs -c QUERY or a script file")
        }
        if a.command == .check && a.query != nil {
            throw UsageError(message: "check takes a script file, not -c")
        }
        return a
    }
}
