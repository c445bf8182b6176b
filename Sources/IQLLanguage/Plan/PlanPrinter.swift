import IQLCore
import IQLStorage
/// Prints a plan one node per line, in the order rows flow: the node's name, what it computes
/// (expressions written back as IQL), and the columns it leaves where they change.
package struct PlanPrinter {
    /// "1 row", "12 rows".
    package static func rows(_ n: Int) -> String { n == 1 ? "1 row" : "\(n) rows" }

    /// Per-node figures from a run (rows out and time), printed beside each node; the first is
    /// the scan's.
    package var measured: [(rows: Int, time: Duration)]?

    package func text(_ plan: PipelinePlan) -> String {
        var lines: [(String, String?)] = []
        var scan = "Scan " + plan.source.name
        var scanned = plan.sourceSchema
        if let columns = plan.sourceColumns {
            scanned.columns = columns.compactMap { $0 < plan.sourceSchema.columns.count ? plan.sourceSchema.columns[$0] : nil }
            scan += " reading \(scanned.columns.count) of \(plan.sourceSchema.columns.count) columns"
        }
        lines.append((scan, scanned.columns.isEmpty ? "(no column is read)" : Self.columns(scanned)))
        for (i, node) in plan.nodes.enumerated() {
            let input = plan.input(of: i)
            let detail = Self.detail(node.step, input: input, output: node.schema)
            lines.append((node.step.name + (detail.isEmpty ? "" : " " + detail), Self.change(from: input, to: node.schema)))
        }
        var out = ""
        let width = min(72, lines.map(\.0.count).max() ?? 0)
        for (k, (line, columns)) in lines.enumerated() {
            var row = line
            if let measured, k < measured.count {
                let shown = row.count > width ? String(row.prefix(width - 1)) + "…" : row
                row = shown + String(repeating: " ", count: max(0, width - shown.count))
                row += "  " + PlanPrinter.rows(measured[k].rows)
                if k > 0, measured[k - 1].rows != measured[k].rows {
                    let dropped = measured[k - 1].rows - measured[k].rows
                    row += dropped > 0 ? "  (\(dropped) fewer)" : "  (\(-dropped) more)"
                }
                row += "  " + Self.milliseconds(measured[k].time)
            }
            out += row + "\n"
            if let columns { out += "    " + columns + "\n" }
        }
        return out
    }

    package static func milliseconds(_ d: Duration) -> String {
        let ms = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.2f ms", ms) : String(format: "%.0f ms", ms)
    }

    /// The columns a node leaves, when they differ from its input's: only the new ones when it
    /// appends to the input's (a `derive`, a `join`).
    package static func change(from input: Schema, to output: Schema) -> String? {
        let same = { (a: Schema.Field, b: Schema.Field) in a.name == b.name && a.type == b.type }
        if output.columns.count == input.columns.count, zip(input.columns, output.columns).allSatisfy(same) { return nil }
        if output.columns.count > input.columns.count, zip(input.columns, output.columns).allSatisfy(same) {
            return "+ " + columns(Schema(columns: Array(output.columns.dropFirst(input.columns.count))))
        }
        return columns(output)
    }

    package static func columns(_ schema: Schema) -> String {
        let shown = schema.columns.prefix(12).map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        return schema.columns.count > 12 ? shown + ", … (\(schema.columns.count) columns)" : shown
    }

    package static func detail(_ step: PlanStep, input: Schema, output: Schema) -> String {
        let p = ExpressionPrinter(schema: input)
        func named(_ e: CompiledExpression, as column: Schema.Field) -> String {
            let body = p.text(e)
            return body == column.name ? body : column.name + " = " + body
        }
        func keys(_ ks: [(expression: CompiledExpression, descending: Bool)]) -> String {
            ks.map { p.text($0.expression) + ($0.descending ? " desc" : "") }.joined(separator: ", ")
        }
        switch step {
        case .filter(let o): return p.text(o.condition)
        case .select(let o):
            return zip(o.items, output.columns).map { named($0, as: $1) }.joined(separator: ", ")
        case .derive(let o):
            var items: [String] = []
            var schema = input
            for item in o.items {
                items.append(item.column.name + " = " + ExpressionPrinter(schema: schema).text(item.expression))
                if let i = item.replacing, i < schema.columns.count { schema.columns[i] = item.column } else { schema.columns.append(item.column) }
            }
            let by = o.keys.isEmpty ? "" : " by " + o.keys.map { p.text($0) }.joined(separator: ", ")
            return items.joined(separator: ", ") + by
        case .sort(let o): return keys(o.keys)
        case .take(let o): return p.text(o.count)
        case .topN(let o): return p.text(o.take.count) + " by " + keys(o.keys)
        case .aggregate(let o):
            let outputs = Array(output.columns.dropFirst(o.keys.count))
            let items = zip(o.items, outputs).map { e, c in
                let body = ExpressionPrinter(schema: input).text(e)
                return c.name + " = " + body
            }
            let by = o.keys.isEmpty ? "" : " by " + zip(o.keys, output.columns).map { named($0, as: $1) }.joined(separator: ", ")
            return items.joined(separator: ", ") + by
        case .distinct(let o): return o.keys.isEmpty ? "" : zip(o.keys, output.columns).map { named($0, as: $1) }.joined(separator: ", ")
        case .join(let o):
            let right: String = o.schema.columns.count > input.columns.count
                ? " (+\(o.schema.columns.count - input.columns.count) columns)" : ""
            let on = o.keys.map { k in
                (k.left < input.columns.count ? input.columns[k.left].name : "#\(k.left)") + " == " + k.rightName
            }.joined(separator: ", ")
            return (o.kind == .inner ? "" : o.kind.rawValue + " ") + o.right.name + " on " + on + right
        case .latest(let o):
            var s = o.column < input.columns.count ? input.columns[o.column].name : "#\(o.column)"
            if !o.keys.isEmpty { s += " by " + o.keys.map { p.text($0) }.joined(separator: ", ") }
            if let asOf = o.asOf { s += " as of " + p.text(asOf) }
            if !o.keyOrder { s += " (rows in input order)" }
            return s
        case .rank(let o):
            var s = p.text(o.value)
            if let d = o.descending { s += d ? " desc" : " asc" }
            if !o.keys.isEmpty { s += " by " + o.keys.map { p.text($0) }.joined(separator: ", ") }
            return s
        case .compare(let o): return o.valueName + " with " + o.comparators.map(\.rawValue).joined(separator: ", ")
        case .pivot(let o):
            func name(_ i: Int) -> String { i < input.columns.count ? input.columns[i].name : "#\(i)" }
            return name(o.column) + " " + name(o.value)
        case .unpivot(let o): return o.columns?.joined(separator: ", ") ?? "(columns by name when run)"
        case .chart(let o): return o.spec.kind.rawValue + " " + o.spec.x + " " + o.spec.y + (o.spec.series.map { " " + $0 } ?? "")
        case .diff(let o): return o.other.name + " on " + o.keys.map { $0.current < input.columns.count ? input.columns[$0.current].name : "#\($0.current)" }.joined(separator: ", ")
        }
    }

    package init(measured: [(rows: Int, time: Duration)]? = nil) {
        self.measured = measured
    }
}
