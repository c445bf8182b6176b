import Testing
@testable import IQL

struct CompletionTests {
    static let engine = Engine()

    /// Text before the cursor, how much is replaced, and candidates that must be offered.
    static let cases: [(String, Int, [String])] = [
        ("", 0, ["from", "let", "param"]),
        ("from insp", 4, ["inspections"]),
        ("from children_in", 11, ["children_in_care", "children_in_care_areas", "children_in_need", "children_in_need_areas"]),
        ("from inspections | wh", 2, ["where"]),
        ("from inspections | ", 0, Parser.stageNames.sorted()),
        ("from inspections | where autho", 5, ["authority", "authority_code"]),
        ("from inspections | where overall >= go", 2, ["good"]),
        ("from inspections | select x = roun", 4, ["round("]),
        ("from children_in_care | join auth", 4, ["authorities"]),
        ("from children_in_care | join left auth", 4, ["authorities"]),
        ("from children_in_care | join anti auth", 4, ["authorities"]),
        ("from children_in_care | join an", 2, ["anti"]),
        (#"from inspections | where authority == "Oxf"#, 4, [#""Oxfordshire""#]),
        (#"from inspections | where authority in ["Oldham", "Oxf"#, 4, [#""Oxfordshire""#]),
        (#"from inspections | where region == "north "#, 7, [#""North East""#, #""North West""#]),
        (#"from inspections | where overall == "Req"#, 4, [#""Requires improvement to be good""#]),
    ]

    @Test(arguments: cases)
    func completes(text: String, replacing: Int, expected: [String]) {
        let c = Self.engine.completions(before: text)
        #expect(c.replacing == replacing)
        #expect(c.candidates == expected)
    }

    @Test func columnsComeFromTheTableFlowingIntoTheStage() {
        let c = Self.engine.completions(before: "from inspections | count by region, framework | sort ")
        #expect(c.candidates.contains("n"))
        #expect(c.candidates.contains("framework"))
        #expect(!c.candidates.contains("authority"))
        let derived = Self.engine.completions(before: "from children_in_care | derive change = children - previous(children) by authority | where cha")
        #expect(derived.candidates == ["change"])
        let select = Self.engine.completions(before: "from authorities | select name = authority | where na")
        #expect(select.candidates == ["name"])
    }

    @Test func aBrokenEarlierStageStillLeavesTheColumnsBeforeIt() {
        let c = Self.engine.completions(before: "from authorities | where nope == 1 | select reg")
        #expect(c.candidates == ["region", "region_code"])
    }

    @Test func commonPrefix() {
        #expect(Completions(replacing: 1, candidates: ["children_in_care", "children_in_need"]).commonPrefix == "children_in_")
    }
}
