import IQL

/// A line-by-line interactive loop for a terminal: reads statements, asks for more lines while
/// the input is incomplete, prints results and diagnostics, and keeps `let` names for the session.
struct PlainShell {
    var engine: Engine
    var format: OutputFormat
    var parameters: [String: Value]
    let outColor: Bool
    let errColor: Bool

    mutating func loop() -> Int32 {
        Terminal.out("IQL \(IQLVersion.current): questions about English councils' children's services.\n")
        Terminal.out("Datasets: \(engine.datasetNames.joined(separator: ", ")).\nEnd a statement with an empty line or ';'. Ctrl-D quits.\n")
        var pending = ""
        while true {
            Terminal.out(pending.isEmpty ? "iql> " : "   ...> ")
            guard let line = readLine(strippingNewline: true) else {
                Terminal.out("\n")
                return 0
            }
            if pending.isEmpty && line.trimmingCharacters(in: " \t").isEmpty { continue }
            pending += pending.isEmpty ? line : "\n" + line
            let finished = line.trimmingCharacters(in: " \t").isEmpty || line.hasSuffix(";")
            do {
                let result = try engine.run(pending, sourceName: "input", parameters: parameters)
                if !result.warnings.isEmpty {
                    Terminal.err(DiagnosticRenderer(color: errColor).render(result.warnings, in: result.source))
                }
                for table in result.tables { Terminal.out(format.render(table, color: outColor)) }
                pending = ""
            } catch {
                if error.isIncompleteInput && !finished { continue }
                Terminal.err(DiagnosticRenderer(color: errColor).render(error.diagnostics, in: error.source))
                pending = ""
            }
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
