import IQLCore
import IQLStorage
import IQLLanguage

extension RankOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let values = try Evaluating.column(value, over: input, env)
        let groups = keys.isEmpty ? [(key: [Value](), rows: Array(0..<input.rowCount))]
                                  : try Evaluating.groups(keys, over: input, env)
        let polarity = descending == nil ? RankOperator.polarities(env) : Polarities()
        var out = Array(repeating: Value.null, count: input.rowCount)
        var notes: [ResultNote] = []
        for group in groups {
            try env.checkCancelled()
            var desc = descending ?? true
            if descending == nil {
                // A group that mixes measures has no one direction: ranking them together is
                // almost always a missing `by measure`, so say so rather than pick the first.
                let measures = measureColumn.map { c in Set(group.rows.compactMap { input.columns[c][$0].textValue }) } ?? []
                let measure = measures.count == 1 ? measures.first : nil
                if measures.count > 1 {
                    let note = "\(output.rawValue): the rows mix \(measures.count) measures, so the highest value comes first; "
                        + "write \(output.rawValue) … by measure to place each measure on its own, in its own direction"
                    if !notes.contains(where: { $0.message == note }) { notes.append(ResultNote(.rankDirection, note)) }
                } else if let measure, let higher = polarity.higherIsBetter[measure] {
                    desc = higher
                    let note = "\(output.rawValue): \(measure) is better \(higher ? "high" : "low") (LAIT), so the \(higher ? "highest" : "lowest") value comes first"
                    if !notes.contains(where: { $0.message == note }) { notes.append(ResultNote(.rankDirection, note)) }
                } else {
                    let lait = measure.map { polarity.neutral.contains($0) ? " and LAIT sets none for \($0)" : " and LAIT's dictionary has none for \($0)" }
                    let note = "\(output.rawValue): no direction given" + (lait ?? "")
                        + ", so the highest value comes first (write \(output.rawValue) … asc for the lowest)"
                    if !notes.contains(where: { $0.message == note }) { notes.append(ResultNote(.rankDirection, note)) }
                }
            }
            let rows = group.rows.filter { !values[$0].isNull }
            let sorted = rows.sorted { a, b in
                desc ? Value.orderedBefore(values[b], values[a]) : Value.orderedBefore(values[a], values[b])
            }
            var place = 0
            for (i, r) in sorted.enumerated() {
                if i == 0 || values[r] != values[sorted[i - 1]] { place = i + 1 }
                switch output {
                case .rank: out[r] = .int(Int64(place))
                case .quartile:
                    let band = min(3, (place - 1) * 4 / max(1, sorted.count))
                    out[r] = .text(["A", "B", "C", "D"][band])
                }
            }
        }
        var columns = input.columns
        columns.append(Column(out))
        var t = Table(schema: schema, columns: columns, rowCount: input.rowCount)
        t.notes = notes
        return t
    }

    /// What `measures` says of each measure's better direction.
    package struct Polarities {
        /// Better high (true) or low (false).
        package var higherIsBetter: [String: Bool] = [:]
        /// Measures LAIT marks `-`: it deliberately sets no direction (counts, most rates).
        package var neutral: Set<String> = []
    }

    /// Reads `higher_is_better` (and LAIT's `polarity`, for the note) from `measures`, if it has them.
    package static func polarities(_ env: RuntimeEnvironment) -> Polarities {
        guard let measures = try? env.table(.dataset("measures")), let codes = measures.column(named: "measure"),
              let higher = measures.column(named: "higher_is_better") else { return Polarities() }
        let lait = measures.column(named: "polarity")
        var out = Polarities()
        for r in 0..<measures.rowCount {
            guard case .text(let m) = codes[r] else { continue }
            if case .bool(let b) = higher[r] { out.higherIsBetter[m] = b }
            if let lait, case .text("-") = lait[r] { out.neutral.insert(m) }
        }
        return out
    }
}
