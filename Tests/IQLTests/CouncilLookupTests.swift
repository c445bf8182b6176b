import Foundation
import Testing
@testable import IQL
import IQLPostgres

/// Compiled `compare` resolves council spellings in the database as iql does: it normalises a
/// name in SQL and looks it up in `iql_council_names`. Both halves are tested: the table
/// answers `identity(of:)` for every spelling, and each database normalises ASCII text as
/// `AuthorityNames.normalised` does.
struct CouncilLookupTests {
    /// Official spellings and codes of every council, region and England, each written several
    /// ways (case, `&`, punctuation, the words publications add), and text that names none.
    static func spellings() throws -> [String] {
        let authorities = try Engine().table(named: "authorities")
        var base: [String] = ["England", "North West", "Yorkshire and the Humber", "London (Inner)", "Bournemouth (Pre LG)", "Hull",
                              "Dorset County Council", "Cumbria", "909", "E10000023", "nowhere", "", "   ", "&", "City of", "the"]
        for column in ["authority", "authority_code", "authority_dfe", "dfe_code"] {
            guard let i = authorities.schema.index(of: column) else { continue }
            for r in 0..<authorities.rowCount { if case .text(let s) = authorities.columns[i][r] { base.append(s) } }
        }
        var out: [String] = []
        for s in base {
            out += [s, s.uppercased(), s.lowercased(), s.replacingOccurrences(of: " and ", with: " & "),
                    s.replacingOccurrences(of: " ", with: "  -  "), "  \(s).", "City of \(s)", "\(s) Council", "London Borough of \(s)",
                    "The \(s) County", s.replacingOccurrences(of: ",", with: ""), "\(s)\t(\(s))"]
        }
        // And random ASCII, for the normalisation alone.
        var g = DifferentialTests.Generator(7)
        let alphabet = Array("aZ9 &,.-'()\t\n_/#bEy")
        for _ in 0..<500 { out.append(String((0..<g.int(0...14)).map { _ in g.pick(alphabet) })) }
        return out
    }

    /// Looking a spelling's normalised text up in the table gives what `identity(of:)` gives,
    /// for every spelling.
    @Test func theTableAnswersAsIdentityOf() throws {
        let names = AuthorityNames.shared
        var table: [String: String] = [:]
        for row in names.lookupRows() { table[row.key] = row.identity }
        #expect(table.count > 5_000)
        var resolved = 0
        for s in try Self.spellings() {
            let want = names.identity(of: s)
            #expect(table[AuthorityNames.normalised(s)] == want, "\(s.debugDescription)")
            if want != nil { resolved += 1 }
        }
        #expect(resolved > 2_000, "the spellings should mostly name councils")
        // Regions carry none, councils theirs.
        let regions = Dictionary(names.lookupRows().map { ($0.identity, $0.region) }, uniquingKeysWith: { a, _ in a })
        #expect(regions["E12000002"] == .some(nil))
        #expect(regions["E10000025"] == "E12000008", "Oxfordshire is in the South East")
    }

    /// The SQL that normalises a name gives `AuthorityNames.normalised` for ASCII text, in
    /// PostgreSQL and in DuckDB.
    @Test func theDatabasesNormaliseAsIQLDoes() throws {
        let spellings = try Self.spellings().filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        let compiler = SQLCompiler(dialect: .postgres, schemas: { _ in nil })
        var rows: [String] = []
        for (i, s) in spellings.enumerated() { rows.append("(\(i), \(try SQLText.literal(s)))") }
        let sql = "SELECT i, \(compiler.councilKey("x")) FROM (VALUES \(rows.joined(separator: ", "))) AS t(i, x) ORDER BY i"
        let want = spellings.map(AuthorityNames.normalised)

        let database = try PostgresDatabase(connecting: ConnectedEngineTests.database("lookup"))
        var fromPostgres: [String] = []
        try database.query(sql, stop: { false }, columns: { _ in }, row: { fields in fromPostgres.append((fields.last ?? nil) ?? "NULL") })
        #expect(fromPostgres.count == want.count)
        for (i, (got, expected)) in zip(fromPostgres, want).enumerated() where got != expected {
            Issue.record("PostgreSQL normalises \(spellings[i].debugDescription) as \(got.debugDescription), iql as \(expected.debugDescription)")
        }

        let binary = try #require(DifferentialTests.duckdbPath(), "the DuckDB CLI is missing: scripts/setup-bench-peers installs it")
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("normalise.sql")
        // The normalised text holds only letters, digits and spaces, so CSV needs no quoting.
        try ".mode csv\n.headers off\n\(sql);\n".write(to: script, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.standardInput = try FileHandle(forReadingFrom: script)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let fromDuckDB = text.split(whereSeparator: \.isNewline).map { line in String(line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).last ?? "") }
        #expect(fromDuckDB.count == want.count)
        for (i, (got, expected)) in zip(fromDuckDB, want).enumerated() where got != expected {
            Issue.record("DuckDB normalises \(spellings[i].debugDescription) as \(got.debugDescription), iql as \(expected.debugDescription)")
        }
    }
}
