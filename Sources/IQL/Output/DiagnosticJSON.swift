import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Diagnostics as JSON, for editors and tools: one array of objects with the code, severity,
/// kind, message, where (file, 1-based line and column of start and end, byte offsets), the
/// caret's label, the suggested fix and any notes.
package enum DiagnosticJSON {
    /// The diagnostics as a JSON array, ending with a newline; `notes`, the notes under the
    /// results (a comparator computed, rows a join left out), follow as objects of severity
    /// `note` with their message, the note's kind (`note`) and the numbers it states (`counts`), so a tool
    /// sees everything a person would.
    package static func render(_ diagnostics: [Diagnostic], in source: SourceFile?, notes: [ResultNote] = []) -> String {
        let items = diagnostics.map { d -> String in
            var fields: [(String, String)] = [
                ("code", JSONWriter.string(d.code.id)),
                ("severity", JSONWriter.string(d.severity.rawValue)),
                ("kind", JSONWriter.string(d.kind.rawValue)),
                ("message", JSONWriter.string(d.message)),
            ]
            if let source { fields.append(("file", JSONWriter.string(source.name))) }
            if let range = d.range, let source {
                let start = source.location(of: range.start), end = source.location(of: range.end)
                fields += [("line", String(start.line)), ("column", String(start.column)),
                           ("end_line", String(end.line)), ("end_column", String(end.column)),
                           ("range", "[\(range.start), \(range.end)]")]
            }
            if let label = d.label { fields.append(("label", JSONWriter.string(label))) }
            if let suggestion = d.suggestion { fields.append(("suggestion", JSONWriter.string(suggestion))) }
            if !d.notes.isEmpty { fields.append(("notes", "[" + d.notes.map(JSONWriter.string).joined(separator: ", ") + "]")) }
            return "  {" + fields.map { "\(JSONWriter.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let noteItems = notes.map { n -> String in
            let counts = n.counts.keys.sorted().map { "\(JSONWriter.string($0)): \(n.counts[$0] ?? 0)" }.joined(separator: ", ")
            return "  {\"severity\": \"note\", \"kind\": \"result\", \"note\": \(JSONWriter.string(n.kind.rawValue)), "
                + "\"message\": \(JSONWriter.string(n.message)), \"counts\": {\(counts)}}"
        }
        let all = items + noteItems
        return all.isEmpty ? "[]\n" : "[\n" + all.joined(separator: ",\n") + "\n]\n"
    }
}
