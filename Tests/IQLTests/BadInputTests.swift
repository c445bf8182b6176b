import Foundation
import Testing
@testable import IQL

/// Hostile or careless input: each gets its own diagnostic code, never a crash, a hang or a
/// wrong answer.
struct BadInputTests {
    static let queries: [(String, String, DiagnosticCode)] = [
        ("empty query", "", .emptyScript),
        ("blank query", "  \n\t ", .emptyScript),
        ("comment only", "# nothing here\n# nor here", .emptyScript),
        ("100,000 nested brackets", "from authorities | where " + String(repeating: "(", count: 100_000) + "true"
            + String(repeating: ")", count: 100_000), .nestingTooDeep),
        ("100,000 nested lists", "from authorities | where 1 in " + String(repeating: "[", count: 100_000) + "1"
            + String(repeating: "]", count: 100_000), .nestingTooDeep),
        ("100,000 unclosed brackets", "from authorities | where " + String(repeating: "(", count: 100_000), .nestingTooDeep),
        ("a long chain of or", "from authorities | where " + Array(repeating: "region == \"London\"", count: 20_000)
            .joined(separator: " or "), .nestingTooDeep),
        ("NUL byte", "from authorities\u{0} | count", .unexpectedCharacter),
        ("replacement character from invalid UTF-8", "from authorities | where region == \u{FFFD}", .unexpectedCharacter),
        ("integer literal too large", "from authorities | take 99999999999999999999", .numberLiteral),
        ("integer overflow", "from authorities | take 1 | select x = 9223372036854775807 + 1", .overflow),
        ("negation overflow", "from authorities | take 1 | select x = -(-9223372036854775807 - 1)", .overflow),
        ("multiplication overflow", "from authorities | take 1 | select x = 4611686018427387904 * 2", .overflow),
        ("division by zero", "from authorities | take 1 | select x = 1 / 0", .divisionByZero),
        ("remainder by zero", "from authorities | take 1 | select x = 7 % 0", .divisionByZero),
        ("decimal division by zero", "from authorities | take 1 | select x = 1.5 / 0.0", .divisionByZero),
        ("impossible date literal", "from inspections | where published > 2019-02-30", .invalidDateLiteral),
        ("impossible computed date", "from authorities | take 1 | select d = date(2019, 2, 29)", .dateOutOfRange),
        ("date arithmetic past year 9999", "from authorities | take 1 | select d = 9999-12-31 + 1", .dateOutOfRange),
        ("take -1", "from authorities | take -1", .takeType),
        ("take a fraction", "from authorities | take 1.5", .takeType),
        ("take too many to hold", "from authorities | take 99999999999999999999", .numberLiteral),
        ("unterminated text at the end", "from authorities | where region == \"Lon", .unterminatedText),
        ("unterminated name at the end", "from authorities | select `region", .unterminatedName),
        ("trailing pipe", "from authorities |", .incompleteInput),
        ("unknown parameter", "from authorities | where region == $place", .unknownParameter),
        ("let that names itself", "let a = from a | count", .unknownDataset),
        ("let names used before they exist", "let a = b\nlet b = a", .unknownColumn),
        ("a path as a dataset", "from ../../etc/passwd", .unexpectedToken),
        ("an absolute path as a dataset", "from /etc/passwd", .unexpectedToken),
        ("a home path as a dataset", "from ~/data.csv", .unexpectedCharacter),
        ("a quoted path as a dataset", "from `/etc/passwd`", .unknownDataset),
        ("a quoted relative path", "from `../shared/data/lait_all_measures_long.csv`", .unknownDataset),
        ("a file name as a join", "from authorities | join `authorities.csv` on authority", .unknownDataset),
        ("a URL as a dataset", "from `https://example.com/x.csv`", .unknownDataset),
        ("SQL", "SELECT * FROM authorities", .unexpectedToken),
        ("shell", "from authorities; rm -rf /", .unexpectedToken),
    ]

    @Test(arguments: queries)
    func reportsItsCode(name: String, query: String, code: DiagnosticCode) {
        var engine = Engine()
        do {
            _ = try engine.run(query)
            Issue.record("\(name): ran without an error")
        } catch {
            #expect(error.diagnostics.first?.code == code, "\(name): \(error.diagnostics.map { "\($0.code.id) \($0.message)" })")
            // Every diagnostic renders, with a caret inside the text when it has a place.
            let rendered = DiagnosticRenderer(color: false).render(error.diagnostics, in: error.source)
            #expect(rendered.hasPrefix("error[\(code.id)]"), "\(name)")
        }
    }

    @Test func aTenMegabyteQueryRuns() throws {
        let literal = String(repeating: "x", count: 10 << 20)
        var engine = Engine()
        let result = try engine.run("from authorities | where authority == \"\(literal)\" | count")
        #expect(result.tables.first.map { CSVWriter.render($0) } == "n\n0\n")
        #expect(result.warnings.map(\.code) == [.absentValue])
        // The warning shows a window of the line, not ten megabytes of it.
        let rendered = DiagnosticRenderer(color: false).render(result.warnings, in: result.source)
        #expect(rendered.count < 1000)
    }

    @Test func invalidUTF8AndNULThroughTheCommandLine() throws {
        for bytes in [Array("from authorities | where region == \"".utf8) + [0xFF, 0xFE] + Array("\" | count".utf8),
                      Array("from authorities".utf8) + [0x00] + Array(" | count".utf8),
                      [0xC3, 0x28, 0x0A]] {
            let r = try CLITests.iql([], stdinBytes: bytes)
            #expect(r.status == 1, "\(bytes.prefix(8))")
            #expect(r.stdout == "")
            #expect(r.stderr.hasPrefix("error[IQL0113]: the text is not valid UTF-8") || r.stderr.hasPrefix("error[IQL0101]"),
                    "\(r.stderr)")
        }
    }
}
