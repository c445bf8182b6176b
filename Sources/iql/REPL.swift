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
        while true {
            let prompt = session.pending.isEmpty ? "iql> " : "   ...> "
            switch editor.readLine(prompt: prompt) {
            case .endOfFile:
                return 0
            case .interrupted:
                session.pending = []
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if session.pending.isEmpty {
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(".") {
                        editor.addHistory(trimmed)
                        if case .quit = session.dot(trimmed) { return 0 }
                        continue
                    }
                }
                session.pending.append(line)
                let text = session.pending.joined(separator: "\n")
                let ended = trimmed.isEmpty || trimmed.hasSuffix(";")
                if !ended && Engine.needsMoreInput(text) { continue }
                session.pending = []
                let entry = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if entry.isEmpty || entry == ";" { continue }
                editor.addHistory(entry)
                session.run(entry)
            }
        }
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
            case ".help": options = Array(Session.stageHelp.keys) + Array(Session.functionHelp.keys) + session.engine.datasetNames
            default: options = []
            }
            return (word.count, options.filter { $0.hasPrefix(word) }.sorted())
        }
        let before = (session.pending + [text]).joined(separator: "\n")
        let c = session.engine.completions(before: before)
        return (c.replacing, c.candidates)
    }
}
