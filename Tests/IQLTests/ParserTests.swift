import Testing
@testable import IQL

struct ParserTests {
    static func parse(_ text: String) -> (Script, [Diagnostic]) {
        Parser.parse(SourceFile(name: "t", text: text))
    }

    /// Valid scripts and the number of statements and stages (summed) they hold.
    static let valid: [(String, Int, Int)] = [
        ("from inspections", 1, 0),
        ("from inspections | where overall >= good | count by region", 1, 2),
        ("from inspections\n| where overall >= good\n| count by region", 1, 2),
        ("from a | take 5\nfrom b | take 5", 2, 2),
        ("from a | take 5; from b", 2, 1),
        ("let t = from a | where x > 1\nfrom t | count", 2, 2),
        ("let n = 10\nfrom a | take n", 2, 1),
        ("param year = 2019\nfrom a | where year == $year", 2, 1),
        ("param council\nfrom a", 2, 0),
        ("from a | select x, y2 = y * 2, z = if(x > 1, \"big\", \"small\")", 1, 1),
        ("from a | derive p = previous(x), n = next(x) by k", 1, 1),
        ("from a | sort x desc, y asc, z", 1, 1),
        ("from a | summarize n = count(), m = avg(x) by k, j", 1, 1),
        ("from a | distinct", 1, 1),
        ("from a | distinct k, j", 1, 1),
        ("from a | join left b on k == j", 1, 1),
        ("from a | join b on k", 1, 1),
        ("from a | join b on k, year", 1, 1),
        ("from a | summarize good = count(overall >= good), ri = count(overall == ri) by region", 1, 1),
        ("from a | select outstanding = 1, inadequate = 2 | derive requires_improvement = 3", 1, 2),
        ("from a | join left b on council == authority, year == y", 1, 1),
        ("from a | join anti b on k, j == i", 1, 1),
        ("from a | join left on k", 1, 1),
        ("from a | join anti on k | count", 1, 2),
        ("from a | latest by k", 1, 1),
        ("from a | latest seen by k as of 2019-03-31", 1, 1),
        ("from a | where x in [1, 2, 3] and y not in [\"a\"] and z is not null", 1, 1),
        ("from a | where not (x == 1 or y == 2)", 1, 1),
        ("from a | where x == -9223372036854775808", 1, 1),
        ("from a | where b.c == 1", 1, 1),
        ("# comment only line\nfrom a # trailing\n| count # another", 1, 1),
        ("from a |\n where\n x\n ==\n 1", 1, 1),
        ("", 0, 0),
        ("# only a comment", 0, 0),
        (";;", 0, 0),
    ]

    @Test(arguments: valid)
    func parsesValidScripts(text: String, statements: Int, stages: Int) {
        let (script, diagnostics) = Self.parse(text)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(script.statements.count == statements)
        let stageCount = script.statements.reduce(0) { n, s in
            switch s.kind {
            case .pipeline(let p), .letTable(_, let p): return n + p.stages.count
            default: return n
            }
        }
        #expect(stageCount == stages)
    }

    @Test func precedence() throws {
        let (script, _) = Self.parse("let v = 1 + 2 * 3 == 7 and not false or true")
        guard case .letValue(_, let e) = script.statements.first?.kind else {
            Issue.record("not a let value")
            return
        }
        // ((1 + (2 * 3)) == 7 and (not false)) or true
        guard case .binary(.or, let lhs, _) = e.kind, case .binary(.and, let cmp, let notFalse) = lhs.kind,
              case .binary(.eq, let sum, _) = cmp.kind, case .binary(.add, _, let product) = sum.kind,
              case .binary(.multiply, _, _) = product.kind, case .unary(.not, _) = notFalse.kind else {
            Issue.record("wrong tree: \(e.kind)")
            return
        }
    }

    /// SQL habits get IQL's translation and, where one word does it, the fix; single-quoted
    /// text is read as the text it means, so the rest of the query is still checked.
    @Test func sqlHabitsAreTranslated() throws {
        func first(_ text: String) -> Diagnostic? { Self.parse(text).1.first { $0.severity == .error } }
        let order = try #require(first("from a | order by x desc"))
        #expect(order.suggestion == "sort")
        #expect(SourceFile(name: "q", text: "from a | order by x desc").text(in: try #require(order.range)) == "order by")
        #expect(order.label?.contains("sort") == true)
        #expect(first("from a | limit 5")?.suggestion == "take")
        #expect(first("from a | group by x")?.suggestion == nil)
        #expect(first("from a | group by x")?.label?.contains("summarize") == true)
        let quoted = try #require(first(#"from a | where x == 'it''s' | where y == 1"#))
        #expect(quoted.message == "text is written in double quotes")
        let (script, diagnostics) = Self.parse("from a | where x == 'London' | where y > 1")
        #expect(diagnostics.count == 1)
        #expect(first("from a | where x == 'London' | where y > 1")?.suggestion == "\"London\"")
        guard case .pipeline(let p)? = script.statements.first?.kind else { Issue.record("no pipeline"); return }
        #expect(p.stages.count == 2)
        // The translations name real stages, and no SQL word shadows one.
        for (word, habit) in Parser.sqlHabits {
            #expect(Parser.stageNames.contains(habit.stage), "\(word) → \(habit.stage)")
            #expect(!Parser.stageNames.contains(word), "\(word) is a stage")
            #expect(habit.fix.map { Parser.stageNames.contains($0) } ?? true, "\(word)'s fix")
        }
    }

    /// `x between a and b` is `x >= a and x <= b`, and its `and` binds before the next one.
    @Test func betweenIsTwoComparisons() throws {
        let (script, diagnostics) = Self.parse("let v = x not between 1 and 2 + 3 and y")
        #expect(diagnostics.isEmpty)
        guard case .letValue(_, let e) = script.statements.first?.kind,
              case .binary(.and, let negated, let y) = e.kind, case .name(let yName, _) = y.kind, yName.text == "y",
              case .unary(.not, let both) = negated.kind, case .binary(.and, let low, let high) = both.kind,
              case .binary(.ge, _, _) = low.kind, case .binary(.le, _, let sum) = high.kind, case .binary(.add, _, _) = sum.kind else {
            Issue.record("wrong tree")
            return
        }
    }

    /// Invalid input, the kind of the first error and its message.
    static let invalid: [(String, Diagnostic.Kind, String)] = [
        ("from inspections |", .incompleteInput, "incomplete input: expected a stage after '|'"),
        ("from inspections | where (overall", .incompleteInput, "incomplete input: expected ')'"),
        ("from a | where x in [1, 2", .incompleteInput, "incomplete input: expected ']' or ','"),
        ("from a | where x == \"open", .incompleteInput, "unterminated text literal"),
        ("from a | where", .incompleteInput, "incomplete input: expected an expression"),
        ("from", .incompleteInput, "incomplete input: expected a dataset name after 'from'"),
        ("from a | where x ==", .incompleteInput, "incomplete input: expected an expression"),
        ("from a | selct x", .name, "unknown stage 'selct'"),
        ("from a | where x = 1", .syntax, "'=' names a column; to compare, write '=='"),
        ("from a | where 1 < x < 3", .syntax, "comparisons cannot be chained"),
        ("from a | order by x", .name, "unknown stage 'order'"),
        ("from a | limit 5", .name, "unknown stage 'limit'"),
        ("from a | group by x", .name, "unknown stage 'group'"),
        ("from a | where x == 'open'", .syntax, "text is written in double quotes"),
        ("from a | where x between 1 or 3", .syntax, "expected 'and' between the two bounds of 'between', found 'or'"),
        ("from a | where x between 1", .incompleteInput, "incomplete input: expected 'and' between the two bounds of 'between'"),
        ("from a | where x == 1)", .syntax, "expected '|', ';' or a new line, found ')'"),
        ("where x == 1", .syntax, "expected 'from' before the first stage, found 'where'"),
        ("from a | take 5 from b", .syntax, "expected '|', ';' or a new line, found 'from'"),
        ("from a | where x == 99999999999999999999", .value, "integer 99999999999999999999 is too large (the limit is 9223372036854775807)"),
        ("from a | derive x + 1", .syntax, "derive needs a name for each new column"),
        ("from a | join b", .incompleteInput, "incomplete input: expected 'on' and the key column"),
        ("from a | join b k", .syntax, "expected 'on' and the key column, found 'k'"),
        ("from a | join b on k,", .incompleteInput, "incomplete input: expected a key column"),
        ("from a | join anti b on k == ", .incompleteInput, "incomplete input: expected the other table's key column"),
        ("let = 3", .syntax, "expected a name for the binding, found '='"),
        ("from a | select from", .syntax, "expected a column or expression to select, found 'from'"),
        ("from a | where x\nwhere y", .syntax, "expected '|' or a new statement, found 'where'"),
        ("from a | select from = 1", .syntax, "'from' is a reserved word, so it cannot name a column"),
        ("from a | latest by", .incompleteInput, "incomplete input: expected a key column"),
        ("from a | where " + String(repeating: "(", count: 100_000) + "1", .syntax, "expression nested more than 256 levels deep"),
        ("from a | where x == " + String(repeating: "1 + ", count: 100_000) + "1", .syntax, "expression nested more than 256 levels deep"),
        ("let v = " + String(repeating: "[", count: 100_000), .syntax, "expression nested more than 256 levels deep"),
        ("let v = " + String(repeating: "-", count: 100_000) + "1", .syntax, "expression nested more than 256 levels deep"),
    ]

    @Test(arguments: invalid)
    func reportsInvalidInput(text: String, kind: Diagnostic.Kind, message: String) {
        let (_, diagnostics) = Self.parse(text)
        let first = diagnostics.first { $0.severity == .error }
        #expect(first?.kind == kind)
        #expect(first?.message == message)
    }

    @Test func reportsEverySyntaxErrorInAPipeline() {
        let (_, diagnostics) = Self.parse("from a | selct x | where (y | sortt z")
        #expect(diagnostics.map(\.message) == ["unknown stage 'selct'", "expected ')', found '|'", "unknown stage 'sortt'"])
    }

    @Test func incompleteInputIsDistinctFromInvalidInput() {
        let incomplete = IQLError(Self.parse("from a | where (x").1, source: nil)
        let invalid = IQLError(Self.parse("from a | where )x").1, source: nil)
        #expect(incomplete.isIncompleteInput)
        #expect(!invalid.isIncompleteInput)
    }
}
