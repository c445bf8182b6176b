import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Writes a table as a GitHub-flavoured Markdown table, numbers right-aligned, `|` escaped.
package enum MarkdownWriter {
    /// The Markdown text, ending with a newline.
    package static func render(_ table: Table) -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrencesOf("\\", "\\\\").replacingOccurrencesOf("|", "\\|").replacingNewlines()
        }
        var out = "| " + table.schema.names.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + table.schema.columns.map { $0.type == .number ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
        for r in 0..<table.rowCount {
            out += "| " + table.columns.map { cell($0[r].shownText) }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
