import IQLCore
import IQLStorage
/// The language's stages, functions and aggregates, each with its syntax, a one-line summary and
/// (for stages) an example that runs: the one list that the parser's stage names, the checker's
/// function lookup, the shell's `.help` and Tab completion, `--help` and the tables in
/// docs/language.md follow (tests hold each of them to it).
public enum LanguageReference {
    /// What a name is.
    public enum Kind: String, Sendable {
        /// A pipeline stage, written after `|`.
        case stage
        /// A function of one row's values.
        case function
        /// A function of a group's rows, in `summarize` and `assert`.
        case aggregate
        /// A function of the rows before and after in time order, in `derive`.
        case window
    }

    /// One stage or function.
    public struct Entry: Sendable, Equatable {
        /// The name as written: `where`, `round`.
        public var name: String
        public var kind: Kind
        /// How it is written: `round(number[, digits])`, `where CONDITION`.
        public var syntax: String
        /// What it does, in one line.
        public var summary: String
        /// A statement using it that runs on the bundled data (stages only).
        public var example: String?

        /// The help text the shell prints for it.
        public var help: String {
            var text = syntax + " — " + summary
            if let example { text += "\n  " + example.split(separator: "\n").joined(separator: "\n  ") }
            return text
        }
    }

    /// Every stage, in the order the docs present them.
    public static let stages: [Entry] = [
        stage("where", "where CONDITION", "keep the rows where the condition is true",
              #"from inspections | where overall >= good and region == "London""#),
        stage("select", "select ITEM, …", "a new table of columns or NAME = EXPR",
              "from children_in_care | select authority, year, children"),
        stage("derive", "derive NAME = EXPR, … [by KEYS]",
              "add columns; previous() and next() read the row before or after in time order",
              "from children_in_care | derive change = children - previous(children) by authority"),
        stage("sort", "sort KEY [asc|desc], …", "order the rows (nulls last, stable)",
              "from children_in_care | where year == 2025 | sort rate_per_10k desc"),
        stage("take", "take N", "the first N rows", "from authorities | take 5"),
        stage("count", "count [by KEYS]", "the rows per group, as n", "from inspections | count by framework"),
        stage("summarize", "summarize NAME = AGGREGATE, … [by KEYS]", "aggregates per group",
              "from children_in_care | summarize total = sum(children) by year"),
        stage("distinct", "distinct [KEYS]", "distinct rows, or distinct key combinations",
              "from inspections | distinct framework"),
        stage("join", "join [left|anti] NAME on KEY [== KEY], …",
              "add the rows of another table whose keys match (anti: keep only the rows with no match)",
              "from children_in_care | join authorities on authority_code"),
        stage("latest", "latest [COLUMN] by KEYS [as of DATE]",
              "per group, the row with the latest COLUMN not after DATE",
              "from inspections | latest inspected by authority as of 2025-03-31"),
        stage("rank", "rank VALUE [asc|desc] [by KEYS]", "add rank: 1 for the best row of its group; ties share the better place",
              "from children_in_care | where year == 2025 | rank rate_per_10k desc"),
        stage("quartile", "quartile VALUE [asc|desc] [by KEYS]",
              "add quartile: the band A (best quarter) to D, as LAIT bands councils",
              #"from indicators | where measure == "ReReferral" and level == "council" and year == 2025 | quartile value"#),
        stage("compare", "compare [VALUE] with neighbours, region, england",
              "add each council's comparators' value of the same figure, and the difference",
              #"from indicators | where measure == "LAC" and authority == "Oxfordshire" and year == 2023 | select authority, measure, year, value | compare with neighbours, england"#),
        stage("pivot", "pivot COLUMN [VALUE] [values [V, …]]", "one column per distinct (or listed) value of COLUMN, holding VALUE; later stages can name them",
              #"from children_in_care | where region == "North East" | select authority, year, children | pivot year children"#),
        stage("unpivot", "unpivot", "after a pivot, its columns back into rows",
              #"from children_in_care | where region == "North East" | select authority, year, children | pivot year children | unpivot"#),
        stage("chart", "chart bar LABEL VALUE | chart line X VALUE [by SERIES] [to \"FILE.svg\"]", "draw the rows as a chart",
              #"from child_population | where region == "North East" and year == 2024 | chart bar authority children"#),
        stage("diff", "diff NAME on KEYS", "the rows added, removed and changed since an earlier table",
              "let before = from inspections | where published < 2024-01-01 | latest by authority | select authority, overall\n"
                  + "from inspections | latest by authority | select authority, overall | diff before on authority"),
    ]

    /// Every function of a row's values, with its signature from the checker's catalogue.
    public static let functions: [Entry] = [
        function("year", "the year of a date"),
        function("month", "the month of a date, 1 to 12"),
        function("day", "the day of the month"),
        function("date", "makes a date; an impossible one is an error"),
        function("days_between", "days from one date to another (negative if the second is earlier)"),
        function("round", "rounds half away from zero; negative digits round to tens, hundreds, …"),
        function("abs", "the absolute value"),
        function("floor", "the largest whole number not above it"),
        function("ceil", "the smallest whole number not below it"),
        function("lower", "text in lower case"),
        function("upper", "text in upper case"),
        function("length", "the number of characters"),
        function("contains", "true if the part occurs in the text"),
        function("starts_with", "true if the text starts with the prefix"),
        function("ends_with", "true if the text ends with the suffix"),
        function("like", "true if the text matches the pattern: % any characters, _ one (also written text like pattern)"),
        function("ilike", "like, ignoring case (also written text ilike pattern)"),
        function("coalesce", "the first argument that is not null"),
        function("if", "then when the condition is true, else otherwise (false or null)"),
        function("pct_change", "(new - old) / |old| × 100; null when old is 0"),
    ]

    /// Every aggregate, with its signature from the checker.
    public static let aggregates: [Entry] = [
        aggregate(.count, "the rows in the group, or those where the condition is true"),
        aggregate(.count_distinct, "distinct non-null values"),
        aggregate(.sum, "the total; null when every value is null"),
        aggregate(.avg, "the mean; null when every value is null"),
        aggregate(.median, "the middle value; null when every value is null"),
        aggregate(.min, "the smallest (any ordered type: ratings, dates, text)"),
        aggregate(.max, "the largest (any ordered type: ratings, dates, text)"),
        aggregate(.first, "the first non-null value, in row order"),
        aggregate(.last, "the last non-null value, in row order"),
        aggregate(.unique, "true when no non-null value occurs twice"),
        aggregate(.all, "true when the condition holds on every row where it is not null"),
        aggregate(.any, "true when the condition holds on some row"),
    ]

    /// The functions of neighbouring rows, in `derive`.
    public static let windowFunctions: [Entry] = [
        Entry(name: "previous", kind: .window, syntax: "previous(expr)",
              summary: "in derive: the value at the row before, within the by group, in time order"),
        Entry(name: "next", kind: .window, syntax: "next(expr)", summary: "in derive: the value at the row after"),
    ]

    /// Everything above.
    public static var all: [Entry] { stages + functions + aggregates + windowFunctions }

    /// The entries with this name (`count` is a stage and an aggregate).
    public static func entries(named name: String) -> [Entry] {
        all.filter { $0.name == name }
    }

    private static func stage(_ name: String, _ syntax: String, _ summary: String, _ example: String) -> Entry {
        Entry(name: name, kind: .stage, syntax: syntax, summary: summary, example: example)
    }

    private static func function(_ name: String, _ summary: String) -> Entry {
        Entry(name: name, kind: .function, syntax: ScalarFunction.catalog[name]?.signature ?? name + "(…)", summary: summary)
    }

    private static func aggregate(_ a: Aggregate, _ summary: String) -> Entry {
        Entry(name: a.rawValue, kind: .aggregate, syntax: a.signature, summary: summary)
    }
}
