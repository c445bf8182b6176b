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

    /// Renders a table in this format; the text ends with a newline.
    public func render(_ table: Table, color: Bool = false) -> String {
        switch self {
        case .table: return TableRenderer(color: color).render(table)
        case .csv: return CSVWriter.render(table)
        case .json: return JSONWriter.render(table)
        case .markdown: return MarkdownWriter.render(table)
        }
    }
}
