/// Builds a `Table` from CSV: with a declared schema (bundled datasets) or by inferring each
/// column's type from its values. Nothing is dropped or altered silently: a row of the wrong
/// width or a value that does not fit its column is an error naming the file, line and column.
enum CSVLoader {
    /// Markers DfE and ONS publish in place of a number (suppressed, not applicable, …).
    static let suppressionMarkers: Set<String> = ["c", "x", "z", "low", "u", ":", "-", ".."]

    static func load(_ bytes: [UInt8], file: String, schema declared: Schema? = nil,
                     timeColumn: String? = nil) throws(IQLError) -> Table {
        func fail(_ message: String) -> IQLError {
            IQLError([.error(.data, message, at: nil)], source: nil)
        }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(bytes)
        } catch {
            throw fail("\(file):\(error.line): \(error.message)")
        }
        guard let header = records.first(where: { !$0.isBlank }) else { throw fail("\(file): the file is empty; a CSV needs a header row") }
        let names = header.fields.map { $0.trimmingSpaces }
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            if name.isEmpty { throw fail("\(file):1: column \(i + 1) has no name in the header") }
            if !seen.insert(name).inserted { throw fail("\(file):1: two columns are named '\(name)'") }
        }
        let body = records.drop { $0.line <= header.line }.filter { !$0.isBlank || header.fields.count == 1 }
        var raw = Array(repeating: [String](), count: names.count)
        for r in raw.indices { raw[r].reserveCapacity(body.count) }
        for record in body {
            guard record.fields.count == names.count else {
                let n = record.fields.count
                throw fail("\(file):\(record.line): \(n) field\(n == 1 ? "" : "s") where the header has \(names.count)")
            }
            for (i, f) in record.fields.enumerated() { raw[i].append(f) }
        }
        let lines = body.map(\.line)

        var columns: [Column] = []
        var schemaColumns: [Schema.Column] = []
        for (i, name) in names.enumerated() {
            let type: ValueType
            var summary: String?
            if let declared {
                guard declared.columns.count == names.count, declared.columns[i].name == name else {
                    throw fail("\(file): column \(i + 1) is '\(name)', but the dataset declares '\(i < declared.columns.count ? declared.columns[i].name : "nothing")'")
                }
                type = declared.columns[i].type
                summary = declared.columns[i].summary
            } else {
                type = try inferType(raw[i], column: name, file: file)
            }
            var values: [Value] = []
            values.reserveCapacity(raw[i].count)
            for (r, text) in raw[i].enumerated() {
                guard let v = convert(text, to: type) else {
                    throw fail("\(file):\(lines[r]): column '\(name)': \"\(text)\" is not a \(type)")
                }
                values.append(v)
            }
            columns.append(Column(values))
            schemaColumns.append(Schema.Column(name: name, type: type, summary: summary))
        }
        let time = declared?.timeColumn ?? timeColumn
        return Table(schema: Schema(columns: schemaColumns, timeColumn: time), columns: columns, rowCount: body.count)
    }

    // MARK: - Types

    static func inferType(_ values: [String], column: String, file: String) throws(IQLError) -> ValueType {
        var numbers = 0, dates = 0, ratings = 0, bools = 0, markers = 0, ambiguousDates = 0, other = 0
        var leadingZero = false
        for raw in values {
            let v = raw.trimmingSpaces
            if v.isEmpty { continue }
            if parseNumber(v) != nil {
                numbers += 1
                let digits = v.hasPrefix("-") ? v.dropFirst() : Substring(v)
                if digits.count > 1, digits.hasPrefix("0"), !digits.hasPrefix("0.") { leadingZero = true }
            } else if suppressionMarkers.contains(v.lowercased()) { markers += 1 }
            else if Day(iso: Substring(v)) != nil { dates += 1 }
            else if Rating(wording: v) != nil { ratings += 1 }
            else if v == "true" || v == "false" || v == "TRUE" || v == "FALSE" { bools += 1 }
            else if isSlashDate(v) { ambiguousDates += 1 }
            else { other += 1 }
        }
        if ambiguousDates > 0 && numbers == 0 && dates == 0 && other == 0 && ratings == 0 {
            throw IQLError([.error(.data, "\(file): column '\(column)' holds dates written as d/m/y or m/d/y; IQL will not guess which, so write them as YYYY-MM-DD",
                                   at: nil)], source: nil)
        }
        if numbers > 0 && !leadingZero && dates + ratings + bools + ambiguousDates + other == 0 { return .number }
        if dates > 0 && numbers + ratings + bools + ambiguousDates + other + markers == 0 { return .date }
        if ratings > 0 && numbers + dates + bools + ambiguousDates + other + markers == 0 { return .rating }
        if bools > 0 && numbers + dates + ratings + ambiguousDates + other + markers == 0 { return .bool }
        return .text
    }

    private static func isSlashDate(_ v: String) -> Bool {
        let parts = v.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return false }
        return parts.allSatisfy { p in !p.isEmpty && p.count <= 4 && p.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    static func convert(_ raw: String, to type: ValueType) -> Value? {
        switch type {
        case .text: return raw.isEmpty ? .null : .text(raw)
        default: break
        }
        let v = raw.trimmingSpaces
        if v.isEmpty { return .null }
        switch type {
        case .number:
            if let n = parseNumber(v) { return .number(n) }
            return suppressionMarkers.contains(v.lowercased()) ? .null : nil
        case .date: return Day(iso: Substring(v)).map(Value.date)
        case .rating: return Rating(wording: v).map(Value.rating)
        case .bool:
            switch v.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        default: return .text(raw)
        }
    }

    /// A plain decimal number: optional sign, digits (thousands may be grouped with commas),
    /// optional fraction and exponent. Rejects `inf`, `nan`, hex and anything Double would stretch to read.
    static func parseNumber(_ s: String) -> Number? {
        var u = Array(s.utf8)
        guard !u.isEmpty else { return nil }
        if u.contains(0x2C) {
            // Thousands separators: 1,234 or 12,345,678.9
            var start = u.first == 0x2D ? 1 : 0
            let intEnd = u.firstIndex(of: 0x2E) ?? u.count
            let groups = u[start..<intEnd].split(separator: 0x2C, omittingEmptySubsequences: false)
            guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            u.removeAll { $0 == 0x2C }
            start = 0
        }
        var i = 0
        if u[i] == 0x2D || u[i] == 0x2B { i += 1 }
        let digitsStart = i
        while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
        var integral = i > digitsStart
        var isDecimal = false
        if i < u.count, u[i] == 0x2E {
            isDecimal = true
            i += 1
            let f = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            integral = integral || i > f
        }
        guard integral else { return nil }
        if i < u.count, u[i] == 0x65 || u[i] == 0x45 {
            isDecimal = true
            i += 1
            if i < u.count, u[i] == 0x2B || u[i] == 0x2D { i += 1 }
            let e = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > e else { return nil }
        }
        guard i == u.count else { return nil }
        let text = String(decoding: u, as: UTF8.self)
        // An integer too large for 64 bits is not a number IQL can hold exactly: leave it text.
        if !isDecimal { return Int64(text).map(Number.int) }
        if let d = Decimal64.parse(text) { return Number.exact(d.mantissa, scale: d.scale) }
        // More digits than 18 places or 64 bits hold: the nearest double is the best there is.
        guard let d = Double(text), d.isFinite else { return nil }
        return .double(d)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
