import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

extension Table {
    /// Decodes every row into the host's own `Decodable` type, by column name: numbers into
    /// `Int`, `Int64`, `Double`, `Decimal`; text into `String` (and `String`-backed enums);
    /// dates into `Day` or `Date`; ratings into `Rating` (or their wording as `String`); bools;
    /// nulls into optionals. A mismatch throws `DecodingError` naming the row and column.
    public func decode<T: Decodable>(_ type: [T].Type) throws -> [T] {
        var out: [T] = []
        out.reserveCapacity(rowCount)
        for r in 0..<rowCount { out.append(try decode(T.self, row: r)) }
        return out
    }

    /// Decodes row `row` (from 0) into `T`.
    public func decode<T: Decodable>(_ type: T.Type, row: Int) throws -> T {
        guard row >= 0, row < rowCount else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: [], debugDescription: "row \(row + 1) of a table of \(rowCount) rows"))
        }
        return try T(from: RowDecoder(table: self, row: row))
    }
}

/// One row as a keyed container of its columns.
private struct RowDecoder: Decoder {
    let table: Table
    let row: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(table: table, row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "row \(row + 1) is read by column name: decode a struct or class"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "row \(row + 1) is read by column name: decode a struct or class"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let table: Table
    let row: Int
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { table.schema.names.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { table.column(named: key.stringValue) != nil }

    private func cell(_ key: Key) throws -> CellDecoder {
        guard let column = table.column(named: key.stringValue) else {
            let names = table.schema.names.joined(separator: ", ")
            throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no column '\(key.stringValue)'; the columns are \(names)"))
        }
        return CellDecoder(value: column[row], row: row, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try cell(key).value.isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try cell(key).decode(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw try cell(key).mismatch(NestedKey.self, "a nested value")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw try cell(key).mismatch([Any].self, "a list")
    }

    func superDecoder() throws -> any Decoder { RowDecoder(table: table, row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(table: table, row: row) }
}

/// One cell, decoded as a single value of the host's type.
private struct CellDecoder: Decoder, SingleValueDecodingContainer {
    let value: Value
    let row: Int
    let key: any CodingKey
    var codingPath: [any CodingKey] { [key] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        throw mismatch(K.self, "a nested value")
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw mismatch([Any].self, "a list") }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func mismatch(_ type: Any.Type, _ wanted: String) -> DecodingError {
        let found = value.isNull ? "null" : "\(value.type) \(value.literalText)"
        return .typeMismatch(type, .init(codingPath: [key], debugDescription: "row \(row + 1), column '\(key.stringValue)': \(wanted) was wanted, found \(found)"))
    }

    func decodeNil() -> Bool { value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if value.isNull, !(T.self == Value.self) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: [key], debugDescription: "row \(row + 1), column '\(key.stringValue)' is null: decode it as an optional"))
        }
        // The types IQL's values map to directly; anything else decodes itself from the cell.
        switch T.self {
        case is Value.Type: return try cast(value)
        case is Day.Type: return try cast(value.day, "a date")
        case is Foundation.Date.Type: return try cast(value.date, "a date")
        case is Rating.Type: return try cast(value.rating, "a rating")
        case is Foundation.Decimal.Type:
            if let d = value.decimal { return try cast(d) }
            return try cast(value.double.flatMap { Foundation.Decimal(string: String($0)) }, "a number")
        case is String.Type:
            switch value {
            case .text(let s): return try cast(s)
            case .rating(let r): return try cast(r.wording)
            case .date(let d): return try cast(d.description)
            default: throw mismatch(T.self, "text")
            }
        case is Bool.Type: return try cast(value.bool, "a bool")
        case is Double.Type: return try cast(value.double, "a number")
        case is Float.Type: return try cast(value.double.map(Float.init), "a number")
        case is Int.Type: return try cast(integer(Int.self), "a whole number")
        case is Int64.Type: return try cast(integer(Int64.self), "a whole number")
        case is Int32.Type: return try cast(integer(Int32.self), "a whole number")
        case is Int16.Type: return try cast(integer(Int16.self), "a whole number")
        case is Int8.Type: return try cast(integer(Int8.self), "a whole number")
        case is UInt.Type: return try cast(integer(UInt.self), "a whole number")
        case is UInt64.Type: return try cast(integer(UInt64.self), "a whole number")
        case is UInt32.Type: return try cast(integer(UInt32.self), "a whole number")
        case is UInt16.Type: return try cast(integer(UInt16.self), "a whole number")
        case is UInt8.Type: return try cast(integer(UInt8.self), "a whole number")
        default: return try T(from: self)
        }
    }

    private func integer<I: FixedWidthInteger>(_: I.Type) -> I? {
        value.int.flatMap { I(exactly: $0) }
    }

    private func cast<T, U>(_ v: U?, _ wanted: String = "a value") throws -> T {
        guard let v, let t = v as? T else { throw mismatch(T.self, wanted) }
        return t
    }

    // SingleValueDecodingContainer's primitive requirements, through the generic path.
    func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, generic: ()) }
    func decode(_ type: String.Type) throws -> String { try decode(type, generic: ()) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type, generic: ()) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type, generic: ()) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type, generic: ()) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(type, generic: ()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(type, generic: ()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(type, generic: ()) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(type, generic: ()) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(type, generic: ()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type, generic: ()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type, generic: ()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type, generic: ()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type, generic: ()) }

    private func decode<T: Decodable>(_ type: T.Type, generic: Void) throws -> T {
        let generic: (T.Type) throws -> T = decode
        return try generic(type)
    }
}
