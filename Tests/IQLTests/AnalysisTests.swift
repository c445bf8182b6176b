import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import IQL

/// The analyst's stages (rank, quartile, compare, pivot, unpivot, diff, chart, explain) and
/// council-name resolution, on small tables and on the bundled data.
struct AnalysisTests {
    static let csv = """
        authority,year,value
        Oxfordshire,2024,50
        Oxfordshire,2025,51
        Oldham,2024,90
        Oldham,2025,
        Bristol,2024,70
        Bristol,2025,70
        """

    static func engine() throws -> Engine {
        var e = Engine()
        try e.registerCSV(text: csv, as: "t")
        return e
    }

    static let cases: [(String, String, String)] = [
        ("rank, highest first by default, ties share",
         "from t | where year == 2025 | rank value | select authority, rank",
         "authority,rank\nOxfordshire,2\nOldham,\nBristol,1\n"),
        ("rank asc puts the lowest first",
         "from t | where year == 2024 | rank value asc | select authority, rank",
         "authority,rank\nOxfordshire,1\nOldham,3\nBristol,2\n"),
        ("rank by a group ranks within it",
         "from t | rank value by year | where authority == \"Bristol\" | select year, rank",
         "year,rank\n2024,2\n2025,1\n"),
        ("quartile bands A to D",
         "from t | where year == 2024 | quartile value asc | select authority, quartile",
         "authority,quartile\nOxfordshire,A\nOldham,C\nBristol,B\n"),
        ("pivot years across the page",
         "from t | pivot year",
         "authority,2024,2025\nOxfordshire,50,51\nOldham,90,\nBristol,70,70\n"),
        ("the columns pivot makes can be named after it",
         "from t | pivot year | derive rise = `2025` - `2024` | sort rise desc | select authority, rise",
         "authority,rise\nOxfordshire,1\nBristol,0\nOldham,\n"),
        ("pivot values makes exactly the listed columns, in order",
         "from t | pivot year value values [2025, 2023] | sort `2025` | select authority, `2025`, `2023`",
         "authority,2025,2023\nOxfordshire,51,\nBristol,70,\nOldham,,\n"),
        ("a pivoted column of a let table named with a list",
         "let x = from t | where year == 2024\nfrom x | pivot year values [2024] | where `2024` > 60 | select authority",
         "authority\nOldham\nBristol\n"),
        ("unpivot undoes a pivot whose columns were known",
         "from t | pivot year | derive k = 1 | select authority, `2024`, `2025` | unpivot `2024`, `2025` into year, value | where authority == \"Bristol\"",
         "authority,year,value\nBristol,2024,70\nBristol,2025,70\n"),
        ("unpivot undoes pivot, years numbers again",
         "from t | pivot year | unpivot | where authority == \"Oldham\"",
         "authority,year,value\nOldham,2024,90\nOldham,2025,\n"),
        ("unpivot named columns into name and value",
         "from t | pivot year | unpivot `2024`, `2025` into period, n | where authority == \"Bristol\"",
         "authority,period,n\nBristol,2024,70\nBristol,2025,70\n"),
        ("a literal in another spelling finds the council",
         "from authorities | where authority == \"Bristol, City of\" | select authority",
         "authority\nBristol\n"),
        ("a DfE code finds the council",
         "from authorities | where authority in [\"931\", \"E08000004\"] | select authority",
         "authority\nOldham\nOxfordshire\n"),
    ]

    @Test(arguments: cases)
    func stage(name: String, query: String, expected: String) throws {
        let t = try Self.engine().query(query)
        #expect(OutputFormat.csv.render(t) == expected, "\(name)")
    }

    @Test func diffReportsAddedRemovedAndChanged() throws {
        var e = try Self.engine()
        try e.run("let before = from t | where year == 2024 | select authority, value")
        let t = try e.query("from t | where year == 2025 and authority != \"Bristol\" | select authority, value | diff before on authority")
        #expect(OutputFormat.csv.render(t) == "authority,change,old_value,new_value\nBristol,removed,70,\nOldham,changed,90,\nOxfordshire,changed,50,51\n")
        #expect(t.noteTexts == ["diff against before: 0 added, 1 removed, 2 changed, 0 unchanged (not shown)"])
    }

    @Test func pivotColumnsUnknownOnlyForALetOfTheSameScript() throws {
        let e = try Self.engine()
        let d = e.check("let x = from t\nfrom x | pivot year | select `2024`")
        #expect(d.map(\.code) == [.unknownColumn])
        #expect(d.first?.message == "no column '2024' in the pivoted x")
        #expect(d.first?.notes.contains { $0.contains("values [2011, 2019]") } == true)
        #expect(e.check("from t | pivot year value values [\"a\"]").map(\.code) == [.listType])
        #expect(e.check("from t | pivot year value values 2024").map(\.code) == [.listType])
    }

    @Test func pivotRefusesTwoValuesForOneCell() throws {
        #expect(throws: IQLError.self) { try Self.engine().query("from t | select authority, value | pivot authority") }
        do {
            _ = try Self.engine().query("from t | select year, value, k = 1 | pivot k")
        } catch let error as IQLError {
            #expect(error.diagnostics.first?.code == .ambiguousCell)
        }
    }

    @Test func joinResolvesSpellingsAndReportsMisses() throws {
        var e = Engine()
        try e.registerCSV(text: "council,target\n\"Bristol, City of\",1\nTelford and Wrekin,2\n931,3\nBristoll,4\n", as: "targets")
        let t = try e.query("from targets | join authorities on council == authority | select council, authority")
        #expect(OutputFormat.csv.render(t) == "council,authority\n\"Bristol, City of\",Bristol\nTelford and Wrekin,Telford & Wrekin\n931,Oxfordshire\n")
        let structured = try #require(t.notes.first)
        let note = structured.message
        #expect(note.hasPrefix("join authorities: 3 of 4 rows matched, 3 through another spelling or code"))
        #expect(note.contains("1 did not: \"Bristoll\" (did you mean \"Bristol\"?)"))
        // The same numbers, structured.
        #expect(structured.kind == .joinMatches)
        #expect(structured.counts == ["rows": 4, "matched": 3, "other_spelling": 3, "unmatched": 1, "null_keys": 0])
    }

    @Test func authorityNamesCoverEveryOfficialSpelling() {
        let names = AuthorityNames.shared
        let same: [[String]] = [
            ["Bristol", "Bristol, City of", "E06000023", "801"],
            ["Durham", "County Durham", "E06000047", "840"],
            ["Telford & Wrekin", "Telford and Wrekin", "E06000020", "894"],
            ["Kingston upon Hull", "Kingston upon Hull, City of", "Hull"],
            ["Herefordshire", "Herefordshire, County of"],
            ["Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"],
            ["Yorkshire and The Humber", "Yorkshire and the Humber", "E12000003"],
        ]
        for spellings in same {
            let ids = Set(spellings.map { names.identity(of: $0) })
            #expect(ids.count == 1 && ids.first! != nil, "\(spellings): \(ids)")
        }
        // Reorganised councils stay distinct from their successors.
        #expect(names.identity(of: "Bournemouth") != names.identity(of: "Bournemouth, Christchurch and Poole"))
        #expect(names.identity(of: "Northamptonshire") != names.identity(of: "North Northamptonshire"))
        #expect(names.identity(of: "Cumbria") != names.identity(of: "Cumberland"))
        #expect(names.identity(of: "Narnia") == nil)
        #expect(names.region(of: "E10000025") == "E12000008")
    }

    /// The byte-wise normalising of ASCII spellings gives what the Character-wise one gives,
    /// on every spelling the bundled authorities table holds and on awkward punctuation.
    @Test(arguments: ["Bristol, City of", "Telford & Wrekin", "  St. Helens  ", "&&", "King's Lynn--West",
                      "E06000023", "801", "", "A&B", "x & ", "ÀB", "Hull\tCity"])
    func asciiNormalisingMatchesUnicode(_ text: String) {
        #expect(AuthorityNames.asciiNormalised(text) == AuthorityNames.unicodeNormalised(text) || !text.utf8.allSatisfy { $0 < 0x80 })
        #expect(AuthorityNames.normalised(text) == AuthorityNames.unicodeNormalised(text))
    }

    @Test func asciiNormalisingMatchesUnicodeOnEveryBundledSpelling() throws {
        let t = try Engine().query("from authorities | select authority, authority_dfe, authority_code, dfe_code")
        var n = 0
        for r in 0..<t.rowCount {
            for c in t.columnNames {
                guard let s = t[r, c]?.string else { continue }
                n += 1
                #expect(AuthorityNames.asciiNormalised(s) == AuthorityNames.unicodeNormalised(s), "\(s)")
            }
        }
        #expect(n > 500)
    }

    @Test func compareUsesPublishedRegionAndEnglandAndNeighbourAverage() throws {
        let t = try Engine().query("""
            from indicators | where measure == "LAC" and authority == "Oxfordshire" and year == 2025
            | select authority, measure, year, value | compare with neighbours, region, england
            """)
        let row = try #require(t.rows.first)
        #expect(row[3] == .int(51))
        // LAIT's published South East and England rates for 2025.
        let se = try Engine().query("from indicators | where measure == \"LAC\" and authority == \"South East\" and year == 2025 | select value")
        let en = try Engine().query("from indicators | where measure == \"LAC\" and level == \"england\" and year == 2025 | select value")
        #expect(row[6] == se.rows[0][0] && row[8] == en.rows[0][0])
        // The neighbours' plain average, computed here by hand from the neighbours table.
        let avg = try Engine().query("""
            from neighbours | where authority == "Oxfordshire" | select authority = neighbour
            | join indicators on authority | where measure == "LAC" and year == 2025
            | summarize a = avg(value)
            """)
        #expect(row[4] == avg.rows[0][0])
        #expect(t.schema.names.suffix(6) == ["neighbours_value", "vs_neighbours", "region_value", "vs_region", "england_value", "vs_england"])
    }

    /// DfE publishes England's number of children in care for 2015 but no regional one (the
    /// regional rows start in 2019): England's is read, the region's computed, and the notes
    /// say which is which.
    @Test func compareComputesWhatTheSourceDoesNotPublishAndSaysSo() throws {
        let t = try Engine().query("""
            from children_in_care | where authority == "Oldham" and year == 2015
            | select authority, year, children | compare children with region, england
            """)
        let notes = t.noteTexts.joined(separator: "\n")
        #expect(notes.contains("region_value: children_in_care has no published region figure, so it is the plain average of the region's councils' children"))
        #expect(notes.contains("england_value: the published England figure, from children_in_care_areas"))
        let nw = try Engine().query("from children_in_care | where region == \"North West\" and year == 2015 | summarize a = avg(children)")
        #expect(t.rows[0][3] == nw.rows[0][0])
        let england = try Engine().query("from children_in_care_areas | where authority == \"England\" and year == 2015 | select children")
        #expect(t.rows[0][5] == england.rows[0][0])
        // A table bound with let is not the bundled one: nothing is published for it.
        var engine = Engine()
        let bound = try engine.run("""
            let cic = from children_in_care | select authority, year, rate_per_10k
            from cic | where authority == "Oldham" and year == 2025 | compare with england
            """)
        #expect(bound.tables.last?.noteTexts.contains { $0.contains("plain average of the councils' rate_per_10k") } == true)
    }

    /// `latest` says when it leaves out groups whose only rows up to `as of` have no time
    /// (SIF inspections have publication dates only), and says nothing when a group is out
    /// only because every row is later, or when no row lacks a time.
    @Test func latestNotesGroupsLeftOutForWantOfATime() throws {
        let engine = Engine()
        let mixed = try engine.query(#"from inspections | where framework in ["SIF", "ILACS"] | latest inspected by authority as of 2019-03-31 | count"#)
        #expect(mixed.rows == [[.int(48)]])
        #expect(mixed.noteTexts.contains { $0.hasPrefix("latest: 104 of 158 groups have no row with inspected by 2019-03-31 but do have rows with no inspected") })
        let byPublished = try engine.query(#"from inspections | where framework in ["SIF", "ILACS"] | latest published by authority as of 2019-03-31 | count"#)
        #expect(byPublished.rows == [[.int(152)]])
        #expect(byPublished.notes.isEmpty)
        let ilacs = try engine.query(#"from inspections | where framework == "ILACS" | latest inspected by authority as of 2019-03-31 | count"#)
        #expect(ilacs.rows == [[.int(48)]])
        #expect(ilacs.notes.isEmpty)
        // The integer-key path notes the same.
        var e = Engine(bundledData: false)
        try e.registerCSV(text: "k,t\n1,2020-01-01\n2,\n2,\n3,2021-01-01\n", as: "t")
        let keyed = try e.query("from t | latest t by k as of 2020-06-30")
        #expect(keyed.rowCount == 1)
        #expect(keyed.noteTexts.contains { $0.hasPrefix("latest: 1 of 3 groups has no row with t by 2020-06-30") })
    }

    @Test func compareNeedsTheMeasureInItsInput() throws {
        do {
            _ = try Engine().query("from indicators | where measure == \"LAC\" | select authority, year, value | compare with england")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.message.contains("compare needs 'measure' in its input") == true)
        }
    }

    @Test func explainShowsRowsAndSchemaAfterEachStage() throws {
        let e = try Self.engine()
        let x = try e.explain("from t | where year == 2025 | select authority, value | sort value desc | take 1")
        let steps = try #require(x.pipelines.first?.steps)
        #expect(steps.map(\.rows) == [6, 3, 3, 1])
        #expect(steps.map(\.stage) == ["from t", "where year == 2025", "select authority, value", "sort value desc | take 1"])
        #expect(steps[2].schema.names == ["authority", "value"])
        // The plan as checked, the passes that changed it, and the plan that ran with its rows.
        let pipeline = try #require(x.pipelines.first)
        #expect(pipeline.passes == ["top-n"])
        #expect(pipeline.checkedPlan.contains("Sort value desc\nLimit 1\n"))
        #expect(x.text.contains("optimised (top-n):\n"))
        #expect(x.text.contains("  Filter year == 2025       3 rows  (3 fewer)  "), "\(x.text)")
        #expect(x.text.contains("  TopN 1 by value desc      1 row  (2 fewer)  "), "\(x.text)")
    }

    @Test func barChartInTheTerminalFitsTheWidth() throws {
        let t = try Self.engine().query("from t | where year == 2024 | chart bar authority value")
        let drawn = ChartRenderer(width: 50).terminal(t, try #require(t.chart))
        let lines = drawn.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.allSatisfy { $0.count <= 50 })
        // The largest bar is the longest.
        #expect(lines[2].hasPrefix("Oldham") && lines[2].filter { $0 == "█" }.count > lines[1].filter { $0 == "█" }.count)
    }

    @Test func svgChartHasOneShapePerBarAndLine() throws {
        let bars = try Self.engine().query("from t | where year == 2024 | chart bar authority value")
        let svg = OutputFormat.svg.render(bars)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 3)
        #expect(svg.contains(">Oxfordshire</text>") && svg.contains(">90</text>"))
        let lines = try Self.engine().query("from t | chart line year value by authority")
        let lsvg = OutputFormat.svg.render(lines)
        #expect(lsvg.components(separatedBy: "<polyline class=\"series\"").count - 1 == 3)
        #expect(lsvg.contains("<title>Bristol</title>"))
        // The XML is well formed.
        #expect(throws: Never.self) { try XMLDocument(xmlString: lsvg) }
    }

    @Test func comparatorChartMatchesItsGoldenSVG() throws {
        var e = Engine()
        let text = try Repo.read("queries/care_rate_against_comparators.iql")
        let result = try e.run(text, sourceName: "care_rate_against_comparators.iql")
        let chart = try #require(result.tables.last)
        #expect(chart.chart?.kind == .line && chart.chart?.series == "series")
        Golden.check(OutputFormat.svg.render(chart), "output/care_rate_chart.svg")
    }

    @Test func chartToFileWritesTheSVG() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iql-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var engine = try Self.engine()
        engine.outputDirectory = folder.path
        _ = try engine.query("from t | where year == 2024 | chart bar authority value to \"chart.svg\"")
        let written = try String(contentsOfFile: folder.appendingPathComponent("chart.svg").path, encoding: .utf8)
        #expect(written.contains("<rect class=\"bar\""))
        // A folder inside the allowed one that does not exist: refused at check time, with a caret.
        do {
            _ = try engine.query("from t | chart bar authority value to \"no/such/folder/x.svg\"")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.code == .fileOutputRefused)
            #expect(error.diagnostics.first?.range != nil)
        }
        // A name that is a folder: the write fails, and says so.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.svg"), withIntermediateDirectories: true)
        do {
            _ = try engine.query("from t | chart bar authority value to \"taken.svg\"")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.code == .unwritableFile)
        }
    }

    @Test func measuresCarryLAITsPolarity() throws {
        let e = Engine()
        // tools/sources/lait_polarity.csv: 217 High, 87 Low, 88 "-", and 42 with none
        // (29 empty in the dictionary, 13 not in it).
        let counts = try e.query("from measures | summarize n = count() by polarity, higher_is_better | sort polarity")
        #expect(OutputFormat.csv.render(counts) == "polarity,higher_is_better,n\n-,,88\nHigh,true,217\nLow,false,87\n,,42\n")
        let some = try e.query("""
            from measures | where measure in ["ReReferral", "CareLeaverEET", "LAC", "Vacancies_cover"]
            | select measure, polarity, higher_is_better
            """)
        #expect(OutputFormat.csv.render(some) == "measure,polarity,higher_is_better\nCareLeaverEET,High,true\nLAC,-,\nReReferral,Low,false\nVacancies_cover,,\n")
    }

    @Test func rankFollowsTheMeasuresDirection() throws {
        var e = Engine()
        try e.registerCSV(text: "measure,higher_is_better,polarity\nup,true,High\ndown,false,Low\nflat,,-\n", as: "measures")
        try e.registerCSV(text: "measure,authority,value\nup,A,1\nup,B,2\ndown,A,1\ndown,B,2\nflat,A,1\nflat,B,2\n", as: "m")
        let byMeasure = try e.query("from m | rank value by measure | where rank == 1 | select measure, authority")
        #expect(OutputFormat.csv.render(byMeasure) == "measure,authority\nup,B\ndown,A\nflat,B\n")
        #expect(byMeasure.noteTexts.contains("rank: down is better low (LAIT), so the lowest value comes first"))
        #expect(byMeasure.noteTexts.contains { $0.contains("LAIT sets none for flat") })
        // An explicit direction wins over the measure's.
        let forced = try e.query("from m | where measure == \"down\" | rank value desc | where rank == 1 | select authority")
        #expect(OutputFormat.csv.render(forced) == "authority\nB\n")
        #expect(forced.notes.isEmpty)
        // Mixed measures in one group have no one direction: highest first, and a note says why.
        let mixed = try e.query("from m | where measure != \"flat\" | quartile value")
        #expect(mixed.noteTexts.contains { $0.contains("mix 2 measures") && $0.contains("by measure") })
    }

    @Test func quartileOfTheBundledIndicatorsUsesLAITsPolarity() throws {
        // Re-referrals are better low: the council with the fewest is in band A.
        let t = try Engine().query("""
            from indicators | where measure == "ReReferral" and year == 2024 and level == "council"
            | quartile value | sort value | take 1 | select authority, value, quartile
            """)
        #expect(OutputFormat.csv.render(t) == "authority,value,quartile\nWestmorland and Furness,7.4,A\n")
        #expect(t.noteTexts == ["quartile: ReReferral is better low (LAIT), so the lowest value comes first"])
    }

    @Test func indicatorsHoldTheWholeLAITTable() throws {
        let e = Engine()
        let n = try e.query("from indicators | count")
        #expect(n.rows == [[.int(641_070)]])
        let measures = try e.query("from measures | count")
        #expect(measures.rows == [[.int(434)]])
        // Suppression markers are nulls; periods keep LAIT's wording and order by year.
        let p = try e.query("from indicators | where period == \"2013/14-15/16\" | distinct year")
        #expect(p.rows == [[.int(2016)]])
        let oxon = try e.query("from indicators | where measure == \"LACnum\" and authority == \"Oxfordshire\" and year == 2019 | select value")
        #expect(oxon.rows == [[.int(779)]])
    }
}
