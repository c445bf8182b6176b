/// Splits CSV bytes (RFC 4180: quoted fields, doubled quotes, CRLF, LF or lone CR line ends, an
/// optional UTF-8 BOM) into records of fields, remembering the line each record starts on.
struct CSVReader {
    struct Record {
        var fields: [String]
        var line: Int
        /// An empty line: a null in a one-column file, nothing in a wider one.
        var isBlank = false
    }

    /// A problem in the file's structure, with the 1-based line it is on.
    struct Problem: Error {
        var message: String
        var line: Int
    }

    static func records(_ bytes: [UInt8]) throws(Problem) -> [Record] {
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoteLine = 0
        var fieldWasQuoted = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }

        while i < n {
            let c = bytes[i]
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < n, bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    i += 1
                    if i < n, ![0x2C, 0x0A, 0x0D].contains(bytes[i]) {
                        throw Problem(message: "text after a closing quote", line: line)
                    }
                    continue
                }
                if c == 0x0A || (c == 0x0D && !(i + 1 < n && bytes[i + 1] == 0x0A)) { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case 0x22:
                if !field.isEmpty || fieldWasQuoted {
                    throw Problem(message: "a quote inside an unquoted field", line: line)
                }
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
                i += 1
            case 0x2C:
                endField()
                i += 1
            case 0x0A, 0x0D:
                let blank = fields.isEmpty && field.isEmpty && !fieldWasQuoted
                endField()
                records.append(Record(fields: fields, line: recordLine, isBlank: blank))
                fields.removeAll(keepingCapacity: true)
                i += (c == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A) ? 2 : 1
                line += 1
                recordLine = line
            default:
                field.append(c)
                i += 1
            }
        }
        if inQuotes { throw Problem(message: "a quoted field is never closed", line: quoteLine) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            endField()
            records.append(Record(fields: fields, line: recordLine))
        }
        while records.last?.isBlank == true { records.removeLast() }
        return records
    }
}
