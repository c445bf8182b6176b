import IQLCore
import IQLStorage
extension Parser {
    /// The stages, from the language reference: a stage it lists that this file does not parse
    /// fails the reference's tests.
    package static let stageNames = LanguageReference.stages.map(\.name)

    package mutating func parseStage() throws(SyntaxError) -> Stage {
        guard current.kind == .identifier else {
            if atEnd {
                diagnostics.append(.error(.stageExpected,
                                          at: gapRange))
                throw SyntaxError()
            }
            throw expected("a stage (\(Parser.stageNames.joined(separator: ", ")))")
        }
        let keywordToken = advance()
        let keyword = Name(text: keywordToken.text, range: keywordToken.range)
        let kind: Stage.Kind
        switch keyword.text {
        case "where":
            kind = .where(try parseExpression())
        case "select":
            kind = .select(try parseNamedList(what: "a column or expression to select"))
        case "derive":
            let items = try parseNamedList(what: "NAME = EXPR")
            for item in items where item.name == nil {
                diagnostics.append(.error(.deriveNeedsName,
                                          at: item.expr.range, label: "write NAME = EXPR"))
            }
            kind = .derive(items, by: try parseOptionalBy())
        case "sort":
            var keys: [SortKey] = []
            repeat {
                let e = try parseExpression()
                var desc = false
                if consumeWord("desc") != nil { desc = true } else { _ = consumeWord("asc") }
                keys.append(SortKey(expr: e, descending: desc))
            } while consume(.comma) != nil
            kind = .sort(keys)
        case "take":
            kind = .take(try parseExpression())
        case "count":
            kind = .count(by: try parseOptionalBy())
        case "summarize":
            let items = try parseNamedList(what: "NAME = AGGREGATE")
            kind = .summarize(items, by: try parseOptionalBy())
        case "distinct":
            kind = .distinct(startsExpression ? try parseNamedList(what: "a column") : [])
        case "join":
            // `left` and `anti` are words only here, so a table may still be called either.
            var joinKind = JoinKind.inner
            if current.kind == .identifier, peek().kind == .identifier, peek().text != "on",
               let k = JoinKind(rawValue: current.text), k != .inner {
                joinKind = k
                advance()
            }
            let table = try expectName("a dataset name to join")
            guard consumeWord("on") != nil else { throw expected("'on' and the key column") }
            var keys: [JoinKey] = []
            repeat {
                let leftKey = try expectName("a key column")
                var rightKey: Name?
                if consume(.eq) != nil { rightKey = try expectName("the other table's key column") }
                keys.append(JoinKey(left: leftKey, right: rightKey))
            } while consume(.comma) != nil
            kind = .join(kind: joinKind, table: table, keys: keys)
        case "latest":
            var column: Name?
            if !isWord("by") { column = try expectName("a column or 'by'") }
            guard consumeWord("by") != nil else { throw expected("'by' and the group keys") }
            let keys = try parseNamedList(what: "a key column")
            var asOf: Expr?
            if consumeWord("as") != nil {
                guard consumeWord("of") != nil else { throw expected("'of' after 'as'") }
                asOf = try parseExpression()
            }
            kind = .latest(column: column, by: keys, asOf: asOf)
        case "rank", "quartile":
            let value = try parseExpression()
            var descending: Bool?
            if consumeWord("desc") != nil { descending = true } else if consumeWord("asc") != nil { descending = false }
            let by = try parseOptionalBy()
            kind = keyword.text == "rank" ? .rank(value, descending: descending, by: by)
                                          : .quartile(value, descending: descending, by: by)
        case "compare":
            var value: Name?
            if !isWord("with") { value = try expectName("the column to compare, or 'with'") }
            guard consumeWord("with") != nil else { throw expected("'with' and neighbours, region or england") }
            var comparators: [Name] = []
            repeat {
                comparators.append(try expectName("neighbours, region or england"))
            } while consume(.comma) != nil
            kind = .compare(value: value, with: comparators)
        case "pivot":
            let column = try expectName("the column whose values become columns")
            var value: Name?
            if current.kind == .identifier, !isWord("values"), !(current.newlineBefore && atStatementStart) {
                value = try expectName("the column of values")
            }
            // `values [2011, 2019]`: the columns to make, known before it runs.
            var values: Expr?
            if isWord("values"), peek().kind == .lbracket || value != nil {
                advance()
                values = try parseExpression()
            }
            kind = .pivot(column: column, value: value, values: values)
        case "unpivot":
            var columns: [Name] = []
            if current.kind == .identifier, !isWord("into"), !(current.newlineBefore && atStatementStart) {
                repeat { columns.append(try expectName("a column to turn into rows")) } while consume(.comma) != nil
            }
            var nameColumn: Name?, valueColumn: Name?
            if consumeWord("into") != nil {
                nameColumn = try expectName("a name for the column of former column names")
                guard consume(.comma) != nil else { throw expected("',' and a name for the column of values") }
                valueColumn = try expectName("a name for the column of values")
            }
            kind = .unpivot(columns: columns, nameColumn: nameColumn, valueColumn: valueColumn)
        case "chart":
            let kindName = try expectName("bar or line")
            guard let chartKind = ChartKind(rawValue: kindName.text) else {
                diagnostics.append(.error(.unknownChart(kindName.text), at: kindName.range,
                                          suggestion: Suggest.closest(to: kindName.text, among: ["bar", "line"]),
                                          notes: ["charts: chart bar LABEL VALUE, chart line X VALUE [by SERIES]"]))
                throw SyntaxError()
            }
            let x = try expectName(chartKind == .bar ? "the column of labels" : "the column across the page (e.g. year)")
            let y = try expectName("the column of values")
            var series: Name?
            if consumeWord("by") != nil { series = try expectName("the column that names each line") }
            var file: Expr?
            if consumeWord("to") != nil { file = try parseExpression() }
            kind = .chart(chartKind, x: x, y: y, series: series, file: file)
        case "diff":
            let table = try expectName("the name of a let table to compare with")
            guard consumeWord("on") != nil else { throw expected("'on' and the key columns") }
            var keys: [Name] = []
            repeat { keys.append(try expectName("a key column")) } while consume(.comma) != nil
            kind = .diff(table: table, keys: keys)
        default:
            // SQL's words for IQL's stages: the translation, not a near spelling.
            if let habit = Parser.sqlHabits[keyword.text.lowercased()] {
                var range = keyword.range
                var fix = habit.fix
                if habit.takesBy, isWord("by") { range = range.union(current.range) } else if habit.takesBy { fix = nil }
                diagnostics.append(.error(.unknownStage(keyword.text), at: range,
                                          label: "IQL writes this with '\(habit.stage)': \(habit.example)", suggestion: fix))
                throw SyntaxError()
            }
            let close = Suggest.closest(to: keyword.text, among: Parser.stageNames)
            diagnostics.append(.error(.unknownStage(keyword.text), at: keyword.range,
                                      suggestion: close,
                                      notes: close == nil ? ["stages: " + Parser.stageNames.joined(separator: ", ")] : []))
            throw SyntaxError()
        }
        return Stage(kind: kind, keyword: keyword, range: keyword.range.union(gapRange))
    }

    /// What a SQL user writes for a stage: the stage, an example, the fix-it (replacing the
    /// word, and `by` after it when `takesBy`) where one word replaces it.
    package static let sqlHabits: [String: (stage: String, example: String, fix: String?, takesBy: Bool)] = [
        "order": ("sort", "sort region, year desc", "sort", true),
        "limit": ("take", "take 10", "take", false),
        "top": ("take", "sort n desc | take 10", "take", false),
        "group": ("summarize", "summarize n = count() by region", nil, true),
        "having": ("where", "summarize n = count() by region | where n > 5", "where", false),
        "filter": ("where", "where region == \"London\"", "where", false),
    ]

    /// True if the current token can begin an expression, so an optional list is present.
    package var startsExpression: Bool {
        if current.newlineBefore && atStatementStart { return false }
        switch current.kind {
        case .identifier: return !isWord("by")
        case .integer, .decimal, .string, .date, .parameter, .lparen, .lbracket, .minus: return true
        case .keyword(let k): return k != .let && k != .param && k != .from && k != .and && k != .or && k != .in && k != .is
        default: return false
        }
    }

    package mutating func parseOptionalBy() throws(SyntaxError) -> [NamedExpr] {
        guard consumeWord("by") != nil else { return [] }
        return try parseNamedList(what: "a key column")
    }

    /// `ITEM, ITEM, ...` where ITEM is `NAME = EXPR` or `EXPR`.
    package mutating func parseNamedList(what: String) throws(SyntaxError) -> [NamedExpr] {
        var items: [NamedExpr] = []
        repeat {
            if case .keyword(let k) = current.kind, peek().kind == .assign, k.rating == nil {
                diagnostics.append(.error(.reservedColumnName(k.rawValue),
                                          at: current.range, label: "choose another name, or write `\(k.rawValue)` in backticks"))
                throw SyntaxError()
            }
            // A rating's word left of `=` can only be a name (`summarize good = count(overall >= good)`);
            // elsewhere it is the rating, and the column is written `good` in backticks.
            if current.kind == .identifier || (Parser.isRatingWord(current.kind)), peek().kind == .assign {
                let t = advance()
                advance()
                items.append(NamedExpr(name: Name(text: t.text, range: t.range), expr: try parseExpression()))
            } else {
                guard startsExpression else { throw expected(what) }
                items.append(NamedExpr(name: nil, expr: try parseExpression()))
            }
        } while consume(.comma) != nil
        return items
    }

    /// Whether the token is a rating's word: reserved in expressions, free to name a column
    /// left of `=`.
    package static func isRatingWord(_ kind: Token.Kind) -> Bool {
        if case .keyword(let k) = kind { return k.rating != nil }
        return false
    }
}
