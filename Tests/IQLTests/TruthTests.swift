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
            | where framework == "ILACS" and status == "Current"
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
            from inspections | where framework == "ILACS" and status == "Current"
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
        #expect(Set(gone.rows.map { $0[0] }) == Set(["Bournemouth", "Cumbria", "Dorset", "Northamptonshire", "Poole"].map(Value.text)))
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
            #expect(names.isSubset(of: ["Bournemouth", "Poole", "Dorset", "Northamptonshire", "Cumbria"]), "\(d.name): \(names)")
        }
    }
}
