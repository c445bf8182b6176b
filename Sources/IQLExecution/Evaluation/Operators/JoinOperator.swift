import IQLCore
import IQLStorage
import IQLLanguage

extension JoinOperator: TableOperator {
    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let other = try env.table(right)
        if keys.count > 1 { return try runOnPackedKeys(input, other, env) ?? runOnSeveralKeys(input, other, env) }
        let leftKeys = input.columns[leftKey]
        let integerKeys = JoinIndex.sameIntegerKind(leftKeys, other.columns[rightKey])
        let index = try JoinIndex(other, key: rightKey, integerKeys: integerKeys, env)

        // Text keys: each distinct left value is looked up once, by its text and, failing that,
        // as a council named by another spelling or code (AuthorityNames).
        var byCode: [ArraySlice<Int>]?
        var report = JoinReport()
        if case .text(_, let dictionary) = leftKeys.storage {
            var byIdentity: [String: [Int]]?
            let noMatch: ArraySlice<Int> = []
            var resolved = Array(repeating: false, count: dictionary.strings.count)
            byCode = dictionary.strings.enumerated().map { code, s in
                if code == 0 { return noMatch }
                let m = index.matches(.text(s))
                if !m.isEmpty { return m }
                if byIdentity == nil { byIdentity = JoinOperator.identities(of: index, names: env.councilNames) }
                if let id = env.councilNames.identity(of: s), let m = byIdentity?[id] {
                    resolved[code] = true
                    return m[...]
                }
                return noMatch
            }
            if let byCode, byCode.indices.contains(where: { $0 > 0 && (byCode[$0].isEmpty || resolved[$0]) }) {
                report = JoinReport.tally(leftKeys, byCode: byCode, resolved: resolved, dictionary: dictionary,
                                          rightKeys: index.keys, names: env.councilNames)
            }
        }
        if case .text(let codes, _) = leftKeys.storage, let byCode, byCode.allSatisfy({ $0.count <= 1 }) {
            // A lookup table (each right key once) joined on text: one integer per distinct
            // left value says which right row it matches, and rows are matched by their codes.
            let matchOfCode = byCode.map { $0.first ?? -1 }
            let (lefts, rights, missed) = try lookUp(codes, offset: Int(codes.base), matchOfCode, nulls: nil, leftKeys, env)
            return noted(assemble(input, other, lefts, rights, missed), report, input: input, lefts: lefts)
        }
        if case .int64(let words, let nulls) = leftKeys.storage, leftKeys.selection == nil,
           index.isUnique, let (lo, hi) = words.range(),
           case let (span, overflow) = hi.subtractingReportingOverflow(lo), !overflow,
           span < 65_536, span <= Int64(input.rowCount / 8) {
            // The same for whole numbers spanning few values (`pupils % 10`): each value of
            // the span is looked up once, as the rows would look it up, and rows are matched
            // by their stored words, with no grouping of the left rows first.
            let matchOfCode = (0...Int(span)).map { k in index.matches(.int(lo &+ Int64(k))).first ?? -1 }
            let (lefts, rights, missed) = try lookUp(words, offset: Int(words.base &- lo), matchOfCode, nulls: nulls, leftKeys, env)
            return noted(assemble(input, other, lefts, rights, missed), report, input: input, lefts: lefts)
        }
        var leftRows: [Int] = []
        var rightRows: [Int] = []
        var misses = false
        leftRows.reserveCapacity(input.rowCount)
        rightRows.reserveCapacity(input.rowCount)
        var reserved = 0
        // Other keys: the left rows grouped by key (on stored codes), each distinct key looked
        // up once, and each row then finds its matches by its group.
        var byGroup: (groupOf: [Int32], matches: [ArraySlice<Int>])?
        // Integer keys find their matches by their codes, with no grouping of the left rows.
        if index.integers, byCode == nil, let (codes, nulls) = JoinIndex.integerCodes(leftKeys), codes.count == input.rowCount {
            let (lefts, rights, misses, everyRow) = try index.pairs(codes, nulls: nulls, keepMisses: kind != .inner, self, env)
            // The note on rows left out needs the left rows only when some are.
            return noted(assemble(input, other, lefts, rights, misses), report, input: input, lefts: everyRow ? nil : lefts)
        }
        if byCode == nil {
            let key = CompiledExpression.column(leftKey, type: input.schema.columns[leftKey].type, range: SourceRange(start: 0, end: 0))
            let grouping = try Grouping.make([key], over: input, env)
            byGroup = (grouping.groupOf, grouping.firstRow.map { index.matches(leftKeys[$0]) })
        }
        for r in 0..<input.rowCount {
            if r & 4095 == 0 { try env.checkCancelled() }
            let matches: ArraySlice<Int>
            if let byCode, case .text(let codes, _) = leftKeys.storage {
                matches = byCode[Int(codes[leftKeys.physical(r)])]
            } else if let byGroup, r < byGroup.groupOf.count {
                matches = byGroup.matches[Int(byGroup.groupOf[r])]
            } else {
                matches = index.matches(leftKeys[r])
            }
            try pair(r, with: matches, &leftRows, &rightRows, misses: &misses, reserved: &reserved, env)
        }
        return noted(assemble(input, other, leftRows, rightRows, misses), report, input: input, lefts: leftRows)
    }

    /// Adds left row `r` paired with each of its matches; with none, once with -1 (a left or
    /// anti join keeps it), or not at all (inner). The row limit and the memory budget are
    /// checked before the lists grow: a many-to-many join can grow fast.
    package func pair(_ r: Int, with matches: some Collection<Int>, _ leftRows: inout [Int], _ rightRows: inout [Int],
              misses: inout Bool, reserved: inout Int, _ env: RuntimeEnvironment) throws {
        if matches.isEmpty {
            if kind != .inner {
                leftRows.append(r)
                rightRows.append(-1)
                misses = true
            }
            return
        }
        if let limit = env.rowLimit, leftRows.count + matches.count > limit {
            throw tooManyRows(matching: matches.count, limit: limit)
        }
        // Row lists (and the selections made from them) are paid for before they grow.
        while leftRows.count + matches.count > reserved {
            try env.budget.reserve(JoinOperator.reservationStep &* JoinOperator.bytesPerRow, for: "the join")
            reserved &+= JoinOperator.reservationStep
        }
        for m in matches {
            if leftRows.count & 0xFFFF == 0xFFFF { try env.checkCancelled() }
            leftRows.append(r)
            rightRows.append(m)
        }
    }

    /// The error for a join past the row limit, where one row matched `count` rows.
    package func tooManyRows(matching count: Int, limit: Int) -> Diagnostic {
        Diagnostic.error(.joinRows(limit: limit), at: nil,
                         notes: ["\(count) rows of the joined table match one row here; filter before the join, join on a more specific key, or raise the limit (Engine.limits, --max-rows)"])
    }

    /// Matches rows to a lookup table through their stored words: row r's match is
    /// `matchOfCode[offset + word]` (-1 for none); null rows (`nulls`, or a code that is
    /// -1) match nothing. Left rows nil when every row matched once, in order.
    private func lookUp(_ codes: PackedInts, offset: Int, _ matchOfCode: [Int], nulls: NullMask?, _ keys: Column,
                        _ env: RuntimeEnvironment) throws -> ([Int]?, [Int], Bool) {
        // An anti join matches as a left join does, then keeps the rows that found nothing.
        let n = keys.count, isLeft = kind != .inner
        // Builds its own arrays rather than appending to captured ones, which would be boxed.
        func match<T: FixedWidthInteger>(_ a: [T]) throws -> ([Int]?, [Int], Bool) {
            // First as if every row matches, the usual case for a lookup table: then the left
            // rows are all rows in order and need no list, and the right rows are written
            // straight into an array. A row without a match stops it, for the general loop.
            if keys.selection == nil, a.count == n, nulls == nil {
                let rights = Elementwise.lookUpUntilMiss(a, offset: offset, in: matchOfCode)
                try env.checkCancelled()
                if rights.count == n { return (nil, rights, false) }
            }
            // Each row's match (-1 for none) in one plain pass, then the rows kept: a left join
            // keeps every row once, in order, so it needs no list of left rows.
            let selected = keys.selection?.rows
            let nullWords = nulls?.words ?? []
            let matched = (0..<n).map { r -> Int in
                let p = selected?[r] ?? r
                let code = offset &+ Int(a[p])
                let isNull = !nullWords.isEmpty && (p >> 6) < nullWords.count && nullWords[p >> 6] >> UInt64(p & 63) & 1 != 0
                return isNull || code < 0 || code >= matchOfCode.count ? -1 : matchOfCode[code]
            }
            try env.checkCancelled()
            let missed = matched.contains(-1)
            if isLeft || !missed { return (nil, matched, missed && isLeft) }
            var lefts: [Int] = [], rights: [Int] = []
            lefts.reserveCapacity(n)
            rights.reserveCapacity(n)
            for (r, m) in matched.enumerated() where m >= 0 {
                lefts.append(r)
                rights.append(m)
            }
            return (lefts, rights, false)
        }
        return try codes.visit(match, match, match, match)
    }

    /// Rows of output charged to the memory budget at a time, and the bytes each takes: a row
    /// number for each side while matching, and again in the selections the output keeps.
    package static let reservationStep = 65_536
    package static let bytesPerRow = 32

    /// The right table's rows by the council identity of their key, for keys that name one.
    private static func identities(of index: JoinIndex, names: AuthorityNames) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for key in index.entryOfKey.keys {
            guard let id = names.identity(of: key.textValue ?? key.displayText) else { continue }
            out[id, default: []].append(contentsOf: index.matches(key))
        }
        for id in out.keys { out[id]?.sort() }
        return out
    }

    /// The text keys' report, or for other keys, when an inner join left rows out, how many and
    /// the first key that matched nothing: a join never loses rows without saying so.
    /// `lefts`: the input rows in the output, ascending (nil: every row once).
    private func noted(_ table: Table, _ report: JoinReport, input: Table, lefts: [Int]?) -> Table {
        var t = table
        if let text = report.text(joining: right, anti: kind == .anti) {
            t.notes.append(ResultNote(.joinMatches, text, counts: report.counts))
            return t
        }
        guard kind == .inner, let lefts, report.rows == 0 else { return t }
        var matched = 0, previous = -1, firstMissing: Int?
        for r in lefts where r != previous {
            if firstMissing == nil, r != previous + 1 { firstMissing = previous + 1 }
            matched += 1
            previous = r
        }
        guard matched < input.rowCount else { return t }
        let missing = firstMissing ?? previous + 1
        let key = input.columns[leftKey][missing]
        let dropped = input.rowCount - matched
        t.notes.append(ResultNote(.joinMatches, "join \(right.name) on \(input.schema.columns[leftKey].name): \(matched) of \(input.rowCount) rows matched; "
                                  + "\(dropped) matched nothing and \(dropped == 1 ? "was" : "were") left out (the first: "
                                  + (key.isNull ? "a null key" : "\(input.schema.columns[leftKey].name) \(key.literalText)") + ")",
                                  counts: ["rows": input.rowCount, "matched": matched, "unmatched": dropped]))
        return t
    }

    /// The output: the left rows as a selection, the right columns as a selection too unless a
    /// left join left some rows without a match (those need nulls, so they are built).
    /// `leftRows` nil: every left row once, in order (the left columns are kept as they are).
    package func assemble(_ input: Table, _ other: Table, _ leftRows: [Int]?, _ rightRows: [Int], _ misses: Bool) -> Table {
        if kind == .anti {
            let kept = rightRows.indices.filter { rightRows[$0] < 0 }.map { leftRows?[$0] ?? $0 }
            return Table(schema: schema, columns: input.gathering(kept).columns, rowCount: kept.count)
        }
        var columns = leftRows.map { input.gathering($0).columns } ?? input.columns
        if misses {
            // Numbers and days are gathered at their stored width, null where no row matched.
            let rows32 = other.rowCount < Int(Int32.max) ? rightRows.map { Int32(truncatingIfNeeded: $0) } : nil
            for c in rightColumns {
                let source = other.columns[c]
                if let rows32, let column = source.neighbours(rows32) {
                    columns.append(column)
                    continue
                }
                columns.append(Column(rightRows.map { $0 < 0 ? .null : source[$0] }))
            }
        } else {
            let gathered = Table(schema: Schema(columns: rightColumns.map { other.schema.columns[$0] }),
                                 columns: rightColumns.map { other.columns[$0] },
                                 rowCount: other.rowCount).gathering(rightRows)
            columns.append(contentsOf: gathered.columns)
        }
        return Table(schema: schema, columns: columns, rowCount: rightRows.count)
    }
}
