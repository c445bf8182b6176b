import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

/// How a result table is written out.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns in a box, with the row count; for people.
    case table
    /// RFC 4180 CSV with a header row; nulls are empty fields.
    case csv
    /// A JSON array of objects, one per row; numbers as JSON numbers, dates as `YYYY-MM-DD`.
    case json
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// An SVG picture: what a `chart` stage draws, or the table as text for other results.
    case svg
    /// One `column = value` line per field, a blank line between rows (sqlite3's line mode).
    case line

    /// The names, as `--format` and `.mode` take them: "table, csv, json, markdown, svg or line".
    public static var namesInWords: String {
        let names = allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }

    /// Renders a script's results in order, each under its title (the comment above its
    /// statement): a heading line for tables, `# title` in CSV, `### title` in Markdown. JSON
    /// gives one array per result, one after another, without titles.
    public func render(_ results: [ScriptResult.Item], color: Bool = false) -> String {
        var parts: [String] = []
        for item in results {
            var text = ""
            // A chart in a terminal carries the title itself.
            if let title = item.title, !(self == .table && item.table.chart != nil) {
                switch self {
                case .table: text = (color ? "\u{1B}[1m\(title)\u{1B}[0m" : title) + "\n"
                case .csv: text = "# " + title + "\n"
                case .markdown: text = "### " + title + "\n\n"
                case .line: text = "-- " + title + "\n"
                case .json, .svg: break
                }
            }
            parts.append(text + render(item.table, color: color))
        }
        return parts.joined(separator: self == .json || self == .svg ? "" : "\n")
    }

    /// Renders a table in this format; the text ends with a newline.
    public func render(_ table: Table, color: Bool = false) -> String {
        switch self {
        case .table: return TableRenderer(color: color).render(table)
        case .csv: return CSVWriter.render(table)
        case .json: return JSONWriter.render(table)
        case .markdown: return MarkdownWriter.render(table)
        case .line: return LineRenderer(color: color).render(table)
        case .svg:
            if let spec = table.chart { return ChartRenderer().svg(table, spec) }
            return ChartRenderer.svgText(TableRenderer().render(table))
        }
    }

    /// Renders a table in this format as UTF-8 bytes, for a host that writes them to a socket
    /// or a file (`OutputFormat.json.data(table)` for an HTTP response body).
    public func data(_ table: Table) -> Data {
        Data(render(table).utf8)
    }
}
