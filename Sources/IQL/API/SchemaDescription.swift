import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Describes datasets as a table: the list of datasets, or one dataset's columns, types and
/// time column. The CLI's `iql schema` and the REPL's `.schema` both print this.
package struct SchemaDescription: Sendable {
    let engine: Engine

    /// Describes the datasets an engine knows.
    package init(engine: Engine) { self.engine = engine }

    /// The list of datasets (name, rows when loaded is not needed, time column, summary).
    package func datasets() -> Table {
        let schema = Schema(columns: [
            .init(name: "dataset", type: .text), .init(name: "time_column", type: .text),
            .init(name: "columns", type: .number), .init(name: "about", type: .text),
        ])
        let rows: [[Value]] = engine.datasetNames.map { name in
            let s = engine.schema(of: name)
            let about = engine.bundledDataset(named: name)?.summary
                ?? (engine.database.map { "a table or view of the \($0.name)" } ?? "registered by you")
            return [.text(name), s?.timeColumn.map(Value.text) ?? .null, .int(Int64(s?.columns.count ?? 0)), .text(about)]
        }
        return (try? Table(schema: schema, rows: rows)) ?? Table.singleEmptyRow
    }

    /// One dataset's columns (name, type, whether it is the time column, description), or nil.
    package func columns(of name: String) -> Table? {
        guard let s = engine.schema(of: name) else { return nil }
        let schema = Schema(columns: [
            .init(name: "column", type: .text), .init(name: "type", type: .text),
            .init(name: "about", type: .text),
        ])
        let rows: [[Value]] = s.columns.map { c in
            let about = (c.name == s.timeColumn ? "time column; " : "") + (c.summary ?? "")
            return [.text(c.name), .text(c.type.description), about.isEmpty ? .null : .text(about)]
        }
        return try? Table(schema: schema, rows: rows)
    }

    /// Rendered text for `iql schema [NAME]`: nil when the name is unknown.
    package func describe(_ name: String?, format: OutputFormat, color: Bool = false) -> String? {
        guard let name else { return format.render(datasets(), color: color) }
        guard let table = columns(of: name) else { return nil }
        var header = ""
        if format == .table, let d = engine.bundledDataset(named: name) {
            header = "\(name): \(d.summary)\nsource: \(d.source)\n"
        }
        return header + format.render(table, color: color)
    }
}
