/// The order of day and month in dates written with slashes (`31/03/2024`), as spreadsheets
/// export them: the day first in the UK, the month first in the US. ISO dates (`2024-03-31`)
/// and dates with the month's name (`31-Mar-2024`, `31 March 2024`) need no order.
public enum DateOrder: String, Sendable, CaseIterable {
    /// `31/03/2024`, `1/4/24`: the UK's order.
    case dayMonthYear = "dmy"
    /// `03/31/2024`: the US order.
    case monthDayYear = "mdy"

    /// Reads `dmy`, `mdy`, or a pattern such as `DD/MM/YYYY` or `MM/DD/YY` (any case).
    public init?(spelling: String) {
        let s = spelling.lowercased().filter { $0.isLetter }
        switch s {
        case "dmy", "ddmmyyyy", "ddmmyy", "dmyy", "dmyyyy", "uk": self = .dayMonthYear
        case "mdy", "mmddyyyy", "mmddyy", "mdyy", "mdyyyy", "us": self = .monthDayYear
        default: return nil
        }
    }

    /// The day a slash date names in this order; nil when it names none. A two-digit year is
    /// 2000 to 2069, or 1970 to 1999.
    public func day(_ text: Substring) -> Day? {
        guard let (a, b, y) = DateOrder.slashParts(text) else { return nil }
        let (d, m) = self == .dayMonthYear ? (a, b) : (b, a)
        return Day(year: y, month: m, day: d)
    }

    /// The three numbers of `a/b/y` (one or two digits, then two or four), the year made whole.
    package static func slashParts(_ text: Substring) -> (Int, Int, Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 2 || parts[2].count == 4,
              parts.allSatisfy({ p in !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } }),
              let a = Int(parts[0]), let b = Int(parts[1]), var y = Int(parts[2]) else { return nil }
        if parts[2].count == 2 { y += y < 70 ? 2000 : 1900 }
        return (a, b, y)
    }

    /// A date with the month's English name or its first three letters, day first:
    /// `31-Mar-2024`, `31 March 2024`, `1-apr-24`.
    package static func namedMonthDay(_ text: Substring) -> Day? {
        let parts = text.split(omittingEmptySubsequences: true) { $0 == "-" || $0 == " " }
        guard parts.count == 3, parts[0].count <= 2, parts[2].count == 2 || parts[2].count == 4,
              let d = Int(parts[0]), var y = Int(parts[2]), parts[1].count >= 3,
              let m = monthNames.firstIndex(where: { $0.hasPrefix(parts[1].lowercased()) && (parts[1].count == 3 || $0 == parts[1].lowercased()) })
        else { return nil }
        if parts[2].count == 2 { y += y < 70 ? 2000 : 1900 }
        return Day(year: y, month: m + 1, day: d)
    }

    package static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]

    /// A date in any form a CSV file may hold, slash dates read in `order`: ISO, a named month,
    /// or (with an order) slashes.
    package static func anyDay(_ text: Substring, order: DateOrder?) -> Day? {
        if let d = Day(iso: text) { return d }
        if let d = namedMonthDay(text) { return d }
        return order?.day(text)
    }

    /// Reads `text` written as `format` says: `DD` or `D` the day, `MM` or `M` the month's
    /// number, `MON` its name or first three letters, `YYYY` the year, `YY` a two-digit year;
    /// any other character stands for itself. `DD/MM/YYYY`, `D-MON-YY`, `YYYYMMDD`.
    public static func day(_ text: String, format: String) -> Day? {
        let t = Array(text.trimmingSpaces.unicodeScalars), f = Array(format.uppercased().unicodeScalars)
        var i = 0, j = 0
        var year: Int?, month: Int?, dayOfMonth: Int?
        func digits(_ most: Int, exactly: Bool) -> Int? {
            var n = 0, k = 0
            while k < most, i < t.count, let v = t[i].properties.numericType == .decimal ? Int(String(t[i])) : nil, t[i].isASCII {
                n = n * 10 + v
                i += 1
                k += 1
            }
            return k == 0 || (exactly && k != most) ? nil : n
        }
        func token(_ name: String) -> Bool {
            let u = Array(name.unicodeScalars)
            guard j + u.count <= f.count, Array(f[j..<(j + u.count)]) == u else { return false }
            j += u.count
            return true
        }
        while j < f.count {
            if token("YYYY") {
                guard let y = digits(4, exactly: true) else { return nil }
                year = y
            } else if token("YY") {
                guard let y = digits(2, exactly: true) else { return nil }
                year = y + (y < 70 ? 2000 : 1900)
            } else if token("MON") {
                var letters = ""
                while i < t.count, t[i].properties.isAlphabetic { letters.unicodeScalars.append(t[i]); i += 1 }
                let l = letters.lowercased()
                guard l.count >= 3, let m = monthNames.firstIndex(where: { $0 == l || (l.count == 3 && $0.hasPrefix(l)) }) else { return nil }
                month = m + 1
            } else if token("MM") || token("M") {
                guard let m = digits(2, exactly: false) else { return nil }
                month = m
            } else if token("DD") || token("D") {
                guard let d = digits(2, exactly: false) else { return nil }
                dayOfMonth = d
            } else {
                guard i < t.count, String(t[i]).uppercased() == String(f[j]) else { return nil }
                i += 1
                j += 1
            }
        }
        guard i == t.count, let year, let month, let dayOfMonth else { return nil }
        return Day(year: year, month: month, day: dayOfMonth)
    }
}
