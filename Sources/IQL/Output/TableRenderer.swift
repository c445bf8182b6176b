import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Draws a table for a terminal: a box of aligned columns (numbers to the right), the column
/// types under the names, and the row count.
///
/// By default every row and column is shown. Given a width and a row limit (the REPL gives the
/// terminal's), it shortens long cells with `…`, leaves out columns that still do not fit and
/// rows past the limit, and says exactly what it left out.
package struct TableRenderer: Sendable {
    /// Whether to dim nulls and types with ANSI colour.
    package var color: Bool
    /// The widest the table may be, in characters; nil for no limit.
    package var maxWidth: Int?
    /// The most rows to show; nil for all.
    package var maxRows: Int?
    /// Added to the footer when anything was left out, e.g. how to see everything.
    package var hint: String?
    /// When columns would not fit `maxWidth` side by side, show the rows one field per line
    /// instead (as psql's `\x auto`) rather than leave columns out.
    package var verticalWhenTooWide: Bool

    /// Narrowest a column is squeezed to before columns are left out instead.
    static let minColumnWidth = 12

    /// Makes a renderer.
    package init(color: Bool = false, maxWidth: Int? = nil, maxRows: Int? = nil, hint: String? = nil,
                verticalWhenTooWide: Bool = true) {
        self.color = color
        self.maxWidth = maxWidth
        self.maxRows = maxRows
        self.hint = hint
        self.verticalWhenTooWide = verticalWhenTooWide
    }

    /// The rendered table, ending with a newline.
    package func render(_ table: Table) -> String {
        if let spec = table.chart {
            var out = ChartRenderer(width: maxWidth ?? 80).terminal(table, spec)
            for note in table.notes { out += (color ? "\u{1B}[1mnote:\u{1B}[0m" : "note:") + " " + note.message + "\n" }
            return out
        }
        if table.schema.columns.isEmpty { return "(no columns)\n" }
        let shownRows = min(table.rowCount, maxRows.map { max(1, $0) } ?? table.rowCount)
        var cells: [[String]] = []
        cells.reserveCapacity(shownRows)
        for r in 0..<shownRows {
            cells.append(table.columns.map { cell($0[r]) })
        }
        var columns = Array(table.schema.columns.indices)
        var widths = columns.map { i in
            cells.reduce(max(table.schema.columns[i].name.count, table.schema.columns[i].type.description.count)) {
                max($0, $1[i].count)
            }
        }
        var hidden: [String] = []
        if let maxWidth {
            func total() -> Int { widths.reduce(1) { $0 + $1 + 3 } }
            // Squeeze the widest column a character at a time, then leave out columns from the right.
            while total() > maxWidth, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
                  widths[widest] > Self.minColumnWidth {
                widths[widest] -= 1
            }
            while total() > maxWidth, columns.count > 1 {
                hidden.insert(table.schema.columns[columns.removeLast()].name, at: 0)
                widths.removeLast()
            }
        }
        if !hidden.isEmpty, verticalWhenTooWide {
            // A row takes a line per column here: a quarter as many rows fill about a screen.
            return LineRenderer(color: color, maxWidth: maxWidth, maxRows: maxRows.map { max(1, $0 / 4) },
                                hint: hint, numbered: true).render(table)
        }
        let rightAligned = columns.map { table.schema.columns[$0].type == .number }

        func fit(_ s: String, _ width: Int) -> String {
            s.count <= width ? s : String(s.prefix(max(0, width - 1))) + "…"
        }
        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func row(_ values: [String], dimmed: [Bool]) -> String {
            var out = "│"
            for (k, v) in values.enumerated() {
                let text = fit(v, widths[k])
                let pad = String(repeating: " ", count: widths[k] - text.count)
                var padded = rightAligned[k] ? pad + text : text + pad
                if color, dimmed[k] { padded = "\u{1B}[2m" + padded + "\u{1B}[0m" }
                out += " " + padded + " │"
            }
            return out + "\n"
        }
        let noDim = Array(repeating: false, count: columns.count)
        var out = line("┌", "┬", "┐")
        out += row(columns.map { table.schema.columns[$0].name }, dimmed: noDim)
        out += row(columns.map { table.schema.columns[$0].type.description }, dimmed: Array(repeating: true, count: columns.count))
        out += line("├", "┼", "┤")
        for r in 0..<cells.count {
            out += row(columns.map { cells[r][$0] }, dimmed: columns.map { table.columns[$0][r].isNull })
        }
        out += line("└", "┴", "┘")

        var footer = table.rowCount == 1 ? "1 row" : "\(table.rowCount) rows"
        var omissions: [String] = []
        if shownRows < table.rowCount { omissions.append("first \(shownRows) shown") }
        if !hidden.isEmpty {
            omissions.append("\(hidden.count) column\(hidden.count == 1 ? "" : "s") not shown: " + hidden.joined(separator: ", "))
        }
        if !omissions.isEmpty {
            footer += " (" + omissions.joined(separator: "; ") + ")"
            if let hint { footer += "\n" + hint }
        }
        for note in table.notes { footer += "\n" + (color ? "\u{1B}[1mnote:\u{1B}[0m" : "note:") + " " + note.message }
        return out + footer + "\n"
    }

    private func cell(_ v: Value) -> String {
        if v.isNull { return "null" }
        return v.shownText.replacingNewlines()
    }
}

extension String {
    /// Newlines inside a cell would break the box; show them as the escape people type.
    func replacingNewlines() -> String {
        // Bytes: "\r\n" is a single Character, equal to neither "\r" nor "\n".
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return self }
        return replacingOccurrencesOf("\r\n", "\\n").replacingOccurrencesOf("\n", "\\n").replacingOccurrencesOf("\r", "\\r")
    }
}
