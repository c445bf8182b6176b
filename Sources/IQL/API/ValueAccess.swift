import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

/// Typed reads of a value: each is nil when the value is null or of another type, so a host
/// writes `row.int ?? 0` instead of matching cases.
extension Value {
    /// The whole number this value holds exactly (an integer, or a double with no fraction).
    public var int: Int64? {
        if case .number(let n) = self { return n.exactInteger }
        return nil
    }

    /// The exact decimal this value holds (integers and exact decimals; nil for a double, which
    /// is not exact, and for other types).
    public var decimal: Foundation.Decimal? {
        guard case .number(let n) = self else { return nil }
        switch n {
        case .int(let i): return Foundation.Decimal(i)
        case .decimal(let d): return Foundation.Decimal(sign: d.mantissa < 0 ? .minus : .plus,
                                                         exponent: -d.scale,
                                                         significand: Foundation.Decimal(d.mantissa.magnitude))
        case .double: return nil
        }
    }

    /// Any number as a double (exact decimals rounded to the nearest double).
    public var double: Double? {
        if case .number(let n) = self { return n.doubleValue }
        return nil
    }

    /// The text of a text value (not of other types: use `displayText` for those).
    public var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The calendar date of a date value.
    public var day: Day? {
        if case .date(let d) = self { return d }
        return nil
    }

    /// A date value as midnight UTC that day.
    public var date: Foundation.Date? { day?.date }

    /// The judgement of a rating value.
    public var rating: Rating? {
        if case .rating(let r) = self { return r }
        return nil
    }

    /// The truth of a bool value.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The items of a list value.
    public var list: [Value]? {
        if case .list(let items) = self { return items }
        return nil
    }
}

/// Swift literals make values where the meaning is plain: `7`, `2.5` (exact, as IQL reads
/// `2.5`), `"Leeds"`, `true`, `nil`.
extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .number(.int(value)) }

    public init(floatLiteral value: Double) {
        // The shortest text of the literal's double is the literal as written (2.5, 0.1), read
        // exactly; one that needs more than 18 places stays a double.
        self = .number(Decimal64.parse(String(value)).map { $0.scale == 0 ? .int($0.mantissa) : .decimal($0) } ?? .double(value))
    }

    public init(stringLiteral value: String) { self = .text(value) }

    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public init(nilLiteral: ()) { self = .null }
}

extension Day {
    private static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? c.timeZone
        return c
    }()

    /// Midnight UTC at the start of this day.
    public var date: Foundation.Date {
        Foundation.Date(timeIntervalSince1970: TimeInterval(ordinal) * 86_400)
    }

    /// The year, month and day, in the Gregorian calendar.
    public var dateComponents: DateComponents {
        let c = components
        return DateComponents(calendar: Day.utc, timeZone: Day.utc.timeZone, year: c.year, month: c.month, day: c.day)
    }

    /// The day a moment falls on in `timeZone` (UTC unless given); nil outside years 1 to 9999.
    public init?(_ date: Foundation.Date, in timeZone: TimeZone? = nil) {
        var calendar = Day.utc
        if let timeZone { calendar.timeZone = timeZone }
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        guard let y = c.year, let m = c.month, let d = c.day else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day named by year, month and day components; nil if one is missing or no such day exists.
    public init?(_ components: DateComponents) {
        guard let y = components.year, let m = components.month, let d = components.day else { return nil }
        self.init(year: y, month: m, day: d)
    }
}
