import IQLCore
import IQLStorage
extension Checker {
    /// The function names users may call, for "did you mean".
    package static var functionNames: [String] {
        (LanguageReference.functions + LanguageReference.aggregates + LanguageReference.windowFunctions).map(\.name)
    }

    package func poison(_ range: SourceRange) -> CompiledExpression {
        .constant(.null, type: .null, range: range)
    }

    /// Compiles an expression, recording diagnostics; on error it returns a null placeholder so
    /// checking can go on and report further mistakes without cascades.
    package mutating func compile(_ e: Expr, in scope: ExpressionScope) -> CompiledExpression {
        var aggregates: [AggregateCall] = []
        var usesWindow = false
        return compile(e, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
    }

    package mutating func compile(_ e: Expr, in scope: ExpressionScope, aggregates: inout [AggregateCall],
                          usesWindow: inout Bool) -> CompiledExpression {
        let range = e.range
        switch e.kind {
        case .literal(let v):
            // A rating's word names a column only left of `=`: elsewhere it is the rating, which
            // is rarely what is meant beside a column of that name.
            if case .rating = v, let schema = scope.schema {
                let word = source.text(in: range)
                if schema.index(of: word) != nil {
                    error(.ratingWordIsColumn(word), at: range,
                          label: "write the column as `\(word)`, or the rating as \"\(v.displayText)\"", suggestion: "`\(word)`")
                }
            }
            return .constant(v, range: range)

        case .invalid:
            return poison(range)

        case .parameter(let n):
            if let v = parameters[n.text] { return .constant(v, range: range) }
            if let v = provided[n.text] {
                usedParameters.insert(n.text)
                return .constant(v, range: range)
            }
            let known = Array(parameters.keys) + Array(provided.keys)
            error(.unknownParameter(n.text), at: range,
                  label: Suggest.closest(to: n.text, among: known).map { "did you mean '$\($0)'?" }
                      ?? "declare it with 'param \(n.text) = VALUE' or pass --param \(n.text)=VALUE")
            return poison(range)

        case .name(let n, let qualifier):
            return compileName(n, qualifier: qualifier, range: range, in: scope)

        case .list(let items):
            var compiled: [CompiledExpression] = []
            var type = ValueType.null
            for (k, item) in items.enumerated() {
                if k % 1024 == 1023, outOfBudget() { return poison(range) }
                let c = compile(item, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
                if let u = type.unified(with: c.type) {
                    type = u
                } else {
                    error(.mixedList(c.type, earlier: type),
                          at: item.range)
                }
                compiled.append(c)
            }
            if compiled.allSatisfy({ $0.constant != nil }) {
                return .constant(.list(compiled.compactMap(\.constant)), type: .list(type), range: range)
            }
            return CompiledExpression(type: .list(type), range: range, shape: .list(compiled))

        case .unary(let op, let operand):
            let c = compile(operand, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            switch op {
            case .negate:
                guard c.type == .number || c.type == .null else {
                    error(.cannotNegate(c.type), at: range)
                    return poison(range)
                }
                return folded(CompiledExpression(type: .number, range: range, shape: .negate(c)), from: c)
            case .not:
                guard c.type == .bool || c.type == .null else {
                    error(.notNeedsCondition(found: c.type), at: operand.range)
                    return poison(range)
                }
                return folded(CompiledExpression(type: .bool, range: range, shape: .not(c)), from: c)
            }

        case .binary(let op, let lhs, let rhs):
            let l = compile(lhs, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            let r = compile(rhs, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            return compileBinary(op, l, r, lhs: lhs, rhs: rhs, range: range, schema: scope.schema)

        case .inList(let lhs, let rhs, let negated):
            let l = compile(lhs, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            var r = compile(rhs, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            guard case .list(var element) = r.type else {
                if r.type != .null {
                    error(.inNeedsList(found: r.type), at: rhs.range, label: "write a list like [a, b]")
                }
                return poison(range)
            }
            if l.type == .rating, element == .text || element == .null, case .list(let items)? = r.constant {
                // Ratings written in Ofsted's wording inside the list.
                var converted: [Value] = []
                for (i, item) in items.enumerated() {
                    let itemRange = listItemRange(rhs, i) ?? rhs.range
                    converted.append(ratingFromText(item, at: itemRange) ?? .null)
                }
                r = .constant(.list(converted), type: .list(.rating), range: rhs.range)
                element = .rating
            }
            if l.type.unified(with: element) == nil {
                error(.cannotLookFor(l.type, inListOf: element), at: range)
                return poison(range)
            }
            if case .list(let items)? = r.constant {
                var spelt = items
                var respelt = false
                for (i, item) in items.enumerated() {
                    guard let lookup = literalAmongValues(item, lhs: lhs, schema: scope.schema) else { continue }
                    if let other = authoritySpelling(lookup) {
                        spelt[i] = other
                        respelt = true
                    } else {
                        warnIfAbsent(l, lookup, at: listItemRange(rhs, i) ?? rhs.range, lhs: lhs)
                    }
                }
                if respelt { r = .constant(.list(spelt), type: r.type, range: rhs.range) }
            }
            let membership: CompiledExpression
            if case .list(let items)? = r.constant {
                membership = CompiledExpression(type: .bool, range: range, shape: .inList(l, items, negated: negated))
            } else {
                membership = CompiledExpression(type: .bool, range: range, shape: .member(l, of: r, negated: negated))
            }
            return folded(membership, from: l, r)

        case .isNull(let operand, let negated):
            let c = compile(operand, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
            return folded(CompiledExpression(type: .bool, range: range, shape: .isNull(c, negated: negated)), from: c)

        case .call(let name, let args):
            return compileCall(name, args, range: range, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
        }
    }

    private func listItemRange(_ list: Expr, _ i: Int) -> SourceRange? {
        if case .list(let items) = list.kind, i < items.count { return items[i].range }
        return nil
    }

    /// Evaluates once now when every input is constant, so `1 + 2` costs nothing per row.
    /// Errors (overflow, division by zero) are left to surface at run time with their range.
    package func folded(_ c: CompiledExpression, from inputs: [CompiledExpression]) -> CompiledExpression {
        guard inputs.allSatisfy({ $0.constant != nil }) else { return c }
        return folded(c)
    }

    /// The same for one or two inputs, without an array per operator (a long script checks
    /// millions of them).
    package func folded(_ c: CompiledExpression, from a: CompiledExpression, _ b: CompiledExpression? = nil) -> CompiledExpression {
        guard a.constant != nil, b == nil || b?.constant != nil else { return c }
        return folded(c)
    }

    /// `c`, whose inputs are all constants, as the constant it evaluates to (unless it fails).
    private func folded(_ c: CompiledExpression) -> CompiledExpression {
        guard let v = try? c.evaluate(RowContext(table: .singleEmptyRow, environment: RuntimeEnvironment())) else { return c }
        return .constant(v, type: c.type, range: c.range)
    }

    // MARK: - Names

    private mutating func compileName(_ n: Name, qualifier: Name?, range: SourceRange,
                                      in scope: ExpressionScope) -> CompiledExpression {
        let full = qualifier.map { "\($0.text).\(n.text)" } ?? n.text
        if let schema = scope.schema {
            var index = schema.index(of: full)
            if index == nil, let q = qualifier, q.text == scope.table { index = schema.index(of: n.text) }
            if let i = index {
                let column = schema.columns[i]
                switch scope.mode {
                case .summarize(let keys) where !keys.contains(column.name):
                    error(.ungrouped(column.name), at: range,
                          label: "for example first(\(column.name)) or max(\(column.name))")
                    return poison(range)
                case .assertion:
                    error(.ungroupedInAssert(column.name),
                          at: range, label: "for example unique(\(column.name)) or all(\(column.name) > 0)")
                    return poison(range)
                default: break
                }
                return .column(i, type: column.type, range: range)
            }
        }
        if qualifier == nil, case .value(let type)? = self.scope[n.text] {
            let name = n.text
            return CompiledExpression(type: type, range: range, shape: .binding(name))
        }
        var values: [String] = []
        for (k, v) in self.scope { if case .value = v { values.append(k) } }
        let columns = scope.schema?.names ?? []
        let suggestion = Suggest.closest(to: full, among: columns + values)
        if Checker.functionNames.contains(n.text), suggestion == nil {
            error(.functionWithoutCall(n.text), at: range, suggestion: "\(n.text)()")
        } else if scope.schema == nil {
            error(.unknownName(full), at: range, suggestion: suggestion,
                  notes: values.isEmpty ? [] : ["values bound with let: " + values.sorted().joined(separator: ", ")])
        } else {
            var notes = suggestion == nil ? ["columns: " + columns.joined(separator: ", ")] : []
            if let memo = scope.schema?.pivot, !memo.headsKnown {
                notes.append("the columns this pivot makes from a let table of the same script are known only when it runs: list them to name them here (pivot \(memo.column.name) \(memo.value.name) values [2011, 2019])")
            }
            error(.noColumn(full, in: scope.table), at: range, suggestion: suggestion, notes: notes)
        }
        return poison(range)
    }

    // MARK: - Operators

    private mutating func compileBinary(_ op: BinaryOperator, _ l: CompiledExpression, _ r: CompiledExpression,
                                        lhs: Expr, rhs: Expr, range: SourceRange, schema: Schema?) -> CompiledExpression {
        switch op {
        case .and, .or:
            func isCondition(_ c: CompiledExpression) -> Bool { c.type == .bool || c.type == .null }
            if !isCondition(l) || !isCondition(r) {
                let (c, e) = isCondition(l) ? (r, rhs) : (l, lhs)
                error(.logicNeedsConditions(op.rawValue, found: c.type), at: e.range)
                return poison(range)
            }
            return folded(CompiledExpression(type: .bool, range: range, shape: op == .and ? .and(l, r) : .or(l, r)),
                          from: l, r)

        case .add, .subtract, .multiply, .divide, .remainder:
            let type: ValueType
            let lt = l.type, rt = r.type
            let numberish: (ValueType) -> Bool = { $0 == .number || $0 == .null }
            if numberish(lt) && numberish(rt) {
                type = .number
            } else if lt == .date, numberish(rt), op == .add || op == .subtract {
                type = .date
            } else if numberish(lt), rt == .date, op == .add {
                type = .date
            } else if lt == .date, rt == .date, op == .subtract {
                type = .number
            } else {
                var label: String?
                if op == .add, l.type == .text || r.type == .text { label = "IQL does not join text with '+'" }
                if l.type == .date || r.type == .date, op != .add, op != .subtract {
                    label = "dates support '+ days', '- days' and date - date; see days_between"
                }
                error(.cannotApply(op.rawValue, l.type, r.type), at: range, label: label)
                return poison(range)
            }
            return folded(CompiledExpression(type: type, range: range, shape: .arithmetic(op, l, r)), from: l, r)

        case .eq, .ne, .lt, .le, .gt, .ge:
            return compileComparison(op, l, r, lhs: lhs, rhs: rhs, range: range, schema: schema)
        }
    }

    private mutating func compileComparison(_ op: BinaryOperator, _ l0: CompiledExpression, _ r0: CompiledExpression,
                                            lhs: Expr, rhs: Expr, range: SourceRange, schema: Schema?) -> CompiledExpression {
        var l = l0, r = r0
        func isNullLiteral(_ e: Expr) -> Bool { if case .literal(.null) = e.kind { true } else { false } }
        if isNullLiteral(lhs) || isNullLiteral(rhs) {
            let otherText = source.text(in: (isNullLiteral(lhs) ? rhs : lhs).range)
            error(.nullComparison, at: range,
                  label: "write '\(otherText) is \(op == .ne ? "not " : "")null'",
                  suggestion: "\(otherText) is \(op == .ne ? "not " : "")null")
            return poison(range)
        }
        // A rating compared with text written in Ofsted's wording.
        if l.type == .rating, r.type == .text, let v = r.constant {
            guard let rating = ratingFromText(v, at: rhs.range) else { return poison(range) }
            r = .constant(rating, range: rhs.range)
        } else if r.type == .rating, l.type == .text, let v = l.constant {
            guard let rating = ratingFromText(v, at: lhs.range) else { return poison(range) }
            l = .constant(rating, range: lhs.range)
        }
        guard let type = l.type.unified(with: r.type) else {
            var label: String?
            var suggestion: String?
            if (l.type == .date && r.type == .text) || (l.type == .text && r.type == .date) {
                let text = l.type == .text ? l.constant : r.constant
                if case .text(let s)? = text, Day(iso: Substring(s)) != nil {
                    label = "write the date without quotes: \(s)"
                    suggestion = s
                }
            } else if l.type == .number && r.type == .text || l.type == .text && r.type == .number {
                label = "numbers and text never compare equal; quote the number or compare a number column"
            }
            error(.cannotCompare(l.type, r.type), at: range, label: label, suggestion: suggestion)
            return poison(range)
        }
        if op != .eq && op != .ne, case .list = type {
            error(.listsUnordered(op.rawValue), at: range)
            return poison(range)
        }
        if op == .eq || op == .ne {
            // Each side's literal is looked up among the other side's column values once, for
            // both a council's other spellings and the warning.
            let right = r.constant.flatMap { literalAmongValues($0, lhs: lhs, schema: schema) }
            let left = right == nil ? l.constant.flatMap { literalAmongValues($0, lhs: rhs, schema: schema) } : nil
            if let right, let spelt = authoritySpelling(right) {
                r = .constant(spelt, range: rhs.range)
            } else if let left, let spelt = authoritySpelling(left) {
                l = .constant(spelt, range: lhs.range)
            } else if let right {
                warnIfAbsent(l, right, at: rhs.range, lhs: lhs)
            } else if let left {
                warnIfAbsent(r, left, at: lhs.range, lhs: rhs)
            }
        }
        return folded(CompiledExpression(type: .bool, range: range, shape: .compare(op, l, r)), from: l, r)
    }

    /// Text in Ofsted's wording (any case) as a rating, or an error with the closest wording.
    package mutating func ratingFromText(_ v: Value, at range: SourceRange) -> Value? {
        if case .rating = v { return v }
        if v.isNull { return v }
        guard case .text(let s) = v else { return nil }
        if let r = Rating(wording: s) { return .rating(r) }
        // Not "did you mean Inadequate?", the opposite judgement: Ofsted's pre-2013 scale had
        // Adequate, which its tables (and so IQL's) write as Requires improvement to be good.
        if s.lowercased() == "adequate" {
            error(.notARating(s), at: range,
                  label: "before 2013 Ofsted's tables write Adequate as Requires improvement to be good: write ri",
                  suggestion: "ri",
                  notes: ["SLAC, CPI and TLAC inspections (2009 to 2013) were judged outstanding, good, adequate or inadequate; "
                          + "Ofsted's history table, which IQL's inspections come from, has no Adequate and writes those judgements "
                          + "as Requires improvement to be good (docs/datasets.md, inspections)"])
            return nil
        }
        let wordings = Rating.allCases.map(\.wording)
        let close = Suggest.closest(to: s, among: wordings)
        error(.notARating(s), at: range,
              label: close.map { "did you mean \"\($0)\"?" },
              suggestion: close.map { "\"\($0)\"" },
              notes: ["ratings: Outstanding, Good, Requires improvement to be good, Inadequate (or the literals outstanding, good, ri, inadequate)"])
        return nil
    }

    /// Text that is an identifier, not a word: digits, or a letter or two then digits
    /// (`E06000053`, `801`, `SC123456`).
    package static func isCodeLike(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let letters = bytes.prefix { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }.count
        let rest = bytes.dropFirst(letters)
        return letters <= 2 && rest.count >= 3 && rest.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// A text literal compared with a dataset column, and whether the column holds it.
    package struct LiteralLookup {
        package var text: String
        package var origin: Schema.Origin
        package var values: KnownValues
        package var present: Bool
    }

    /// Looks a text literal up among the distinct values of the dataset column it is compared
    /// with; nil when it is not text or the other side is not such a column.
    private mutating func literalAmongValues(_ literal: Value, lhs: Expr, schema: Schema?) -> LiteralLookup? {
        guard case .text(let text) = literal, let origin = originOf(lhs, schema),
              let values = knownValues(origin) else { return nil }
        return LiteralLookup(text: text, origin: origin, values: values, present: values.set.contains(text))
    }

    /// Warns when a text literal compared with a dataset column matches no row.
    private mutating func warnIfAbsent(_ column: CompiledExpression, _ lookup: LiteralLookup, at range: SourceRange,
                                       lhs: Expr) {
        // Most columns hold no two values that differ only in case: then nothing is looked up.
        if lookup.present, !lookup.values.caseVariants.isEmpty, column.type == .text, column.constant == nil,
           case .name(let n, _) = lhs.kind, let variants = lookup.values.caseVariants[lookup.text.lowercased()] {
            let others = variants.filter { $0 != lookup.text }
            if !others.isEmpty, warnedLiterals.insert("case\u{0}" + lookup.origin.dataset + "\u{0}" + lookup.origin.column + "\u{0}" + lookup.text).inserted {
                diagnostics.append(.warning(.otherCase(lookup.origin.dataset, n.text, lookup.text, others: others), at: range,
                                            label: "matches only this spelling; ilike matches every case"))
            }
            return
        }
        guard !lookup.present, column.type == .text, column.constant == nil, case .name(let n, _) = lhs.kind else { return }
        let origin = lookup.origin, text = lookup.text
        guard warnedLiterals.insert(origin.dataset + "\u{0}" + origin.column + "\u{0}" + text).inserted else { return }
        // Each warning costs a search of the column's values: past the first few, unmatched
        // literals are counted into one warning instead, so a huge list checks in linear time.
        guard warnedLiterals.count <= Checker.suggestedLiterals else {
            if unmatchedBeyondCap == 0 { firstUnmatchedBeyondCap = range }
            unmatchedBeyondCap += 1
            return
        }
        let quoted = text.count > 60 ? text.prefix(57) + "…" : text
        // A real council the table has no rows for: say so, and what the table covers, rather
        // than suggest another council ("Leicestershire" is not a typo of "Gloucestershire").
        if Checker.authorityColumns.contains(origin.column), let id = councilNames.identity(of: text), councilNames.isCouncil(id) {
            let covers = BundledDataset.named(origin.dataset).map { ["\(origin.dataset): \($0.summary)"] } ?? []
            diagnostics.append(.warning(.absentValue(origin.dataset, n.text, quoted), at: range,
                                        label: "\(text) is a council, with no rows in \(origin.dataset)", notes: covers))
            return
        }
        // The value in another case is what was meant, whatever the nearest spellings.
        let lowered = text.lowercased()
        let sameLetters = lookup.values.list.filter { $0.count == text.count && $0.lowercased() == lowered }
        if !sameLetters.isEmpty {
            let shown = sameLetters.prefix(3).map { "\"\($0)\"" }
            diagnostics.append(.warning(.absentValue(origin.dataset, n.text, quoted), at: range,
                                        label: "it has \(shown.joined(separator: " and ")), in another case: text compares case by case",
                                        suggestion: shown.first))
            return
        }
        // A code or a number one digit from another is a different council, not a typo of it:
        // no "did you mean" for those.
        let close = Checker.isCodeLike(text) ? [] : Suggest.ranked(text, among: lookup.values.list, limit: 3)
        let shown = close.map { "\"\($0)\"" }
        // A generated query may compare with a huge literal: the message shows its start.
        diagnostics.append(.warning(.absentValue(origin.dataset, n.text, quoted), at: range,
                                    label: shown.isEmpty ? "this value matches nothing" : "did you mean \(shown.joined(separator: " or "))?",
                                    suggestion: close.first.map { "\"\($0)\"" }))
    }

    /// A council named by another official spelling or a code ("Bristol, City of", "E06000023",
    /// "801"), as the column compared with it writes that council; nil when the literal is
    /// already a value of the column or names no council.
    private func authoritySpelling(_ lookup: LiteralLookup) -> Value? {
        guard !lookup.present, let identities = lookup.values.identities,
              let id = councilNames.identity(of: lookup.text), let spelt = identities[id] else { return nil }
        return spelt.map(Value.text)
    }

    /// A text column's distinct values, read once per check: as a set for membership, a list
    /// for suggestions, and (for up to 20,000 values) which council each names, if only one
    /// value names it.
    package mutating func knownValues(_ origin: Schema.Origin) -> KnownValues? {
        // A script's literals mostly compare with a few columns (`region == … and authority
        // != …`): the last four answers are kept at hand, round-robin.
        for recent in recentKnownValues where recent.origin == origin { return recent.values }
        defer {
            let entry = (origin: origin, values: knownValueCache[origin] ?? nil)
            if recentKnownValues.count < 4 {
                recentKnownValues.append(entry)
            } else {
                recentKnownValues[nextRecentKnownValues] = entry
                nextRecentKnownValues = (nextRecentKnownValues + 1) % 4
            }
        }
        if let cached = knownValueCache[origin] { return cached }
        let known = catalog.textValues(origin.dataset, origin.column).map { set -> KnownValues in
            var identities: [String: String?]?
            if set.count <= 20_000 {
                var map: [String: String?] = [:]
                for v in set {
                    guard let id = councilNames.identity(of: v) else { continue }
                    map[id] = map[id] == nil ? .some(v) : .some(nil)
                }
                identities = map
            }
            var byLower: [String: [String]] = [:]
            if set.count <= 20_000 {
                for v in set { byLower[v.lowercased(), default: []].append(v) }
                byLower = byLower.filter { $0.value.count > 1 }.mapValues { $0.sorted() }
            }
            return KnownValues(set: set, list: set.sorted(), identities: identities, caseVariants: byLower)
        }
        knownValueCache[origin] = .some(known)
        return known
    }

    private func originOf(_ e: Expr, _ schema: Schema?) -> Schema.Origin? {
        guard case .name(let n, let q) = e.kind, let schema else { return nil }
        let full = q.map { "\($0.text).\(n.text)" } ?? n.text
        return schema.index(of: full).flatMap { schema.columns[$0].origin }
    }
}
