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
        let renderer = TableRenderer(maxWidth: 80, maxRows: 3, hint: "(.mode csv or .output FILE gives every row and column)",
                                     verticalWhenTooWide: false)
        let text = renderer.render(table)
        Golden.check(text, "output/fitted.table")
        for line in text.split(separator: "\n") where line.hasPrefix("│") || line.hasPrefix("┌") {
            #expect(line.count <= 80)
        }
    }

    /// Rows too wide for the terminal are shown one field per line rather than lose columns.
    @Test func tooWideRowsTurnVertical() throws {
        let table = try Engine().query("from inspections | where authority == \"Oldham\" | sort published")
        let text = TableRenderer(maxWidth: 80, maxRows: 12, hint: "(.mode csv or .output FILE gives every row and column)").render(table)
        Golden.check(text, "output/vertical.table")
        #expect(text.contains("-- row 3 --\n"))
        #expect(!text.contains("-- row 4 --"))
        #expect(text.contains("(first 3 shown)"))
        for line in text.split(separator: "\n") { #expect(line.count <= 80, "\(line)") }
        for name in table.schema.names { #expect(text.contains(" \(name) = ") || text.contains("\n\(name) = ")) }
        // A table that fits stays a table.
        let narrow = try Engine().query("from inspections | where authority == \"Oldham\" | select published, overall | take 2")
        #expect(TableRenderer(maxWidth: 80).render(narrow).hasPrefix("┌"))
    }
}

/// Numbers that are not exact show to six significant digits in tables and Markdown, and keep
/// every digit in CSV and JSON; exact numbers show as written everywhere.
struct NumberDisplayTests {
    @Test(arguments: [
        (Number.double(102.30434782608695), "102.304"),
        (.double(59.94736842105263), "59.9474"),
        (.double(1_234_567.891), "1234568"),
        (.double(0.000123456789), "0.000123457"),
        (.double(-2.5), "-2.5"),
        (.double(0.1 + 0.2), "0.3"),
        (.double(99.999996), "100"),
        (.double(-0.0000004), "-0.0000004"),
        (.double(1.5e20), "1.5e+20"),
        (.double(1e-20), "1e-20"),
        (.double(.nan), "NaN"),
        (.double(-.infinity), "-inf"),
        (.double(3), "3"),
        (.int(5), "5"),
        (.decimal(Decimal64(mantissa: 32_048_347_220_950_464, scale: 18)!), "0.032048347220950464"),
    ])
    func shown(_ n: Number, _ text: String) {
        #expect(n.shownText == text)
    }

    @Test func tablesRoundAndCSVAndJSONKeepEveryDigit() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: "g,x\na,1\na,2\na,4\nb,0.1\n", as: "t")
        let t = try engine.query("from t | summarize m = avg(x) / 3, e = sum(x) by g | sort g")
        let table = TableRenderer().render(t)
        #expect(table.contains("0.777778"))
        #expect(!table.contains("0.7777777"))
        #expect(MarkdownWriter.render(t).contains("| a | 0.777778 | 7 |"))
        #expect(CSVWriter.render(t).contains("a,0.7777777777777778,7"))
        #expect(JSONWriter.render(t).contains("0.7777777777777778"))
    }
}
