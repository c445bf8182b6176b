import Foundation
import IQL
import LineEditing

/// The interactive shell: libedit line editing and history, multi-line statements, Tab
/// completion, dot commands, and Ctrl-C that clears a line or cancels a running query.
struct REPL {
    let session: Session
    let editor: LineEditor

    static var historyPath: String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["IQL_HISTORY"], !p.isEmpty { return p }
        guard let home = env["HOME"], !home.isEmpty else { return nil }
        return home + "/.iql_history"
    }

    func loop() -> Int32 {
        // Every way out of the loop gives the terminal back as it was.
        defer { editor.close() }
        InterruptMonitor.install()
        let session = self.session
        session.history = { [editor] in editor.historyEntries }
        editor.completer = { text in REPL.complete(text, session: session) }
        Terminal.out("IQL \(IQLVersion.current), the Inspection Query Language. Datasets: "
            + session.engine.datasetNames.joined(separator: ", ") + ".\nType .help for help, Tab to complete, .quit to leave.\n")
        // Lines already waiting when one is read (pasted, or typed ahead) are read on, and all
        // of it runs as one script, dot commands included: every multi-line example in the docs
        // continues with `|` lines, and a pasted `param` must reach the query below it.
        var previous: String?
        /// Runs what is pending; true if it ran `.quit`.
        func runPending() -> Bool {
            let entry = session.pending.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            session.pending = []
            if entry.isEmpty || entry == ";" { return false }
            editor.addHistory(entry)
            switch session.runScript(entry, sourceName: "input") {
            case .finished(let ok):
                if ok { previous = REPL.lastPipeline(of: entry) ?? previous }
                return false
            case .quit:
                return true
            }
        }
        while true {
            let prompt = session.pending.isEmpty ? "iql> " : "   ...> "
            switch editor.readLine(prompt: prompt) {
            case .endOfFile:
                _ = runPending()
                return 0
            case .interrupted:
                session.pending = []
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                let waiting = editor.waitingInputStart != nil
                if session.pending.isEmpty {
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(".") && !waiting {
                        editor.addHistory(trimmed)
                        if case .quit = session.dot(trimmed) { return 0 }
                        continue
                    }
                    if trimmed.hasPrefix("|") {
                        guard let previous else {
                            session.error("a line starting with | adds a stage to the statement before it, and none has run yet")
                            continue
                        }
                        // The refined statement is one whole pipeline: it re-runs, and history
                        // keeps it whole.
                        session.pending = [previous]
                    }
                }
                session.pending.append(line)
                if waiting { continue }
                let text = session.pending.joined(separator: "\n")
                let ended = trimmed.isEmpty || trimmed.hasSuffix(";")
                if !ended && Engine.needsMoreInput(ScriptSegments.codeOnly(text)) { continue }
                if runPending() { return 0 }
            }
        }
    }

    /// The last statement of `text` that a `|` line can extend: from the last line that starts a
    /// `from` or `let` statement to the end, without a final `;`.
    static func lastPipeline(of text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.lastIndex(where: { line in
            let t = line.drop { $0 == " " || $0 == "\t" }
            return t.hasPrefix("from ") || t.hasPrefix("let ") || t == "from"
        }) else { return nil }
        var body = lines[start...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        while body.hasSuffix(";") { body.removeLast(); body = body.trimmingCharacters(in: .whitespacesAndNewlines) }
        return body.isEmpty ? nil : body
    }

    /// Tab: dot commands and their arguments at the start of a line, otherwise the engine's
    /// completions over the whole pending statement.
    static func complete(_ text: String, session: Session) -> (replacing: Int, candidates: [String]) {
        if session.pending.isEmpty, text.hasPrefix(".") {
            let parts = text.split(separator: " ", omittingEmptySubsequences: false)
            if parts.count == 1 {
                return (text.count, Session.dotCommands.map(\.name).filter { $0.hasPrefix(text) })
            }
            let word = String(parts.last ?? "")
            let options: [String]
            switch parts[0] {
            case ".schema": options = session.engine.datasetNames
            case ".mode": options = OutputFormat.allCases.map(\.rawValue)
            case ".timer": options = ["on", "off"]
            case ".help": options = Session.helpTopics(session.engine)
            default: options = []
            }
            return (word.count, options.filter { $0.hasPrefix(word) }.sorted())
        }
        let before = (session.pending + [text]).joined(separator: "\n")
        let c = session.engine.completions(before: before)
        return (c.replacing, c.candidates)
    }
}
