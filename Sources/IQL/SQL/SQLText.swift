import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// The only ways text from a query or a dataset reaches compiled SQL: as a quoted identifier
/// or an escaped literal. Nothing else the user wrote is ever copied into the SQL.
enum SQLText {
    struct Unrepresentable: Error {
        var what: String
    }

    /// `"name"`, with `"` doubled; PostgreSQL has no way to write NUL in a name.
    static func identifier(_ name: String) throws(Unrepresentable) -> String {
        guard !name.utf8.contains(0) else { throw Unrepresentable(what: "the name \(name.debugDescription), which holds a NUL character") }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `E'text'`: an escape string, whose meaning does not depend on the server's
    /// `standard_conforming_strings` (PostgreSQL) and which DuckDB reads the same way. Each
    /// backslash is doubled and each quote doubled, so the literal ends exactly where it should
    /// whatever it holds (`'`, `\`, `$$`, `--`, `/*`); NUL cannot be in PostgreSQL text at all.
    static func literal(_ text: String) throws(Unrepresentable) -> String {
        guard !text.utf8.contains(0) else { throw Unrepresentable(what: "the text \(text.debugDescription), which holds a NUL character") }
        var out = "E'"
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "'": out += "''"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "'"
    }
}
