/// Draws a table for a terminal: a box of aligned columns (numbers to the right), the column
/// types under the names, and the row count. Every row and column is shown.
public struct TableRenderer: Sendable {
    /// Whether to dim nulls and types with ANSI colour.
    public var color: Bool

    /// Makes a renderer.
    public init(color: Bool = false) { self.color = color }

    /// The rendered table, ending with a newline.
    public func render(_ table: Table) -> String {
        let names = table.schema.names
        let types = table.schema.columns.map { $0.type.description }
        if names.isEmpty { return "(no columns)\n" }
        var cells: [[String]] = []
        cells.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount {
            cells.append(table.columns.map { cell($0[r]) })
        }
        let rightAligned = table.schema.columns.map { $0.type == .number }
        var widths = zip(names, types).map { max($0.count, $1.count) }
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }

        func line(_ l: String, _ m: String, _ r: String) -> String {
            l + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: m) + r + "\n"
        }
        func row(_ values: [String], dimmed: Bool = false, nullMask: [Bool]? = nil) -> String {
            var out = "│"
            for (i, v) in values.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - v.count)
                var text = rightAligned[i] ? pad + v : v + pad
                if color, dimmed || nullMask?[i] == true { text = "\u{1B}[2m" + text + "\u{1B}[0m" }
                out += " " + text + " │"
            }
            return out + "\n"
        }
        var out = line("┌", "┬", "┐")
        out += row(names)
        out += row(types, dimmed: true)
        out += line("├", "┼", "┤")
        for r in 0..<cells.count {
            out += row(cells[r], nullMask: table.columns.map { $0[r].isNull })
        }
        out += line("└", "┴", "┘")
        out += table.rowCount == 1 ? "1 row\n" : "\(table.rowCount) rows\n"
        return out
    }

    private func cell(_ v: Value) -> String {
        if v.isNull { return "null" }
        return v.displayText.replacingNewlines()
    }
}

extension String {
    /// Newlines inside a cell would break the box; show them as the escape people type.
    func replacingNewlines() -> String {
        guard contains(where: { $0 == "\n" || $0 == "\r" }) else { return self }
        return replacingOccurrencesOf("\r\n", "\\n").replacingOccurrencesOf("\n", "\\n").replacingOccurrencesOf("\r", "\\r")
    }

    func replacingOccurrencesOf(_ target: String, _ replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let r = rest.range(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
