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
                     .fileChanged, .invalidHostValue, .shadowsBundled, .fewOddValues, .noSQLForm,
                     // A database's: ConnectedEngineTests raises them against a real server.
                     .cannotConnect, .databaseFailed].contains(code), "\(code.id) needs an example")
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
        (100...199, ["IQLLanguage/Syntax/", "IQLCore/Source/"]),
        // The SQL compiler reads checked plans: what has no SQL form is a placement problem (IQL0408).
        (200...499, ["IQLLanguage/Semantics/", "IQL/API/", "IQL/SQL/"]),
        (500...599, ["IQLExecution/", "IQLLanguage/Plan/", "IQLCore/Values/", "IQLCore/Limits/", "IQL/API/ScriptRunner.swift", "IQL/Output/"]),
        // A connected database is a source of data: what it refuses or sends is a data problem.
        (600...699, ["IQLStorage/", "IQL/API/", "IQL/Output/", "IQL/SQL/", "iql/"]),
        (700...799, ["IQLLanguage/Semantics/"]),
    ]

    /// Raise sites outside their group's folders, each for a reason that keeps the meaning.
    static let exceptions: [String: Set<String>] = [
        // Found at run time, but the same problem as at check time.
        "unknownColumn": ["IQLExecution/Evaluation/Operators/UnpivotOperator.swift"],  // pivot's columns exist only at run time
        "unknownDataset": ["IQLLanguage/Plan/RowContext.swift", "iql/Runner.swift", "IQL/SQL/DatabaseRunner.swift"],
        // The rows a connected database streams back count against the limit as a stage's do.
        "rowLimit": ["IQL/SQL/DatabaseReader.swift"],
        "operandTypes": ["IQLCore/Values/Operations.swift"],  // a value of a type the checker allowed as null
        // Function bodies live beside their signatures in Semantics, and run at run time.
        "dateOutOfRange": ["IQLLanguage/Semantics/ScalarFunction.swift"],
        "invalidValue": ["IQLLanguage/Semantics/ScalarFunction.swift"],
        // A chart's file name is checked before running, and again when it is written.
        "fileOutputRefused": ["IQLLanguage/Semantics/Checker+Analysis.swift", "IQL/API/ScriptRunner.swift"],
        "invalidFileName": ["IQLLanguage/Semantics/Checker+Analysis.swift"],
        "invalidHostValue": ["IQLStorage/Columns/Table.swift"],
        "malformedCSV": ["iql/Runner.swift"],
        "emptyScript": ["IQL/API/Engine.swift"],
        "internalError": ["IQL/API/Engine.swift"],
        // Its entry covers scripts and CSV files alike: one problem, bytes that are not UTF-8.
        "invalidUTF8": ["IQLCore/Source/SourceDecoding.swift", "IQLStorage/CSV/CSVLoader.swift"],
        // The parser knows the stages' names, so it reports a misspelt one.
        "unknownStage": ["IQLLanguage/Syntax/Parser+Stages.swift"],
    ]

    /// Each catalogue member's name and the code it is made with, read from the catalogue's
    /// source: `// MARK: code` sections, each member made with `Self(.code, …)`.
    static func catalogue() throws -> (members: [String: DiagnosticCode], sections: [DiagnosticCode]) {
        let url = Repo.root.appendingPathComponent("Sources/IQLCore/Diagnostics/DiagnosticMessage.swift")
        let text = try String(contentsOf: url, encoding: .utf8)
        let names = Dictionary(uniqueKeysWithValues: DiagnosticCode.allCases.map { ("\($0)", $0) })
        let member = try Regex(#"static (?:let|func) ([a-zA-Z0-9]+)"#)
        let made = try Regex(#"Self\(\.([a-zA-Z0-9]+),"#)
        var members: [String: DiagnosticCode] = [:]
        var sections: [DiagnosticCode] = []
        var current: DiagnosticCode?
        var pending: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("// MARK: ") {
                let name = String(trimmed.dropFirst("// MARK: ".count))
                current = names[name]
                #expect(current != nil, "section '\(name)' is not a code")
                if let current { sections.append(current) }
                continue
            }
            if let m = line.firstMatch(of: member), let name = m.output[1].substring.map(String.init) {
                #expect(members[name] == nil && pending == nil, "\(name) is declared twice or without a code")
                pending = name
            }
            if let m = line.firstMatch(of: made), let name = m.output[1].substring.map(String.init), let pendingName = pending {
                let code = names[name]
                #expect(code != nil && code == current,
                        "\(pendingName) is made with .\(name) in the section of \(current.map { "\($0)" } ?? "no code")")
                members[pendingName] = code
                pending = nil
            }
        }
        return (members, sections)
    }

    @Test func catalogueSectionsFollowTheCodes() throws {
        let (members, sections) = try Self.catalogue()
        // The scan must see the members, or it proves nothing.
        #expect(members.count > 130)
        #expect(Set(sections).count == sections.count, "a code has two sections")
        let order = DiagnosticCode.allCases
        #expect(sections == order.filter(sections.contains), "sections are out of the codes' order")
        // Every code has its messages.
        let withMessages = Set(members.values)
        let without = Set(order).subtracting(withMessages)
        #expect(without.isEmpty, "codes with no message: \(without.map(\.id).sorted())")
    }

    @Test func everyRaiseSiteIsInItsCodesPhase() throws {
        let (members, _) = try Self.catalogue()
        let sources = Repo.root.appendingPathComponent("Sources")
        let pattern = try Regex(#"(?:\.error|\.warning|\berror|\bfail|Diagnostic)\(\s*(?:\.(?:error|warning|note),\s*)?\.([a-zA-Z0-9]+)\b"#)
        var sites = 0
        var used: Set<String> = []
        let files = FileManager.default.enumerator(atPath: sources.path)
        while let relative = files?.nextObject() as? String {
            guard relative.hasSuffix(".swift"), relative != "IQLCore/Diagnostics/DiagnosticMessage.swift" else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            for match in text.matches(of: pattern) {
                guard let name = match.output[1].substring.map(String.init), let code = members[name] else { continue }
                sites += 1
                used.insert(name)
                let phase = Self.phases.first { $0.codes.contains(code.rawValue) }
                let allowed = (phase?.folders.contains { relative.hasPrefix($0) } ?? false)
                    || (Self.exceptions["\(code)"]?.contains(relative) ?? false)
                #expect(allowed, "\(code.id) (.\(name)) is raised in \(relative), outside its phase")
            }
        }
        #expect(sites > 150)
        // A message no site raises is either dead or raised in a way this scan cannot see.
        let unused = Set(members.keys).subtracting(used)
        #expect(unused.isEmpty, "catalogue messages no raise site uses: \(unused.sorted())")
    }

    /// A raise site cannot pair a message with another code: only the catalogue can make a
    /// `DiagnosticMessage`, and a `Diagnostic` takes its code from one.
    @Test func noRaiseSiteChoosesItsOwnCode() throws {
        let sources = Repo.root.appendingPathComponent("Sources")
        let bare = try Regex(#"(?:\.error|\.warning|Diagnostic)\(\s*(?:\.(?:error|warning|note),\s*)?\.[a-zA-Z0-9]+\s*,\s*""#)
        let files = FileManager.default.enumerator(atPath: sources.path)
        while let relative = files?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            #expect(text.firstMatch(of: bare) == nil, "\(relative) gives a code and a message text separately")
            if relative != "IQLCore/Diagnostics/DiagnosticMessage.swift" {
                #expect(!text.contains("DiagnosticMessage("), "\(relative) makes a message outside the catalogue")
            }
        }
        let d = Diagnostic(.error, .noDataset("x"))
        #expect(d.code == .unknownDataset && d.message == "no dataset named 'x'" && d.kind == .name)
    }
}
