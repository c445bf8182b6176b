/// Counts what kinds of value a CSV column's fields hold and decides the column's type from
/// them. The one definition of type inference: the sample that picks each column's builder,
/// and the fallback that types a column from all its distinct values, both go through it, so
/// they cannot disagree.
struct TypeTally {
    /// What one field reads as, tried in this order: a field that is a number is never counted
    /// as anything else.
    enum Kind {
        case empty
        case number
        /// A whole number written with a leading zero (`007`): a code, so the column is text.
        case code
        case marker, date, rating, bool
        /// `3/4/2019`: refused unless something else in the column makes it text anyway.
        case slashDate
        case other
    }

    private var numbers = 0, codes = 0, markers = 0, dates = 0, ratings = 0, bools = 0, slashDates = 0, others = 0

    /// True once the column can only be text, whatever else it holds: no need to look further.
    var isSettledText: Bool { others > 0 || codes > 0 }

    mutating func add(_ field: UnsafeRawBufferPointer) {
        switch TypeTally.classify(field) {
        case .empty: break
        case .number: numbers += 1
        case .code: codes += 1
        case .marker: markers += 1
        case .date: dates += 1
        case .rating: ratings += 1
        case .bool: bools += 1
        case .slashDate: slashDates += 1
        case .other: others += 1
        }
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Whether any field held something other than blanks and suppression markers.
    var hasValues: Bool { numbers + codes + dates + ratings + bools + slashDates + others > 0 }

    /// The column's type: one kind throughout (suppression markers allowed among numbers),
    /// otherwise text. Only d/m/y-looking dates is an error: IQL will not guess the order.
    func type(column: String, file: String) throws(IQLError) -> ValueType {
        let notText = numbers + dates + ratings + bools
        if slashDates > 0 && notText + others + codes == 0 {
            throw IQLError([.error(.ambiguousDates(file, column),
                                   at: nil)], source: nil)
        }
        if others + codes + slashDates > 0 { return .text }
        if numbers > 0 && notText == numbers { return .number }
        if markers == 0 {
            if dates > 0 && notText == dates { return .date }
            if ratings > 0 && notText == ratings { return .rating }
            if bools > 0 && notText == bools { return .bool }
        }
        return .text
    }

    /// What a field reads as. The common forms (plain numbers, ISO dates, Ofsted's wording) are
    /// recognised on the bytes; anything else goes through the same parsers as a String.
    static func classify(_ raw: UnsafeRawBufferPointer) -> Kind {
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
