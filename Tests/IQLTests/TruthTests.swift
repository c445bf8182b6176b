import Foundation
import Testing
@testable import IQL

/// The bundled data must agree with figures Ofsted and DfE published.
struct TruthTests {
    static let engine = Engine()

    @Test func oxfordshireChildrenInCare() throws {
        let t = try Self.engine.query(
            #"from children_in_care | where authority == "Oxfordshire" and year in [2011, 2019] | select year, children"#)
        #expect(t.rows == [[.int(2011), .int(428)], [.int(2019), .int(779)]])
    }

    @Test func oxfordshireChildrenInCareFullSeries() throws {
        let t = try Self.engine.query(#"from children_in_care | where authority == "Oxfordshire" | sort year | select children"#)
        let expected: [Int64] = [449, 428, 450, 416, 463, 514, 592, 667, 684, 779, 767, 782, 855, 882, 770, 800]
        #expect(t.rows == expected.map { [.int($0)] })
    }

    /// The latest ILACS judgement of every current council as at 31 March 2025, taken by
    /// inspection date, is Ofsted's own snapshot, row for row.
    @Test func latestIlacsReproducesOfstedSnapshot() throws {
        let ours = try Self.engine.query("""
            from inspections
            | where framework == "ILACS" and status == "Current" and source == "Ofsted official statistics"
            | latest inspected by authority_code as of 2025-03-31
            | sort authority_code
            | select authority_code, inspected, published, overall, leaders, help_and_protection, children_in_care, care_leavers
            """)
        var fixture = Engine(bundledData: false)
        try fixture.registerCSV(atPath: Repo.tests.appendingPathComponent("Fixtures/ofsted_la_latest_judgements_2025-03-31.csv").path,
                                as: "snapshot")
        let theirs = try fixture.query("""
            from snapshot
            | sort la_code_ons
            | select la_code_ons, inspection_date, publication_date, overall_effectiveness, impact_of_leaders,
                     help_and_protection, children_in_care, care_leavers
            """)
        #expect(ours.rowCount == 153)
        #expect(theirs.rowCount == 153)
        #expect(ours.rows == theirs.rows)
    }

    @Test func snapshotCountsByOverallEffectiveness() throws {
        let t = try Self.engine.query("""
            from inspections | where framework == "ILACS" and status == "Current" and source == "Ofsted official statistics"
            | latest inspected by authority as of 2025-03-31 | count by overall
            """)
        // Ofsted: Outstanding 36, Good 67, Requires improvement 31, Inadequate 19 (in rating order).
        #expect(t.rows.map { $0[1] } == [.int(19), .int(31), .int(67), .int(36)])
    }

    @Test func sifOverallJudgementsFromTheHistory() throws {
        let t = try Self.engine.query("""
            from inspections | where framework == "SIF" and type == "SIF first inspection"
              and authority in ["Oxfordshire", "Staffordshire", "Leicestershire", "Oldham"]
            | sort authority | select authority, published, overall
            """)
        #expect(CSVWriter.render(t) == """
            authority,published,overall
            Leicestershire,2017-02-13,Requires improvement to be good
            Oldham,2015-08-03,Requires improvement to be good
            Oxfordshire,2014-06-30,Good
            Staffordshire,2014-03-21,Good

            """)
    }

    @Test func councilsAndNoDuplicateInspections() throws {
        #expect(try Self.engine.query("from authorities | count").rows == [[.int(153)]])
        #expect(try Self.engine.query("from authorities | distinct region | count").rows == [[.int(9)]])
        #expect(try Self.engine.query("from authorities | distinct ofsted_region | count").rows == [[.int(8)]])
        let dupes = try Self.engine.query("""
            from inspections | count by authority_code, framework, type, published | where n > 1
            """)
        #expect(dupes.rowCount == 0)
        // Councils that no longer exist keep their history.
        let gone = try Self.engine.query(#"from inspections | where status == "No longer exists" | distinct authority"#)
        #expect(Set(gone.rows.map { $0[0] }) == Set(["Bournemouth", "Cumbria", "Dorset County Council", "Northamptonshire", "Poole"].map(Value.text)))
    }

    @Test func everyBundledDatasetLoadsWithItsDeclaredSchema() throws {
        for d in BundledDataset.all {
            let t = try Self.engine.table(named: d.name)
            #expect(t.rowCount > 0, "\(d.name)")
            #expect(t.schema.names == d.schema.names)
            if let time = d.schema.timeColumn { #expect(t.schema.index(of: time) != nil) }
        }
    }

    @Test func everyCouncilTableUsesTheSameNaming() throws {
        for d in BundledDataset.all where d.schema.index(of: "authority_code") != nil {
            // indicators also has rows for regions and England.
            let councils = d.schema.index(of: "level") != nil ? "| where level == \"council\"" : ""
            let unknown = try Self.engine.query("""
                from \(d.name) \(councils)
                | join left authorities on authority_code | where authority_dfe is null | distinct authority
                """)
            let names = Set(unknown.rows.compactMap { row -> String? in
                if case .text(let s) = row[0] { return s } else { return nil }
            })
            // Only councils abolished by reorganisation are missing from the 153.
            #expect(names.isSubset(of: ["Bournemouth", "Poole", "Dorset County Council", "Northamptonshire", "Cumbria"]), "\(d.name): \(names)")
        }
    }

    // MARK: - Issue 16: inspections and dates that were lost, names, judgements, categories

    /// Wakefield's short inspection of 24–28 March 2025, published on 18 July 2025 after
    /// Ofsted's official table closed, comes from the D2I scrape and is its latest.
    @Test func wakefieldLatestInspectionIsMarch2025() throws {
        let t = try Self.engine.query("""
            from inspections | where framework == "ILACS" and authority == "Wakefield"
            | latest inspected by authority | select inspected, ended, published, overall, source
            """)
        #expect(t.rows == [[.date(try #require(Day(iso: "2025-03-24"))), .date(try #require(Day(iso: "2025-03-28"))),
                            .date(try #require(Day(iso: "2025-07-18"))), .rating(.good), .text("D2I report scrape (unofficial)")]])
    }

    /// Barnsley's and Sheffield's ILACS end dates, matched through their DfE codes (they have no
    /// Ofsted reference number, and the scrape gives them newer ONS codes).
    @Test func barnsleyAndSheffieldEndDates() throws {
        let t = try Self.engine.query("""
            from inspections | where framework == "ILACS" and authority in ["Barnsley", "Sheffield"]
            | sort authority, inspected | select ended
            """)
        #expect(t.rows == ["2018-10-19", "2023-09-15", "2019-07-26", "2023-09-22"].map { [.date(Day(iso: $0)!)] })
        let ended = try Self.engine.query(#"from inspections | where framework == "ILACS" | summarize n = count(), ended = count(ended is not null)"#)
        #expect(ended.rows == [[.int(324), .int(318)]])
    }

    /// Every report in the D2I scrape is either an official row's (the council's ILACS row
    /// with the same start date, or a row of the council published within a fortnight) or a
    /// row of its own, except the one report the build lists as unreadable.
    @Test func noScrapedInspectionIsLost() throws {
        var raw = Engine(bundledData: false)
        try raw.registerCSV(atPath: Repo.tests.appendingPathComponent("Fixtures/d2i_ilacs_scraped_report_history.csv").path, as: "scrape")
        try raw.registerCSV(atPath: Repo.tests.appendingPathComponent("Fixtures/d2i_la_lookup.csv").path, as: "lookup")
        let scraped = try raw.query("""
            from scrape | join lookup on urn | select la_code, local_authority, inspection_start_date, publication_date
            """)
        #expect(scraped.rowCount == 497)
        let codes = try Self.engine.query("from authorities | select dfe_code, authority_code")
        var codeOf: [String: String] = [:]
        for row in codes.rows { if case .text(let d) = row[0], case .text(let c) = row[1] { codeOf[d] = c } }
        let ours = try Self.engine.query("from inspections | select authority_code, framework, inspected, published")
        var starts: Set<String> = []
        var published: [String: [Int32]] = [:]
        for row in ours.rows {
            guard case .text(let code) = row[0] else { continue }
            if case .date(let d) = row[2], row[1] == .text("ILACS") { starts.insert(code + " " + d.description) }
            if case .date(let d) = row[3] { published[code, default: []].append(d.ordinal) }
        }
        var lost: [String] = []
        for row in scraped.rows {
            guard case .number(let dfe) = row[0], let code = codeOf["\(dfe)"], case .date(let pub) = row[3] else {
                lost.append("\(row)")
                continue
            }
            if case .date(let start) = row[2], starts.contains(code + " " + start.description) { continue }
            if (published[code] ?? []).contains(where: { abs(Int($0) - Int(pub.ordinal)) <= 14 }) { continue }
            lost.append("\(row[1].textValue ?? "?") \(pub)")
        }
        #expect(lost == ["surrey 2015-08-03"])
    }

    /// Each council identity has a name of its own in every table: the former Dorset County
    /// Council (E10000009) is not written "Dorset", the name of Dorset Council (E06000059).
    @Test func authorityNamesAreUniquePerCode() throws {
        for d in BundledDataset.all where d.schema.index(of: "authority") != nil && d.schema.index(of: "authority_code") != nil {
            let names = try Self.engine.query("from \(d.name) | where authority_code is not null | distinct authority, authority_code | count by authority | where n > 1")
            #expect(names.rowCount == 0, "\(d.name): \(names.rows)")
            let codes = try Self.engine.query("from \(d.name) | where authority_code is not null | distinct authority, authority_code | count by authority_code | where n > 1")
            #expect(codes.rowCount == 0, "\(d.name): \(codes.rows)")
        }
        let dorset = try Self.engine.query(#"from inspections | where authority == "Dorset" | distinct authority_code"#)
        #expect(dorset.rows == [[.text("E06000059")]])
        let county = try Self.engine.query(#"from inspections | where authority_code == "E10000009" | distinct authority"#)
        #expect(county.rows == [[.text("Dorset County Council")]])
        // `previous() by authority` no longer chains the county's judgements into the unitary council's.
        let chained = try Self.engine.query("""
            from inspections | where authority == "Dorset" | sort published
            | derive before = previous(published) by authority | where before < 2019-04-01 | count
            """)
        #expect(chained.rows == [[.int(0)]])
    }

    /// A CPI or TLAC inspection judged child protection or services for looked-after children,
    /// not overall effectiveness: its judgement is in `safeguarding` / `looked_after_children`.
    @Test func cpiAndTlacHaveNoOverallJudgement() throws {
        let t = try Self.engine.query("""
            from inspections | where framework in ["CPI", "CPRI", "TLAC"]
            | summarize rows = count(), overall = count(overall is not null), safeguarding = count(safeguarding is not null),
                        lac = count(looked_after_children is not null) by framework
            | sort framework
            """)
        #expect(t.rows == [[.text("CPI"), .int(50), .int(0), .int(50), .int(0)],
                           [.text("CPRI"), .int(1), .int(0), .int(1), .int(0)],
                           [.text("TLAC"), .int(5), .int(0), .int(0), .int(5)]])
        // So the latest overall judgement of a council is never a CPI's.
        let latest = try Self.engine.query("""
            from inspections | where overall is not null | latest published by authority_code as of 2014-01-01 | count by framework
            """)
        #expect(!latest.rows.contains { $0[0] == .text("CPI") || $0[0] == .text("TLAC") })
    }

    /// Providers' "Children's Home" (7 rows) is written "Children's home", as in the other 2,814.
    @Test func providerCategoriesHaveOneSpelling() throws {
        let t = try Self.engine.query(#"from providers | where lower(provision_type) == "children's home" | count by provision_type"#)
        #expect(t.rows == [[.text("Children's home"), .int(2821)]])
    }


    /// LAIT's figures are the exact decimals LAIT publishes, not the 17-digit expansions of
    /// binary doubles the raw file writes (`34.700000000000003`): equality with a published
    /// figure holds, and every value is the shortest decimal that reads back as its double.
    @Test func laitValuesAreTheirShortestDecimals() throws {
        let row = try Self.engine.query("""
            from indicators | where measure == "CPP_rate" and authority == "Leicestershire" and year == 2025 and value == 34.7
            | select value
            """)
        #expect(row.rows == [[.number(.decimal(try #require(Decimal64(mantissa: 347, scale: 1))))]])
        let all = try Self.engine.query("from indicators | where value is not null | select value")
        let column = try #require(all.columns.first)
        var inexact = 0, longer: [String] = []
        for r in 0..<all.rowCount {
            guard case .number(let n) = column[r] else { continue }
            if case .double = n { inexact += 1; continue }
            let written = n.description
            guard let double = Double(written) else { longer.append(written); continue }
            if Self.plain("\(double)") != written, longer.count < 5 { longer.append(written) }
        }
        #expect(all.rowCount > 540_000)
        #expect(inexact == 0)
        #expect(longer.isEmpty, "not in shortest form: \(longer)")
    }

    /// `compare … with england, region` on a DfE table reads DfE's published figures (from the
    /// table's `_areas` companion), not the plain average of the councils: Oxfordshire's 2025
    /// children in care per 10,000 is 51 against England's 67 and the South East's 55.
    @Test func compareUsesDfEsPublishedFigures() throws {
        let t = try Self.engine.query("""
            from children_in_care | where authority == "Oxfordshire" and year == 2025
            | select authority, year, rate_per_10k | compare with england, region
            """)
        #expect(t.rows == [[.text("Oxfordshire"), .int(2025), .int(51), .int(67), .int(-16), .int(55), .int(-4)]])
        #expect(t.noteTexts.contains { $0.contains("published England figure") })
        #expect(!t.noteTexts.contains { $0.contains("plain average") })
        let england = try Self.engine.query("""
            from children_in_care_areas | where authority == "England" and year in [2010, 2025] | select year, children, rate_per_10k
            """)
        #expect(england.rows == [[.int(2010), .int(64_460), .null], [.int(2025), .int(81_770), .int(67)]])
        // Every DfE council table has its companion, and compare finds it.
        for name in ["children_in_need", "child_protection_plans", "referrals", "child_population"] {
            let c = try Self.engine.query("from \(name) | where authority == \"Oxfordshire\" and year == 2024 | select authority, year, children_or_referrals | compare with england"
                .replacingOccurrences(of: "children_or_referrals", with: name == "referrals" ? "referrals" : "children"))
            #expect(c.noteTexts.contains { $0.contains("from \(name)_areas") }, "\(name): \(c.noteTexts)")
        }
    }

    /// Children starting and ceasing to be looked after, from DfE's file (Oxfordshire 2025:
    /// 344 started, 22 per 10,000; 318 ceased, 20), null before 2019.
    @Test func childrenStartingAndCeasingToBeLookedAfter() throws {
        let t = try Self.engine.query("""
            from children_in_care | where authority == "Oxfordshire" and year in [2018, 2025]
            | select year, started, started_rate_per_10k, ceased, ceased_rate_per_10k
            """)
        #expect(t.rows == [[.int(2018), .null, .null, .null, .null], [.int(2025), .int(344), .int(22), .int(318), .int(20)]])
        // From 2019 only a suppressed figure is missing: the Isles of Scilly's in 2020.
        let missing = try Self.engine.query("from children_in_care | where year >= 2019 and started is null | select authority, year")
        #expect(missing.rows == [[.text("Isles of Scilly"), .int(2020)]])
    }

    /// docs/datasets.md: DfE's children starting to be looked after agree with LAIT's
    /// `LACnum_Start` for 1,056 of the 1,058 council-years both have; Hackney's and Richmond
    /// upon Thames's 2020 figures differ by one.
    @Test func startersAgreeWithLAIT() throws {
        let dfe = try Self.engine.query("from children_in_care | where started is not null | select authority_code, year, started")
        let lait = try Self.engine.query(#"from indicators | where measure == "LACnum_Start" and level == "council" and value is not null | select authority_code, year, value"#)
        var theirs: [String: Value] = [:]
        for row in lait.rows { theirs["\(row[0].displayText) \(row[1].displayText)"] = row[2] }
        var both = 0
        var differ: [String] = []
        for row in dfe.rows {
            guard let other = theirs["\(row[0].displayText) \(row[1].displayText)"] else { continue }
            both += 1
            if other != row[2] { differ.append("\(row[0].displayText) \(row[1].displayText)") }
        }
        #expect(both == 1_058)
        #expect(differ.sorted() == ["E09000012 2020", "E09000027 2020"])
    }

    /// docs/datasets.md: an exact `sum(value)` overflows for 19 of the 434 LAIT measures (their
    /// values are long in their shortest form), and rounding first always works.
    @Test func laitSumsThatOverflow() throws {
        let measures = try Self.engine.query("from measures | select measure").rows.compactMap { $0[0].textValue }
        #expect(measures.count == 434)
        var failing = 0
        for m in measures {
            let literal = Value.text(m).literalText
            do {
                _ = try Self.engine.query("from indicators | where measure == \(literal) | summarize s = sum(value)")
            } catch {
                #expect(error.diagnostics.first?.code == .overflow, "\(m): \(error.diagnostics.map(\.message))")
                failing += 1
            }
        }
        #expect(failing == 19)
        let rounded = try Self.engine.query("from indicators | summarize s = sum(round(value, 4)) by measure | count")
        #expect(rounded.rows == [[.int(434)]])
    }

    /// A double's shortest text (Swift's, which may use an exponent) as a plain decimal.
    static func plain(_ text: String) -> String {
        let parts = text.lowercased().split(separator: "e")
        var digits = String(parts[0])
        let negative = digits.hasPrefix("-")
        if negative { digits.removeFirst() }
        var point = digits.firstIndex(of: ".").map { digits.distance(from: digits.startIndex, to: $0) } ?? digits.count
        digits.removeAll { $0 == "." }
        if parts.count == 2, let e = Int(parts[1]) { point += e }
        if point <= 0 { digits = String(repeating: "0", count: 1 - point) + digits; point = 1 }
        if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
        var out = String(digits.prefix(point))
        let fraction = digits.dropFirst(point).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
        if !fraction.isEmpty { out += "." + fraction }
        out = out.replacingOccurrences(of: "^0+(?=\\d)", with: "", options: .regularExpression)
        return (negative && out != "0" ? "-" : "") + out
    }

}
