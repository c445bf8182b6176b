import Testing
@testable import IQL

/// Names and types are resolved before anything runs; each mistake is a diagnostic with a range.
struct CheckerTests {
    static let engine = Engine()

    /// A query, the first error's message, and the text under its range.
    static let errors: [(String, String, String)] = [
        (#"from inspections | where athority == "Oldham""#, "no column 'athority' in inspections", "athority"),
        ("from inspectons", "no dataset or table named 'inspectons'", "inspectons"),
        ("from inspections | where overall == 3", "cannot compare rating with number", "overall == 3"),
        (#"from inspections | where overall == "Gooood""#, #""Gooood" is not an Ofsted rating"#, #""Gooood""#),
        (#"from inspections | where overall == "Adequate""#, #""Adequate" is not an Ofsted rating"#, #""Adequate""#),
        (#"from inspections | where published > "2019-01-01""#, "cannot compare date with text", #"published > "2019-01-01""#),
        ("from inspections | where authority", "where needs a condition (bool), found text", "authority"),
        ("from inspections | where overall == null", "comparing with null never matches: the result is always null", "overall == null"),
        ("from inspections | select avg(published)", "aggregate 'avg' can only be used in summarize", "avg"),
        ("from inspections | summarize a = avg(authority)", "avg takes a number, found text", "authority"),
        ("from inspections | summarize a = authority", "column 'authority' must be inside an aggregate or be a 'by' key", "authority"),
        ("from inspections | summarize a = sum(count())", "aggregates cannot be nested", "count()"),
        ("from inspections | select lenght(authority)", "unknown function 'lenght'", "lenght"),
        ("from inspections | select round(1, 2, 3)", "round takes 1 to 2 arguments, found 3", "round(1, 2, 3)"),
        ("from inspections | select year(authority)", "year: argument 1 expected date, found text", "authority"),
        ("from inspections | select previous(overall)", "previous() can only be used in derive", "previous"),
        ("from inspections | select authority | derive p = previous(authority)", "previous() orders rows by the time column, and this table has none", "previous"),
        ("from inspections | select authority | latest by authority", "latest needs a column to order by: this table has no time column", "latest"),
        ("from inspections | latest by authority as of 2019", "'as of' must be a date like 'published', found number", "2019"),
        ("from inspections | take \"ten\"", "take needs a number of rows, found text", #""ten""#),
        ("from inspections | take -1", "take needs a whole number of rows, 0 or more", "-1"),
        ("from inspections | select authority, authority", "select would make two columns named 'authority'", "authority"),
        ("from inspections | join authoritys on authority", "no dataset or table named 'authoritys'", "authoritys"),
        ("from inspections | join authorities on authorty", "no column 'authorty' in inspections", "authorty"),
        ("from inspections | select x = authority + 1", "cannot apply '+' to text and number", "authority + 1"),
        ("from inspections | where authority in 3", "'in' needs a list, found number", "3"),
        ("from inspections | where overall in [\"Good\", \"Grate\"]", #""Grate" is not an Ofsted rating"#, #""Grate""#),
        ("from inspections | where $council == authority", "unknown parameter '$council'", "$council"),
        ("let x = authority", "unknown name 'authority'", "authority"),
        ("from inspections | where [1, \"a\"] == [1]", "a list holds values of one type: this is text, earlier items are number", #""a""#),
        ("from children_in_care | where children > 10 and authority", "'and' needs conditions (bool) on both sides, found text", "authority"),
        ("let t = 5\nfrom t", "'t' is a value, not a table", "t"),
    ]

    @Test(arguments: errors)
    func reportsErrorWithRange(query: String, message: String, underlined: String) {
        let diagnostics = Self.engine.check(query)
        let first = diagnostics.first { $0.severity == .error }
        #expect(first?.message == message)
        let source = SourceFile(name: "q", text: query)
        #expect(first?.range.map { source.text(in: $0) } == underlined)
    }

    static let suggestions: [(String, String)] = [
        (#"from inspections | where athority == "Oldham""#, "authority"),
        ("from inspectons", "inspections"),
        ("from inspections | select lenght(authority)", "length"),
        ("from authorities | summarize m = mean(1)", "avg"),
        ("from authorities | summarize m = average(1)", "avg"),
        ("from inspections | selct authority", "select"),
        ("from inspections | where overall == \"requires improvment to be good\"", "\"Requires improvement to be good\""),
    ]

    /// "Adequate" is explained (stored as Requires improvement, write ri), not answered with
    /// "did you mean Inadequate?"; "RI" in any case is Requires improvement, as `ri` is.
    @Test func adequateIsExplainedAndRIIsARating() throws {
        let d = try #require(Self.engine.check(#"from inspections | where safeguarding == "adequate" | count"#).first)
        #expect(d.suggestion == "ri")
        #expect(d.label?.contains("Requires improvement to be good") == true)
        #expect(!(d.label ?? "").contains("Inadequate"))
        let ri = try Self.engine.query(#"from inspections | where overall == "RI" | count"#)
        let spelt = try Self.engine.query("from inspections | where overall == ri | count")
        #expect(ri.rows == spelt.rows)
        #expect(Rating(wording: "R.I.") == .requiresImprovement)
    }

    /// A code that matches nothing is warned about with no "did you mean" (E06000053 is not a
    /// typo of E06000003); a name still gets its suggestion.
    @Test func codesGetNoFuzzySuggestion() throws {
        let code = try #require(Self.engine.check(#"from visits | where authority_code == "E99999999" | count"#).first)
        #expect(code.code == .absentValue)
        #expect(code.suggestion == nil)
        #expect(code.label == "this value matches nothing")
        let councilCode = try #require(Self.engine.check(#"from visits | where authority_code == "E10000018" | count"#).first)
        #expect(councilCode.label == "E10000018 is a council, with no rows in visits")
        // A council with no rows in the table: said so, with what the table covers, and no
        // other council suggested.
        let council = try #require(Self.engine.check(#"from visits | where authority == "Leicestershire" | count"#).first)
        #expect(council.suggestion == nil)
        #expect(council.label == "Leicestershire is a council, with no rows in visits")
        #expect(council.notes.contains { $0.contains("2022-23 and 2024-25") })
        let notCouncil = try #require(Self.engine.check(#"from providers | where provision_type == "Childrens home" | count"#).first)
        #expect(notCouncil.suggestion != nil)
        let name = try #require(Self.engine.check(#"from inspections | where authority == "Oxfordshre" | count"#).first)
        #expect(name.suggestion == #""Oxfordshire""#)
        #expect(Checker.isCodeLike("E06000053") && Checker.isCodeLike("801") && !Checker.isCodeLike("Oxfordshire") && !Checker.isCodeLike("E1"))
    }

    /// Other tools' function names point at real IQL functions and never hide one.
    @Test func functionAliasesNameRealFunctions() {
        let names = Set(Checker.functionNames)
        for (alias, target) in Checker.functionAliases {
            #expect(names.contains(target), "\(alias) → \(target)")
            #expect(!names.contains(alias), "\(alias) is a function")
        }
    }

    @Test(arguments: suggestions)
    func suggestsTheClosestName(query: String, suggestion: String) {
        #expect(Self.engine.check(query).first?.suggestion == suggestion)
    }

    @Test func reportsSeveralErrorsInOneQuery() {
        let messages = Self.engine.check("from inspections | where athority == \"x\" and overal >= good | select regoin")
            .filter { $0.severity == .error }.map(\.message)
        #expect(messages == ["no column 'athority' in inspections", "no column 'overal' in inspections",
                             "no column 'regoin' in inspections"])
        // After a stage that reshapes the table fails, later stages are not checked against a guess.
        let afterSelect = Self.engine.check("from inspections | select x = nope | where x == 1")
            .filter { $0.severity == .error }.map(\.message)
        #expect(afterSelect == ["no column 'nope' in inspections"])
    }

    /// Digits grouped with '_' are one error that says how to write the number, not also
    /// "too large"; a number too large for 64 bits still says so.
    @Test func groupedDigitsAreOneClearError() {
        let grouped = Self.engine.check("from inspections | take 39_997")
        #expect(grouped.map(\.message) == ["a number cannot run straight into a name"])
        #expect(grouped.first?.label == "numbers are written without separators: 39997")
        let glued = Self.engine.check("from inspections | take 3rd")
        #expect(glued.map(\.label) == ["put a space or an operator before this"])
        let large = Self.engine.check("from inspections | take 99999999999999999999")
        #expect(large.map(\.message) == ["integer 99999999999999999999 is too large (the limit is 9223372036854775807)"])
    }

    /// A derive whose previous() is in error does not also warn that its 'by' is unused: the
    /// error is the whole story. A derive with no window still gets the warning.
    @Test func unusedByIsNotSaidBesideAWindowInError() {
        let failed = Self.engine.check("from inspections | select authority | derive p = previous(authority) by authority")
        #expect(failed.map(\.message) == ["previous() orders rows by the time column, and this table has none"])
        let unused = Self.engine.check("from inspections | derive p = 1 by authority")
        #expect(unused.map(\.severity) == [.warning])
        #expect(unused.first?.message.hasPrefix("'by' only matters to previous() and next()") == true)
    }

    @Test func literalMatchingNoRowIsAWarningWithClosestValues() throws {
        let diagnostics = Self.engine.check(#"from inspections | where authority == "Oxfordshre""#)
        #expect(diagnostics.count == 1)
        let w = try #require(diagnostics.first)
        #expect(w.severity == .warning)
        #expect(w.message == #"no row of inspections has authority "Oxfordshre""#)
        #expect(w.suggestion == "\"Oxfordshire\"")
        // The query still runs.
        #expect(try Self.engine.query(#"from inspections | where authority == "Oxfordshre""#).rowCount == 0)
    }

    @Test func ratingComparesWithOfstedWordingInAnyCase() throws {
        let a = try Self.engine.query(#"from inspections | where overall == "requires IMPROVEMENT to be good" | count"#)
        let b = try Self.engine.query("from inspections | where overall == ri | count")
        #expect(a.rows == b.rows)
        #expect(a.rows.first?.first != .int(0))
    }

    @Test func namesAreCheckedBeforeAnythingRuns() {
        // The first statement would divide by zero if it ran; the misspelt column stops the script first.
        var engine = Engine()
        #expect(throws: IQLError.self) {
            try engine.run("let x = 1 / 0\nfrom inspections | where athority == \"x\"")
        }
        do {
            try engine.run("let x = 1 / 0\nfrom inspections | where athority == \"x\"")
        } catch {
            #expect(error.diagnostics.first?.message == "no column 'athority' in inspections")
        }
    }

    @Test func missingAndUnknownParameters() {
        #expect(Self.engine.check("param council\nfrom inspections | where authority == $council").first?.message
            == "missing parameter 'council'")
        #expect(Self.engine.check("from inspections | take 1", parameters: ["council": .text("Oxfordshire")]).first?.message
            == "unknown parameter 'council': the script declares no 'param council'")
        #expect(Self.engine.check("param year = 2019\nfrom children_in_care | where year == $year",
                                  parameters: ["year": .text("twenty")]).first?.message
            == "parameter 'year' takes a number like its default, but was given \"twenty\"")
    }
}
