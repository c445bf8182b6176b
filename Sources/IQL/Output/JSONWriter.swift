import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// Writes a table as a JSON array of objects in column order. Numbers are JSON numbers that read
/// back exactly; dates are `YYYY-MM-DD` strings; ratings are Ofsted's wording; nulls are null.
package enum JSONWriter {
    /// The JSON text, ending with a newline.
    package static func render(_ table: Table) -> String {
        let keys = table.schema.names.map(string)
        if table.rowCount == 0 { return "[]\n" }
        var out = "[\n"
        for r in 0..<table.rowCount {
            out += "  {"
            for (i, c) in table.columns.enumerated() {
                out += (i == 0 ? "" : ", ") + keys[i] + ": " + value(c[r])
            }
            out += r == table.rowCount - 1 ? "}\n" : "},\n"
        }
        return out + "]\n"
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(.int(let i)): return String(i)
        case .number(.decimal(let d)): return d.text
        case .number(.double(let d)):
            guard d.isFinite else { return "null" }
            // Swift's shortest round-trip form; whole numbers keep a fraction so readers see a decimal.
            return String(d)
        case .list(let items): return "[" + items.map(value).joined(separator: ", ") + "]"
        default: return string(v.displayText)
        }
    }

    /// A JSON string literal for the text, escaped as RFC 8259 requires.
    package static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
