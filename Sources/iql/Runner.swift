import Foundation
import IQL
import IQLPostgres
import LineEditing

/// Runs what the command line asked for and returns the exit code: 0 success, 1 a query or
/// data error, 2 a usage error.
struct Runner {
    var arguments: Arguments
    var engine = Engine()
    let outColor: Bool
    let errColor: Bool

    init(_ arguments: Arguments) {
        self.arguments = arguments
        engine.limits = arguments.limits
        engine.dateOrder = arguments.dateOrder
        // A person at their own terminal may save charts in the folder they are working in,
        // unless --safe; the parameters they type are text that may read as numbers.
        engine.outputDirectory = arguments.safe ? nil : FileManager.default.currentDirectoryPath
        engine.parametersFromCommandLine = true
        engine.trimsMemory = true
        // The tool owns its process: memory freed by one query is kept for the next.
        ProcessMemory.keepFreedMemory()
        engine.disabledOptimizerPasses = arguments.disabledPasses
        outColor = arguments.color ?? Terminal.wantsColor(1)
        errColor = arguments.color ?? Terminal.wantsColor(2)
    }

    mutating func main() -> Int32 {
        if arguments.version {
            let vintage = Engine().dataVintage.map { ", bundled data to \($0)" } ?? ""
            Terminal.out("iql \(IQLVersion.current)\(vintage)\n")
            return 0
        }
        if let code = arguments.explain {
            Terminal.out(code.renderedExplanation)
            return 0
        }
        if let address = arguments.connect {
            do throws(IQLError) {
                engine = try Runner.connect(address, like: engine)
            } catch {
                report(error)
                return 1
            }
        }
        // A script given on the command line is known before the data loads, so each --data
        // file is parsed only as far as the script reads it.
        var script: SourceFile?
        if let query = arguments.query {
            script = SourceFile(name: "query", text: query)
        } else if let file = arguments.file {
            guard let data = FileManager.default.contents(atPath: file) else {
                write([Diagnostic(.error, .unreadableScript(file))], in: nil)
                return 1
            }
            let (source, invalid) = SourceDecoding.decode(data, name: file)
            if let invalid {
                write([invalid], in: source)
                return 1
            }
            script = source
        }
        // Dot commands in the script run in the shell; the engine sees only the IQL.
        let withDots = script.map { ScriptSegments($0.text).hasDotCommands } ?? false
        let code = script.map { withDots ? SourceFile(name: $0.name, text: ScriptSegments.codeOnly($0.text)) : $0 }
        let oneShot = arguments.schema == nil && arguments.export == nil && arguments.command == .run && !arguments.plan
            && arguments.sql == nil ? code : nil
        for (name, path) in arguments.data {
            let started = ContinuousClock.now
            do throws(IQLError) {
                let time = arguments.timeColumns[name]
                let report = if let oneShot {
                    try engine.registerCSV(atPath: path, as: name, readBy: oneShot.text, parameters: arguments.parameters,
                                           timeColumn: time, lenient: arguments.lenient)
                } else {
                    try engine.registerCSV(atPath: path, as: name, timeColumn: time, lenient: arguments.lenient)
                }
                let warnings = report.warnings(file: path)
                if !warnings.isEmpty { write(warnings, in: nil) }
                if arguments.timer {
                    let unread = report.unreadColumns.count
                    let columns = unread == 0 ? "" : " (\(unread) column\(unread == 1 ? "" : "s") the query does not read left out)"
                    Terminal.err("Load \(name): \(report.rows) rows in \(Session.milliseconds(ContinuousClock.now - started))\(columns)\n")
                }
            } catch {
                report(error)
                return 1
            }
        }
        if let schema = arguments.schema {
            return showSchema(schema)
        }
        if let datasets = arguments.export, let address = arguments.exportTo {
            do throws(IQLError) {
                let database = try Runner.database(at: address)
                let made = try engine.export(datasets, to: database)
                let rows = made.reduce(0) { $0 + $1.rows }
                Terminal.err("Created \(made.count) table\(made.count == 1 ? "" : "s") (\(rows) rows) in \(database.name): "
                             + made.map(\.name).joined(separator: ", ") + "; and iql_council_names, the council spellings compare resolves\n")
                return 0
            } catch {
                report(error)
                return 1
            }
        }
        if let datasets = arguments.export, let dialect = arguments.sql {
            do {
                Terminal.out(try engine.exportSQL(datasets, dialect: dialect))
                return 0
            } catch {
                report(error)
                return 1
            }
        }
        if let script, let code {
            if arguments.command == .check { return check(code.text, sourceName: code.name, script: script.text) }
            if arguments.plan { return plan(code.text, sourceName: code.name) }
            if let dialect = arguments.sql { return sql(code.text, sourceName: code.name, dialect: dialect) }
            if arguments.analyze { return analyze(code.text, sourceName: code.name) }
            if withDots { return runWithDotCommands(script.text, sourceName: script.name) }
            return run(script.text, sourceName: script.name)
        }
        if Terminal.isTerminal(0), let editor = LineEditor(program: "iql", historyPath: REPL.historyPath) {
            let session = Session(engine: engine, parameters: arguments.parameters, outColor: outColor, errColor: errColor)
            session.mode = arguments.format
            session.safe = arguments.safe
            session.loaded = arguments.data
            return REPL(session: session, editor: editor).loop()
        }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let (source, invalid) = SourceDecoding.decode(input, name: "stdin")
        if let invalid {
            write([invalid], in: source)
            return 1
        }
        if ScriptSegments(source.text).hasDotCommands { return runWithDotCommands(source.text, sourceName: "stdin") }
        return run(source.text, sourceName: "stdin")
    }

    /// A script with dot commands (`.mode csv`, `.timer on`, `.read`) runs as the REPL would
    /// run it typed line by line, with results shown whole; the first error stops it.
    func runWithDotCommands(_ text: String, sourceName: String) -> Int32 {
        let session = Session(engine: engine, parameters: arguments.parameters, outColor: outColor, errColor: errColor)
        session.mode = arguments.format
        session.safe = arguments.safe
        session.timer = arguments.timer
        session.loaded = arguments.data
        session.fitsTerminal = false
        switch session.runScript(text, sourceName: sourceName) {
        case .finished(let ok), .quit(let ok): return ok ? 0 : 1
        }
    }

    mutating func run(_ text: String, sourceName: String) -> Int32 {
        do {
            let result = try engine.run(text, sourceName: sourceName, parameters: arguments.parameters)
            if arguments.jsonDiagnostics {
                // One array: the warnings, then every note under the results.
                var seen: Set<ResultNote> = []
                let notes = result.tables.flatMap(\.notes).filter { seen.insert($0).inserted }
                if !result.warnings.isEmpty || !notes.isEmpty {
                    Terminal.err(DiagnosticJSON.render(result.warnings, in: result.source, notes: notes))
                }
                Terminal.out(arguments.format.render(result.items, color: outColor))
            } else {
                if !result.warnings.isEmpty { write(result.warnings, in: result.source) }
                Terminal.out(arguments.format.render(result.items, color: outColor))
                Session.writeNotes(result.items.map(\.table), format: arguments.format, color: errColor)
            }
            if arguments.timer { Terminal.err(Session.describe(result.timings) + "\n") }
            return 0
        } catch {
            // Results from before the failure (say, a failed assert) are printed first.
            if !error.completedResults.isEmpty {
                Terminal.out(arguments.format.render(error.completedResults, color: outColor))
                Session.writeNotes(error.completedResults.map(\.table), format: arguments.format, color: errColor)
            }
            report(error)
            return 1
        }
    }

    /// `--plan`: each pipeline's plan, without running anything.
    func plan(_ text: String, sourceName: String) -> Int32 {
        do {
            Terminal.out(try engine.plan(text, sourceName: sourceName, parameters: arguments.parameters))
            return 0
        } catch {
            report(error)
            return 1
        }
    }

    /// `--sql DIALECT`: each pipeline's SQL, without running anything.
    func sql(_ text: String, sourceName: String, dialect: SQLDialect) -> Int32 {
        do {
            let statements = try engine.sql(text, dialect: dialect, sourceName: sourceName, parameters: arguments.parameters)
            Terminal.out(statements.map { $0.text + ";\n" }.joined(separator: "\n"))
            return 0
        } catch {
            report(error)
            return 1
        }
    }

    /// `--analyze`: runs the script and prints each pipeline's plan with rows and times.
    func analyze(_ text: String, sourceName: String) -> Int32 {
        do {
            let explanation = try engine.explain(text, sourceName: sourceName, parameters: arguments.parameters)
            if !explanation.result.warnings.isEmpty { write(explanation.result.warnings, in: explanation.result.source) }
            Terminal.out(explanation.text)
            return 0
        } catch {
            report(error)
            return 1
        }
    }

    /// `iql check`: every problem, without running anything. Parameters without a value are
    /// fine here, as an editor checks a script before anyone gives it one.
    /// `script` is the text as written, dot commands and all, whose command names are checked.
    func check(_ text: String, sourceName: String, script: String? = nil) -> Int32 {
        let diagnostics = engine.check(text, sourceName: sourceName, parameters: arguments.parameters,
                                       requireParameters: false)
        if !diagnostics.isEmpty { write(diagnostics, in: SourceFile(name: sourceName, text: text)) }
        var unknownCommands = 0
        for case .dot(let line, let number) in ScriptSegments(script ?? "").segments {
            let name = String(line.prefix { !$0.isWhitespace })
            let known = Session.dotCommands.map(\.name) + [".exit"]
            guard !known.contains(name) else { continue }
            unknownCommands += 1
            let close = Engine.closest(to: name, among: known)
            Terminal.err("\(sourceName):\(number): error: unknown command '\(name)'" + (close.map { "; did you mean '\($0)'?" } ?? "") + "\n")
        }
        if unknownCommands > 0 || diagnostics.contains(where: { $0.severity == .error }) { return 1 }
        Terminal.out("\(sourceName): ok\n")
        return 0
    }

    func report(_ error: IQLError) {
        write(error.diagnostics, in: error.source)
    }

    /// Diagnostics to standard error, as text or as JSON (`--diagnostics json`).
    func write(_ diagnostics: [Diagnostic], in source: SourceFile?) {
        if arguments.jsonDiagnostics {
            Terminal.err(DiagnosticJSON.render(diagnostics, in: source))
        } else {
            Terminal.err(DiagnosticRenderer(color: errColor).render(diagnostics, in: source))
        }
    }

    func showSchema(_ name: String?) -> Int32 {
        Terminal.out(SchemaDescription(engine: engine).describe(name, format: arguments.format, color: outColor) ?? "")
        if let name, engine.schema(of: name) == nil {
            let close = engine.closestDatasetName(to: name)
            write([Diagnostic(.error, .noDataset(name), suggestion: close)], in: nil)
            return 1
        }
        return 0
    }

    /// An engine running its queries in the PostgreSQL database at `address`, with the
    /// settings (limits, passes, output folder) of `settings`.
    static func connect(_ address: String, like settings: Engine) throws(IQLError) -> Engine {
        var engine = try Engine(database: try database(at: address))
        engine.takeSettings(from: settings)
        return engine
    }

    /// A connection to the PostgreSQL database at `address`; a refusal is IQL0615.
    static func database(at address: String) throws(IQLError) -> PostgresDatabase {
        do {
            return try PostgresDatabase(connecting: address)
        } catch {
            throw IQLError(error, database: "the database")
        }
    }
}
