import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// What loading a CSV file did: the rows read, and any left out by a lenient load.
public struct CSVLoadReport: Sendable, Equatable {
    /// A row left out because it was malformed.
    public struct SkippedRow: Sendable, Equatable {
        /// Its line in the file (1-based; the header is line 1).
        public var line: Int
        /// What was wrong with it, e.g. "3 fields where the header has 12".
        public var reason: String
    }

    /// Rows in the table.
    public var rows: Int
    /// Rows left out, in file order; empty unless the load was lenient.
    public var skipped: [SkippedRow]
    /// Columns passed over because the script the file was loaded for does not read them
    /// (`Engine.registerCSV(atPath:as:readBy:)`), in file order.
    public var unreadColumns: [String] = []

    /// The bundled dataset the table's name hides, if it has the name of one.
    public var hidesBundled: String?

    /// A column read as text because a few of its values are unlike the rest.
    public struct TextColumn: Sendable, Equatable {
        /// The column's name.
        public var column: String
        /// The first value unlike the rest, e.g. "n/a".
        public var example: String
        /// How many distinct values were unlike the rest.
        public var odd: Int
        /// What the rest were: "numbers" or "dates".
        public var rest: String
    }

    /// Columns read as text because of a few odd values, in file order.
    public var textColumns: [TextColumn] = []

    /// The warnings a person loading the file should see: rows left out, a bundled dataset hidden.
    public func warnings(file: String, shown: Int = 5) -> [Diagnostic] {
        var out = warning(file: file, shown: shown).map { [$0] } ?? []
        for t in textColumns {
            out.append(Diagnostic(.warning, .fewOddValues(file, t.column, example: t.example, odd: t.odd, rest: t.rest),
                                  notes: [t.rest == "numbers"
                                      ? "blank such values, or write a suppression marker (x, c, ..) that reads as null, to read the column as numbers"
                                      : "blank such values to read the column as dates"]))
        }
        if let name = hidesBundled {
            out.append(Diagnostic(.warning, .shadowsBundled(name, file: file),
                                  notes: ["load it under a name of its own (e.g. my_\(name)) to keep the bundled \(name) as well"]))
        }
        return out
    }

    /// One line for a person: how many rows were left out and the first few places.
    public func summary(file: String, shown: Int = 5) -> String? {
        guard !skipped.isEmpty else { return nil }
        let places = skipped.prefix(shown).map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
        let more = skipped.count > shown ? "; and \(skipped.count - shown) more" : ""
        return "\(file): skipped \(skipped.count) malformed row\(skipped.count == 1 ? "" : "s") (\(places)\(more))"
    }

    /// The summary as a warning (IQL0602), for showing beside other diagnostics; nil when no row was skipped.
    public func warning(file: String, shown: Int = 5) -> Diagnostic? {
        summary(file: file, shown: shown).map { Diagnostic(.warning, .skippedRows($0)) }
    }
}
