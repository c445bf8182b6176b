import IQLCore
import IQLStorage
import IQLLanguage
/// How a join on text keys matched: rows matched by the same text, rows matched through another
/// spelling or code of a council, and rows that matched nothing, with the nearest right keys.
package struct JoinReport: Sendable {
    package var rows = 0
    package var exact = 0
    package var resolved = 0
    /// Distinct left keys matched through another spelling, as (left, right).
    package var resolvedExamples: [(String, String)] = []
    /// Distinct left keys that matched nothing, with the closest right key if one is close.
    package var misses: [(key: String, rows: Int, closest: String?)] = []

    /// Counts rows per distinct key. Only called when some key matched other than exactly.
    package static func tally(_ keys: Column, byCode: [ArraySlice<Int>], resolved: [Bool], dictionary: TextDictionary,
                      rightKeys: [Value], names: AuthorityNames) -> JoinReport {
        var perCode = Array(repeating: 0, count: byCode.count)
        if case .text(let codes, _) = keys.storage {
            for r in 0..<keys.count {
                let c = Int(codes[keys.physical(r)])
                if c >= 0 && c < perCode.count { perCode[c] += 1 }
            }
        }
        var report = JoinReport()
        let rightTexts = rightKeys.compactMap(\.textValue)
        for (code, n) in perCode.enumerated() where code > 0 && n > 0 {
            report.rows += n
            let s = dictionary.strings[code]
            if byCode[code].isEmpty {
                report.misses.append((s, n, nil))
            } else if resolved[code] {
                report.resolved += n
                if let id = names.identity(of: s) {
                    let target = rightTexts.first { names.identity(of: $0) == id } ?? id
                    report.resolvedExamples.append((s, target))
                }
            } else {
                report.exact += n
            }
        }
        report.rows += perCode.first ?? 0
        report.misses.sort { $0.rows != $1.rows ? $0.rows > $1.rows : $0.key < $1.key }
        // Only the misses the note shows get a search of the right keys, so a join of many
        // distinct unmatched keys stays linear.
        // A code that matches nothing is another council's code, not a typo of the nearest one.
        for i in report.misses.indices.prefix(5) where !Checker.isCodeLike(report.misses[i].key) {
            report.misses[i].closest = Suggest.closest(to: report.misses[i].key, among: rightTexts)
        }
        return report
    }

    /// The numbers `text` states, by `ResultNote.Kind.joinMatches`'s names.
    package var counts: [String: Int] {
        let missed = misses.reduce(0) { $0 + $1.rows }
        return ["rows": rows, "matched": exact + resolved, "other_spelling": resolved, "unmatched": missed,
                "null_keys": rows - exact - resolved - missed]
    }

    /// One line for the result's notes; nil when every key matched by its own text.
    /// For an anti join, whose result is the rows that matched nothing, only the spellings.
    package func text(joining source: PipelinePlan.Source, anti: Bool = false) -> String? {
        if anti {
            guard resolved > 0 else { return nil }
            var report = self
            report.misses = []
            report.rows = exact + resolved
            return report.text(joining: source).map { $0 + "; the other rows matched nothing and are the result" }
        }
        guard resolved > 0 || !misses.isEmpty else { return nil }
        let name: String
        switch source {
        case .dataset(let n), .binding(let n): name = n
        }
        let matched = exact + resolved
        var line = "join \(name): \(matched) of \(rows) rows matched"
        if resolved > 0 {
            let shown = resolvedExamples.prefix(3).map { "\"\($0.0)\" as \"\($0.1)\"" }.joined(separator: ", ")
            line += ", \(resolved) through another spelling or code (\(shown)\(resolvedExamples.count > 3 ? ", …" : ""))"
        }
        let missed = misses.reduce(0) { $0 + $1.rows }
        let nulls = rows - matched - missed
        if missed > 0 {
            let shown = misses.prefix(5).map { m in
                "\"\(m.key)\"" + (m.closest.map { " (did you mean \"\($0)\"?)" } ?? "")
            }.joined(separator: ", ")
            line += "; \(missed) did not: \(shown)\(misses.count > 5 ? ", and \(misses.count - 5) more" : "")"
        }
        if nulls > 0 { line += "; \(nulls) had no key (null)" }
        return line
    }
}
