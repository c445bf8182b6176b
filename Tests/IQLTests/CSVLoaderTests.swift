import Testing
@testable import IQL

struct CSVLoaderTests {
    static func load(_ text: String) throws(IQLError) -> Table {
        try CSVLoader.load(Array(text.utf8), file: "t.csv")
    }

    /// CSV text, the inferred type of each column, and the rows rendered back as CSV.
    static let cases: [(String, [ValueType], String)] = [
        ("a,b\n1,x\n2,y\n", [.number, .text], "a,b\n1,x\n2,y\n"),
        ("\u{FEFF}a,b\r\n1,2\r\n", [.number, .number], "a,b\n1,2\n"),
        ("a\r1\r2\r", [.number], "a\n1\n2\n"),
        ("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", [.text, .text], "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"),
        ("a\n\"two\nlines\"\n", [.text], "a\n\"two\nlines\"\n"),
        ("n\n10\nc\nx\n7\n", [.number], "n\n10\n\n\n7\n"),
        ("n\n\"1,234\"\n5\n", [.number], "n\n1234\n5\n"),
        ("code\n007\n123\n", [.text], "code\n007\n123\n"),
        ("v\n1\nabc\n", [.text], "v\n1\nabc\n"),
        ("d\n2019-08-31\n\n2020-02-29\n", [.date], "d\n2019-08-31\n\n2020-02-29\n"),
        ("r\nGood\nrequires improvement to be good\nOutstanding\n", [.rating], "r\nGood\nRequires improvement to be good\nOutstanding\n"),
        ("b\ntrue\nfalse\n", [.bool], "b\ntrue\nfalse\n"),
        ("x\n1.5\n-2\n3e2\n", [.number], "x\n1.5\n-2\n300\n"),
        ("big\n99999999999999999999\n", [.text], "big\n99999999999999999999\n"),
        ("h\n", [.text], "h\n"),
    ]

    @Test(arguments: cases)
    func infersTypesAndKeepsValues(csv: String, types: [ValueType], roundTrip: String) throws {
        let t = try Self.load(csv)
        #expect(t.schema.columns.map(\.type) == types)
        #expect(CSVWriter.render(t) == roundTrip)
    }

    static let problems: [(String, String)] = [
        ("", "t.csv: the file is empty; a CSV needs a header row"),
        ("a,b\n1,2\n3\n", "t.csv:3: 1 field where the header has 2"),
        ("a,b\n1,\"open\n", "t.csv:2: a quoted field is never closed"),
        ("a,a\n1,2\n", "t.csv:1: two columns are named 'a'"),
        ("a,\n1,2\n", "t.csv:1: column 2 has no name in the header"),
        ("a\n\"x\"y\n", "t.csv:2: text after a closing quote"),
        ("when\n01/02/2020\n", "t.csv: column 'when' holds dates written with slashes that read as day/month or month/day; IQL will not guess which"),
    ]

    @Test(arguments: problems)
    func reportsProblemsWithFileAndLine(csv: String, message: String) {
        do {
            _ = try Self.load(csv)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.message == message)
        }
    }

    @Test func writingAndReadingBackGivesTheSameTable() throws {
        let original = try Self.load("""
            name,score,when,rating
            "comma, inside",1.25,2020-01-01,Good
            "quote "" inside",-7,,Inadequate
            "line
            break",,2021-12-31,
            émoji 🎉,9223372036854775807,2000-02-29,Outstanding

            """)
        let again = try Self.load(CSVWriter.render(original))
        #expect(again.schema == original.schema)
        #expect(again.rows == original.rows)
    }
}

/// The two-thread loader splits a large file at a record boundary found by counting quotes;
/// whatever the file holds around the split, the table must equal the one-thread result.
struct ParallelCSVTests {
    @Test(arguments: [0, 1, 2])
    func twoThreadsGiveTheSameTableAsOne(variant: Int) throws {
        var text = "id,name,score,when,rating,code\n"
        var i = 0
        while text.utf8.count < CSVLoader.parallelThreshold + 200_000 {
            // Quoted commas, doubled quotes and line breaks inside fields, everywhere in the file.
            // Empty names too (code 0 in the text dictionary), on both sides of the split.
            let name = i % 7 == variant ? "\"line\nbreak, \"\"quoted\"\" \(i)\"" : (i % 17 == variant ? "" : "name \(i % 1000)")
            let score = i % 11 == 0 ? "" : (i % 13 == variant ? "c" : "\(i % 97).\(i % 10)")
            let code = i % 5000 == 4999 ? "0\(i)" : "\(i)"   // a leading zero late on: the column is text
            text += "\(i),\(name),\(score),2020-01-\(String(format: "%02d", i % 28 + 1)),\(["Good", "Inadequate", ""][i % 3]),\(code)\n"
            i += 1
        }
        let bytes = Array(text.utf8)
        // One thread field by field (no blocks) against two threads reading blocks.
        let (one, two) = try bytes.withUnsafeBytes { b in
            (try CSVLoader.load(buffer: b, file: "t.csv", parallel: false, blocks: false), try CSVLoader.load(buffer: b, file: "t.csv"))
        }
        #expect(one.rowCount == i)
        #expect(two.rowCount == i)
        #expect(one.schema == two.schema)
        #expect(one.schema.columns.map(\.type) == [.number, .text, .number, .date, .rating, .text])
        for c in 0..<one.columns.count {
            #expect(one.columns[c].values == two.columns[c].values, "column \(one.schema.columns[c].name)")
        }
    }
}

/// Types are guessed from the first rows, then checked against every value; the result must
/// be what inferring from all of the values gives.
struct SampledTypeTests {
    @Test func markersFirstThenNumbersIsANumberColumn() throws {
        var text = "n,label\n"
        for i in 0..<(CSVLoader.sampleRows + 500) { text += "c,row \(i)\n" }
        text += "42,last\n"
        let t = try CSVLoader.load(Array(text.utf8), file: "t.csv")
        #expect(t.schema.columns.map(\.type) == [.number, .text])
        #expect(t.columns[0][t.rowCount - 1] == .int(42))
        #expect(t.columns[0][0] == .null)
    }

    @Test func numbersFirstThenTextIsATextColumn() throws {
        var text = "period\n"
        for i in 0..<(CSVLoader.sampleRows + 10) { text += "\(2000 + i % 20)\n" }
        text += "2021-22\n"
        let t = try CSVLoader.load(Array(text.utf8), file: "t.csv")
        #expect(t.schema.columns.map(\.type) == [.text])
        #expect(t.columns[0][0] == .text("2000"))
        #expect(t.columns[0][t.rowCount - 1] == .text("2021-22"))
    }
}

/// A column whose first rows all hold one value and whose last row holds another: the type
/// must be the one inference from the two values gives, whichever way the sample guessed.
struct LateValueTypeTests {
    static let cases: [(early: String, late: String, type: ValueType)] = [
        ("12", "05.5", .text),           // a leading zero makes a code
        ("12", "+05", .text),
        ("12", "0,123", .text),
        ("12", "0.5", .number),
        ("12", "-0", .number),
        ("12", "1.5e3", .number),
        ("12", "1.2345678901234567890123", .number),
        ("12", "low", .number),          // suppression marker
        ("true", "True", .bool),
        ("true", "maybe", .text),
        ("2020-01-31", "c", .text),
        ("2020-01-31", "2020-02-30", .text),
        ("Good", "GOOD", .rating),
        ("Good", "Requires improvement", .rating),
        ("abc", "1", .text),
        ("x", "1", .number),             // x is a suppression marker
    ]

    @Test(arguments: cases)
    func typeIsDecidedByEveryValue(early: String, late: String, type: ValueType) throws {
        #expect(try CSVLoader.inferType([early, late], column: "v", file: "t.csv") == type)
        var text = "v\n"
        for _ in 0..<(CSVLoader.sampleRows + 10) { text += "\(early)\n" }
        text += "\"\(late)\"\n"
        let t = try CSVLoader.load(Array(text.utf8), file: "t.csv")
        #expect(t.schema.columns[0].type == type)
        #expect(t.columns[0][t.rowCount - 1] == CSVLoader.convert(late, to: type))
    }
}

struct QuoteCountTests {
    @Test(arguments: ["", "\"", "abc", "a\"b\"c\"\"\"\"", String(repeating: "x\"y", count: 100), "\u{A2}\u{22A2}\"\u{80}"])
    func countsEveryQuote(text: String) {
        let bytes = Array(text.utf8)
        let expected = bytes.filter { $0 == 0x22 }.count
        for start in 0..<min(3, bytes.count + 1) {
            let got = bytes.withUnsafeBytes { CSVLoader.quoteCount($0, start..<bytes.count) }
            #expect(got == bytes[start...].filter { $0 == 0x22 }.count)
        }
        #expect(bytes.withUnsafeBytes { CSVLoader.quoteCount($0, 0..<bytes.count) } == expected)
    }
}

/// Ratings are recognised on the bytes by their length first: every wording, in any case, and
/// nothing else of the same lengths.
struct RatingBytesTests {
    static let cases: [(String, Rating?)] = [
        ("Outstanding", .outstanding), ("GOOD", .good), ("good", .good),
        ("Requires improvement to be good", .requiresImprovement), ("requires improvement", .requiresImprovement),
        ("Inadequate", .inadequate), ("INADEQUATE", .inadequate),
        ("Goods", nil), ("Gooe", nil), ("Outstandinf", nil), ("Inadequatf", nil), ("", nil),
        ("requires-improvement", nil), ("Requires improvement to be goof", nil), ("1234", nil),
    ]

    @Test(arguments: cases)
    func recognisesOfstedWording(text: String, rating: Rating?) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { ColumnBuilder.rating(wording: $0) } == rating)
        #expect(Rating(wording: text) == rating)
    }
}

/// The two-thread split is taken at the first line break after the middle without counting
/// quotes; when that line break is inside a quoted field the loader must notice and split by
/// quote parity instead.
struct SpeculativeSplitTests {
    @Test func aSplitInsideAQuotedFieldIsNoticed() throws {
        // Each record is mostly one quoted field whose line break comes just before its
        // closing quote, so the first line break after almost any point is inside quotes.
        var text = "id,note\n"
        var i = 0
        while text.utf8.count < CSVLoader.parallelThreshold + 100_000 {
            text += "\(i),\"\(String(repeating: "x", count: 150 + i % 50))\n\"\n"
            i += 1
        }
        let bytes = Array(text.utf8)
        let bodyStart = "id,note\n".utf8.count
        let middle = bodyStart + (bytes.count - bodyStart) / 2
        let lineBreak = try #require(bytes[middle...].firstIndex(of: 0x0A))
        let quotesBefore = bytes[..<lineBreak].filter { $0 == 0x22 }.count
        #expect(quotesBefore % 2 == 1, "the test needs the middle's line break to be inside quotes")
        let (blocks, fields) = try BlockCSVTests.bothWays(bytes)
        BlockCSVTests.expectSame(blocks, fields)
        #expect(blocks.rowCount == i)
    }
}

/// The block reader (records found a block at a time, then each column read in one loop) must
/// give exactly the table the field-by-field reader gives, whatever the file holds.
struct BlockCSVTests {
    static func bothWays(_ bytes: [UInt8], schema: Schema? = nil) throws -> (blocks: Table, fields: Table) {
        try bytes.withUnsafeBytes { b in
            (try CSVLoader.load(buffer: b, file: "t.csv", schema: schema),
             try CSVLoader.load(buffer: b, file: "t.csv", schema: schema, parallel: false, blocks: false))
        }
    }

    static func expectSame(_ a: Table, _ b: Table, _ label: String = "") {
        #expect(a.rowCount == b.rowCount, "\(label)")
        #expect(a.schema == b.schema, "\(label)")
        for c in 0..<min(a.columns.count, b.columns.count) {
            #expect(a.columns[c].values == b.columns[c].values, "\(label) column \(a.schema.columns[c].name)")
        }
    }

    static let files: [String] = [
        "a,b\n1,x\n2,y\n",
        "\u{FEFF}a,b\r\n1,2\r\n3,4",
        "\n\r\na,b\n1,2\n",
        "a\r1\r\r2\r",
        "a\n1\n\n\n2\n",
        "a,b\n\n1,2\n\n",
        "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"\"\n",
        "a,b,c\n1,,\n,,\n2,3,\n",
        // Nulls and markers before, between and after values; a finer scale part-way.
        "n\n\n\nc\n5\n\nx\n1.25\n\n3\n",
        "n\n1\n2.5\n\n0.125\n-7\n",
        "n\n\n\n\n",
        "d,r\n2019-08-31,Good\n,\n2020-02-29,requires improvement\n,OUTSTANDING\n",
        "v\n1\nabc\n2\n",
        "code\n12\n007\n",
        "b\ntrue\n\nFALSE\n",
        "x,y\n1,2\n3,4,5\n",
        "x\n\"a\"b\n",
        "x,y\n1,\"open\n",
        "x,y\n1,2",
        "x,y\n1,2,",
        // Fields longer than the scanner's 64-byte window, quoted and not, and line ends at
        // every offset within it.
        "a,b\n" + String(repeating: "x", count: 200) + ",\"" + String(repeating: "y,\"\"\n", count: 40) + "\"\n1,2\n",
        "a,b\n" + (0..<70).map { "\(String(repeating: "z", count: $0)),\($0)\r\n" }.joined(),
        "a,b\n" + (0..<70).map { "\(String(repeating: "q", count: $0)),\"\($0)\"\n" }.joined() + "x,\"y\"z\n",
    ]

    @Test(arguments: files)
    func smallFilesMatch(csv: String) throws {
        let bytes = Array(csv.utf8)
        let blocks: Result<Table, IQLError> = bytes.withUnsafeBytes { b in
            do throws(IQLError) { return .success(try CSVLoader.load(buffer: b, file: "t.csv")) } catch { return .failure(error) }
        }
        let fields: Result<Table, IQLError> = bytes.withUnsafeBytes { b in
            do throws(IQLError) { return .success(try CSVLoader.load(buffer: b, file: "t.csv", blocks: false)) } catch { return .failure(error) }
        }
        switch (blocks, fields) {
        case (.success(let a), .success(let b)): Self.expectSame(a, b, csv)
        case (.failure(let a), .failure(let b)): #expect(a.diagnostics.map(\.message) == b.diagnostics.map(\.message))
        default: Issue.record("one reader failed and the other did not: \(csv)")
        }
    }

    /// More rows than a block, with values whose range and scale grow block after block, runs
    /// of nulls across block boundaries, and a column that turns out not to be numbers late.
    @Test func manyBlocksMatch() throws {
        var text = "id,amount,when,rating,late,name\n"
        for i in 0..<5_000 {
            let amount = i % 300 < 40 ? "" : (i < 2_500 ? "\(i)" : (i < 4_000 ? "\(i).5" : "-\(i).125"))
            let when = i % 1_100 < 30 ? "" : "20\(10 + i % 15)-0\(1 + i % 9)-1\(i % 10)"
            let late = i == 4_321 ? "n/a" : "\(i * 1_000_003)"
            text += "\(i),\(amount),\(when),\(["Good", "", "Inadequate"][i % 3]),\(late),\"name, \(i % 37)\"\n"
        }
        let (a, b) = try Self.bothWays(Array(text.utf8))
        Self.expectSame(a, b)
        #expect(a.schema.columns.map(\.type) == [.number, .number, .date, .rating, .text, .text])
        #expect(a.rowCount == 5_000)
    }

    @Test func declaredSchemaMatches() throws {
        let schema = Schema(columns: [.number("n", ""), .text("t", ""), .date("d", "")])
        let (a, b) = try Self.bothWays(Array("n,t,d\n1,x,2020-01-01\n\n2.75,,\n1e3,\"y\"\"z\",2021-12-31\n".utf8), schema: schema)
        Self.expectSame(a, b)
    }

    /// The bundled LAIT table, read on two threads in blocks, against one field-by-field pass.
    @Test func bundledIndicatorsMatch() throws {
        let bytes = try BundledDataset.indicatorsCSV()
        let schema = Schema(columns: BundledDataset.indicatorFileColumns)
        let (a, b) = try Self.bothWays(bytes, schema: schema)
        Self.expectSame(a, b)
    }
}

/// The loader's date parser computes day numbers its own way; it must agree with `Day`.
struct LoaderDateTests {
    @Test func everyDayFrom1899To2101AndTheEdgesAgree() {
        var texts: [String] = ["0001-01-01", "9999-12-31", "0000-01-01", "2000-02-29", "1900-02-29", "2100-02-29",
                               "2019-13-01", "2019-00-10", "2019-04-31", "2019-04-00", "20x9-01-01", "2019/01/01", "2019-1-01"]
        for year in 1899...2101 {
            for month in 1...12 {
                for day in 1...31 {
                    texts.append(String(format: "%04d-%02d-%02d", year, month, day))
                }
            }
        }
        for text in texts {
            let parsed = Array(text.utf8).withUnsafeBytes { ColumnBuilder.isoDate($0) }
            #expect(parsed == Day(iso: Substring(text))?.ordinal, "\(text)")
        }
    }
}

/// UK and other spreadsheet dates in CSV files: inferred where the values decide, refused
/// only where every slash date reads both ways, settled by the date order.
struct CSVDateFormatTests {
    static func load(_ csv: String, order: DateOrder? = nil) throws(IQLError) -> Table {
        var engine = Engine(bundledData: false)
        engine.dateOrder = order
        try engine.registerCSV(text: csv, as: "t")
        return try engine.query("from t")
    }

    @Test(arguments: [
        // values, order given, the dates read (nil: an error)
        ("31/03/2024\n01/04/2024", nil, "2024-03-31,2024-04-01"),
        ("03/31/2024\n04/01/2024", nil, "2024-03-31,2024-04-01"),
        ("2024-03-31\n1/4/2024", DateOrder.dayMonthYear, "2024-03-31,2024-04-01"),
        ("2024-03-31\n13/4/24", nil, "2024-03-31,2024-04-13"),
        ("31-Mar-2024\n1 April 2024\n2024-04-02", nil, "2024-03-31,2024-04-01,2024-04-02"),
        ("03/04/2024\n01/02/2024", DateOrder.monthDayYear, "2024-03-04,2024-01-02"),
        ("03/04/2024\n01/02/2024", nil, nil),
        ("31/03/2024\n03/31/2024", nil, nil),
    ] as [(String, DateOrder?, String?)])
    func slashDates(values: String, order: DateOrder?, expected: String?) {
        do throws(IQLError) {
            let t = try Self.load("d\n" + values + "\n", order: order)
            #expect(t.schema.columns[0].type == .date, "\(values)")
            #expect(expected == (0..<t.rowCount).map { t.columns[0][$0].displayText }.joined(separator: ","))
        } catch {
            #expect(expected == nil, "\(values): \(error.diagnostics.map(\.message))")
            #expect(error.diagnostics.first?.code == .ambiguousDates)
        }
    }

    @Test func theErrorNamesTheValuesAndHowToChoose() {
        #expect(throws: IQLError.self) { try Self.load("d\n03/04/2024\n") }
        do throws(IQLError) {
            _ = try Self.load("d\n03/04/2024\n01/02/2024\n")
        } catch {
            let d = error.diagnostics.first
            #expect(d?.notes.first == "every one reads both ways, such as \"03/04/2024\", \"01/02/2024\"")
            #expect(d?.notes.last?.contains("--date-format dmy") == true)
        }
        do throws(IQLError) {
            _ = try Self.load("d\n31/03/2024\n03/31/2024\n")
        } catch {
            #expect(error.diagnostics.first?.message.contains("only day first (\"31/03/2024\") and dates that read only month first (\"03/31/2024\")") == true)
        }
    }

    @Test func aDateNoCalendarHasLeavesTheColumnText() throws {
        let t = try Self.load("d\n31/03/2024\n31/02/2024\n")
        #expect(t.schema.columns[0].type == .text)
    }

    @Test(arguments: [
        ("31/03/2024", "DD/MM/YYYY", "2024-03-31"), ("3/4/24", "D/M/YY", "2024-04-03"), ("1-Apr-2024", "D-MON-YYYY", "2024-04-01"),
        ("20240105", "YYYYMMDD", "2024-01-05"), ("12/31/1999", "MM/DD/YYYY", "1999-12-31"), ("3 march 2021", "D MON YYYY", "2021-03-03"),
        ("31/02/2024", "DD/MM/YYYY", nil), ("2024-03-31", "DD/MM/YYYY", nil), ("31/03/2024x", "DD/MM/YYYY", nil),
    ] as [(String, String, String?)])
    func dateFromTextAndFormat(text: String, format: String, expected: String?) {
        #expect(DateOrder.day(text, format: format)?.description == expected, "\(text) as \(format)")
    }
}
