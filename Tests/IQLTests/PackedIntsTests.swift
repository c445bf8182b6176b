import Testing
@testable import IQL

/// Integers packed to the width of their range must read back exactly, whatever order they
/// arrive in, and take no more bytes than that range needs.
struct PackedIntsTests {
    static func pseudoRandom(_ n: Int, in range: ClosedRange<Int64>) -> [Int64] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = span == .max ? state : state % (span &+ 1)
            return range.lowerBound &+ Int64(bitPattern: r)
        }
    }

    /// Values, and the width in bytes the finished column must have.
    static let cases: [(String, [Int64], Int)] = [
        ("empty", [], 1),
        ("one value", [42], 1),
        ("nine region codes", (0..<2000).map { Int64($0 % 9) }, 1),
        ("255 apart fits a byte", [1000, 1255, 1100], 1),
        ("256 apart does not", [1000, 1256], 2),
        ("ascending ids", (1...100_000).map { Int64($0) }, 4),
        ("descending ids", (1...100_000).reversed().map { Int64($0) }, 4),
        ("day numbers", pseudoRandom(5000, in: 732_000...739_000), 2),
        ("negative and positive", pseudoRandom(5000, in: -30_000...30_000), 2),
        ("32-bit span", [Int64(Int32.min), Int64(Int32.max)], 4),
        ("just over 32 bits", [0, 1 << 32], 8),
        ("extremes", [.min, .max, 0, -1, 1], 8),
        ("near the top", [.max, .max - 3, .max - 200], 1),
        ("near the bottom", [.min, .min + 70_000], 4),
        ("any 64-bit values", pseudoRandom(3000, in: Int64.min...Int64.max), 8),
        ("a range that keeps growing", (0..<64).map { (Int64(1) << $0) &- 1 }, 8),
    ]

    @Test(arguments: cases)
    func readsBackExactlyAtTheNarrowestWidth(name: String, values: [Int64], width: Int) {
        var builder = PackedIntsBuilder(capacity: 16)
        for v in values { builder.append(v) }
        let packed = builder.finish()
        #expect(Array(packed) == values, "\(name)")
        #expect(packed.width == width, "\(name)")
        #expect(Array(PackedInts(values)) == values, "\(name)")
        #expect(PackedInts(values).width == width, "\(name)")
    }

    @Test(arguments: cases)
    func twoHalvesJoinedEqualOneBuilder(name: String, values: [Int64], width: Int) {
        let middle = values.count / 2
        var first = PackedIntsBuilder(capacity: 16), second = PackedIntsBuilder(capacity: 16)
        for v in values[..<middle] { first.append(v) }
        for v in values[middle...] { second.append(v) }
        first.append(contentsOf: second)
        #expect(Array(first.finish()) == values, "\(name)")
        #expect(first.finish().width == width, "\(name)")
    }

    @Test func nullRowsKeepTheirPlaceAndDoNotWidenTheRange() {
        var first = PackedIntsBuilder(capacity: 4)
        first.appendNull()
        first.appendNull()
        first.append(500)
        first.append(510)
        var second = PackedIntsBuilder(capacity: 4)
        second.appendNull()
        first.append(contentsOf: second)
        first.append(505)
        let packed = first.finish()
        #expect(packed.count == 6)
        #expect(packed[2] == 500 && packed[3] == 510 && packed[5] == 505)
        #expect(packed.width == 1)
    }

    @Test func mappedJoinRenumbersCodes() {
        // The second half's dictionary codes 1, 2, 3 are 300, 2 and 7 in the merged dictionary.
        var first = PackedIntsBuilder(capacity: 4), second = PackedIntsBuilder(capacity: 4)
        for c: Int64 in [1, 2, 0, 2] { first.append(c) }
        for c: Int64 in [3, 0, 1, 2] { second.append(c) }
        first.append(contentsOf: second, mapped: [0, 300, 2, 7])
        #expect(Array(first.finish()) == [1, 2, 0, 2, 7, 0, 300, 2])
    }

    @Test func scalingKeepsValuesOrRefusesOnOverflow() {
        var b = PackedIntsBuilder(capacity: 4)
        for v: Int64 in [15, -3, 120] { b.append(v) }
        let scaled = b.multiply(by: 100)
        #expect(scaled)
        #expect(Array(b.finish()) == [1500, -300, 12000])
        let overflowed = !b.multiply(by: Int64.max / 1000)
        #expect(overflowed)
        #expect(Array(b.finish()) == [1500, -300, 12000])
    }
}

/// Groups with distinct integer keys are put in key order by placing each at its key, not by
/// sorting; the order must be the sort's, and anything the placement cannot do is left to it.
struct RankOrderTests {
    static let cases: [(String, [Int64], [Int]?)] = [
        ("empty", [], []),
        ("in order", [1, 2, 3], [0, 1, 2]),
        ("reversed with gaps", [30, 20, 10], [2, 1, 0]),
        ("negative", [5, -5, 0], [1, 2, 0]),
        ("null last", [.max, 7, 3], [2, 1, 0]),
        ("only null", [.max], [0]),
        ("equal ranks are left to the sort", [4, 4], nil),
        ("two nulls are left to the sort", [.max, .max], nil),
        ("too sparse to place", [0, 1 << 40], nil),
        ("extremes", [.min, 0], nil),
    ]

    @Test(arguments: cases)
    func placesDistinctRanksInOrder(name: String, ranks: [Int64], expected: [Int]?) {
        let got = Grouping.order(byDistinctRanks: ranks)
        #expect(got == expected, "\(name)")
        if let got { #expect(got == ranks.indices.sorted { ranks[$0] < ranks[$1] }, "\(name)") }
    }
}
