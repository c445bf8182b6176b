import Foundation
import Testing
@testable import IQL

/// The language reference is the one list of stages, functions and aggregates: the parser, the
/// checker, completion, the shell's `.help`, `--help` and docs/language.md all follow it.
struct LanguageReferenceTests {
    @Test(arguments: LanguageReference.stages.map(\.name))
    func everyStageParsesChecksAndRunsItsExample(_ name: String) throws {
        let entry = try #require(LanguageReference.stages.first { $0.name == name })
        let example = try #require(entry.example)
        #expect(example.contains("| \(name) ") || example.hasSuffix("| \(name)"), "the example of \(name) should use it")
        var engine = Engine()
        let result = try engine.run(example)
        #expect(result.warnings.isEmpty, "\(result.warnings.map(\.message))")
        #expect(!result.tables.isEmpty)
    }

    @Test func theCheckerKnowsExactlyTheReferencesFunctions() {
        #expect(Set(LanguageReference.functions.map(\.name)) == Set(ScalarFunction.catalog.keys))
        #expect(Set(LanguageReference.aggregates.map(\.name)) == Set(Aggregate.allCases.map(\.rawValue)))
        #expect(LanguageReference.aggregates.count == Aggregate.allCases.count)
        for f in LanguageReference.functions {
            #expect(f.syntax == ScalarFunction.catalog[f.name]?.signature, "\(f.name)")
        }
        // Window functions check in derive.
        for w in LanguageReference.windowFunctions {
            #expect(Engine().check("from children_in_care | derive x = \(w.name)(children) by authority").isEmpty, "\(w.name)")
        }
        #expect(Parser.stageNames == LanguageReference.stages.map(\.name))
        // The functions `where`'s null note treats as plain matches are real functions.
        #expect(CompiledExpression.matchFunctions.isSubset(of: Set(ScalarFunction.catalog.keys)))
    }

    @Test func completionOffersEveryStageAndFunction() {
        let engine = Engine()
        let stages = Set(engine.completions(before: "from authorities | ").candidates)
        for s in LanguageReference.stages { #expect(stages.contains(s.name), "\(s.name)") }
        let calls = Set(engine.completions(before: "from authorities | where ").candidates)
        for f in LanguageReference.functions + LanguageReference.aggregates + LanguageReference.windowFunctions {
            #expect(calls.contains(f.name + "("), "\(f.name)")
        }
    }

    /// Each stage has a heading in docs/language.md, each function and aggregate a row in its
    /// table, and the tables name nothing the reference does not.
    @Test func theLanguageDocFollowsTheReference() throws {
        let doc = try Repo.read("docs/language.md")
        let headings = doc.split(separator: "\n").filter { $0.hasPrefix("### ") }
        for s in LanguageReference.stages {
            #expect(headings.contains { $0.split(separator: " ").contains(Substring(s.name)) }, "no heading for \(s.name)")
        }
        func section(_ title: String) throws -> Substring {
            let start = try #require(doc.range(of: "\n## \(title)\n"))
            let rest = doc[start.upperBound...]
            return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        }
        func tableCalls(_ text: Substring) -> Set<String> {
            var names: Set<String> = []
            for line in text.split(separator: "\n") where line.hasPrefix("| `") {
                let firstCell = line.dropFirst(2).prefix { $0 != "|" }
                for m in firstCell.matches(of: /`([a-z_]+)\(/) { names.insert(String(m.1)) }
            }
            return names
        }
        #expect(tableCalls(try section("Functions")) == Set(LanguageReference.functions.map(\.name)))
        #expect(tableCalls(try section("Aggregates")) == Set(LanguageReference.aggregates.map(\.name)))
        for w in LanguageReference.windowFunctions { #expect(doc.contains("`\(w.name)("), "\(w.name)") }
    }

    /// `.help` explains every stage, function, aggregate and dot command, and the docs and
    /// completion list every dot command: through the real binary.
    @Test func theShellHasHelpForEverything() throws {
        let names = Set(LanguageReference.all.map(\.name)).sorted()
        let dots = Self.dotCommandNames
        #expect(dots.count >= 14)
        let input = (names + dots).map { ".help \($0)\n" }.joined()
        let r = try CLITests.iql([], stdin: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        for e in LanguageReference.all { #expect(r.stdout.contains(e.syntax + " — " + e.summary), "\(e.name)") }
        let doc = try Repo.read("docs/language.md")
        for d in dots { #expect(doc.contains("| `\(d)"), "docs/language.md does not list \(d)") }
        let help = try CLITests.iql(["--help"])
        for s in LanguageReference.stages { #expect(help.stdout.contains(s.name), "--help leaves out \(s.name)") }
        for f in ["table", "csv", "json", "markdown", "svg", "line"] { #expect(help.stdout.contains(f)) }
    }

    /// The dot commands as the shell's own `.help` lists them.
    static var dotCommandNames: [String] {
        guard let r = try? CLITests.iql([], stdin: ".help\n") else { return [] }
        return r.stdout.split(separator: "\n").compactMap { line in
            let t = line.drop { $0 == " " }
            guard t.hasPrefix("."), line.hasPrefix("  ") else { return nil }
            return String(t.prefix { !$0.isWhitespace })
        }
    }

    /// The DocC catalogue's language article lists every stage, function, aggregate and window
    /// function of the reference, generated from it (UPDATE_GOLDEN=1 rewrites the list).
    @Test func theDocCLanguageArticleFollowsTheReference() throws {
        let path = "Sources/IQL/IQL.docc/TheLanguage.md"
        let text = try Repo.read(path)
        let marker = "<!-- generated from LanguageReference: do not edit below -->\n"
        let head = try #require(text.range(of: marker).map { String(text[..<$0.upperBound]) }, "\(path) has no marker")
        func table(_ title: String, _ entries: [LanguageReference.Entry]) -> String {
            let rows = entries.map { e in
                "| `\(e.syntax.replacingOccurrences(of: "|", with: "\\|"))` | \(e.summary.replacingOccurrences(of: "|", with: "\\|")) |"
            }
            return "### \(title)\n\n| written | what it does |\n| --- | --- |\n" + rows.joined(separator: "\n") + "\n"
        }
        let expected = head + "\n" + [table("Stages", LanguageReference.stages), table("Functions", LanguageReference.functions),
                                       table("Aggregates", LanguageReference.aggregates),
                                       table("Window functions", LanguageReference.windowFunctions)].joined(separator: "\n")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1", expected != text {
            try expected.write(to: Repo.root.appendingPathComponent(path), atomically: true, encoding: .utf8)
            Issue.record("wrote \(path); review the diff and run the tests again")
            return
        }
        #expect(text == expected, "\(path) does not follow LanguageReference; run with UPDATE_GOLDEN=1")
    }
}
