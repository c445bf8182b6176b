import Foundation
import Testing
@testable import IQL

/// Every diagnostic has a stable code; the catalogue explains each, and its examples must
/// still produce their codes.
struct DiagnosticCodeTests {
    /// The codes a query produces: its errors, or its warnings if it runs.
    static func codes(_ query: String, csv: String?) -> [DiagnosticCode] {
        var engine = Engine()
        do {
            if let csv { try engine.registerCSV(text: csv, as: "data") }
            let warnings = try engine.run(query).warnings.map(\.code)
            // A script of only `let` runs, but gives no table to a caller that asks for one.
            if warnings.isEmpty { _ = try engine.query(query) }
            return warnings
        } catch {
            return error.diagnostics.map(\.code)
        }
    }

    @Test(arguments: DiagnosticCode.allCases)
    func exampleProducesItsCode(code: DiagnosticCode) {
        guard let example = code.explanation.example else {
            // Only codes no query can show on its own (limits, cancellation, files) go without.
            #expect([.invalidUTF8, .parameterType, .cancelled, .timeLimit, .rowLimit, .internalError, .unreadableFile,
                     .valueDoesNotFit, .timeColumnMissing, .invalidDatasetName].contains(code), "\(code.id) needs an example")
            return
        }
        let got = Self.codes(example, csv: code.explanation.exampleCSV)
        #expect(got.contains(code), "\(code.id): example gave \(got.map(\.id))")
    }

    @Test func idsAreStableAndReadBack() {
        #expect(DiagnosticCode.unknownColumn.id == "IQL0201")
        #expect(DiagnosticCode.unexpectedCharacter.id == "IQL0101")
        #expect(Set(DiagnosticCode.allCases.map(\.id)).count == DiagnosticCode.allCases.count)
        for code in DiagnosticCode.allCases {
            #expect(DiagnosticCode(id: code.id) == code)
            #expect(DiagnosticCode(id: code.id.lowercased()) == code)
        }
        #expect(DiagnosticCode(id: "IQL9999") == nil)
        #expect(DiagnosticCode(id: "0201") == nil)
    }

    @Test func docsErrorsIsTheCatalogue() throws {
        let url = Repo.root.appendingPathComponent("docs/errors.md")
        let expected = DiagnosticCode.catalogueMarkdown
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try expected.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("rewrote docs/errors.md; review it and run the tests again")
            return
        }
        let actual = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "docs/errors.md is out of date: UPDATE_GOLDEN=1 rewrites it")
    }
}
