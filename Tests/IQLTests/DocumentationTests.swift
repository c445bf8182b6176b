import Foundation
import Testing
@testable import IQL

/// Every ```iql block in docs/ runs without errors or warnings; where a ```text block follows,
/// the rendered result must equal it. UPDATE_GOLDEN=1 rewrites those outputs (then fails, so
/// the change is reviewed).
struct DocumentationTests {
    /// The README and docs/datasets.md name every bundled dataset, and say how many there are.
    @Test func docsNameEveryBundledDataset() throws {
        let readme = try Repo.read("README.md"), datasets = try Repo.read("docs/datasets.md")
        for d in BundledDataset.all {
            #expect(readme.contains("`\(d.name)`"), "README.md does not list \(d.name)")
            #expect(datasets.contains("## \(d.name) ") || datasets.contains(" \(d.name),") || datasets.contains(", \(d.name) ")
                    || datasets.contains("`\(d.name)`"), "docs/datasets.md does not describe \(d.name)")
        }
        let words = ["twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
        let count = try #require(words.indices.contains(BundledDataset.all.count - 12) ? words[BundledDataset.all.count - 12] : nil)
        #expect(readme.contains("\(count) tables"), "README.md should say \(count) tables")
        #expect(datasets.contains("ships \(count) tables"), "docs/datasets.md should say \(count) tables")
    }

    struct Example: Sendable, CustomTestStringConvertible {
        var file: String
        var line: Int
        var query: String
        /// Index range of the expected output's lines in the file, and the output itself.
        var output: (range: Range<Int>, text: String)?
        var testDescription: String { "\(file):\(line)" }
    }

    static func examples(in file: String) -> [Example] {
        guard let text = try? Repo.read(file) else { return [] }
        let lines = text.components(separatedBy: "\n")
        var out: [Example] = []
        var i = 0
        while i < lines.count {
            guard lines[i] == "```iql" else { i += 1; continue }
            let start = i + 1
            var end = start
            while end < lines.count, lines[end] != "```" { end += 1 }
            var example = Example(file: file, line: start, query: lines[start..<end].joined(separator: "\n"))
            var j = end + 1
            while j < lines.count, lines[j].isEmpty { j += 1 }
            if j < lines.count, lines[j] == "```text" {
                var k = j + 1
                while k < lines.count, lines[k] != "```" { k += 1 }
                example.output = ((j + 1)..<k, lines[(j + 1)..<k].joined(separator: "\n") + "\n")
            }
            out.append(example)
            i = end + 1
        }
        return out
    }

    static let all = examples(in: "docs/language.md") + examples(in: "README.md")

    @Test func thereAreExamples() {
        #expect(Self.examples(in: "docs/language.md").count >= 25)
        #expect(Self.examples(in: "README.md").count >= 3)
    }

    @Test(arguments: all)
    func exampleRuns(_ example: Example) throws {
        var engine = Engine()
        let result: ScriptResult
        do {
            result = try engine.run(example.query, sourceName: example.file)
        } catch {
            Issue.record("\(example.file):\(example.line) fails:\n\(error)")
            return
        }
        #expect(result.warnings.isEmpty, "\(result.warnings.map(\.message))")
        #expect(!result.tables.isEmpty)
        guard let expected = example.output else { return }
        let actual = result.tables.map { OutputFormat.table.render($0) }.joined(separator: "\n")
        if actual != expected.text {
            Issue.record("\(example.file):\(example.line) output differs (UPDATE_GOLDEN=1 rewrites it):\n\(Golden.diff(expected.text, actual))")
        }
    }

    /// With UPDATE_GOLDEN=1, rewrites every shown output from what the example prints now,
    /// last first so earlier line numbers stay valid; then fails so the diff is reviewed.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"))
    func rewriteOutputs() throws {
        for file in ["docs/language.md", "README.md"] {
            let url = Repo.root.appendingPathComponent(file)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            var changed = false
            for example in Self.examples(in: file).reversed() {
                guard let expected = example.output else { continue }
                var engine = Engine()
                guard let result = try? engine.run(example.query) else { continue }
                let actual = result.tables.map { OutputFormat.table.render($0) }.joined(separator: "\n")
                if actual != expected.text {
                    lines.replaceSubrange(expected.range, with: actual.components(separatedBy: "\n").dropLast())
                    changed = true
                }
            }
            if changed {
                try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
                Issue.record("rewrote example outputs in \(file); review the diff and run the tests again")
            }
        }
    }
}
