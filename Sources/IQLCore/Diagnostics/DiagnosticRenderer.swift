/// Renders diagnostics rustc-style: the message, `--> name:line:column`, the source line and a
/// caret under the range, with the label or suggestion beside it.
public struct DiagnosticRenderer: Sendable {
    /// Whether to use ANSI colour.
    public var color: Bool

    /// Makes a renderer.
    public init(color: Bool) { self.color = color }

    /// Renders several diagnostics, separated by blank lines.
    public func render(_ diagnostics: [Diagnostic], in source: SourceFile?) -> String {
        diagnostics.map { render($0, in: source) }.joined(separator: "\n")
    }

    /// Renders one diagnostic, ending with a newline.
    public func render(_ d: Diagnostic, in source: SourceFile?) -> String {
        let head: String
        switch d.severity {
        case .error: head = paint("error[\(d.code.id)]", "1;31")
        case .warning: head = paint("warning[\(d.code.id)]", "1;33")
        case .note: head = paint("note", "1;36")
        }
        var out = head + paint(": " + d.message, "1") + "\n"
        let label = d.label ?? d.suggestion.map { "did you mean '\($0)'?" }
        if let range = d.range, let source {
            let (line, column) = source.location(of: range.start)
            let (endLine, endColumn) = source.location(of: range.end)
            let gutter = String(line).count
            let pad = String(repeating: " ", count: gutter)
            out += pad + paint("--> ", "1;34") + "\(source.name):\(line):\(column)\n"
            out += pad + paint(" |", "1;34") + "\n"
            // A very long line (a generated query) is shown as a window around the caret, and
            // only the window is decoded, so rendering costs the same however long the line.
            let window = source.window(around: range.start, characters: DiagnosticRenderer.maxLine)
            let full = Array(window.text.replacingTabs())
            let caretAt = window.column - 1
            let width = endLine == line ? max(1, min(endColumn - column, full.count - caretAt)) : max(1, full.count - caretAt)
            let text = (window.clippedStart ? "…" : "") + String(full) + (window.clippedEnd ? "…" : "")
            out += paint(String(line) + " |", "1;34") + " " + text + "\n"
            let caret = String(repeating: " ", count: caretAt + (window.clippedStart ? 1 : 0))
                + String(repeating: "^", count: max(1, width))
            let colorCode = d.severity == .error ? "1;31" : "1;33"
            out += pad + paint(" |", "1;34") + " " + paint(caret, colorCode)
                + (label.map { " " + paint($0, colorCode) } ?? "") + "\n"
        } else if let label {
            out += "  = " + label + "\n"
        }
        for note in d.notes {
            out += String(repeating: " ", count: d.range == nil || source == nil ? 2 : 2)
                + paint("= note:", "1") + " " + note + "\n"
        }
        return out
    }

    /// Characters of a source line shown around a caret.
    package static let maxLine = 160

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}

extension String {
    /// Tabs become single spaces so carets line up with the text above them.
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
