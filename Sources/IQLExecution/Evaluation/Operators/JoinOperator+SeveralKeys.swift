import IQLCore
import IQLStorage
import IQLLanguage
extension JoinOperator {
    /// A join on two or more key pairs (`on authority_code, year`). Each side is grouped on its
    /// keys (on stored codes), each distinct left key is looked up once among the right's
    /// distinct keys, and each row then takes its group's matches. A key with a text part that
    /// names a council, and no exact match, is tried again with every such part replaced by the
    /// council it names, as the one-key join does.
    package func runOnSeveralKeys(_ input: Table, _ other: Table, _ env: RuntimeEnvironment) throws -> Table {
        let leftColumns = keys.map(\.left), rightColumns = keys.map(\.right)
        func grouping(_ columns: [Int], _ table: Table) throws -> Grouping {
            let exprs = columns.map {
                CompiledExpression.column($0, type: table.schema.columns[$0].type, range: SourceRange(start: 0, end: 0))
            }
            return try Grouping.make(exprs, over: table, env)
        }
        func tuple(_ table: Table, _ columns: [Int], _ row: Int) -> [Value]? {
            var out: [Value] = []
            out.reserveCapacity(columns.count)
            for c in columns {
                let v = table.columns[c][row]
                if v.isNull { return nil }
                out.append(v)
            }
            return out
        }
        let rightGroups = try grouping(rightColumns, other)
        var rowsOfGroup = [[Int]](repeating: [], count: rightGroups.firstRow.count)
        for r in 0..<other.rowCount where r < rightGroups.groupOf.count {
            rowsOfGroup[Int(rightGroups.groupOf[r])].append(r)
        }
        var index: [[Value]: Int] = [:]
        for (g, r) in rightGroups.firstRow.enumerated() {
            if let k = tuple(other, rightColumns, r) { index[k] = g }
        }
        try env.checkCancelled()

        // Text parts that name a council, as the council: nil when no part does.
        let names = env.councilNames
        func byCouncil(_ key: [Value]) -> [Value]? {
            var changed = false
            let mapped = key.map { v -> Value in
                guard let s = v.textValue, let id = names.identity(of: s) else { return v }
                changed = true
                return .text("\u{1}" + id)
            }
            return changed ? mapped : nil
        }
        var byIdentity: [[Value]: [Int]]?

        let leftGroups = try grouping(leftColumns, input)
        enum Outcome { case exact, resolved, missed, null }
        var matchesOfGroup: [[Int]] = []
        var outcomes: [Outcome] = []
        matchesOfGroup.reserveCapacity(leftGroups.firstRow.count)
        for r in leftGroups.firstRow {
            guard let k = tuple(input, leftColumns, r) else {
                matchesOfGroup.append([])
                outcomes.append(.null)
                continue
            }
            if let g = index[k] {
                matchesOfGroup.append(rowsOfGroup[g])
                outcomes.append(.exact)
                continue
            }
            if let ck = byCouncil(k) {
                if byIdentity == nil {
                    var built: [[Value]: [Int]] = [:]
                    for (key, g) in index { built[byCouncil(key) ?? key, default: []].append(g) }
                    byIdentity = built
                }
                if let groups = byIdentity?[ck] {
                    matchesOfGroup.append(groups.flatMap { rowsOfGroup[$0] }.sorted())
                    outcomes.append(.resolved)
                    continue
                }
            }
            matchesOfGroup.append([])
            outcomes.append(.missed)
        }

        var leftRows: [Int] = [], rightRows: [Int] = []
        var misses = false, reserved = 0
        var counts = SeveralKeysCounts()
        var missedKeys: [String] = []
        var missedGroups: Set<Int> = []
        for r in 0..<input.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            let g = r < leftGroups.groupOf.count ? Int(leftGroups.groupOf[r]) : 0
            guard g < matchesOfGroup.count else { continue }
            switch outcomes[g] {
            case .exact: counts.exact += 1
            case .resolved: counts.resolved += 1
            case .null: counts.null += 1
            case .missed:
                counts.missed += 1
                if missedKeys.count < 3, missedGroups.insert(g).inserted, let k = tuple(input, leftColumns, r) {
                    missedKeys.append("(" + k.map(\.literalText).joined(separator: ", ") + ")")
                }
            }
            // An anti join needs only the rows without a match.
            let matches = matchesOfGroup[g]
            if kind == .anti, !matches.isEmpty { continue }
            try pair(r, with: matches, &leftRows, &rightRows, misses: &misses, reserved: &reserved, env)
        }
        var table = assemble(input, other, leftRows, rightRows, misses)
        let missedGroupCount = outcomes.filter { if case .missed = $0 { true } else { false } }.count
        if let note = severalKeysNote(input, counts, missedKeys: missedKeys, more: missedGroups.count < missedGroupCount) {
            table.notes.append(note)
        }
        return table
    }
}

/// How the rows of a join on several keys matched.
struct SeveralKeysCounts {
    var exact = 0, resolved = 0, missed = 0, null = 0
}

extension JoinOperator {
    /// The note on how the rows matched, when any did other than exactly: `missedKeys` the
    /// first keys that matched nothing, `more` when there were other such keys.
    func severalKeysNote(_ input: Table, _ counts: SeveralKeysCounts, missedKeys: [String], more: Bool) -> ResultNote? {
        guard counts.resolved > 0 || (counts.missed + counts.null > 0 && kind != .anti) else { return nil }
        let on = keys.map { k in
            let l = input.schema.columns[k.left].name
            return l == k.rightName ? l : "\(l) == \(k.rightName)"
        }.joined(separator: ", ")
        var line = "join \(right.name) on \(on): \(counts.exact + counts.resolved) of \(input.rowCount) rows matched"
        if counts.resolved > 0 { line += ", \(counts.resolved) through another spelling or code of a council" }
        if counts.missed > 0, kind != .anti {
            let one = counts.missed == 1
            line += "; \(counts.missed) matched nothing" + (kind == .inner ? (one ? " and was left out" : " and were left out") : "") + ": "
                + missedKeys.joined(separator: ", ") + (more ? ", …" : "")
        }
        if counts.null > 0, kind != .anti { line += "; \(counts.null) had a null key" }
        return ResultNote(.joinMatches, line, counts: [
            "rows": input.rowCount, "matched": counts.exact + counts.resolved, "other_spelling": counts.resolved,
            "unmatched": kind == .anti ? 0 : counts.missed, "null_keys": kind == .anti ? 0 : counts.null])
    }
}
