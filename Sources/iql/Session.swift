import Foundation
import IQL
import LineEditing
import Synchronization

/// The state of one interactive session: the engine and its `let` names, the output mode, the
/// timer, where results go, and the statements that succeeded (for `.save`). A class because
/// the REPL loop and the completion callback share one session.
final class Session {
    var engine: Engine
    var mode: OutputFormat = .table
    var timer = false
    let parameters: [String: Value]
    let outColor: Bool
    let errColor: Bool
    /// Where results go instead of the terminal, after `.output FILE`.
    var output: (path: String, handle: FileHandle)?
    /// Statements that ran without error, in order.
    var succeeded: [String] = []
    var datasetsUsed: Set<String> = []
    /// CSV files registered with `.load` or `--data`, which a saved script needs again.
    var loaded: [(name: String, path: String)] = []
    /// Lines typed so far of a statement that is not finished.
    var pending: [String] = []
    /// `--safe`: no dot command may read or write a file.
    var safe = false
    /// The line editor's history, for `.history`.
    var history: () -> [String] = { [] }
    /// Results are fitted to the terminal (at the prompt), or shown whole (a script run by the
    /// shell, its output perhaps piped).
    var fitsTerminal = true
    /// Where the command being run came from ("setup.iql:3"), named in its error messages.
    var location: String?
    /// Errors reported so far, from statements and dot commands alike.
    private(set) var failures = 0
    /// How deep `.read` files are nested, so a file that reads itself stops.
    private var readDepth = 0
    static let maxReadDepth = 16

    init(engine: Engine, parameters: [String: Value], outColor: Bool, errColor: Bool) {
        self.engine = engine
        self.parameters = parameters
        self.outColor = outColor
        self.errColor = errColor
    }

    // MARK: - Running statements

    /// Runs a statement (or a whole script for `.read`), printing its results; returns whether it succeeded.
    @discardableResult
    func run(_ text: String, sourceName: String = "input") -> Bool {
        switch execute(text, sourceName: sourceName) {
        case .success(let result):
            if !result.warnings.isEmpty {
                Terminal.err(DiagnosticRenderer(color: errColor).render(result.warnings, in: result.source))
            }
            for table in result.tables { show(table) }
            if timer { Terminal.out(Session.describe(result.timings) + "\n") }
            succeeded.append(text)
            datasetsUsed.formUnion(result.datasetsUsed)
            return true
        case .failure(let error):
            // A comment typed at the prompt is a note to oneself, not a mistake.
            if error.diagnostics.map(\.code) == [.emptyScript] { return true }
            Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
            failures += 1
            return false
        }
    }

    /// How a script run by the shell ended.
    enum ScriptOutcome {
        case finished(succeeded: Bool)
        /// It ran `.quit` (or `.exit`).
        case quit(succeeded: Bool)
    }

    /// Runs a script that may hold dot commands on lines of their own (piped input, `iql FILE`,
    /// `.read`): each part in order, stopping at the first error, as sqlite3's `-bail` does, so
    /// nothing runs on the assumption that a failed step worked.
    func runScript(_ text: String, sourceName: String) -> ScriptOutcome {
        guard readDepth < Session.maxReadDepth else {
            error("scripts read with .read are nested more than \(Session.maxReadDepth) deep; does '\(sourceName)' read itself?")
            return .finished(succeeded: false)
        }
        readDepth += 1
        defer { readDepth -= 1 }
        let before = failures
        for segment in ScriptSegments(text).segments {
            switch segment {
            case .code(let code):
                location = nil
                if !run(code, sourceName: sourceName) { return .finished(succeeded: false) }
            case .dot(let line, let number):
                location = "\(sourceName):\(number)"
                let outcome = dot(line)
                location = nil
                if failures > before { return .finished(succeeded: false) }
                if case .quit = outcome { return .quit(succeeded: true) }
            }
        }
        return .finished(succeeded: failures == before)
    }

    /// Runs on another thread so Ctrl-C (a SIGINT outside line editing) can cancel the query
    /// through the engine's cancellation flag; the session itself never exits on it.
    private func execute(_ text: String, sourceName: String) -> Result<ScriptResult, IQLError> {
        final class Outcome: Sendable {
            let value = Mutex<(Engine, Result<ScriptResult, IQLError>)?>(nil)
        }
        let flag = CancellationFlag()
        var prepared = engine
        prepared.cancellation = flag
        let copy = prepared
        let outcome = Outcome()
        let parameters = self.parameters
        _ = InterruptMonitor.takeInterrupt()
        let worker = Thread {
            var e = copy
            let result: Result<ScriptResult, IQLError>
            do throws(IQLError) {
                result = .success(try e.run(text, sourceName: sourceName, parameters: parameters))
            } catch {
                result = .failure(error)
            }
            outcome.value.withLock { $0 = (e, result) }
        }
        // Deeply nested expressions are bounded by the parser, but give the checker room anyway.
        worker.stackSize = 64 << 20
        worker.start()
        while true {
            if let (e, result) = outcome.value.withLock({ $0 }) {
                // The terminal echoed ^C; start the message on a line of its own.
                if flag.isCancelled { Terminal.err("\n") }
                var finished = e
                finished.cancellation = nil
                engine = finished
                return result
            }
            if InterruptMonitor.takeInterrupt() { flag.cancel() }
            usleep(2_000)
        }
    }

    /// The notes under results (a comparator computed, rows left out) on standard error, for
    /// the formats whose output has no place for them: the table view prints them itself.
    static func writeNotes(_ tables: [Table], format: OutputFormat, color: Bool) {
        guard format != .table else { return }
        var seen: Set<ResultNote> = []
        for note in tables.flatMap(\.notes) where seen.insert(note).inserted {
            Terminal.err((color ? "\u{1B}[1mnote:\u{1B}[0m " : "note: ") + note.message + "\n")
        }
    }

    /// Prints a table in the current mode: to the terminal fitted to its size, to a file whole.
    func show(_ table: Table) {
        if let output {
            output.handle.write(Data(mode.render(table).utf8))
            Session.writeNotes([table], format: mode, color: errColor)
            return
        }
        Session.writeNotes([table], format: mode, color: errColor)
        if mode == .table, fitsTerminal {
            let renderer = TableRenderer(color: outColor, maxWidth: LineEditor.terminalColumns, maxRows: 40,
                                         hint: "(.mode csv or .output FILE gives every row and column)")
            Terminal.out(renderer.render(table))
        } else {
            Terminal.out(mode.render(table))
        }
    }

    static func milliseconds(_ d: Duration) -> String {
        let (s, atto) = d.components
        let value = Double(s) * 1000 + Double(atto) / 1e15
        return value < 10 ? String(format: "%.2f ms", value) : String(format: "%.1f ms", value)
    }

    static func describe(_ t: ScriptResult.Timings) -> String {
        let ms = milliseconds
        return "Time: \(ms(t.total)) (parse \(ms(t.parse)), check \(ms(t.check)), run \(ms(t.run)))"
    }

    func error(_ message: String, suggestion: String? = nil) {
        failures += 1
        let head = errColor ? "\u{1B}[1;31merror\u{1B}[0m" : "error"
        Terminal.err((location.map { $0 + ": " } ?? "") + head + ": " + message + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + "\n")
    }
}
