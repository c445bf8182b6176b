import Testing
@testable import IQL

/// Script features: titles, asserts, parameters, partial results.
struct ScriptTests {
    @Test func titlesComeFromTheCommentLineAbove() throws {
        var engine = try Sample.engine()
        let result = try engine.run("""
            # Script header, not a title: a blank line follows

            # Rows in the north
            from sample | where region == "North" | count
            from sample | count
            # Two lines of comment: the last one is the title
            # Every region
            from sample | distinct region
            """)
        #expect(result.titles == ["Rows in the north", nil, "Every region"])
        #expect(OutputFormat.csv.render(result.items) == "# Rows in the north\nn\n2\n\nn\n5\n\n# Every region\nregion\nNorth\nSouth\nEast\n")
        #expect(OutputFormat.markdown.render(result.items).hasPrefix("### Rows in the north\n\n| n |"))
    }

    static let passing = [
        "assert count() == 5",
        "assert unique(name)",
        "assert not unique(region)",
        "assert all(score > 0)",
        "assert any(score > 45) and sum(score) == 120",
        "assert max(rating) == outstanding",
        "assert count(score is null) == 1",
    ]

    @Test(arguments: passing)
    func assertionsThatHold(assertion: String) throws {
        var engine = try Sample.engine()
        try engine.run("from sample\n\(assertion)")
    }

    @Test func failedAssertionNamesItsValuesAndKeepsEarlierResults() throws {
        var engine = try Sample.engine()
        do {
            try engine.run("# All rows\nfrom sample\nassert count() == 153 and unique(region)")
            Issue.record("expected the assertion to fail")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.message == "assertion failed: count() == 153 and unique(region)")
            #expect(d.notes == ["count() is 5", "unique(region) is false"])
            #expect(d.range.map { SourceFile(name: "", text: "# All rows\nfrom sample\nassert count() == 153 and unique(region)").text(in: $0) }
                == "count() == 153 and unique(region)")
            #expect(error.completedResults.count == 1)
            #expect(error.completedResults.first?.title == "All rows")
        }
    }

    static let assertErrors: [(String, String)] = [
        ("assert count() == 1", "assert checks the result of a pipeline, and none comes before it"),
        ("from sample\nassert name == \"a\"", "column 'name' must be inside an aggregate: assert checks the whole result"),
        ("from sample\nassert count()", "assert needs a condition (bool), found number"),
        ("from sample\nassert unique()", "unique takes 1 argument, found 0"),
    ]

    @Test(arguments: assertErrors)
    func assertionsAreChecked(script: String, message: String) throws {
        let engine = try Sample.engine()
        #expect(engine.check(script).first?.message == message)
    }

    @Test func assertIsAStatementOnlyAtTheStartOfALine() throws {
        var engine = try Sample.engine()
        // `assert` stays usable as a column name elsewhere.
        try engine.registerCSV(text: "assert,x\n1,2\n", as: "odd")
        let t = try engine.query("from odd | select assert, x")
        #expect(t.schema.names == ["assert", "x"])
    }

    @Test func checkWithoutParameterValues() throws {
        let engine = try Sample.engine()
        let script = "param region\nfrom sample | where region == $region | count"
        #expect(engine.check(script).first?.message == "missing parameter 'region'")
        #expect(engine.check(script, requireParameters: false).isEmpty)
    }
}
