import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

// Codable forms that read back to the same thing: a rating as Ofsted's wording, a day as
// `YYYY-MM-DD`, a value tagged with its kind (text "Good" and the rating Good, or an exact 2.5
// and the double 2.5, are different values), a table as its schema and rows of values. For
// JSON meant for people or other tools, render the result instead (`OutputFormat.json`).

extension Rating: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let r = Rating(wording: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\"\(text)\" is not an Ofsted judgement (Outstanding, Good, Requires improvement to be good, Inadequate)"))
        }
        self = r
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wording)
    }
}

extension Day: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = Day(iso: Substring(text)) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\"\(text)\" is not a date written YYYY-MM-DD"))
        }
        self = d
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Value: Codable {
    private enum Kind: String, CodingKey, CaseIterable {
        case int, decimal, double, text, date, rating, bool, list
    }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), single.decodeNil() {
            self = .null
            return
        }
        let c = try decoder.container(keyedBy: Kind.self)
        guard let kind = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a value is null or one of {\"int\": …}, {\"decimal\": \"…\"}, {\"double\": …}, {\"text\": …}, {\"date\": …}, {\"rating\": …}, {\"bool\": …}, {\"list\": […]}"))
        }
        switch kind {
        case .int: self = .number(.int(try c.decode(Int64.self, forKey: .int)))
        case .decimal:
            let text = try c.decode(String.self, forKey: .decimal)
            guard let d = Decimal64.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: .decimal, in: c, debugDescription: "\"\(text)\" is not an exact decimal of at most 18 places")
            }
            self = .number(d.scale == 0 ? .int(d.mantissa) : .decimal(d))
        case .double: self = .number(.double(try c.decode(Double.self, forKey: .double)))
        case .text: self = .text(try c.decode(String.self, forKey: .text))
        case .date: self = .date(try c.decode(Day.self, forKey: .date))
        case .rating: self = .rating(try c.decode(Rating.self, forKey: .rating))
        case .bool: self = .bool(try c.decode(Bool.self, forKey: .bool))
        case .list: self = .list(try c.decode([Value].self, forKey: .list))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        if case .null = self {
            var c = encoder.singleValueContainer()
            try c.encodeNil()
            return
        }
        var c = encoder.container(keyedBy: Kind.self)
        switch self {
        case .null: break
        case .number(.int(let i)): try c.encode(i, forKey: .int)
        case .number(.decimal(let d)): try c.encode(d.text, forKey: .decimal)
        case .number(.double(let d)): try c.encode(d, forKey: .double)
        case .text(let s): try c.encode(s, forKey: .text)
        case .date(let d): try c.encode(d, forKey: .date)
        case .rating(let r): try c.encode(r, forKey: .rating)
        case .bool(let b): try c.encode(b, forKey: .bool)
        case .list(let items): try c.encode(items, forKey: .list)
        }
    }
}

extension ValueType: Codable {
    /// The type named as `description` writes it: `number`, `list of text`.
    public init?(name: String) {
        switch name {
        case "number": self = .number
        case "text": self = .text
        case "date": self = .date
        case "rating": self = .rating
        case "bool": self = .bool
        case "null": self = .null
        default:
            guard name.hasPrefix("list of "), let e = ValueType(name: String(name.dropFirst("list of ".count))) else { return nil }
            self = .list(e)
        }
    }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let t = ValueType(name: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\"\(name)\" is not a type (number, text, date, rating, bool, list of …)"))
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Schema.Field: Codable {
    private enum Keys: String, CodingKey { case name, type, summary }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(name: try c.decode(String.self, forKey: .name), type: try c.decode(ValueType.self, forKey: .type),
                  summary: try c.decodeIfPresent(String.self, forKey: .summary))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(summary, forKey: .summary)
    }
}

extension Schema: Codable {
    private enum Keys: String, CodingKey { case columns, timeColumn = "time_column" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(columns: try c.decode([Field].self, forKey: .columns),
                  timeColumn: try c.decodeIfPresent(String.self, forKey: .timeColumn))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(columns, forKey: .columns)
        try c.encodeIfPresent(timeColumn, forKey: .timeColumn)
    }
}

extension Table: Codable {
    private enum Keys: String, CodingKey { case schema, rows, notes }

    /// Reads a table written by `encode(to:)`; rows are checked against the schema as
    /// `Table(schema:rows:)` checks them.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let schema = try c.decode(Schema.self, forKey: .schema)
        let rows = try c.decode([[Value]].self, forKey: .rows)
        do {
            try self.init(schema: schema, rows: rows)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .rows, in: c, debugDescription: error.diagnostics.first?.message ?? "\(error)")
        }
        notes = try c.decodeIfPresent([ResultNote].self, forKey: .notes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(rows, forKey: .rows)
        if !notes.isEmpty { try c.encode(notes, forKey: .notes) }
    }
}

extension DiagnosticCode: Codable {
    public init(from decoder: any Decoder) throws {
        let id = try decoder.singleValueContainer().decode(String.self)
        guard let code = DiagnosticCode(id: id) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(id)\" is not an IQL diagnostic code"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(id)
    }
}

extension SourceRange: Codable {
    private enum Keys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(start: try c.decode(Int.self, forKey: .start), end: try c.decode(Int.self, forKey: .end))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
    }
}

extension Diagnostic.Severity: Codable {}
extension Diagnostic.Kind: Codable {}

extension Diagnostic: Codable {
    private enum Keys: String, CodingKey { case severity, code, kind, message, range, label, suggestion, notes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(severity: try c.decode(Severity.self, forKey: .severity), code: try c.decode(DiagnosticCode.self, forKey: .code),
                  kind: try c.decode(Kind.self, forKey: .kind), message: try c.decode(String.self, forKey: .message),
                  range: try c.decodeIfPresent(SourceRange.self, forKey: .range),
                  label: try c.decodeIfPresent(String.self, forKey: .label),
                  suggestion: try c.decodeIfPresent(String.self, forKey: .suggestion),
                  notes: try c.decodeIfPresent([String].self, forKey: .notes) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(severity, forKey: .severity)
        try c.encode(code, forKey: .code)
        try c.encode(kind, forKey: .kind)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(range, forKey: .range)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(suggestion, forKey: .suggestion)
        if !notes.isEmpty { try c.encode(notes, forKey: .notes) }
    }
}
