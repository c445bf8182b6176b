import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Writes a table as RFC 4180 CSV: a header row, fields quoted when they hold a comma, quote or
/// line break (or start or end with a space), nulls as empty fields, ratings in Ofsted's wording.
package enum CSVWriter {
    /// The CSV text, ending with a newline.
    package static func render(_ table: Table) -> String {
        var out = table.schema.names.map(field).joined(separator: ",") + "\n"
        for r in 0..<table.rowCount {
            out += table.columns.map { field($0[r].displayText) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func field(_ s: String) -> String {
        // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
        let needsQuotes = s.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || s.first == " " || s.last == " "
        guard needsQuotes else { return s }
        return "\"" + s.replacingOccurrencesOf("\"", "\"\"") + "\""
    }
}
