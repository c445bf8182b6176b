/// A calendar date with no time of day, stored as days since 1970-01-01 (proleptic Gregorian).
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01; negative before it.
    public let ordinal: Int32

    /// Wraps a day number.
    @inlinable public init(ordinal: Int32) { self.ordinal = ordinal }

    /// The date for a year, month and day, or nil when no such date exists (2019-02-30).
    @inlinable public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Day.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        // Howard Hinnant's days_from_civil: exact for every Gregorian date.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = Int32(era * 146097 + doe - 719468)
    }

    /// The day number of a year (0 to 9999), month and day, or nil when no such date exists;
    /// the same as `Day(year:month:day:)`, in unsigned arithmetic (divisions by constants
    /// become multiplications without sign fix-ups), for the CSV loader's date columns.
    @inlinable @inline(__always)
    package static func ordinal(year: Int, month: Int, day: Int) -> Int32? {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1, day <= daysInMonth(year: year, month: month) else {
            return nil
        }
        let y = UInt32(truncatingIfNeeded: month <= 2 ? year &- 1 : year)
        let era = y / 400
        let yoe = y &- era &* 400
        let mp = UInt32(truncatingIfNeeded: month > 2 ? month &- 3 : month &+ 9)
        let doy = (153 &* mp &+ 2) / 5 &+ UInt32(truncatingIfNeeded: day) &- 1
        let doe = yoe &* 365 &+ yoe / 4 &- yoe / 100 &+ doy
        return Int32(truncatingIfNeeded: Int(era) &* 146097 &+ Int(doe) &- 719468)
    }

    /// Parses `YYYY-MM-DD` exactly; nil for any other shape or an impossible date.
    public init?(iso text: Substring) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                let c = u[i]
                guard c >= 0x30, c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of this date.
    @inlinable public var components: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    @inlinable public var description: String {
        let (y, m, d) = components
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    @inlinable @inline(__always)
    package static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inlinable public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }
}
