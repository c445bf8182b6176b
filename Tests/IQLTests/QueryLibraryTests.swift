import Foundation
import Testing
@testable import IQL

/// Every script in queries/ runs on the bundled data, passes its own asserts, and prints what
/// its golden file queries/NAME.expected says (the CSV format, as `iql run NAME.iql --format csv`).
/// UPDATE_GOLDEN=1 rewrites the golden files; review the diff before committing it.
struct QueryLibraryTests {
    static let scripts: [String] = {
        let dir = Repo.root.appendingPathComponent("queries")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".iql") }.sorted()
    }()

    @Test func thereAreAtLeastTwentyScripts() {
        #expect(Self.scripts.count >= 20)
    }

    @Test(arguments: scripts)
    func scriptMatchesItsGoldenOutput(_ name: String) throws {
        let path = "queries/" + name
        let text = try Repo.read(path)
        // Each script says what it answers and how to run it.
        #expect(text.hasPrefix("# "), "\(name) starts with a comment")
        #expect(text.contains("iql run \(path)"), "\(name) shows an example invocation")
        var engine = Engine()
        let result: ScriptResult
        do {
            try Self.registerNeededData(text, in: &engine)
            result = try engine.run(text, sourceName: path)
        } catch {
            Issue.record("\(path) fails:\n\(error)")
            return
        }
        #expect(result.warnings.isEmpty, "\(result.warnings.map(\.message))")
        let actual = OutputFormat.csv.render(result.items)
        let expectedPath = "queries/" + name.replacingOccurrences(of: ".iql", with: ".expected")
        let url = Repo.root.appendingPathComponent(expectedPath)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" || !FileManager.default.fileExists(atPath: url.path) {
            let old = try? String(contentsOf: url, encoding: .utf8)
            if old != actual {
                try actual.write(to: url, atomically: true, encoding: .utf8)
                Issue.record("wrote \(expectedPath); review the diff and run the tests again")
            }
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != actual {
            Issue.record("\(path) output differs from \(expectedPath):\n\(Golden.diff(expected, actual))")
        }
    }

    /// A script that reads the user's own files names them as `.save` does,
    /// `# Needs: --data NAME=PATH` (PATH from the repository's root); they are loaded first.
    static func registerNeededData(_ text: String, in engine: inout Engine) throws {
        for line in text.split(separator: "\n") where line.hasPrefix("# Needs: --data ") {
            let spec = line.dropFirst("# Needs: --data ".count)
            guard let eq = spec.firstIndex(of: "=") else { continue }
            let name = String(spec[..<eq]), file = String(spec[spec.index(after: eq)...])
            _ = try engine.registerCSV(atPath: Repo.root.appendingPathComponent(file).path, as: name)
        }
    }

    @Test func docsListEveryScript() throws {
        let doc = try Repo.read("docs/queries.md")
        for name in Self.scripts { #expect(doc.contains("[`\(name)`]"), "\(name) is not in docs/queries.md") }
    }

    @Test func everyScriptChecksWithoutParameters() throws {
        for name in Self.scripts {
            let text = try Repo.read("queries/" + name)
            var engine = Engine()
            try Self.registerNeededData(text, in: &engine)
            let problems = engine.check(text, requireParameters: false)
            #expect(problems.isEmpty, "\(name): \(problems.map(\.message))")
        }
    }
}
