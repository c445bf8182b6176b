import Testing
@testable import IQL

/// Each query runs over `Sample` (five rows with nulls) and is compared as CSV.
struct EvaluatorTests {
    static let cases: [(String, String)] = [
        ("from sample | where score > 15 | select name",
         "name\nb\nd\ne\n"),
        // between: inclusive at both ends, for numbers, dates and ratings; null stays unknown.
        ("from sample | where score between 20 and 40 | select name",
         "name\nb\nd\n"),
        ("from sample | where score not between 20 and 40 | select name",
         "name\na\ne\n"),
        ("from sample | where seen between 2020-01-05 and 2021-12-31 | select name",
         "name\na\nb\n"),
        ("from sample | where rating between ri and good | select name",
         "name\na\ne\n"),
        ("from sample | where score between 10 + 5 and 50 and region == \"South\" | select name",
         "name\nd\n"),
        ("from sample | derive x = score between 15 and 45 | select name, x",
         "name,x\na,false\nb,true\nc,\nd,true\ne,false\n"),
        ("from sample | derive between = score | where between > 30 | select name",
         "name\nd\ne\n"),
        ("from sample | where not (score > 15) | select name",
         "name\na\n"),
        ("from sample | where score is null | select name",
         "name\nc\n"),
        ("from sample | where rating >= good | select name",
         "name\na\nb\n"),
        (#"from sample | where rating == "requires improvement to be good" | select name"#,
         "name\ne\n"),
        ("from sample | where region in [\"North\", \"East\"] | select name",
         "name\na\nb\ne\n"),
        ("from sample | where region not in [\"North\"] | select name",
         "name\nc\nd\ne\n"),
        ("from sample | where flag | select name",
         "name\na\nc\n"),
        ("from sample | where seen >= 2021-01-01 | select name, seen",
         "name,seen\nb,2021-03-01\nd,2022-11-11\n"),
        ("from sample | sort score desc | select name, score",
         "name,score\ne,50\nd,40\nb,20\na,10\nc,\n"),
        ("from sample | sort score | select name",
         "name\na\nb\nd\ne\nc\n"),
        ("from sample | sort region, score desc | select name",
         "name\ne\nb\na\nd\nc\n"),
        ("from sample | sort rating desc | select name, rating",
         "name,rating\nb,Outstanding\na,Good\ne,Requires improvement to be good\nc,Inadequate\nd,\n"),
        ("from sample | sort score desc | take 2 | select name",
         "name\ne\nd\n"),
        ("from sample | sort region | take 3 | select name, region",
         "name,region\ne,East\na,North\nb,North\n"),
        ("from sample | sort score | take 10 | select name",
         "name\na\nb\nd\ne\nc\n"),
        ("from sample | sort rating desc, name | take 3 | select name",
         "name\nb\na\ne\n"),
        ("from sample | take 2 | select name",
         "name\na\nb\n"),
        ("from sample | take 0 | select name",
         "name\n"),
        ("from sample | count",
         "n\n5\n"),
        ("from sample | where score > 1000 | count",
         "n\n0\n"),
        ("from sample | count by region",
         "region,n\nEast,1\nNorth,2\nSouth,2\n"),
        ("from sample | summarize total = sum(score), mean = avg(score), mid = median(score), lo = min(score), hi = max(score), rows = count(), goods = count(rating >= good), kinds = count_distinct(region)",
         "total,mean,mid,lo,hi,rows,goods,kinds\n120,30,30,10,50,5,2,3\n"),
        ("from sample | summarize firsts = first(score), lasts = last(score), best = max(rating), earliest = min(seen) by region",
         "region,firsts,lasts,best,earliest\nEast,50,50,Requires improvement to be good,\nNorth,10,20,Outstanding,2020-01-05\nSouth,40,40,Inadequate,2019-07-30\n"),
        ("from sample | summarize share = round(count(score > 15) * 100 / count(), 1) by region",
         "region,share\nEast,100\nNorth,50\nSouth,50\n"),
        ("from sample | where score > 1000 | summarize total = sum(score), n = count()",
         "total,n\n,0\n"),
        ("from sample | distinct region",
         "region\nNorth\nSouth\nEast\n"),
        ("from sample | select region | distinct",
         "region\nNorth\nSouth\nEast\n"),
        ("from sample | derive double = score * 2, plus = double + 1 | select name, plus",
         "name,plus\na,21\nb,41\nc,\nd,81\ne,101\n"),
        ("from sample | derive score = coalesce(score, 0) | select name, score",
         "name,score\na,10\nb,20\nc,0\nd,40\ne,50\n"),
        ("from sample | derive before = previous(name), after = next(name) by region | select name, before, after",
         "name,before,after\na,,b\nb,a,\nc,,d\nd,c,\ne,,\n"),
        ("from sample | derive before = previous(name) | select name, before",
         "name,before\na,c\nb,a\nc,\nd,b\ne,d\n"),
        ("from sample | latest by region | select region, name",
         "region,name\nNorth,b\nSouth,d\n"),
        ("from sample | latest seen by region as of 2021-01-01 | select region, name",
         "region,name\nNorth,a\nSouth,c\n"),
        ("from sample | latest score by region | select region, name",
         "region,name\nEast,e\nNorth,b\nSouth,d\n"),
        ("from sample | select name, x = if(score > 15, \"big\", \"small\")",
         "name,x\na,small\nb,big\nc,small\nd,big\ne,big\n"),
        ("from sample | select name, y = year(seen), m = month(seen), d = day(seen) | take 1",
         "name,y,m,d\na,2020,1,5\n"),
        ("from sample | select days = days_between(2020-01-01, seen), later = seen + 30 | take 1",
         "days,later\n4,2020-02-04\n"),
        ("from sample | select a = 7 / 2, b = 8 / 2, c = 7 % 3, d = -7 % 3, e = round(2.345, 2), f = round(-2.5), g = abs(-3), h = 0.1 + 0.2 | take 1",
         "a,b,c,d,e,f,g,h\n3.5,4,1,-1,2.35,-3,3,0.3\n"),
        ("from sample | select a = 1 / 3, b = 0.1 * 3 == 0.3, c = 1.10 + 2.205, d = round(1 / 3, 3), e = 2.5 * 4, f = floor(-2.5), g = ceil(2.1), h = 10 / 4 | take 1",
         "a,b,c,d,e,f,g,h\n0.3333333333333333,true,3.305,0.333,10,-3,3,2.5\n"),
        ("from sample | where score in [10, 20] | summarize a = avg(score), b = sum(score * 0.1), c = median(score * 1.5)",
         "a,b,c\n15,3,22.5\n"),
        ("from sample | select p = pct_change(score, 2 * score), q = pct_change(0, 5) | take 1",
         "p,q\n100,\n"),
        ("from sample | select u = upper(name), l = lower(\"AbC\"), n = length(region), c = contains(region, \"ort\"), s = starts_with(region, \"So\") | take 3",
         "u,l,n,c,s\nA,abc,5,true,false\nB,abc,5,true,false\nC,abc,5,false,true\n"),
        ("from sample | where region like \"%th\" | select name",
         "name\na\nb\nc\nd\n"),
        ("from sample | where region not like \"N%\" and region ilike \"s_UTH\" | select name",
         "name\nc\nd\n"),
        ("from sample | select a = like(\"50% off\", \"50%\"), b = \"x\" like \"\", c = \"\" like \"%\", d = \"Ünïcode\" ilike \"üNÏ%\", e = \"ab\" like \"a_b\" | take 1",
         "a,b,c,d,e\ntrue,false,true,true,false\n"),
        ("from sample | select d = date(2024, 2, 29) | take 1",
         "d\n2024-02-29\n"),
        ("from sample | where score > 15 and rating is null | select name",
         "name\nd\n"),
        ("from sample | where score > 15 or rating == good | select name",
         "name\na\nb\nd\ne\n"),
        ("let few = from sample | where name in [\"a\", \"b\"] | select name, tag = region\nfrom sample | join left few on name | select name, tag",
         "name,tag\na,North\nb,North\nc,\nd,\ne,\n"),
        ("let few = from sample | where name in [\"a\", \"b\"] | select name, tag = region\nfrom sample | join few on name | select name, tag",
         "name,tag\na,North\nb,North\n"),
        ("let big = from sample | where score >= 40\nfrom big | select name",
         "name\nd\ne\n"),
        ("let threshold = 20\nfrom sample | where score > threshold | select name",
         "name\nd\ne\n"),
        ("let few = from sample | where name in [\"a\", \"b\"] | select name, tag = region\nfrom sample | join anti few on name | select name",
         "name\nc\nd\ne\n"),
        ("let pairs = from sample | select name, region, tag = score\nfrom sample | where name != \"e\" | select name, region | join pairs on name, region | select name, tag",
         "name,tag\na,10\nb,20\nc,\nd,40\n"),
        ("let pairs = from sample | where name != \"b\" | select who = name, where_ = region, tag = score\nfrom sample | join left pairs on name == who, region == where_ | select name, who, tag",
         "name,who,tag\na,a,10\nb,,\nc,c,\nd,d,40\ne,e,50\n"),
        ("let pairs = from sample | where name != \"b\" | select name, region\nfrom sample | join anti pairs on name, region | select name",
         "name\nb\n"),
        ("from sample | select name, region | join sample on name | select name, region, sample.region, score",
         "name,region,sample.region,score\na,North,North,10\nb,North,North,20\nc,South,South,\nd,South,South,40\ne,East,East,50\n"),
    ]

    @Test(arguments: cases)
    func evaluates(query: String, expected: String) throws {
        #expect(try Sample.engine().csv(query) == expected)
    }

    /// Runtime errors are diagnostics with the range of the expression that failed.
    static let runtimeErrors: [(String, String, String)] = [
        ("from sample | select x = score / 0", "division by zero", "score / 0"),
        ("from sample | select x = 9223372036854775807 + score", "integer overflow in '+': 9223372036854775807 + 10 does not fit in 64 bits", "9223372036854775807 + score"),
        ("from sample | select x = date(2019, 2, score)", "date(2019, 2, 40) is not a date in the calendar", "date(2019, 2, score)"),
        ("let n = 0 - 3\nfrom sample | take n", "take needs a whole number of rows, 0 or more; found -3", "n"),
    ]

    @Test(arguments: runtimeErrors)
    func reportsRuntimeErrors(query: String, message: String, underlined: String) throws {
        var engine = try Sample.engine()
        do {
            try engine.run(query)
            Issue.record("expected an error")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(d.message == message)
            #expect(d.range.map { SourceFile(name: "q", text: query).text(in: $0) } == underlined)
        }
    }

    @Test func whereNotAndIsNullPartitionTheRows() throws {
        let engine = try Sample.engine()
        for p in ["score > 15", "rating >= good", "flag", "seen < 2021-01-01", "region == \"North\" and score > 15"] {
            let all = try engine.query("from sample | count").rows
            let yes = try engine.query("from sample | where \(p) | count").rows[0][0]
            let no = try engine.query("from sample | where not (\(p)) | count").rows[0][0]
            let unknown = try engine.query("from sample | where (\(p)) is null | count").rows[0][0]
            guard case .number(.int(let a)) = yes, case .number(.int(let b)) = no, case .number(.int(let c)) = unknown,
                  case .number(.int(let total)) = all[0][0] else {
                Issue.record("counts are not integers")
                continue
            }
            #expect(a + b + c == total, "\(p)")
        }
    }

    @Test func letBindingsPersistAcrossRunsOfOneEngine() throws {
        var engine = try Sample.engine()
        try engine.run("let north = from sample | where region == \"North\"")
        let result = try engine.run("from north | count")
        #expect(CSVWriter.render(result.tables[0]) == "n\n2\n")
        #expect(engine.boundNames.map(\.name) == ["north"])
    }
}

/// `latest` reads typed time columns straight from their packed storage; ties must keep the
/// later row, null times never count, and `as of` bounds the times, whatever the width.
struct LatestTimeTests {
    static let csv = """
        k,d,n,name
        a,2020-01-01,5,first
        a,2020-01-01,5,second
        a,,9,null time
        b,2019-05-05,-300000,only
        b,,,no time
        c,,,never
        a,2019-12-31,4,earlier
        """

    static let cases: [(String, String)] = [
        ("from x | latest d by k | select k, name", "k,name\na,second\nb,only\n"),
        ("from x | latest n by k | select k, name", "k,name\na,null time\nb,only\n"),
        ("from x | latest d by k as of 2020-01-01 | select k, name", "k,name\na,second\nb,only\n"),
        ("from x | latest d by k as of 2019-12-31 | select k, name", "k,name\na,earlier\nb,only\n"),
        ("from x | latest n by k as of 4 | select k, name", "k,name\na,earlier\nb,only\n"),
        ("from x | latest n by k as of -400000 | select k, name", "k,name\n"),
    ]

    /// With a whole-number key, `latest TIME by ID` takes a one-pass path indexed by the key;
    /// the same rules hold there, and keys come out in numeric order.
    static let numberKeyed = """
        urn,d,name
        300,2020-01-01,a1
        -5,2021-06-01,b1
        300,2020-01-01,a2
        300,,a3
        -5,2020-06-01,b2
        7,,c1
        300,2019-01-01,a4
        """

    static let numberCases: [(String, String)] = [
        ("from y | latest d by urn | select urn, name", "urn,name\n-5,b1\n300,a2\n"),
        ("from y | latest d by urn as of 2020-12-31 | select urn, name", "urn,name\n-5,b2\n300,a2\n"),
        ("from y | where name != \"a2\" | latest d by urn | select urn, name", "urn,name\n-5,b1\n300,a1\n"),
        ("from y | latest d by urn as of 2000-01-01 | select urn, name", "urn,name\n"),
        ("from y | where urn > 1000 | latest d by urn | select urn, name", "urn,name\n"),
        ("from y | latest d by urn, name | count", "n\n5\n"),
    ]

    /// Keys spread over more slots than fit the cache take the partitioned path: the same
    /// rules (later row wins a tie, null times never count, `as of` bounds), for times of one
    /// byte (packed into one word) and of four, checked against a plain computation.
    @Test(arguments: [(false, nil), (false, 0), (true, nil), (true, 0)] as [(Bool, Int?)])
    func partitionedPathKeepsTheRules(wideTime: Bool, asOf: Int?) throws {
        var state: UInt64 = wideTime ? 7 : 11
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var lines = ["urn,t,row"]
        var best: [Int: (t: Int, row: Int)] = [:]
        // The same over the rows a `where` keeps: the columns then read through a selection.
        var bestKept: [Int: (t: Int, row: Int)] = [:]
        for row in 0..<20_000 {
            // 4,000 keys over a span of 80,000: two partitions of slots (and within the span,
            // four slots a row, that the whole-number path takes at all).
            let urn = next() % 4_000 * 20
            let t: Int? = next() % 10 == 0 ? nil : (wideTime ? next() % 2_000_000_000 - 1_000_000_000 : next() % 40 - 20)
            lines.append("\(urn),\(t.map(String.init) ?? ""),\(row)")
            guard let t, asOf.map({ t <= $0 }) ?? true else { continue }
            if row % 3 != 1, (bestKept[urn].map { t >= $0.t } ?? true) { bestKept[urn] = (t, row) }
            if let b = best[urn], t < b.t { continue }
            best[urn] = (t, row)
        }
        #expect(80_000 > LatestPerKey.slotsInCache)
        var engine = Engine()
        try engine.registerCSV(text: lines.joined(separator: "\n"), as: "p")
        let query = "from p | latest t by urn" + (asOf.map { " as of \($0)" } ?? "") + " | select urn, row"
        let expected = "urn,row\n" + best.keys.sorted().map { "\($0),\(best[$0]!.row)\n" }.joined()
        #expect(CSVWriter.render(try engine.query(query)) == expected)
        // The same rows, handed to a count in input order.
        let counted = try engine.query(query.replacingOccurrences(of: " | select urn, row", with: " | summarize n = count(), last = max(row)"))
        #expect(CSVWriter.render(counted) == "n,last\n\(best.count),\(best.values.map(\.row).max() ?? 0)\n")
        let filtered = query.replacingOccurrences(of: "from p |", with: "from p | where row % 3 != 1 |")
        let expectedKept = "urn,row\n" + bestKept.keys.sorted().map { "\($0),\(bestKept[$0]!.row)\n" }.joined()
        #expect(CSVWriter.render(try engine.query(filtered)) == expectedKept)
    }

    /// A kernel's typed answer is the column its values would make, nulls and all, so no
    /// output can tell which way a summarize's results came.
    @Test func typedAggregateAnswersAreTheValuesColumn() throws {
        let cases: [([Int64], [Int64]?)] = [
            ([3, -7, 1 << 40, 0], nil), ([3, 9, 4], [1, 0, 2]), ([5, 6], [0, 0]), ([], nil), ([Int64.min, .max], [1, 1]),
        ]
        for (numbers, present) in cases {
            let values = numbers.indices.map { g -> Value in present.map { $0[g] == 0 } ?? false ? .null : .int(numbers[g]) }
            let typed = AggregateAnswer.integers(numbers, present: present).column(in: Array(numbers.indices))
            let plain = Column(values)
            #expect(typed.count == plain.count && (0..<plain.count).allSatisfy { typed[$0] == plain[$0] }, "\(numbers)")
            #expect(String(describing: typed.storage).prefix(6) == String(describing: plain.storage).prefix(6), "same storage kind")
            let reversed = Array(numbers.indices.reversed())
            let gathered = AggregateAnswer.integers(numbers, present: present).column(in: reversed)
            #expect(reversed.enumerated().allSatisfy { gathered[$0.offset] == values[$0.element] })
        }
        // Through a query: sums, least and greatest by many groups, some all null.
        var lines = ["k,v"]
        for r in 0..<100_000 { lines.append("\(r % 40_000),\(r % 40_000 < 3 ? "" : String(r % 97 - 40))") }
        var engine = Engine()
        try engine.registerCSV(text: lines.joined(separator: "\n"), as: "t")
        let got = engine.csv("from t | summarize s = sum(v), a = min(v), b = max(v), n = count() by k | where k < 5 or k > 39997")
        #expect(got == """
            k,s,a,b,n
            0,,,,3
            1,,,,3
            2,,,,3
            3,-3,-37,35,3
            4,0,-36,36,3
            39998,24,-6,30,2
            39999,26,-5,31,2

            """, "\(got)")
    }

    /// A whole column's sum, count, least and greatest, taken over every stored word with the
    /// null rows' words taken back out, match a row loop: nulls on either side of a 64-row
    /// word's edge, a whole word of them, all rows, none, and mask bits past the last row
    /// (which are not rows). A null row's word is some value, as storage leaves it.
    @Test(arguments: [0, 1, 63, 64, 65, 130, 1000, 4099])
    func wholeColumnAggregatesLeaveOutNullRows(n: Int) throws {
        let raw = (0..<n).map { r in Int64((r &* 7919) % 251) - 125 }
        let patterns: [(String, (Int) -> Bool)] = [
            ("none", { _ in false }), ("sparse", { $0 % 37 == 5 }), ("edges", { $0 % 64 == 63 || $0 % 64 == 0 }),
            ("a word", { $0 >= 64 && $0 < 128 }), ("all", { _ in true }), ("last", { $0 == n - 1 }),
        ]
        for (name, isNull) in patterns {
            var mask = NullMask(count: n + 64)
            for r in 0..<n where isNull(r) { mask.insert(r) }
            // Bits past the last row, in the last word and the next: not rows, so not counted.
            mask.insert(n)
            mask.insert(n + 63)
            let kept = (0..<n).filter { !isNull($0) }.map { raw[$0] }
            for (width, packed) in [(1, PackedInts(base: 3, words: .i8(raw.map { Int8($0) }))),
                                    (2, PackedInts(base: -1000, words: .i16(raw.map { Int16($0 * 200) }))),
                                    (4, PackedInts(base: 1 << 40, words: .i32(raw.map { Int32($0 * 1_000_000) })))] {
                let scale: Int64 = width == 1 ? 1 : width == 2 ? 200 : 1_000_000
                let values = kept.map { packed.base + $0 * scale }
                for extremes in [false, true] {
                    let got = try #require(AggregateKernels.wholeColumn(packed, mask, rows: n, extremes: extremes))
                    #expect(got.sum == values.reduce(0, +) && got.count == Int64(values.count), "\(name), \(width) bytes")
                    if extremes, let low = values.min(), let high = values.max() {
                        #expect(got.low == low && got.high == high, "\(name), \(width) bytes")
                    }
                }
            }
        }
    }

    /// Work split between the cores fails as one piece after another would: with the first
    /// failing piece's error, and answers in order otherwise. Over a table of many blocks, a
    /// row that overflows in each half reports the earlier row; one in the later half alone
    /// reports that one.
    @Test func splitWorkFailsAsInOrder() throws {
        struct Failed: Error, Equatable { let piece: Int }
        #expect(try TwoCores.map(1000) { $0 * 2 } == (0..<1000).map { $0 * 2 })
        #expect(throws: Failed(piece: 300)) {
            try TwoCores.map(1000) { i in if i == 300 || i == 900 { throw Failed(piece: i) }; return i }
        }
        #expect(throws: Failed(piece: 900)) {
            try TwoCores.map(1000) { i in if i == 900 { throw Failed(piece: i) }; return i }
        }
        func table(overflowAt rows: [Int: Int64]) throws -> Engine {
            var lines = ["a,b"]
            for r in 0..<200_000 { lines.append("\(rows[r] ?? 5),3") }
            var engine = Engine()
            try engine.registerCSV(text: lines.joined(separator: "\n"), as: "t")
            return engine
        }
        let both = try table(overflowAt: [150_000: 9_000_000_000_000_000_000, 70_000: 8_000_000_000_000_000_000])
        for q in ["from t | where a * b > 10 | count", "from t | derive c = a * b | summarize s = max(c)"] {
            #expect(both.csv(q).contains("8000000000000000000 * 3 does not fit"), "\(q)")
        }
        let later = try table(overflowAt: [150_000: 9_000_000_000_000_000_000])
        #expect(later.csv("from t | where a * b > 10 | count").contains("9000000000000000000 * 3 does not fit"))
        #expect(try table(overflowAt: [:]).csv("from t | derive c = a * b | summarize s = max(c), n = count()") == "s,n\n15,200000\n")
    }

    /// An expression over one column of few values, behind a filter's selection, is answered
    /// per distinct value and gathered typed, row for row as over the rows copied out: not a
    /// boxed `Value` a row, which made every kernel after it run row by row.
    @Test func distinctValuesBehindASelectionStayTyped() throws {
        let n = 5000
        let words = (0..<n).map { Int64(($0 &* 37) % 400) }
        var mask = NullMask(count: n)
        for r in stride(from: 3, to: n, by: 17) { mask.insert(r) }
        let stored = Column(storage: .decimal(PackedInts(words), scale: 1, nulls: mask), count: n)
        let kept = (0..<n).filter { $0 % 3 != 1 }
        let schema = Schema(columns: [.init(name: "a", type: .number)])
        let behind = Table(schema: schema, columns: [stored.gathering(Selection(kept))], rowCount: kept.count)
        let copied = Table(schema: schema, columns: [Column(kept.map { stored[$0] })], rowCount: kept.count)
        let range = SourceRange(start: 0, end: 0)
        let a = CompiledExpression.column(0, type: .number, range: range)
        for e in [CompiledExpression(type: .number, range: range, shape: .arithmetic(.add, a, .constant(.int(1), range: range))),
                  CompiledExpression(type: .number, range: range, shape: .arithmetic(.divide, a, .constant(.int(3), range: range)))] {
            let env = RuntimeEnvironment()
            let got = try #require(VectorEvaluator(table: behind, environment: env).byDistinctValues(e))
            if case .values = got { Issue.record("boxed: \(e.shape)") }
            // Row by row over the rows copied out.
            let evaluate = e.evaluate
            var ctx = RowContext(table: copied, environment: env)
            let want = try (0..<kept.count).map { r -> Value in
                ctx.row = r
                return try evaluate(ctx)
            }
            #expect((0..<kept.count).allSatisfy { got.value(at: $0) == want[$0] }, "\(e.shape)")
        }
    }

    /// A derived column that only a whole-table sum or average reads is added block by block
    /// as the blocks are evaluated (`fold-derive`, then `BlockEvaluation.sum`): the same bits,
    /// notes and errors as making the column first. Quotients exact in some blocks and doubles
    /// in others, null rows, a sum too large for 64 bits (the general path then reports it),
    /// and an overflow in each half of the table (the earlier row's error).
    @Test func foldedSumsMatchTheColumnAndFailAsInOrder() throws {
        func table(_ a: (Int) -> String) throws -> (folded: Engine, plain: Engine) {
            var lines = ["a,b"]
            for r in 0..<200_000 { lines.append("\(a(r)),\(r % 11 == 3 ? "" : String(r % 7 + 1))") }
            var folded = Engine()
            try folded.registerCSV(text: lines.joined(separator: "\n"), as: "t")
            var plain = folded
            plain.disabledOptimizerPasses = ["fold-derive"]
            return (folded, plain)
        }
        func same(_ engines: (folded: Engine, plain: Engine), _ q: String) throws -> String {
            #expect(try engines.folded.plan(q).contains("fold-derive"), "\(q)")
            #expect(try !engines.plain.plan(q).contains("fold-derive"), "\(q)")
            let got = engines.folded.csv(q)
            #expect(got == engines.plain.csv(q), "\(q)")
            if !got.hasPrefix("ERROR") {
                #expect(try engines.folded.query(q).noteTexts == engines.plain.query(q).noteTexts, "\(q)")
            }
            return got
        }
        // Exact quotients where b divides a (every row of the first blocks), doubles after.
        let mixed = try table { r in String(r < 70_000 ? (r % 50) * 420 : r % 1000 - 500) }
        for q in ["from t | derive c = a / b | summarize s = avg(c)",
                  "from t | derive c = a / b | summarize s = sum(c)",
                  "from t | derive c = pct_change(b, a) | summarize s = round(avg(c), 6)",
                  "from t | derive c = a * b | summarize s = sum(c)"] {
            let got = try same(mixed, q)
            #expect(!got.hasPrefix("ERROR") && got != "s\n\n", "\(q): \(got)")
        }
        let notes = try mixed.folded.query("from t | derive c = a / b | summarize s = avg(c)").noteTexts
        #expect(notes.contains { $0.contains("avg(c) is over") && $0.contains("are null") }, "\(notes)")
        // Rows of 4e18 times 2: each fits, their sum does not.
        let big = try table { r in r % 5000 == 0 ? "4000000000000000000" : "1" }
        #expect(try same(big, "from t | derive c = a * (b - b + 2) | summarize s = sum(c)").contains("does not fit"))
        // Rows of 1.5e308: each finite, their sum not (the general path then says so).
        let huge = try table { r in r % 5000 == 0 ? "1.5e308" : "0.5" }
        let past = try same(huge, "from t | derive c = a * (b - b + 1) | summarize s = sum(c)")
        #expect(past.hasPrefix("ERROR"), "\(past)")
        let twice = try table { r in r == 150_000 ? "9000000000000000000" : r == 70_000 ? "8000000000000000000" : "5" }
        let failed = try same(twice, "from t | derive c = a * (b + 9) | summarize s = avg(c)")
        #expect(failed.contains("8000000000000000000 * "), "\(failed)")
    }

    /// previous/next and sort give the stable sort's answer whether the keys pack into one
    /// radix key (times in a narrow range) or not (times spanning nearly all of Int64, so
    /// the group and the time need more than 64 bits and the comparison paths run), for
    /// enough rows that the radix sort splits on its highest digit first.
    @Test(arguments: [false, true])
    func windowsAndSortsAgreeWithTheStableSort(wideTimes: Bool) throws {
        let n = 70_000
        var x: UInt64 = 88_172_645_463_325_252
        func next() -> Int { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return Int(x % 1_000_003) }
        var rows: [(k: String, t: Int?, v: Int)] = []
        var lines = ["k,t,v"]
        for r in 0..<n {
            let k = "k\(next() % 9_000)", t: Int? = r % 17 == 5 ? nil : next() % 300
            // Wide: the same order, spread over Int64 (a multiple near Int64.max / 300 apart).
            let shown = t.map { wideTimes ? ($0 - 150) * 30_000_000_000_000_000 : $0 }
            rows.append((k, t, r))
            lines.append("\(k),\(shown.map(String.init) ?? ""),\(r)")
        }
        // Within each key, by time, ties in input order, no time last.
        func before(_ a: Int, _ b: Int) -> Bool {
            switch (rows[a].t, rows[b].t) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a < b
            }
        }
        var previous = [Int?](repeating: nil, count: n), following = [Int?](repeating: nil, count: n)
        let byKey = Dictionary(grouping: 0..<n) { rows[$0].k }
        for group in byKey.values {
            let ordered = group.sorted(by: before)
            for (i, r) in ordered.enumerated() {
                if i > 0 { previous[r] = ordered[i - 1] }
                if i + 1 < ordered.count { following[r] = ordered[i + 1] }
            }
        }
        var engine = Engine()
        try engine.registerCSV(text: lines.joined(separator: "\n"), as: "w", timeColumn: "t")
        let windows = CSVWriter.render(try engine.query("from w | derive p = previous(v), q = next(v) by k | select v, p, q"))
        let expected = "v,p,q\n" + (0..<n).map { r in
            "\(r),\(previous[r].map(String.init) ?? ""),\(following[r].map(String.init) ?? "")\n"
        }.joined()
        #expect(windows == expected)
        let one = CSVWriter.render(try engine.query("from w | derive q = next(v) by k | select q"))
        #expect(one == "q\n" + (0..<n).map { "\(following[$0].map(String.init) ?? "")\n" }.joined(), "one kind of link")
        let sorted = CSVWriter.render(try engine.query("from w | sort k desc, t | select v"))
        let want = (0..<n).sorted { a, b in rows[a].k != rows[b].k ? rows[a].k > rows[b].k : before(a, b) }
        #expect(sorted == "v\n" + want.map { "\($0)\n" }.joined())
    }

    /// Before a `count` or an order-blind `summarize`, `latest` hands its rows over in input
    /// order (the counts cannot tell); before `first` or `sum` it keeps key order.
    @Test func latestBeforeACountKeepsInputOrder() throws {
        let range = SourceRange(start: 0, end: 0)
        let schema = Schema(columns: [.init(name: "t", type: .number)])
        let latest = PlanNode(step: .latest(LatestOperator(column: 0, keys: [], asOf: nil)), schema: schema, text: "latest", range: range)
        func aggregate(_ f: Aggregate) -> PlanNode {
            PlanNode(step: .aggregate(AggregateOperator(keys: [], aggregates: [AggregateCall(function: f, argument: nil, range: range)],
                                                        items: [], schema: Schema(columns: []))),
                     schema: Schema(columns: []), text: "count", range: range)
        }
        for (f, keyOrder) in [(Aggregate.count, false), (.max, false), (.first, true), (.sum, true)] {
            let plan = PipelinePlan(source: .dataset("p"), sourceSchema: schema, nodes: [latest, aggregate(f)])
            let fused = LatestInputOrder().apply(to: plan)
            guard case .latest(let l) = fused.nodes[0].step else { Issue.record("latest moved"); continue }
            #expect(l.keyOrder == keyOrder, "\(f)")
            #expect(fused.nodes.map(\.text) == ["latest", "count"])
        }
        #expect(BitWords.ascending([9, 2, 70, 0, 64], below: 71) == [0, 2, 9, 64, 70])
        var engine = Engine()
        try engine.registerCSV(text: Self.numberKeyed, as: "y")
        #expect(CSVWriter.render(try engine.query("from y | latest d by urn | count by name")) == "name,n\na2,1\nb1,1\n")
    }

    @Test(arguments: cases + numberCases)
    func latestRows(query: String, expected: String) throws {
        var engine = Engine()
        try engine.registerCSV(text: Self.csv, as: "x")
        try engine.registerCSV(text: Self.numberKeyed, as: "y")
        #expect(CSVWriter.render(try engine.query(query)) == expected)
    }
}

/// Aggregates skip nulls; the result says so, so an average over some rows does not pass for
/// one over all of them.
struct NullNoteTests {
    static let cases: [(String, [String])] = [
        ("from sample | summarize a = avg(score)", ["avg(score) is over 4 of 5 rows: 1 is null"]),
        ("from sample | summarize a = avg(score), b = max(seen), c = count()",
         ["avg(score) is over 4 of 5 rows: 1 is null", "max(seen) is over 4 of 5 rows: 1 is null"]),
        ("from sample | summarize a = sum(score) by region", ["sum(score) leaves out null values: 1 is null, of 5 rows"]),
        ("from sample | summarize a = avg(score * 2) by region | sort a | take 1",
         ["avg(score * 2) leaves out null values: 1 is null, of 5 rows"]),
        ("from sample | summarize a = min(name), n = count(), f = count(flag)", []),
        ("from sample | where score is not null | summarize a = avg(score)", []),
        ("from sample | summarize a = avg(score) | select b = a + 1", ["avg(score) is over 4 of 5 rows: 1 is null"]),
    ]

    @Test(arguments: cases)
    func notesSkippedNulls(query: String, notes: [String]) throws {
        let table = try Sample.engine().query(query)
        #expect(table.noteTexts == notes)
        let rendered = TableRenderer(color: false).render(table)
        for note in notes { #expect(rendered.contains("\nnote: \(note)\n")) }
    }
}

/// `sort COLUMN | take N` on a whole-number column as loaded reads the stored values in one
/// pass; it must give the rows a stable sort gives, ties in row order, either direction.
struct TopStoredTests {
    @Test(arguments: [1, 3, 10, 250, 5_000])
    func topRowsMatchAStableSort(k: Int) throws {
        var state: UInt64 = 5
        var lines = ["row,v"]
        var values: [Int?] = []
        for row in 0..<3_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            // Many ties, and nulls (which come last either way), more of them late on.
            let v: Int? = Int(state >> 40) % (row > 2_000 ? 4 : 15) == 0 ? nil : Int(state >> 33) % 200 - 100
            values.append(v)
            lines.append("\(row),\(v.map(String.init) ?? "")")
        }
        var engine = Engine()
        try engine.registerCSV(text: lines.joined(separator: "\n"), as: "t")
        for descending in [false, true] {
            let order = values.indices.sorted { a, b in
                switch (values[a], values[b]) {
                case let (x?, y?): return x != y ? (descending ? x > y : x < y) : a < b
                case (nil, nil): return a < b
                case (nil, _): return false
                case (_, nil): return true
                }
            }
            let expected = "row\n" + order.prefix(k).map { "\($0)\n" }.joined()
            let query = "from t | sort v\(descending ? " desc" : "") | take \(k) | select row"
            #expect(CSVWriter.render(try engine.query(query)) == expected, "\(query)")
        }
    }
}

/// `ScalarFunction.canFail` decides whether a call may run on rows that evaluation skips (the
/// right side of `and`, an untaken `if` branch), so it must be right both ways: a function not
/// marked never throws for arguments of its types, and a marked one does for some.
/// `contains` searches bytes when both texts are ASCII: the answer must be Swift's own.
struct ContainsTests {
    @Test(arguments: [("Grammar Hill Academy", "Academy"), ("aab", "ab"), ("abc", "abcd"), ("abc", ""), ("", "a"),
                      ("St Mary's", "Mary"), ("academy", "Academy"), ("Caf\u{E9}", "Caf"), ("cafe\u{301}", "cafe"),
                      ("x", "x"), ("xyxyz", "xyz")])
    func byteSearchAgreesWithCharacters(text: String, part: String) throws {
        let expected = part.isEmpty || text.contains(part)
        if let bytes = ScalarFunction.asciiContains(text, part) { #expect(bytes == expected, "\(text) / \(part)") }
        let call = try #require(ScalarFunction.catalog["contains"])
        #expect(try call.evaluate([.text(text), .text(part)], SourceRange(start: 0, end: 0)) == .bool(expected))
    }
}

/// Text `==`, `!=`, `in` and `not in` against constants look codes up in the column's
/// dictionary: by comparing entries on the first search, by a hash index from the second (or
/// for a list). Each way must give Swift's `==` answer, where a composed and a decomposed
/// accent are two entries that both match, with SQL's nulls.
struct TextLookupTests {
    static let csv = "name,row\nCaf\u{E9},1\nCafe\u{301},2\nCafe,3\n,4\nTea,5\nCaf\u{E9},6\n"

    @Test(arguments: [
        (#"where name == "Caf\#u{E9}""#, "1,2,6"),
        (#"where name == "Cafe\#u{301}""#, "1,2,6"),
        (#"where name != "Caf\#u{E9}""#, "3,5"),
        (#"where name == "cafe\#u{301}""#, ""),
        (#"where name == "nothing""#, ""),
        (#"where name in ["Tea", "Caf\#u{E9}"]"#, "1,2,5,6"),
        (#"where name not in ["Tea", "Caf\#u{E9}"]"#, "3"),
        (#"where name in ["Tea", null]"#, "5"),
        (#"where (name not in ["Tea", null]) is null"#, "1,2,3,4,6"),
        (#"where (name == "Tea") is null"#, "4"),
    ])
    func lookupsAgreeOnFirstAndLaterSearches(condition: String, rows: String) throws {
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: Self.csv, as: "t")
        let query = "from t | \(condition) | sort row | select row"
        // First search (entries compared), then again (the index), then row by row.
        for _ in 0..<3 {
            let got = try engine.query(query).rows.map { $0[0].displayText }.joined(separator: ",")
            #expect(got == rows, "\(query)")
        }
        engine.vectorised = false
        let rowByRow = try engine.query(query).rows.map { $0[0].displayText }.joined(separator: ",")
        #expect(rowByRow == rows, "row by row: \(query)")
    }

    /// The index is built on a dictionary's second search, and never past the size limit.
    @Test func theIndexIsBuiltOnTheSecondSearchAndOnlyUnderTheLimit() {
        let small = ["", "a", "b"]
        let index = TextDictionaryIndex()
        #expect(index.map(for: small, searches: 1) == nil)
        #expect(index.map(for: small, searches: 1) == ["a": [1], "b": [2]])
        let big = [""] + (0...TextDictionaryIndex.maxEntries).map { "n\($0)" }
        let bigIndex = TextDictionaryIndex()
        #expect(bigIndex.map(for: big, searches: 5) == nil)
        #expect(bigIndex.map(for: big, searches: 5) == nil)
    }

    /// A dictionary too large for the index is searched by a pass over its entries, alone or
    /// against a set of the listed texts: the same answers, every time.
    @Test func aDictionaryPastTheIndexLimitGivesTheSameAnswers() throws {
        let n = TextDictionaryIndex.maxEntries + 10
        let csv = "name,row\n" + (0..<n).map { "n\($0),\($0)" }.joined(separator: "\n") + "\n"
        var engine = Engine(bundledData: false)
        try engine.registerCSV(text: csv, as: "t")
        for _ in 0..<2 {
            #expect(try engine.query(#"from t | where name == "n65540" | select row"#).rows == [[.int(65540)]])
            #expect(try engine.query(#"from t | where name != "n5" | count"#).rows == [[.int(Int64(n - 1))]])
            #expect(try engine.query(#"from t | where name in ["n3", "n65545", "nope", "n3"] | sort row | select row"#).rows
                    == [[.int(3)], [.int(65545)]])
            #expect(try engine.query(#"from t | where name not in ["n3", null] | count"#).rows == [[.int(0)]])
        }
    }
}

struct FunctionFailureTests {
    static let samples: [Value] = [
        .int(0), .int(1), .int(-1), .int(.max), .int(.min), .number(.decimal(Decimal64(mantissa: 15, scale: 1)!)),
        .number(.decimal(Decimal64(mantissa: .max, scale: 18)!)), .double(1e308), .double(-1e308), .double(0.5),
        .text(""), .text("abc"), .text("é"), .date(Day(ordinal: 0)), .date(Day(year: 1, month: 1, day: 1)!),
        .date(Day(year: 9999, month: 12, day: 31)!), .bool(true), .rating(.good), .null,
    ]

    @Test(arguments: ScalarFunction.catalog.keys.sorted())
    func canFailIsRight(name: String) throws {
        let function = try #require(ScalarFunction.catalog[name])
        var threw = false
        let range = SourceRange(start: 0, end: 0)
        for arity in function.arity.prefix(3) {
            var combination = [Int](repeating: 0, count: arity)
            while true {
                let args = combination.map { Self.samples[$0] }
                if case .success = function.resultType(args.map(\.type)),
                   !(function.nullPropagating && args.contains(where: \.isNull)) {
                    do { _ = try function.evaluate(args, range) } catch {
                        threw = true
                        #expect(function.canFail, "\(name)\(args.map(\.literalText)) threw, but canFail is false")
                    }
                }
                // The next combination, like counting in base samples.count.
                var i = 0
                while i < arity, combination[i] == Self.samples.count - 1 { combination[i] = 0; i += 1 }
                if i == arity { break }
                combination[i] += 1
            }
        }
        if function.canFail { #expect(threw, "\(name) is marked canFail but no sample made it fail") }
    }
}

/// SQL's LIKE: `%` any run, `_` one character, the whole text must match.
struct LikePatternTests {
    @Test(arguments: [
        ("abc", "abc", true), ("abc", "ab", false), ("abc", "a%", true), ("abc", "%c", true), ("abc", "%b%", true),
        ("abc", "a_c", true), ("abc", "a__c", false), ("abc", "%", true), ("", "%", true), ("", "", true), ("a", "", false),
        ("aaa", "%a%a%a%", true), ("aa", "%a%a%a%", false), ("mississippi", "m%iss%pi", true), ("mississippi", "m%iss%px", false),
        ("über", "_ber", true), ("x%y", "x%y", true), ("x_y", "x_y", true), ("Children's home", "Children's%", true),
    ])
    func matches(text: String, pattern: String, expected: Bool) {
        #expect(ScalarFunction.matches(text, pattern: pattern) == expected, "\(text) like \(pattern)")
    }

    /// Many % in a long text stay fast: each % is retried only from its last place.
    @Test func manyWildcardsStayLinear() {
        let text = String(repeating: "a", count: 20_000)
        let pattern = String(repeating: "%a", count: 200) + "%b"
        #expect(!ScalarFunction.matches(text, pattern: pattern))
    }
}
