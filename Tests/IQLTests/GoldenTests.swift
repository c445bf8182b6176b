import Testing
@testable import IQL

/// Rendered diagnostics and rendered tables, compared with files in Golden/.
struct GoldenTests {
    static let diagnosticCases: [(String, String)] = [
        ("unknown-column", #"from inspections | where athority == "Oldham""#),
        ("several-errors", "from inspections\n| where athority == \"Oldham\" and overal >= good\n| selct authority"),
        ("not-a-rating", #"from inspections | where overall == "Gooood""#),
        ("literal-warning", #"from inspections | where authority == "Oxfordshre" | count"#),
        ("incomplete", "from inspections | where (overall >= good"),
        ("null-comparison", "from inspections | where care_leavers == null"),
        ("date-in-quotes", #"from inspections | latest by authority as of "2025-03-31""#),
        ("unknown-function", "from inspections | summarize n = cnt() by region"),
        ("runtime-overflow", "from authorities | select x = 9223372036854775807 * 2"),
        ("impossible-date", "from inspections | where published > 2019-02-30"),
    ]

    @Test(arguments: diagnosticCases)
    func renderedDiagnostics(name: String, query: String) {
        var engine = Engine()
        let rendered: String
        do {
            let result = try engine.run(query)
            rendered = DiagnosticRenderer(color: false).render(result.warnings, in: result.source)
        } catch {
            rendered = DiagnosticRenderer(color: false).render(error.diagnostics, in: error.source)
        }
        Golden.check(rendered, "diagnostics/\(name).txt")
    }

    static let query = """
        from inspections
        | where framework == "ILACS" and authority in ["Oxfordshire", "Oldham", "Bristol"]
        | sort authority, inspected
        | select authority, inspected, overall, care_leavers, note = "a, \\"quoted\\" | piped"
        """

    @Test(arguments: OutputFormat.allCases)
    func renderedTables(format: OutputFormat) throws {
        let table = try Engine().query(Self.query)
        Golden.check(format.render(table), "output/ilacs.\(format.rawValue)")
    }
}

/// The REPL's fitted table: long cells cut with …, columns that do not fit and rows past the
/// limit left out, and the footer saying so.
struct FittedTableTests {
    @Test func narrowTerminal() throws {
        let table = try Engine().query("from inspections | where authority == \"Oxfordshire\"")
        let renderer = TableRenderer(maxWidth: 80, maxRows: 3, hint: "(.mode csv or .output FILE gives every row and column)")
        let text = renderer.render(table)
        Golden.check(text, "output/fitted.table")
        for line in text.split(separator: "\n") where line.hasPrefix("│") || line.hasPrefix("┌") {
            #expect(line.count <= 80)
        }
    }
}
