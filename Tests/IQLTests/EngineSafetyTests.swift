import Foundation
import Testing
@testable import IQL

/// What an embedder running other people's queries relies on: limits that end a query with
/// a clear error and leave the engine usable, cancellation from another task, no way out of
/// the registered datasets, and the same answers however many tasks share one engine.
struct EngineSafetyTests {
    static let join = "from inspections | join inspections on authority | count"

    @Test func defaultsAreBounded() {
        let limits = Engine().limits
        #expect(limits == .default)
        #expect(limits.time != nil && limits.rows != nil)
    }

    @Test func rowLimitStopsTheQueryAndTheEngineCarriesOn() throws {
        var engine = Engine()
        engine.limits.rows = 1000
        do {
            _ = try engine.query(Self.join)
            Issue.record("the join ran past its limit")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.rowLimit])
            #expect(error.diagnostics.first?.message == "the join would make more than 1000 rows")
        }
        // Other queries still run, and the same join runs once the limit allows it.
        #expect(CSVWriter.render(try engine.query("from authorities | count")) == "n\n153\n")
        engine.limits = .none
        let n = try engine.query(Self.join)
        #expect(n.rowCount == 1)
    }

    @Test func rowLimitAppliesToEveryStageButNotToTheSource() throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: "n\n" + (1...100).map(String.init).joined(separator: "\n") + "\n", as: "t")
        engine.limits.rows = 50
        #expect(CSVWriter.render(try engine.query("from t | count")) == "n\n100\n")
        #expect(try engine.query("from t | where n > 60").rowCount == 40)
        do {
            _ = try engine.query("from t | where n > 10")
            Issue.record("a stage made more rows than the limit")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.rowLimit])
            #expect(error.diagnostics.first?.message == "a stage made 90 rows, more than the limit of 50")
        }
    }

    @Test func timeLimitStopsTheQueryAndTheEngineCarriesOn() throws {
        var engine = Engine()
        engine.limits.time = .nanoseconds(1)
        do {
            _ = try engine.query("from inspections | where overall == good | count by authority")
            Issue.record("the query ran past its time limit")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.timeLimit])
        }
        engine.limits.time = .seconds(30)
        #expect(try engine.query("from authorities | count").rowCount == 1)
    }

    @Test func cancellationFromAnotherTask() async throws {
        var engine = Engine()
        let flag = CancellationFlag()
        engine.cancellation = flag
        let cancelled = Task.detached { [engine] in
            flag.cancel()
            return Result { () throws(IQLError) -> Table in try engine.query(Self.join) }
        }
        switch await cancelled.value {
        case .success: Issue.record("a cancelled query finished")
        case .failure(let error): #expect(error.diagnostics.map(\.code) == [.cancelled])
        }
        flag.reset()
        #expect(try await engine.query("from authorities | count").rowCount == 1)
    }

    @Test func concurrentQueriesGiveTheSequentialAnswers() async throws {
        let engine = Engine()
        let queries = [
            "from authorities | count by region",
            "from inspections | where overall >= good | count by authority | sort n desc | take 5",
            "from children_in_care | where authority == \"Oxfordshire\" | select year, children",
            "from inspections | latest by authority as of 2025-03-31 | count by overall",
            Self.join,
        ]
        let expected = try queries.map { CSVWriter.render(try engine.query($0)) }
        let results = await withTaskGroup(of: (Int, String).self) { group in
            for i in 0..<40 {
                group.addTask {
                    let q = i % queries.count
                    let text = (try? engine.query(queries[q])).map { CSVWriter.render($0) } ?? "ERROR"
                    return (q, text)
                }
            }
            var out: [(Int, String)] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 40)
        for (q, text) in results { #expect(text == expected[q], "query \(q)") }
    }

    /// Queries can read only what the host registered: no file, path or URL is ever opened.
    @Test(arguments: ["/etc/passwd", "../shared/data/lait_all_measures_long.csv", "~/.bash_history", "file:///etc/passwd",
                      "https://example.com/x.csv", "Package.swift", "authorities.csv", ".", "..", "/"])
    func namesThatLookLikePathsAreNotFiles(path: String) {
        var engine = Engine()
        for query in ["from `\(path)` | count", "from authorities | join `\(path)` on authority | count",
                      "let t = from `\(path)`\nfrom t | count"] {
            do {
                _ = try engine.run(query)
                Issue.record("\(query) ran")
            } catch {
                #expect(error.diagnostics.first?.code == .unknownDataset, "\(query)")
            }
        }
        // Nor can a dataset be registered under such a name.
        #expect(throws: IQLError.self) { try engine.registerCSV(text: "a\n1\n", as: path) }
    }
}
