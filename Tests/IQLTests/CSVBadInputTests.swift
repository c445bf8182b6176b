import Foundation
import Testing
@testable import IQL

/// Files as they arrive from real systems: each is read exactly or refused with a message
/// naming the file and line, never altered or cut short silently.
struct CSVBadInputTests {
    static func load(_ bytes: [UInt8], lenient: Bool = false) throws(IQLError) -> (Table, CSVLoadReport) {
        var engine = Engine(bundledData: false)
        let report = try engine.registerCSV(text: String(decoding: bytes, as: UTF8.self), as: "t", lenient: lenient)
        return (try engine.table(named: "t"), report)
    }

    static func loadBytes(_ bytes: [UInt8], lenient: Bool = false) throws(IQLError) -> Table {
        // Straight from bytes, as a file would be, so invalid UTF-8 reaches the loader.
        let result = bytes.withUnsafeBytes { b -> Result<Table, IQLError> in
            do throws(IQLError) {
                return .success(try CSVLoader.loadReporting(buffer: b, file: "t.csv", lenient: lenient).table)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Files that load: the bytes, the types inferred and the table written back as CSV.
    static let readable: [(String, [UInt8], [ValueType], String)] = [
        ("byte order mark", Array("\u{FEFF}a,b\n1,x\n".utf8), [.number, .text], "a,b\n1,x\n"),
        ("CRLF line ends", Array("a,b\r\n1,x\r\n2,y\r\n".utf8), [.number, .text], "a,b\n1,x\n2,y\n"),
        ("lone CR line ends", Array("a,b\r1,x\r2,y\r".utf8), [.number, .text], "a,b\n1,x\n2,y\n"),
        ("no final line end", Array("a,b\n1,x".utf8), [.number, .text], "a,b\n1,x\n"),
        ("header only", Array("a,b\n".utf8), [.text, .text], "a,b\n"),
        ("mixed types are text", Array("v\n1\n2020-01-01\nGood\n".utf8), [.text], "v\n1\n2020-01-01\nGood\n"),
        ("thousands separators", Array("n\n\"1,234\"\n\"12,345,678.5\"\n7\n".utf8), [.number], "n\n1234\n12345678.5\n7\n"),
        ("grouping that is not thousands is text", Array("n\n\"1,23\"\n".utf8), [.text], "n\n\"1,23\"\n"),
        ("suppression markers are null", Array("n\n5\nc\nx\nz\nlow\nu\n:\n".utf8), [.number], "n\n5\n\n\n\n\n\n\n"),
        ("ISO dates", Array("d\n2019-08-31\n2020-02-29\n".utf8), [.date], "d\n2019-08-31\n2020-02-29\n"),
        ("dates in several formats are dates", Array("d\n2019-08-31\n31 Aug 2019\n".utf8), [.date], "d\n2019-08-31\n2019-08-31\n"),
        ("a date among text leaves it text", Array("d\n2019-08-31\nsoon\n".utf8), [.text], "d\n2019-08-31\nsoon\n"),
        ("quoted line breaks and quotes", Array("a\n\"x\ny\"\n\"say \"\"hi\"\"\"\n".utf8), [.text], "a\n\"x\ny\"\n\"say \"\"hi\"\"\"\n"),
        ("unicode", Array("name\nYnys Môn\n東京\n🎉\n".utf8), [.text], "name\nYnys Môn\n東京\n🎉\n"),
        ("extreme integers", Array("n\n9223372036854775807\n-9223372036854775808\n".utf8), [.number],
         "n\n9223372036854775807\n-9223372036854775808\n"),
    ]

    @Test(arguments: readable)
    func readsExactly(name: String, bytes: [UInt8], types: [ValueType], written: String) throws {
        let t = try Self.loadBytes(bytes)
        #expect(t.schema.columns.map(\.type) == types, "\(name)")
        #expect(CSVWriter.render(t) == written, "\(name)")
    }

    /// Files that are refused: the bytes and the start of the message.
    static let refused: [(String, [UInt8], DiagnosticCode, String)] = [
        ("empty file", [], .badHeader, "t.csv: the file is empty"),
        ("only blank lines", Array("\n\n".utf8), .badHeader, "t.csv: the file is empty"),
        ("duplicate header", Array("a,a\n1,2\n".utf8), .badHeader, "t.csv:1: two columns are named 'a'"),
        ("empty header name", Array("a,,c\n1,2,3\n".utf8), .badHeader, "t.csv:1: column 2 has no name"),
        ("short row", Array("a,b\n1,2\n3\n".utf8), .malformedCSV, "t.csv:3: 1 field where the header has 2"),
        ("long row", Array("a,b\n1,2,3\n".utf8), .malformedCSV, "t.csv:2: 3 fields where the header has 2"),
        ("unclosed quote", Array("a,b\n1,\"open\n2,3\n".utf8), .malformedCSV, "t.csv:2: a quoted field is never closed"),
        ("text after a closing quote", Array("a\n\"x\"y\n".utf8), .malformedCSV, "t.csv:2: text after a closing quote"),
        ("quote inside an unquoted field", Array("a\nx\"y\n".utf8), .malformedCSV, "t.csv:2: a quote inside an unquoted field"),
        ("invalid UTF-8 in a value", Array("a,b\n1,ok\n2,caf".utf8) + [0xE9] + Array("\n".utf8), .invalidUTF8,
         "t.csv:3: column 'b' is not valid UTF-8"),
        ("invalid UTF-8 in the header", Array("a,b".utf8) + [0xFF] + Array("\n1,2\n".utf8), .invalidUTF8,
         "t.csv:1: the header is not valid UTF-8"),
        ("day/month order unknown", Array("when\n01/02/2020\n03/04/2021\n".utf8), .ambiguousDates,
         "t.csv: column 'when' holds dates written with slashes that read as day/month or month/day"),
    ]

    @Test(arguments: refused)
    func refusesWithFileAndLine(name: String, bytes: [UInt8], code: DiagnosticCode, message: String) {
        do {
            _ = try Self.loadBytes(bytes)
            Issue.record("\(name): loaded")
        } catch {
            #expect(error.diagnostics.first?.code == code, "\(name)")
            #expect(error.diagnostics.first?.message.hasPrefix(message) == true, "\(name): \(error.diagnostics.first?.message ?? "")")
        }
    }

    @Test func lenientLeavesOutMalformedRowsAndSaysWhich() throws {
        let csv = "a,b,c\n1,x,2020-01-01\n2,y\n\n3,z,2020-01-03,extra\n4,w,2020-01-04\n"
        let (t, report) = try Self.load(Array(csv.utf8), lenient: true)
        #expect(CSVWriter.render(t) == "a,b,c\n1,x,2020-01-01\n4,w,2020-01-04\n")
        #expect(t.schema.columns.map(\.type) == [.number, .text, .date])
        #expect(report.rows == 2)
        #expect(report.skipped == [.init(line: 3, reason: "2 fields where the header has 3"),
                                   .init(line: 5, reason: "4 fields where the header has 3")])
        #expect(report.summary(file: "t.csv") == "t.csv: skipped 2 malformed rows (line 3: 2 fields where the header has 3; line 5: 4 fields where the header has 3)")
        // Without lenient, the first is an error.
        #expect(throws: IQLError.self) { try Self.load(Array(csv.utf8)) }
    }

    @Test func lenientSkipsRowsInColumnsReadTwice() throws {
        // A column typed as a number by the sample turns out to be text and is read again:
        // the second reading must leave out the same rows.
        var csv = "n,m\n"
        for i in 0..<(CSVLoader.sampleRows + 5) { csv += "\(i),\(i)\n" }
        csv += "bad\n"
        csv += "xyz,last\n"
        let (t, report) = try Self.load(Array(csv.utf8), lenient: true)
        #expect(report.skipped.count == 1)
        #expect(t.rowCount == CSVLoader.sampleRows + 6)
        #expect(t.schema.columns.map(\.type) == [.text, .text])
        #expect(t.columns[0][t.rowCount - 1] == .text("xyz"))
        #expect(t.columns[1][t.rowCount - 1] == .text("last"))
    }
}
