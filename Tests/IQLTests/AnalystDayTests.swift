import Foundation
import Testing
import IQL

/// The analyst's first day (issue 17), through the real binary: each language item as a user
/// types it, with its notes.
struct AnalystDayTests {
    @Test func joinsOnSeveralKeysOfEveryKindWithNotes() throws {
        let dir = try CLITests.temporaryDirectory()
        let targets = dir.appendingPathComponent("targets.csv").path
        // The council spelt as DfE spells it, and one that is no council.
        try "council,year,target\nKingston upon Hull,2024,700\nBristol,2024,800\nNowhere,2024,1\nBristol,2009,5\n"
            .write(toFile: targets, atomically: true, encoding: .utf8)
        let inner = try CLITests.iql(["--data", "t=\(targets)", "--format", "csv", "-c",
                                      "from t | join children_in_care on council == authority, year | select council, year, target, children"])
        #expect(inner.status == 0, "\(inner.stderr)")
        #expect(inner.stdout == "council,year,target,children\nKingston upon Hull,2024,700,747\nBristol,2024,800,764\n")
        #expect(inner.stderr.contains("note: join children_in_care on council == authority, year: 2 of 4 rows matched; 2 matched nothing and were left out: (\"Nowhere\", 2024), (\"Bristol\", 2009)"),
                "\(inner.stderr)")
        let left = try CLITests.iql(["--data", "t=\(targets)", "--format", "csv", "-c",
                                     "from t | join left children_in_care on council == authority, year | select council, year, children"])
        #expect(left.stdout == "council,year,children\nKingston upon Hull,2024,747\nBristol,2024,764\nNowhere,2024,\nBristol,2009,\n")
        let anti = try CLITests.iql(["--data", "t=\(targets)", "--format", "csv", "-c",
                                     "from t | join anti children_in_care on council == authority, year | select council, year"])
        #expect(anti.stdout == "council,year\nNowhere,2024\nBristol,2009\n")
        #expect(anti.stderr == "")
        // A key missing from the other table is named with the table.
        let bad = try CLITests.iql(["-c", "from children_in_care | join visits on authority, year"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("no column 'year' in visits"))
    }

    @Test func patternsAndCaseWarnings() throws {
        let dir = try CLITests.temporaryDirectory()
        let homes = dir.appendingPathComponent("homes.csv").path
        try "name,kind\na,Children's Home\nb,Children's home\nc,Children's home\nd,Fostering\n"
            .write(toFile: homes, atomically: true, encoding: .utf8)
        let exact = try CLITests.iql(["--data", "h=\(homes)", "--format", "csv", "-c", "from h | where kind == \"Children's home\" | count"])
        #expect(exact.stdout == "n\n2\n")
        #expect(exact.stderr.contains("warning[IQL0703]: h also has kind \"Children's Home\", which \"Children's home\" does not match"), "\(exact.stderr)")
        let any = try CLITests.iql(["--data", "h=\(homes)", "--format", "csv", "-c", "from h | where kind ilike \"children's home\" | count"])
        #expect(any.stdout == "n\n3\n")
        #expect(any.stderr == "")
        let other = try CLITests.iql(["--data", "h=\(homes)", "--format", "csv", "-c", "from h | where kind == \"fostering\" | count"])
        #expect(other.stderr.contains("it has \"Fostering\", in another case"), "\(other.stderr)")
        let like = try CLITests.iql(["--format", "csv", "-c", "from authorities | where authority like \"%upon T%\" | select authority"])
        #expect(like.stdout == "authority\nKingston upon Thames\nNewcastle upon Tyne\nRichmond upon Thames\n")
    }

    @Test func pivotedColumnsAreColumns() throws {
        let r = try CLITests.iql(["--format", "csv", "-c", """
            from children_in_care | where region == "North East" | select authority, year, children
            | pivot year children | derive rise = `2019` - `2011` | sort `2025` desc | select authority, `2011`, `2019`, rise | take 2
            """])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "authority,2011,2019,rise\nDurham,522,845,323\nNewcastle upon Tyne,527,678,151\n", "\(r.stdout)")
        let listed = try CLITests.iql(["--format", "csv", "-c", """
            let ne = from children_in_care | where region == "North East" | select authority, year, children
            from ne | pivot year children values [2011, 2019] | where authority == "Durham"
            """])
        #expect(listed.stdout == "authority,2011,2019\nDurham,522,845\n", "\(listed.stderr)")
        let unknown = try CLITests.iql(["-c", """
            let ne = from children_in_care | where region == "North East" | select authority, year, children
            from ne | pivot year children | select `2019`
            """])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no column '2019' in the pivoted ne"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("pivot year children values [2011, 2019]"))
    }

    @Test func councilNamesResolveOnYourOwnDataAndCompareFollowsRenames() throws {
        let dir = try CLITests.temporaryDirectory()
        let mine = dir.appendingPathComponent("mine.csv").path
        try "council,year,n\n\"Kingston upon Hull, City of\",2024,5\n\"Bristol, City of\",2024,7\nLeeds,2024,9\n"
            .write(toFile: mine, atomically: true, encoding: .utf8)
        let hull = try CLITests.iql(["--data", "mine=\(mine)", "--format", "csv", "-c", "from mine | where council == \"Kingston upon Hull\" | select n"])
        #expect(hull.stdout == "n\n5\n", "\(hull.stderr)")
        #expect(hull.stderr == "")
        let code = try CLITests.iql(["--data", "mine=\(mine)", "--format", "csv", "-c", "from mine | where council in [\"801\", \"E08000035\"] | select n"])
        #expect(code.stdout == "n\n7\n9\n", "\(code.stderr)")
        // compare finds the authority and the value however the select renamed them.
        let compared = try CLITests.iql(["--data", "mine=\(mine)", "--format", "csv", "-c",
                                         "from mine | select authority = council, year, value = n | compare with region | select authority, region_value"])
        #expect(compared.status == 0, "\(compared.stderr)")
        // Hull and Leeds share a region: each is compared with the two's average.
        #expect(compared.stdout == "authority,region_value\n\"Kingston upon Hull, City of\",7\n\"Bristol, City of\",7\nLeeds,7\n", "\(compared.stdout)")
        let bundled = try CLITests.iql(["--format", "csv", "-c",
                                        "from children_in_care | where year == 2025 and authority == \"Oxfordshire\" | select authority, year, kids = children | compare with england"])
        #expect(bundled.stdout == "authority,year,kids,england_value,vs_england\nOxfordshire,2025,800,81770,-80970\n")
        #expect(bundled.stderr.contains("the published England figure"))
    }

    @Test func ratingWordsNameColumnsLeftOfEquals() throws {
        let r = try CLITests.iql(["--format", "csv", "-c", """
            from inspections | where framework == "ILACS" | latest inspected by authority
            | summarize good = count(overall >= good), inadequate = count(overall == inadequate) by region
            | sort `good` desc | take 1
            """])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("region,good,inadequate\nLondon,"), "\(r.stdout)")
        // Elsewhere the bare word is the rating: beside a column of that name, that is an error.
        let bare = try CLITests.iql(["-c", "from inspections | summarize good = count(overall >= good) by region | sort good desc"])
        #expect(bare.status == 1)
        #expect(bare.stderr.contains("error[IQL0208]: 'good' here is the rating, though the table has a column 'good'"), "\(bare.stderr)")
        #expect(bare.stderr.contains("write the column as `good`"))
    }

    @Test func notesReachJSONDiagnostics() throws {
        let r = try CLITests.iql(["--diagnostics", "json", "--format", "csv", "-c",
                                  "from children_in_care | where year == 2025 and authority == \"Oxfordshire\" | select authority, year, children | compare with england"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("authority,year,children,england_value"))
        let parsed = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [[String: Any]]
        let notes = (parsed ?? []).filter { $0["severity"] as? String == "note" }
        #expect(notes.count == 1, "\(r.stderr)")
        #expect((notes.first?["message"] as? String)?.contains("the published England figure") == true)
        // A warning and a note in the one array.
        let both = try CLITests.iql(["--diagnostics", "json", "--format", "csv", "-c",
                                     "from children_in_care | where year == 2025 and region == \"Londn\" | select authority, year, children | compare with england"])
        let all = try JSONSerialization.jsonObject(with: Data(both.stderr.utf8)) as? [[String: Any]]
        #expect(all?.map { $0["severity"] as? String ?? "" } == ["warning"], "\(both.stderr)")
    }

    @Test func aColumnMadeTextByAFewOddValuesIsWarnedAbout() throws {
        let dir = try CLITests.temporaryDirectory()
        let file = dir.appendingPathComponent("odd.csv").path
        var csv = "council,score,when,name\n"
        for i in 1...30 { csv += "C\(i),\(i == 7 ? "n/a" : String(i)),\(i == 9 ? "TBC" : "2024-01-\(String(format: "%02d", i))"),name \(i)\n" }
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLITests.iql(["--data", "o=\(file)", "--format", "csv", "-c", "from o | select score, when, name | take 1"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning[IQL0614]: \(file): column 'score' is read as text because of a value such as \"n/a\"; the others are numbers"), "\(r.stderr)")
        #expect(r.stderr.contains("column 'when' is read as text because of a value such as \"TBC\"; the others are dates"))
        #expect(!r.stderr.contains("column 'name'"))
        // Through the library too, in the load report.
        var engine = Engine(bundledData: false)
        let report = try engine.registerCSV(atPath: file, as: "o")
        #expect(report.textColumns.map(\.column) == ["score", "when"])
    }

    @Test func aJoinOnNumbersThatLeavesRowsOutSaysSo() throws {
        let r = try CLITests.iql(["--format", "csv", "-c", """
            let y = from children_in_care | where authority == "Oxfordshire" and year >= 2020 | select year, c2 = children
            from children_in_care | where authority == "Oldham" | select year, children | join y on year | count
            """])
        #expect(r.stdout == "n\n6\n")
        #expect(r.stderr.contains("note: join y on year: 6 of 16 rows matched; 10 matched nothing and were left out (the first: year 2010)"), "\(r.stderr)")
        // Every row matched: nothing to say.
        let whole = try CLITests.iql(["--format", "csv", "-c", """
            let y = from children_in_care | where authority == "Oxfordshire" | select year, c2 = children
            from children_in_care | where authority == "Oldham" | select year, children | join y on year | count
            """])
        #expect(whole.stderr == "")
    }

    @Test func compareSaysWhereAComparatorIsMissing() throws {
        let r = try CLITests.iql(["--format", "csv", "-c",
                                  "from children_in_care | where year == 2010 and region == \"South West\" | select authority, year, children | compare with neighbours | where neighbours_value is null | select authority"])
        #expect(r.stdout == "authority\nBournemouth\nDorset County Council\nPoole\n", "\(r.stdout)")
        #expect(r.stderr.contains("note: neighbours_value is null on 3 rows with a value of their own (the first: Bournemouth): no statistical neighbours in the 2025 model"), "\(r.stderr)")
        let fine = try CLITests.iql(["--format", "csv", "-c",
                                     "from children_in_care | where year == 2025 and authority == \"Oxfordshire\" | select authority, year, children | compare with england"])
        #expect(!fine.stderr.contains("is null on"))
    }

    @Test func aWhereThatDropsNullsSaysSoWithAndWithoutTheOptimiser() throws {
        // A sort before the filter: push-filters moves it, and the note must be the same.
        let query = "from inspections | where authority == \"Leeds\" | sort published | where overall != inadequate | count"
        let note = "note: where leaves out 2 rows on which its condition is null, neither true nor false (overall is null on all of them): add `or overall is null` to keep them"
        for extra in [[], ["--no-optimize"]] {
            let r = try CLITests.iql(extra + ["--format", "csv", "-c", query])
            #expect(r.stdout == "n\n4\n")
            #expect(r.stderr.contains(note), "\(extra): \(r.stderr)")
        }
        // The hint keeps them.
        let kept = try CLITests.iql(["--format", "csv", "-c", "from inspections | where authority == \"Leeds\" and (overall != inadequate or overall is null) | count"])
        #expect(kept.stdout == "n\n6\n" && kept.stderr == "", "\(kept.stdout) \(kept.stderr)")
        // Several columns, counted apiece; and a plain match is quiet.
        let two = try CLITests.iql(["--format", "csv", "-c", "from inspections | where authority == \"Leeds\" | where overall != inadequate or inspected > 2020-01-01 | count"])
        #expect(two.stderr.contains("(inspected and overall are null on all of them): add `or inspected is null or overall is null` to keep them"), "\(two.stderr)")
        let some = try CLITests.iql(["--format", "csv", "-c", "from inspections | where authority == \"Leeds\" | where overall != inadequate and inspected > 2010-01-01 | count"])
        #expect(some.stderr.contains("leaves out 3 rows on which its condition is null, neither true nor false (inspected is null on all of them, overall on 2)"), "\(some.stderr)")
        let quiet = try CLITests.iql(["--format", "csv", "-c", "from inspections | where overall == good | count"])
        #expect(quiet.stderr == "", "\(quiet.stderr)")
    }
}
