import Foundation
import IQL

/// The REPL's dot commands, in the manner of the sqlite3 and DuckDB shells.
extension Session {
    struct DotCommand {
        var name: String
        var usage: String
        var summary: String
        /// Whether it reads or writes a file named in its argument: refused under `--safe`.
        var touchesFiles = false
    }

    static let dotCommands: [DotCommand] = [
        .init(name: ".help", usage: ".help [TOPIC]", summary: "this help; TOPIC is a stage, function, dataset or command"),
        .init(name: ".datasets", usage: ".datasets", summary: "list the datasets"),
        .init(name: ".schema", usage: ".schema [NAME]", summary: "the columns of a dataset or let table (all datasets without NAME)"),
        .init(name: ".mode", usage: ".mode " + OutputFormat.allCases.map(\.rawValue).joined(separator: "|"), summary: "how results are shown"),
        .init(name: ".timer", usage: ".timer on|off", summary: "show how long each query takes"),
        .init(name: ".explain", usage: ".explain QUERY", summary: "run QUERY and show its plan with each node's rows, time and columns"),
        .init(name: ".plan", usage: ".plan QUERY", summary: "show QUERY's plan as checked and as optimised, without running it"),
        .init(name: ".read", usage: ".read FILE", summary: "run a script file", touchesFiles: true),
        .init(name: ".output", usage: ".output [FILE]", summary: "send results to FILE, or back to the terminal", touchesFiles: true),
        .init(name: ".load", usage: ".load PATH AS NAME [--date-format dmy|mdy]", summary: "add a CSV file as dataset NAME", touchesFiles: true),
        .init(name: ".let", usage: ".let", summary: "list the names bound with let"),
        .init(name: ".connect", usage: ".connect [postgresql://…]", summary: "run queries in a PostgreSQL database, its tables the datasets (without an address: say where queries run)"),
        .init(name: ".disconnect", usage: ".disconnect", summary: "run queries in iql again, on the bundled data"),
        .init(name: ".history", usage: ".history", summary: "list the history"),
        .init(name: ".save", usage: ".save FILE", summary: "write this session's successful statements as a script", touchesFiles: true),
        .init(name: ".quit", usage: ".quit", summary: "leave (also .exit or Ctrl-D)"),
    ]

    enum Outcome {
        case keepGoing
        case quit
    }

    /// Runs one dot command line.
    func dot(_ line: String) -> Outcome {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let name = String(trimmed.prefix { !$0.isWhitespace })
        let argument = trimmed.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        // `.output` with no file only goes back to the terminal, which --safe allows.
        if safe, Session.dotCommands.first(where: { $0.name == name })?.touchesFiles == true,
           !(name == ".output" && argument.isEmpty) {
            error("\(name) reads or writes files, which --safe does not allow")
            return .keepGoing
        }
        switch name {
        case ".quit", ".exit": return .quit
        case ".help": help(argument)
        case ".datasets": show(SchemaDescription(engine: engine).datasets())
        case ".schema":
            if argument.isEmpty {
                show(SchemaDescription(engine: engine).datasets())
            } else if let t = SchemaDescription(engine: engine).columns(of: argument) {
                if let d = engine.bundledDataset(named: argument) { Terminal.out("\(argument): \(d.summary)\n") }
                show(t)
            } else {
                error("no dataset or table named '\(argument)'", suggestion: engine.closestDatasetName(to: argument))
            }
        case ".mode":
            if argument.isEmpty {
                Terminal.out("mode: \(mode.rawValue)\n")
            } else if let m = OutputFormat(rawValue: argument) {
                mode = m
            } else {
                error("unknown mode '\(argument)': use \(OutputFormat.namesInWords)",
                      suggestion: closest(argument, OutputFormat.allCases.map(\.rawValue)))
            }
        case ".timer":
            switch argument {
            case "on": timer = true
            case "off": timer = false
            default: error(".timer takes on or off")
            }
        case ".explain":
            guard !argument.isEmpty else { error(".explain needs a query: .explain from inspections | where …"); break }
            do throws(IQLError) {
                let explanation = try engine.explain(argument, parameters: parameters)
                if !explanation.result.warnings.isEmpty {
                    Terminal.err(DiagnosticRenderer(color: errColor).render(explanation.result.warnings, in: explanation.result.source))
                }
                Terminal.out(explanation.text)
            } catch {
                Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
            }
        case ".plan":
            guard !argument.isEmpty else { error(".plan needs a query: .plan from inspections | where …"); break }
            do throws(IQLError) {
                Terminal.out(try engine.plan(argument, parameters: parameters))
            } catch {
                Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
            }
        case ".read":
            guard !argument.isEmpty else { error(".read needs a file: .read FILE"); break }
            guard let data = FileManager.default.contents(atPath: argument) else {
                error("cannot read '\(argument)'")
                break
            }
            // A `.quit` in the file ends the file, not the session that read it.
            _ = runScript(String(decoding: data, as: UTF8.self), sourceName: argument)
        case ".output":
            setOutput(argument)
        case ".load":
            load(argument)
        case ".let":
            let names = engine.boundNames
            if names.isEmpty { Terminal.out("no names are bound; bind one with let NAME = …\n") }
            for (n, d) in names { Terminal.out("\(n): \(d)\n") }
        case ".connect":
            connect(argument)
        case ".disconnect":
            guard engine.database != nil else { Terminal.out("not connected: queries run in iql\n"); break }
            var local = Engine()
            local.takeSettings(from: engine)
            engine = local
            loaded = []
            Terminal.out("disconnected: queries run in iql on the bundled data\n")
        case ".history":
            for (i, entry) in history().enumerated() {
                Terminal.out(String(format: "%5d  ", i + 1) + entry.replacingOccurrences(of: "\n", with: "\n       ") + "\n")
            }
        case ".save":
            save(argument)
        default:
            error("unknown command '\(name)'", suggestion: closest(name, Session.dotCommands.map(\.name) + [".exit"]))
        }
        return .keepGoing
    }

    private func closest(_ word: String, _ candidates: [String]) -> String? {
        Engine.closest(to: word, among: candidates)
    }

    private func setOutput(_ path: String) {
        if let output { try? output.handle.close() }
        output = nil
        guard !path.isEmpty else { return }
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            error("cannot write '\(path)'")
            return
        }
        output = (path, handle)
    }

    private func load(_ argument: String) {
        var argument = argument
        // `--date-format dmy` at the end says how the file's slash dates read.
        var order: DateOrder?
        if let r = argument.range(of: " --date-format ", options: .backwards) {
            let spelling = argument[r.upperBound...].trimmingCharacters(in: .whitespaces)
            guard let o = DateOrder(spelling: spelling) else {
                error("unknown date format '\(spelling)': use dmy (DD/MM/YYYY, the UK's) or mdy (MM/DD/YYYY)")
                return
            }
            order = o
            argument = String(argument[..<r.lowerBound])
        }
        // PATH may hold spaces; the name follows the last " as ".
        guard let r = argument.range(of: " as ", options: [.caseInsensitive, .backwards]) else {
            error(".load takes PATH AS NAME [--date-format dmy|mdy], e.g. .load targets.csv AS targets")
            return
        }
        let path = argument[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
        let name = argument[r.upperBound...].trimmingCharacters(in: .whitespaces)
        let before = engine.dateOrder
        if let order { engine.dateOrder = order }
        defer { engine.dateOrder = before }
        do {
            let report = try engine.registerCSV(atPath: path, as: name)
            loaded.append((name, path))
            let warnings = report.warnings(file: path)
            if !warnings.isEmpty { Terminal.err(DiagnosticRenderer(color: errColor).render(warnings, in: nil)) }
            if let s = engine.schema(of: name) {
                let rows = (try? engine.table(named: name).rowCount) ?? 0
                Terminal.out("\(name): \(rows) rows; columns " + s.columns.map { "\($0.name) (\($0.type))" }.joined(separator: ", ") + "\n")
            }
        } catch {
            Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
        }
    }

    /// `.connect ADDRESS`: the session's engine becomes one connected to the database, with
    /// the same settings; its let names and loaded files stay with the engine it replaces.
    private func connect(_ address: String) {
        guard !address.isEmpty else {
            Terminal.out(engine.database.map { "connected to \($0.name): queries run there\n" } ?? "not connected: queries run in iql\n")
            return
        }
        do throws(IQLError) {
            engine = try Runner.connect(address, like: engine)
            loaded = []
            let count = engine.datasetNames.count
            Terminal.out("connected to \(engine.database?.name ?? "the database"): \(count) \(count == 1 ? "table or view" : "tables and views") to query (.datasets lists them)\n")
        } catch {
            Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
        }
    }

    private func save(_ path: String) {
        guard !path.isEmpty else {
            error(".save needs a file: .save FILE")
            return
        }
        let date = ISO8601DateFormatter().string(from: Date())
        var text = "# IQL session saved \(date) by iql \(IQLVersion.current)\n"
        text += "# Datasets used: " + (datasetsUsed.isEmpty ? "none" : datasetsUsed.sorted().joined(separator: ", ")) + "\n"
        for (name, file) in loaded where datasetsUsed.contains(name) {
            text += "# Needs: --data \(name)=\(file)\n"
        }
        text += "\n" + succeeded.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }.joined(separator: "\n\n") + "\n"
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Terminal.out("saved \(succeeded.count) statement\(succeeded.count == 1 ? "" : "s") to \(path)\n")
        } catch {
            self.error("cannot write '\(path)'")
        }
    }

    // MARK: - Help

    private func help(_ topic: String) {
        if topic.isEmpty {
            var out = """
            IQL pipelines: from DATASET | STAGE | STAGE …   e.g.
              from inspections | where overall >= good | count by region
            End a statement with Enter when it is complete; an unfinished one (open bracket or
            quote, trailing |) continues on the next line; a blank line or ; ends it.
            Stages: \(LanguageReference.stages.map(\.name).joined(separator: ", ")).
            Pasted text runs as one script; a line starting with | adds a stage to the last statement.
            Tab completes datasets, stages, columns, functions and, inside quotes, real values.
            Ctrl-C clears the line or stops a running query; Ctrl-D or .quit leaves.

            Commands:

            """
            for c in Session.dotCommands { out += "  " + c.usage.padding(toLength: 32, withPad: " ", startingAt: 0) + c.summary + "\n" }
            out += "\n.help TOPIC explains a stage, function, dataset or command. The language: docs/language.md\n"
            Terminal.out(out)
            return
        }
        if let c = Session.dotCommands.first(where: { $0.name == topic || $0.name == "." + topic }) {
            Terminal.out("\(c.usage)\n  \(c.summary)\n")
        } else if case let entries = LanguageReference.entries(named: topic), !entries.isEmpty {
            Terminal.out(entries.map { "\($0.kind.rawValue): \($0.help)\n" }.joined())
        } else if engine.schema(of: topic) != nil {
            _ = dot(".schema \(topic)")
        } else {
            let topics = Session.helpTopics(engine)
            error("no help on '\(topic)'", suggestion: closest(topic, topics))
        }
    }

    /// What `.help` explains, for completion and suggestions.
    static func helpTopics(_ engine: Engine) -> [String] {
        Array(Set(LanguageReference.all.map(\.name))) + engine.datasetNames + Session.dotCommands.map(\.name)
    }
}
