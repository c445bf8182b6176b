import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Draws a table one field per line, `name = value`, with a blank line between rows: sqlite3's
/// `.mode line`, and the layout the table view switches to when a result's columns cannot fit
/// the terminal side by side (as psql's `\x auto`), so no column is hidden.
package struct LineRenderer: Sendable {
    /// Whether to dim nulls with ANSI colour.
    package var color: Bool
    /// The widest a line may be, in characters (longer values end with `…`); nil for no limit.
    package var maxWidth: Int?
    /// The most rows to show; nil for all.
    package var maxRows: Int?
    /// Added to the footer when rows were left out, e.g. how to see everything.
    package var hint: String?
    /// Whether each row starts with a `-- row N --` line (the table view's layout) rather than
    /// only a blank line between rows (sqlite3's).
    package var numbered: Bool

    /// Makes a renderer.
    package init(color: Bool = false, maxWidth: Int? = nil, maxRows: Int? = nil, hint: String? = nil, numbered: Bool = false) {
        self.color = color
        self.maxWidth = maxWidth
        self.maxRows = maxRows
        self.hint = hint
        self.numbered = numbered
    }

    /// The rendered rows, ending with a newline; a footer (row count, notes) when numbered.
    package func render(_ table: Table) -> String {
        let names = table.schema.names
        let nameWidth = names.map(\.count).max() ?? 0
        let shown = min(table.rowCount, maxRows.map { max(1, $0) } ?? table.rowCount)
        // The name, " = ", and at least a few characters of the value.
        let valueWidth = maxWidth.map { max(8, $0 - nameWidth - 3) }
        var out = ""
        for r in 0..<shown {
            if numbered {
                out += (color ? "\u{1B}[2m" : "") + "-- row \(r + 1) --" + (color ? "\u{1B}[0m" : "") + "\n"
            } else if r > 0 {
                out += "\n"
            }
            for (k, column) in table.columns.enumerated() {
                let v = column[r]
                var text = v.isNull ? "null" : v.shownText.replacingNewlines()
                if let valueWidth, text.count > valueWidth { text = String(text.prefix(valueWidth - 1)) + "…" }
                if color, v.isNull { text = "\u{1B}[2m" + text + "\u{1B}[0m" }
                let name = names[k]
                out += String(repeating: " ", count: nameWidth - name.count) + name + " = " + text + "\n"
            }
        }
        guard numbered else { return out }
        var footer = table.rowCount == 1 ? "1 row" : "\(table.rowCount) rows"
        if shown < table.rowCount {
            footer += " (first \(shown) shown)"
            if let hint { footer += "\n" + hint }
        }
        for note in table.notes { footer += "\n" + (color ? "\u{1B}[1mnote:\u{1B}[0m" : "note:") + " " + note.message }
        return out + footer + "\n"
    }
}
