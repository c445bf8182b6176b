import Foundation
import Testing
@testable import IQL

/// Paths inside the repository, found from this file's location.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let tests = root.appendingPathComponent("Tests/IQLTests")

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The library's modules, bottom layer first: what `import IQL` is made of.
    static let libraryModules = ["IQLCore", "IQLStorage", "IQLLanguage", "IQLExecution", "IQL"]

    /// Every Swift file of the library: its path under `Sources/` (`IQLStorage/CSV/CSVLoader.swift`)
    /// and its text.
    static func librarySources() throws -> [(path: String, text: String)] {
        var out: [(path: String, text: String)] = []
        for module in libraryModules {
            let folder = root.appendingPathComponent("Sources/" + module)
            let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            for file in files.sorted() where file.hasSuffix(".swift") {
                out.append((module + "/" + file, try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)))
            }
        }
        return out
    }
}

/// A small table with nulls, for evaluator tests that should not depend on the real data.
enum Sample {
    static let csv = """
    name,region,score,rating,seen,flag
    a,North,10,Good,2020-01-05,true
    b,North,20,Outstanding,2021-03-01,false
    c,South,,Inadequate,2019-07-30,true
    d,South,40,,2022-11-11,
    e,East,50,Requires improvement to be good,,false
    """

    static func engine() throws -> Engine {
        var e = Engine(bundledData: false)
        try e.registerCSV(text: csv, as: "sample", timeColumn: "seen")
        return e
    }
}

/// Golden files: compared exactly; written when missing or when UPDATE_GOLDEN=1, and the test
/// then fails so a new or changed expectation is always looked at before it is accepted.
enum Golden {
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = Repo.tests.appendingPathComponent("Golden/\(name)")
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        guard !update, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded golden file \(name); review it (git diff) and run the tests again",
                         sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("output differs from Golden/\(name):\n\(diff(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    /// A line diff readable in a test log: `-` expected, `+` actual.
    static func diff(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(e.count, a.count) {
            let x = i < e.count ? String(e[i]) : nil, y = i < a.count ? String(a[i]) : nil
            if x == y { continue }
            if let x { out.append("line \(i + 1) - \(x)") }
            if let y { out.append("line \(i + 1) + \(y)") }
        }
        return out.joined(separator: "\n")
    }
}

extension Engine {
    /// Runs a query and returns it as CSV, or the rendered diagnostics prefixed with "ERROR".
    func csv(_ query: String) -> String {
        do {
            return CSVWriter.render(try self.query(query))
        } catch {
            return "ERROR " + error.description
        }
    }
}

extension Table {
    /// The notes' sentences, for tests that read them as the renderers print them.
    var noteTexts: [String] { notes.map(\.message) }
}
