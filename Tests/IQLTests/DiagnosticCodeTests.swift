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
                     .valueDoesNotFit, .timeColumnMissing, .invalidDatasetName, .outputLimit, .memoryLimit, .unwritableFile,
                     .fileChanged, .invalidHostValue].contains(code), "\(code.id) needs an example")
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

/// A code means one kind of problem, found in one phase: a raise site in another phase's
/// folder is a code reused for a problem it does not explain (`--explain` would mislead).
struct DiagnosticRaiseSiteTests {
    /// Where each group of codes may be raised, by folder under Sources/.
    static let phases: [(codes: ClosedRange<Int>, folders: [String])] = [
        (100...199, ["IQL/Syntax/"]),
        (200...499, ["IQL/Semantics/", "IQL/API/"]),
        (500...599, ["IQL/Evaluation/", "IQL/Output/"]),
        (600...699, ["IQL/Data/", "IQL/API/", "IQL/Output/", "iql/"]),
        (700...799, ["IQL/Semantics/"]),
    ]

    /// Raise sites outside their group's folders, each for a reason that keeps the meaning.
    static let exceptions: [String: Set<String>] = [
        // Found at run time, but the same problem as at check time.
        "unknownColumn": ["IQL/Evaluation/Operators/UnpivotOperator.swift"],  // pivot's columns exist only at run time
        "unknownDataset": ["IQL/Evaluation/RowContext.swift", "iql/Runner.swift"],
        "operandTypes": ["IQL/Evaluation/Operations.swift"],  // a value of a type the checker allowed as null
        // Function bodies live beside their signatures in Semantics, and run at run time.
        "dateOutOfRange": ["IQL/Semantics/ScalarFunction.swift"],
        "invalidValue": ["IQL/Semantics/ScalarFunction.swift"],
        // A chart's file name is checked before running, and again when it is written.
        "fileOutputRefused": ["IQL/Semantics/Checker+Analysis.swift", "IQL/Evaluation/ScriptRunner.swift"],
        "invalidFileName": ["IQL/Semantics/Checker+Analysis.swift"],
        "invalidHostValue": ["IQL/Data/Table.swift"],
        "malformedCSV": ["iql/Runner.swift"],
        "emptyScript": ["IQL/API/Engine.swift"],
        "internalError": ["IQL/API/Engine.swift"],
        // Its entry covers scripts and CSV files alike: one problem, bytes that are not UTF-8.
        "invalidUTF8": ["IQL/Syntax/SourceDecoding.swift", "IQL/Data/CSVLoader.swift"],
        // The parser knows the stages' names, so it reports a misspelt one.
        "unknownStage": ["IQL/Syntax/Parser+Stages.swift"],
    ]

    @Test func everyRaiseSiteIsInItsCodesPhase() throws {
        let sources = Repo.root.appendingPathComponent("Sources")
        let pattern = try Regex(#"(?:\.error|\.warning|\berror|\bfail|Diagnostic)\(\s*(?:\.(?:error|warning|note),\s*)?\.([a-zA-Z0-9]+)\s*,"#)
        let names = Dictionary(uniqueKeysWithValues: DiagnosticCode.allCases.map { ("\($0)", $0) })
        var sites = 0
        let files = FileManager.default.enumerator(atPath: sources.path)
        while let relative = files?.nextObject() as? String {
            guard relative.hasSuffix(".swift"), !relative.contains("/Generated/") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            for match in text.matches(of: pattern) {
                guard let name = match.output[1].substring.map(String.init), let code = names[name] else { continue }
                sites += 1
                let phase = Self.phases.first { $0.codes.contains(code.rawValue) }
                let allowed = (phase?.folders.contains { relative.hasPrefix($0) } ?? false)
                    || (Self.exceptions[name]?.contains(relative) ?? false)
                #expect(allowed, "\(code.id) (\(name)) is raised in \(relative), outside its phase")
            }
        }
        // The scan must see the raise sites, or it proves nothing.
        #expect(sites > 150)
    }
}
