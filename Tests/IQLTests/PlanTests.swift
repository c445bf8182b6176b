import Foundation
import Testing
@testable import IQL

/// The logical plan: golden plans before and after each optimiser pass, and what each pass
/// may and may not do.
struct PlanTests {
    /// Queries over the bundled data that each pass rewrites (or must leave alone).
    static let cases: [(String, String)] = [
        ("filter-count", #"from inspections | where region == "North West" and overall == inadequate | count"#),
        ("top-n", "from inspections | where framework == \"ILACS\" | sort published desc | take 5 | select authority, published"),
        ("filter-past-sort", #"from children_in_care | sort rate_per_10k desc | where year == 2025 | take 3"#),
        ("filter-past-derive", #"from children_in_care | derive ratio = rate_per_10k / 100 | where authority == "Oldham" | select year, ratio"#),
        ("filter-stays-after-failing-derive", #"from children_in_care | derive per = 1000 / (children + 1) | where children > 0 | count"#),
        ("filter-past-select", #"from inspections | select council = authority, overall | where council == "Oldham" | count by overall"#),
        ("filter-stays-after-join", #"from inspections | join authorities on authority | where overall == good | count by type"#),
        ("fold-parameter", "param region = \"\"\nfrom authorities | where $region == \"\" or region == $region | count"),
        ("fold-if", #"from children_in_care | derive x = if(true, rate_per_10k, 0), y = coalesce(null, children) | where x > 100 | count"#),
        ("latest-count", "from inspections | latest by authority | count by overall"),
        ("latest-first-keeps-order", "from inspections | latest by authority | summarize first = first(authority)"),
        ("summarize-by-two", "from children_in_care | where year >= 2020 | summarize total = sum(children), m = median(rate_per_10k) by region, year"),
        ("fold-derive", "from children_in_care | where year == 2025 | derive per = children * 1000 / (rate_per_10k + 1) | summarize avg_per = round(avg(per), 1)"),
        ("fold-derive-not-when-kept", "from children_in_care | derive per = children / 10 | summarize total = sum(per), most = max(per)"),
        ("window", "from children_in_care | derive before = previous(children) by authority | where year == 2025 | select authority, before"),
    ]

    /// Each pass on its own from the plan as checked, in the optimiser's order, then all.
    static func describe(_ engine: Engine, _ query: String) throws -> String {
        let checked = try #require(checkedPlans(engine, query).last)
        var out = "query: " + query.replacingOccurrences(of: "\n", with: "\n       ") + "\n\nas checked:\n" + PlanPrinter().text(checked)
        var plan = checked
        for pass in Optimizer.passes {
            guard let next = pass.rewrite(plan) else {
                out += "\n" + pass.name + ": unchanged\n"
                continue
            }
            out += "\n" + pass.name + ":\n" + PlanPrinter().text(next)
            plan = next
        }
        return out
    }

    static func checkedPlans(_ engine: Engine, _ query: String) throws -> [PipelinePlan] {
        let source = SourceFile(name: "query", text: query)
        let (script, syntax) = Parser.parse(source)
        #expect(syntax.isEmpty)
        var checker = Checker(catalog: engine.catalog, source: source, bindings: [:], parameters: [:])
        let checked = checker.check(script)
        #expect(!checker.hasErrors, "\(checker.diagnostics.map(\.message))")
        return checked.statements.compactMap { if case .pipeline(let p, _) = $0 { p } else { nil } }
    }

    @Test(arguments: cases)
    func plansAreGolden(name: String, query: String) throws {
        let engine = Engine()
        Golden.check(try Self.describe(engine, query), "plans/\(name).txt")
        // The optimised plan gives the same answer as the plan as checked.
        var plain = engine
        plain.disabledOptimizerPasses = Set(Engine.optimizerPasses)
        #expect(CSVWriter.render(try engine.query(query)) == CSVWriter.render(try plain.query(query)), "\(name)")
    }

    /// The passes table in docs/language.md names every pass, in order, and nothing else.
    @Test func docsListEveryPass() throws {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "| pass | what it does |"))
        let documented = lines[(start + 2)...].prefix { $0.hasPrefix("| `") }.compactMap { line -> String? in
            line.split(separator: "`").dropFirst().first.map(String.init)
        }
        #expect(documented == Engine.optimizerPasses)
    }

    @Test func passesAreNamedOnceAndSwitchOff() throws {
        #expect(Set(Engine.optimizerPasses).count == Engine.optimizerPasses.count)
        #expect(Engine.optimizerPasses == ["fold-constants", "push-filters", "top-n", "fold-derive", "latest-input-order", "prune-columns"])
        var engine = Engine()
        let q = "from inspections | sort published desc | where framework == \"ILACS\" | take 2"
        #expect(try engine.plan(q).contains("optimised (push-filters, top-n):"))
        engine.disabledOptimizerPasses = ["top-n"]
        let plan = try engine.plan(q)
        #expect(plan.contains("optimised (push-filters):"), "\(plan)")
        #expect(!plan.contains("TopN"))
        engine.disabledOptimizerPasses = Set(Engine.optimizerPasses)
        #expect(try engine.plan(q).contains("plan (the optimiser changed nothing):"))
    }

    /// A filter does not move before a stage that could fail on a row it drops, and a pass
    /// never drops a part that row-by-row evaluation would have run and that can fail.
    @Test func passesKeepErrors() throws {
        let engine = Engine()
        for q in ["from children_in_care | derive per = 100 / children | where children > 0 | count",
                  "from children_in_care | sort 100 / children | where children > 0 | take 1",
                  "from children_in_care | select a = 100 / children, children | where children > 0 | count",
                  // A join's note counts the rows it was given: the filter stays after it.
                  "from inspections | join authorities on authority | where overall == good | count by type"] {
            let plan = try engine.plan(q)
            #expect(!plan.contains("push-filters"), "\(plan)")
        }
        let folded = try #require(Self.checkedPlans(engine, "from children_in_care | where (100 / children > 1) and false | count").first)
        guard case .filter(let f) = ConstantFolding().apply(to: folded).nodes[0].step else {
            Issue.record("the filter went")
            return
        }
        #expect(f.condition.constant == nil, "a failing part was folded away")
    }

    @Test func pruningFollowsEveryNodeBack() throws {
        let engine = Engine()
        func columns(_ q: String) throws -> [String]? {
            let plan = try #require(Self.checkedPlans(engine, q).last)
            return ProjectionPushdown().apply(to: plan).sourceColumns.map { $0.map { plan.sourceSchema.columns[$0].name } }
        }
        #expect(try columns("from inspections | count") == [])
        #expect(try columns("from inspections | where region == \"London\" | select authority") == ["authority", "region"])
        #expect(try columns("from inspections | latest by authority | count by overall") == ["authority", "published", "overall"])
        #expect(try columns("from inspections | derive y = year(inspected) | count by y") == ["inspected"])
        // A derive that replaces a column does not read the old one, unless it uses it.
        #expect(try columns("from inspections | derive region = \"x\" | count by region") == [])
        #expect(try columns("from inspections | derive region = lower(region) | count by region") == ["region"])
        // Whole rows reach the result, or a stage reads columns by name as it runs.
        #expect(try columns("from inspections | where region == \"London\"") == nil)
        #expect(try columns("from inspections | distinct | count") == nil)
    }

    /// A file loaded for one script reads only the columns its plans read, and answers as the
    /// whole file does.
    @Test func oneShotLoadReadsOnlyWhatTheScriptReads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("iql-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.csv")
        try DifferentialTests.tableCSV().write(to: file, atomically: true, encoding: .utf8)
        var whole = Engine(bundledData: false)
        try whole.registerCSV(atPath: file.path, as: "t")
        let scripts: [(String, [String])] = [
            ("from t | where g == \"a\" and n > 3 | count", ["id", "d", "dt", "b"]),
            ("from t | summarize s = sum(d), m = median(n) by g", ["id", "dt", "b"]),
            ("let x = from t | where b | select id\nfrom t | derive y = year(dt) | count by y", ["g", "n", "d"]),
            ("from t | where n > 0", []),
            ("from t | join t on id | count", []),
        ]
        for (script, unread) in scripts {
            var one = Engine(bundledData: false)
            let report = try one.registerCSV(atPath: file.path, as: "t", readBy: script)
            #expect(report.unreadColumns == unread, "\(script)")
            #expect(report.rows == 300)
            let a = try one.run(script).tables.map(CSVWriter.render)
            let b = try whole.run(script).tables.map(CSVWriter.render)
            #expect(a == b, "\(script)")
        }
        // A script that does not check loads the whole file, and then reports its own errors.
        var bad = Engine(bundledData: false)
        #expect(try bad.registerCSV(atPath: file.path, as: "t", readBy: "from t | where nosuch > 1").unreadColumns == [])
        #expect(throws: IQLError.self) { try bad.run("from t | where nosuch > 1") }
    }
}
