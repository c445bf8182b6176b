import IQLCore
/// Counts what kinds of value a CSV column's fields hold and decides the column's type from
/// them. The one definition of type inference: the sample that picks each column's builder,
/// and the fallback that types a column from all its distinct values, both go through it, so
/// they cannot disagree.
package struct TypeTally {
    /// What one field reads as, tried in this order: a field that is a number is never counted
    /// as anything else.
    package enum Kind {
        case empty
        case number
        /// A whole number written with a leading zero (`007`): a code, so the column is text.
        case code
        case marker, date, rating, bool
        /// `3/4/2019`: a date once the column shows (or the load is told) which part is the day.
        case slashDate
        /// `31-Mar-2024`, `31 March 2024`: a date, though not ISO.
        case namedDate
        case other
    }

    private var numbers = 0, codes = 0, markers = 0, dates = 0, ratings = 0, bools = 0, slashDates = 0, others = 0
    private var namedDates = 0
    /// The first value that is none of the kinds above.
    private var firstOther: String?
    /// Slash dates that can only be day first (`31/03/2024`), or only month first (`03/31/2024`).
    private var dayFirst: String?, monthFirst: String?
    /// Slash dates that read either way (`03/04/2024`), the first few.
    package private(set) var ambiguous: [String] = []

    /// True once the column can only be text, whatever else it holds: no need to look further.
    package var isSettledText: Bool { others > 0 || codes > 0 }

    package mutating func add(_ field: UnsafeRawBufferPointer) {
        switch TypeTally.classify(field) {
        case .empty: break
        case .number: numbers += 1
        case .code: codes += 1
        case .marker: markers += 1
        case .date: dates += 1
        case .rating: ratings += 1
        case .bool: bools += 1
        case .slashDate:
            slashDates += 1
            let text = String(decoding: ColumnBuilder.trimmed(field), as: UTF8.self)
            if let (a, b, _) = DateOrder.slashParts(Substring(text)) {
                if a > 12 && b <= 12 { if dayFirst == nil { dayFirst = text } }
                else if b > 12 && a <= 12 { if monthFirst == nil { monthFirst = text } }
                else if a <= 12 && b <= 12 && ambiguous.count < 3 { ambiguous.append(text) }
            }
        case .namedDate: namedDates += 1
        case .other:
            others += 1
            if firstOther == nil { firstOther = String(decoding: ColumnBuilder.trimmed(field), as: UTF8.self) }
        }
    }

    /// Whether a column already settled as text could still be one with a few odd values.
    package var mayBeFewOdd: Bool { codes == 0 && others <= 20 }

    /// For a column that is text only because a few values (at most one in ten, and at most
    /// 20) are unlike the rest, which are all numbers or all dates: the first of them, how many
    /// there are, and what the rest are; nil otherwise.
    package func fewOdd() -> (example: String, odd: Int, rest: String)? {
        guard let firstOther, codes == 0, others <= 20 else { return nil }
        let kinds: [(Int, String)] = [(numbers + markers, "numbers"), (dates + namedDates + slashDates, "dates")]
        let typed = kinds.filter { $0.0 > 0 }
        guard typed.count == 1, let (count, rest) = typed.first, ratings + bools == 0,
              others * 10 <= count + others else { return nil }
        return (firstOther, others, rest)
    }

    /// The order the column's slash dates are in: the one given, else the one its values allow;
    /// nil when they allow both (or, with none given, show both).
    package func slashOrder(given: DateOrder?) -> DateOrder? {
        if let given { return given }
        switch (dayFirst, monthFirst) {
        case (.some, nil): return .dayMonthYear
        case (nil, .some): return .monthDayYear
        default: return nil
        }
    }

    package mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Whether any field held something other than blanks and suppression markers.
    package var hasValues: Bool { numbers + codes + dates + ratings + bools + slashDates + namedDates + others > 0 }

    /// The column's type: one kind throughout (suppression markers allowed among numbers),
    /// otherwise text. Dates may mix ISO, named-month and slash forms; slash dates need their
    /// order, given or shown by a value (a day above 12): a column whose every slash date reads
    /// both ways, or that shows both orders, is an error, as IQL will not guess.
    package func type(column: String, file: String, order: DateOrder? = nil) throws(IQLError) -> ValueType {
        let notText = numbers + ratings + bools
        let allDates = dates + namedDates + slashDates
        if slashDates + namedDates > 0 && notText + others + codes + markers == 0 {
            if slashDates > 0 && slashOrder(given: order) == nil {
                if let d = dayFirst, let m = monthFirst {
                    throw IQLError([.error(.inconsistentDates(file, column, dayFirst: d, monthFirst: m), at: nil,
                                           notes: ["fix the file, or load the column as text and convert with date(text, \"DD/MM/YYYY\")"])], source: nil)
                }
                let shown = ambiguous.map { "\"\($0)\"" }.joined(separator: ", ")
                throw IQLError([.error(.ambiguousDates(file, column), at: nil,
                                       notes: ["every one reads both ways, such as \(shown)",
                                               "say the order: --date-format dmy (31/03/2024, the UK's) or mdy (03/31/2024); .load … --date-format dmy in the shell; dateOrder in the library"])],
                                source: nil)
            }
            return .date
        }
        if others + codes + slashDates + namedDates > 0 { return .text }
        if numbers > 0 && notText + dates == numbers { return .number }
        if markers == 0 {
            if dates > 0 && notText == 0 && allDates == dates { return .date }
            if ratings > 0 && notText + dates == ratings { return .rating }
            if bools > 0 && notText + dates == bools { return .bool }
        }
        return .text
    }

    /// What a field reads as. The common forms (plain numbers, ISO dates, Ofsted's wording) are
    /// recognised on the bytes; anything else goes through the same parsers as a String.
    package static func classify(_ raw: UnsafeRawBufferPointer) -> Kind {
        let f = ColumnBuilder.trimmed(raw)
        if f.isEmpty { return .empty }
        if let plain = plainNumber(f) { return plain }
        if ColumnBuilder.isoDate(f) != nil { return .date }
        if ColumnBuilder.rating(wording: f) != nil { return .rating }
        let v = String(decoding: f, as: UTF8.self)
        if CSVLoader.parseNumber(v) != nil { return ColumnBuilder.hasLeadingZero(f) ? .code : .number }
        let lower = v.lowercased()
        if CSVLoader.suppressionMarkers.contains(lower) { return .marker }
        if Day(iso: Substring(v)) != nil { return .date }
        if Rating(wording: v) != nil { return .rating }
        if lower == "true" || lower == "false" { return .bool }
        if isSlashDate(v) { return .slashDate }
        if DateOrder.namedMonthDay(Substring(v)) != nil { return .namedDate }
        return .other
    }

    /// `-?digits[.digits]` of at most 18 digits, which parseNumber always reads exactly; nil
    /// for any other form.
    private static func plainNumber(_ f: UnsafeRawBufferPointer) -> Kind? {
        var i = f[0] == 0x2D ? 1 : 0
        var digits = 0, point = false
        while i < f.count {
            let c = f[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
            } else if c == 0x2E && !point {
                point = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 18 else { return nil }
        return ColumnBuilder.hasLeadingZero(f) ? .code : .number
    }

    private static func isSlashDate(_ v: String) -> Bool {
        let parts = v.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 4 && p.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
