import IQLCore
import IQLStorage
import IQLLanguage

extension UnpivotOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let keySet = Set(keys)
        let wanted = columns ?? input.schema.names.filter { !keySet.contains($0) }
        if let missing = wanted.first(where: { input.schema.index(of: $0) == nil }) {
            throw Diagnostic.error(.unpivotResultLacks(missing), at: range,
                                   suggestion: Suggest.closest(to: missing, among: input.schema.names),
                                   notes: ["columns: " + input.schema.names.joined(separator: ", ")])
        }
        let sources = wanted.compactMap { name in input.schema.index(of: name).map { (name, $0) } }
        let keyIndices = keys.compactMap { input.schema.index(of: $0) }
        // Rows × columns out, known before anything is built: bounded by the limits first.
        let (rows, overflow) = input.rowCount.multipliedReportingOverflow(by: sources.count)
        try env.checkRows(overflow ? Int.max : rows, "unpivot of \(sources.count) columns")
        try env.budget.reserve(overflow ? Int.max : rows &* (keyIndices.count + 2) &* MemoryLayout<Value>.stride &* 2,
                               for: "unpivot of \(sources.count) columns")
        var out = Array(repeating: [Value](), count: keyIndices.count + 2)
        for r in 0..<input.rowCount {
            if r & 1023 == 0 { try env.checkCancelled() }
            for (name, c) in sources {
                for (k, i) in keyIndices.enumerated() { out[k].append(input.columns[i][r]) }
                out[keyIndices.count].append(nameType == .number ? (Value.parseLiteral(name).flatMap { $0.type == .number ? $0 : nil } ?? .text(name)) : .text(name))
                out[keyIndices.count + 1].append(input.columns[c][r])
            }
        }
        return Table(schema: schema, columns: out.map(Column.init), rowCount: out.first?.count ?? 0)
    }
}
