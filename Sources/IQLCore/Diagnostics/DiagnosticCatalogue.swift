/// What each diagnostic code means, with an example that produces it and the fix: the text of
/// `iql --explain CODE` and of `docs/errors.md` (a test keeps the two the same and runs every
/// example to check it still produces its code).
public struct DiagnosticExplanation: Sendable {
    /// A short title, e.g. "Unknown column".
    public let title: String
    /// What the problem is and why IQL reports it.
    public let explanation: String
    /// A query that produces this diagnostic, when one can show it.
    public let example: String?
    /// A CSV file to register as dataset `data` before running the example.
    public let exampleCSV: String?
    /// How to fix it.
    public let fix: String
}

extension DiagnosticCode {
    /// The catalogue entry for this code.
    public var explanation: DiagnosticExplanation {
        func entry(_ title: String, _ explanation: String, example: String?, csv: String? = nil, fix: String) -> DiagnosticExplanation {
            DiagnosticExplanation(title: title, explanation: explanation, example: example, exampleCSV: csv, fix: fix)
        }
        switch self {
        case .unexpectedCharacter:
            return entry("Unexpected character",
                         "The query holds a character that is not part of IQL, such as `;`, `&` or `!` on its own.",
                         example: "from authorities | where region == \"London\" & status == \"Current\"",
                         fix: "Use IQL's words and operators: `and`, `or`, `not`, `==`, `!=`. Text goes in double quotes.")
        case .unterminatedText:
            return entry("Text never closed",
                         "A text literal starts with `\"` but the query ends before the closing `\"`. The REPL waits for more lines instead.",
                         example: "from authorities | where authority == \"Oxfordshire",
                         fix: "Close the text with `\"`. A `\"` inside text is written `\\\"`.")
        case .unterminatedName:
            return entry("Quoted name never closed",
                         "A name quoted with backticks (for a column named like a reserved word) has no closing backtick.",
                         example: "from authorities | select `authority",
                         fix: "Close the name with a backtick: `` `name` ``.")
        case .invalidEscape:
            return entry("Invalid escape or empty name",
                         "Inside text, `\\` starts an escape: only `\\\"`, `\\\\`, `\\n` and `\\t` exist. A quoted name cannot be empty.",
                         example: "from authorities | where authority == \"a\\qb\"",
                         fix: "Write `\\\\` for a backslash, or remove it.")
        case .unexpectedToken:
            return entry("Unexpected word or symbol",
                         "The parser expected one thing (a stage, a name, a value, a closing bracket) and found another.",
                         example: "from authorities | take 5 rows",
                         fix: "Read the caret: it points at what was found, and the message says what was expected there.")
        case .incompleteInput:
            return entry("Incomplete query",
                         "The query ends where more is needed: after `|`, an operator, or an open bracket. The REPL asks for a continuation line instead of reporting it.",
                         example: "from authorities |",
                         fix: "Finish the query, or remove the trailing `|` or operator.")
        case .reservedWord:
            return entry("Reserved word used as a name",
                         "Words such as `from`, `let`, `and`, `null` and `true` are part of the language and cannot name a column without quoting. (The ratings' words, `good` and the rest, may name a column left of `=`.)",
                         example: "from authorities | select null = authority",
                         fix: "Choose another name, or quote it with backticks: `` `null` ``.")
        case .wrongOperator:
            return entry("Wrong operator",
                         "An operator from another language: `=` to compare (IQL uses `==`), `<>` (use `!=`), `!` (use `not`), or a chained comparison like `1 < x < 5`.",
                         example: "from authorities | where region = \"London\"",
                         fix: "Compare with `==` or `!=`; join two comparisons with `and`.")
        case .nestingTooDeep:
            return entry("Expression nested too deeply",
                         "Brackets, lists or operator chains nest more than 256 levels. IQL stops there rather than risk running out of stack.",
                         example: "from authorities | where " + String(repeating: "(", count: 300) + "true" + String(repeating: ")", count: 300),
                         fix: "Flatten the expression; a long chain of `or` is usually an `in [ … ]` list.")
        case .numberLiteral:
            return entry("Number cannot be held exactly",
                         "An integer beyond 64 bits (9223372036854775807), or a decimal with more than 18 places, cannot be held exactly, and IQL does not round silently.",
                         example: "from authorities | take 99999999999999999999",
                         fix: "Use a smaller number, or fewer decimal places.")
        case .invalidDateLiteral:
            return entry("Date not in the calendar",
                         "A date literal (`YYYY-MM-DD`) names a day that does not exist, such as 30 February.",
                         example: "from inspections | where published >= 2019-02-30",
                         fix: "Use a real date; the last day of February 2019 is `2019-02-28`.")
        case .emptyScript:
            return entry("Nothing to run",
                         "The query or script is empty, or holds only comments, so there is no statement to run. Typed at the REPL's prompt, a comment is simply ignored.",
                         example: "# just a note",
                         fix: "Write a statement: a pipeline starts with `from`, e.g. `from authorities | count`.")
        case .invalidUTF8:
            return entry("Not valid UTF-8",
                         "A script or CSV file holds bytes that are not UTF-8 text (often a file saved as Windows-1252 or Latin-1). IQL reports where rather than replace them silently.",
                         example: nil,
                         fix: "Save the file as UTF-8, e.g. `iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv`.")
        case .unknownColumn:
            return entry("Unknown column",
                         "No column of the table at that point of the pipeline has this name. Earlier stages (`select`, `count`, `summarize`) decide which columns exist; the message suggests the closest name.",
                         example: "from authorities | select regoin",
                         fix: "Use one of the listed columns (`iql schema NAME` shows them), or keep the column in the earlier stage.")
        case .unknownDataset:
            return entry("Unknown dataset or table",
                         "`from`, `join` or a name used as a table names no bundled dataset, registered file or `let` table.",
                         example: "from inspectoins | count",
                         fix: "Use a name from `iql schema`, or add a file with `--data NAME=PATH.csv`.")
        case .unknownFunction:
            return entry("Unknown function",
                         "A call names no IQL function, or a function's name is used without parentheses.",
                         example: "from authorities | select upcase(authority)",
                         fix: "Use the suggested function; docs/language.md lists them all.")
        case .unknownStage:
            return entry("Unknown stage",
                         "After `|` comes a stage: `where`, `select`, `derive`, `sort`, `take`, `count`, `summarize`, `latest`, `join`, `distinct`.",
                         example: "from authorities | filter region == \"London\"",
                         fix: "Use the suggested stage (`where` filters rows).")
        case .unknownParameter:
            return entry("Unknown parameter",
                         "A `$name` or `--param name=…` refers to a parameter the script does not declare.",
                         example: "from authorities | where authority == $council",
                         fix: "Declare it: `param council = \"Oxfordshire\"`, or fix its spelling.")
        case .missingParameter:
            return entry("Missing parameter",
                         "A script declares `param NAME` without a default and no value was given.",
                         example: "param council\nfrom authorities | where authority == $council",
                         fix: "Pass `--param council=Oxfordshire`, or give the parameter a default.")
        case .duplicateColumn:
            return entry("Two columns with one name",
                         "A stage would make two columns with the same name, which later stages could not tell apart.",
                         example: "from authorities | select authority, authority",
                         fix: "Rename one: `select authority, other = authority`.")
        case .nameClash:
            return entry("Name already taken",
                         "A `let` name is already a dataset's, or a value is used where a table is needed.",
                         example: "let authorities = 5",
                         fix: "Choose a name no dataset uses.")
        case .operandTypes:
            return entry("Operator does not apply to these types",
                         "Arithmetic needs numbers (a date plus or minus whole days is allowed); text, ratings and lists cannot be added or negated.",
                         example: "from authorities | select x = authority + 1",
                         fix: "Convert first, or compare instead of computing.")
        case .comparisonTypes:
            return entry("Values of different types compared",
                         "`==`, `<`, `in` and the like compare values of one type: a number with a number, a date with a date, text with text.",
                         example: "from inspections | where inspected > 2019",
                         fix: "Compare with a value of the column's type, e.g. `inspected > 2019-01-01` or `year(inspected) > 2019`.")
        case .conditionType:
            return entry("Condition is not true or false",
                         "`where`, `assert`, `and`, `or` and `not` need conditions (bool); a number or text is not one.",
                         example: "from authorities | where authority",
                         fix: "Compare it: `where authority == \"Oxfordshire\"`.")
        case .argumentCount:
            return entry("Wrong number of arguments",
                         "A function was called with more or fewer arguments than it takes.",
                         example: "from authorities | select x = lower(authority, 2)",
                         fix: "Pass the arguments the label shows.")
        case .argumentType:
            return entry("Argument of the wrong type",
                         "A function's argument is not of a type it accepts (e.g. `year` of a number, `avg` of text).",
                         example: "from authorities | summarize x = avg(authority)",
                         fix: "Pass a value of the type the message names.")
        case .listType:
            return entry("List of mixed types",
                         "A list holds values of one type, so `[1, \"a\"]` is refused.",
                         example: "from authorities | where authority in [\"Oxfordshire\", 3]",
                         fix: "Make every item the same type.")
        case .parameterType:
            return entry("Parameter of the wrong type",
                         "A parameter's value does not have the type of its default (`param year = 2019` takes numbers).",
                         example: nil,
                         fix: "Pass a value like the default, e.g. `--param year=2021`.")
        case .asOfType:
            return entry("'as of' of the wrong type",
                         "`latest COLUMN … as of VALUE` compares VALUE with the column, so it must have the column's type.",
                         example: "from inspections | latest by authority as of \"2025-03-31\"",
                         fix: "Write a value of the column's type: dates without quotes, `as of 2025-03-31`.")
        case .takeType:
            return entry("take needs a whole number",
                         "`take N` keeps the first N rows: N must be a whole number, 0 or more.",
                         example: "from authorities | take -1",
                         fix: "Use a whole number, 0 or more.")
        case .ratingLiteral:
            return entry("Not an Ofsted rating",
                         "A rating column was compared with text that is none of Ofsted's judgements.",
                         example: "from inspections | where overall == \"Excellent\"",
                         fix: "Use a rating: `outstanding`, `good`, `requires_improvement`, `inadequate` (or Ofsted's wording in quotes).")
        case .joinKeyTypes:
            return entry("Join keys of different types",
                         "`join … on LEFT == RIGHT` matches equal values, so both keys must have one type.",
                         example: "from authorities | join inspections on authority == inspected",
                         fix: "Join on columns of the same type.")
        case .nullComparison:
            return entry("Comparison with null",
                         "`x == null` is never true (null is unknown), so IQL refuses it rather than return nothing.",
                         example: "from authorities | where region == null",
                         fix: "Write `x is null` or `x is not null`.")
        case .aggregatePlacement:
            return entry("Aggregate outside summarize",
                         "Aggregates (`count`, `sum`, `avg`, `min`, `max`, …) combine many rows, so they belong in `summarize` or `assert`; they cannot nest.",
                         example: "from authorities | select n = count()",
                         fix: "Use `summarize n = count() by …`, or `count by …`.")
        case .ungroupedColumn:
            return entry("Column outside an aggregate",
                         "In `summarize` each output row stands for a group, so a column must be a `by` key or inside an aggregate.",
                         example: "from authorities | summarize n = count(), authority by region",
                         fix: "Aggregate it (`first(authority)`, `max(authority)`) or add it to `by`.")
        case .windowPlacement:
            return entry("previous() or next() outside derive",
                         "`previous` and `next` read neighbouring rows in time order, which only `derive` provides.",
                         example: "from inspections | where previous(overall) == good",
                         fix: "Compute it first: `derive before = previous(overall) by authority`, then filter.")
        case .noTimeColumn:
            return entry("No time column",
                         "`latest` without a column, `previous` and `next` order rows by the table's time column, and this table has none (or an earlier stage dropped it).",
                         example: "from authorities | latest by region",
                         fix: "Name the column to order by: `latest COLUMN by …`.")
        case .assertPlacement:
            return entry("assert with nothing to check",
                         "`assert` checks the result of the pipeline before it, and there is none.",
                         example: "assert count() == 153",
                         fix: "Put it after a `from …` statement.")
        case .noPipeline:
            return entry("No table produced",
                         "A query run for its result needs a pipeline (`from …`); only `let` or `param` statements produce none.",
                         example: "let x = 5",
                         fix: "End the query with a pipeline.")
        case .clausePlacement:
            return entry("Clause this stage does not take",
                         "A stage was given a clause that is valid elsewhere but means nothing to it: `by` on a bar chart (a bar chart has one bar per row; `by` splits a line chart into lines).",
                         example: "from authorities | count by region | chart bar region n by region",
                         fix: "Remove the clause, or use the stage that takes it (`chart line X VALUE by SERIES`).")
        case .noSQLForm:
            return entry("No SQL form",
                         "A query compiled to SQL (`iql --sql postgres|duckdb`, `Engine.sql`) uses a stage or value that has no faithful SQL form yet: `chart`, a `pivot` whose columns only its rows decide, a `let` value computed from a table, or text holding a NUL character (which PostgreSQL cannot store). docs/sql.md lists what compiles.",
                         example: nil,
                         fix: "Run the query in iql itself, or compile the part before the stage and do the rest in SQL.")
        case .overflow:
            return entry("Arithmetic overflow",
                         "A result does not fit in 64 bits (integers) or the exact decimal range. IQL reports it instead of wrapping round or losing digits.",
                         example: "from authorities | take 1 | select x = 9223372036854775807 + 1",
                         fix: "Work with smaller values, or divide first.")
        case .divisionByZero:
            return entry("Division by zero",
                         "A row divides by zero with `/` or `%`.",
                         example: "from authorities | take 1 | select x = 1 / 0",
                         fix: "Guard it: `if(d == 0, null, n / d)`.")
        case .dateOutOfRange:
            return entry("Date out of range",
                         "A computed date does not exist (`date(2019, 2, 30)`) or falls outside years 1 to 9999.",
                         example: "from authorities | take 1 | select d = date(2019, 2, 30)",
                         fix: "Check the parts you build the date from.")
        case .invalidValue:
            return entry("Invalid value",
                         "A value met while running is outside what an operation takes: `round`'s digits, `take`'s count given by a parameter, a null `as of` limit.",
                         example: "from authorities | take 1 | select x = round(1.5, 99)",
                         fix: "Use a value in the range the message gives.")
        case .cancelled:
            return entry("Query cancelled",
                         "The query was cancelled: Ctrl-C in the REPL, or the embedding program cancelled it.",
                         example: nil,
                         fix: "Run it again; nothing is changed by a cancelled query.")
        case .timeLimit:
            return entry("Time limit reached",
                         "The query ran longer than the engine's time limit (`Engine.Limits.time`, `--time-limit`). The engine stays usable.",
                         example: nil,
                         fix: "Filter earlier, or raise the limit.")
        case .rowLimit:
            return entry("Row limit reached",
                         "A stage would make more rows than the engine's limit (`EngineLimits.rows`, `--max-rows`), usually a join that matches many rows to many.",
                         example: nil,
                         fix: "Filter before the join, join on a more specific key, or raise the limit.")
        case .outputLimit:
            return entry("Picture too large",
                         "A chart's SVG picture would be larger than the engine's output limit (`EngineLimits.outputBytes`, 16 MiB by default in the library): usually a chart of every row of a large table.",
                         example: nil,
                         fix: "Aggregate first (`count by`, `summarize … by`) or `take` the rows worth drawing, or raise the limit.")
        case .memoryLimit:
            return entry("Memory limit reached",
                         "The query's intermediate results (with the tables the session has bound with `let`) would hold more memory than the engine's limit (`EngineLimits.memory`, 2 GiB by default in the library; none in the CLI). The stage is stopped before it allocates, and the engine stays usable.",
                         example: nil,
                         fix: "Filter or aggregate before a join, pivot or unpivot; drop `let` tables you no longer need (`engine.unbind`); or raise the limit.")
        case .assertionFailed:
            return entry("Assertion failed",
                         "An `assert` condition was false for the result above it. The script stops there, with exit status 1.",
                         example: "from authorities | count\nassert first(n) == 150",
                         fix: "Either the data changed or the assertion is wrong: the message shows the values seen.")
        case .ambiguousCell:
            return entry("Two rows for one cell",
                         "`pivot` found two values for the same row and column, or `diff` found two rows with the same key in one table: which one is meant is a question IQL will not answer by guessing.",
                         example: "from children_in_care | select region, year, children | pivot year",
                         fix: "Summarize first (`summarize children = sum(children) by region, year`), or choose keys that pick out one row.")
        case .internalError:
            return entry("Internal error",
                         "Something IQL did not expect. Please report it with the query.",
                         example: nil,
                         fix: "Report it; meanwhile, rephrase the query.")
        case .unreadableFile:
            return entry("File cannot be read",
                         "A `--data` file does not exist or cannot be opened.",
                         example: nil,
                         fix: "Check the path and permissions.")
        case .malformedCSV:
            return entry("Malformed CSV",
                         "A row has more or fewer fields than the header, a quoted field is never closed, or text follows a closing quote. The message names the file and line.",
                         example: "from data | count",
                         csv: "a,b\n1,2\n3\n",
                         fix: "Fix the row the message names, or load with `--lenient` to skip malformed rows (they are counted and reported).")
        case .badHeader:
            return entry("Bad header",
                         "The file is empty, or its header has an empty or repeated column name.",
                         example: "from data | count",
                         csv: "a,a\n1,2\n",
                         fix: "Give every column a distinct name in the first line.")
        case .valueDoesNotFit:
            return entry("Value does not fit the declared type",
                         "A bundled or declared dataset says what each column holds, and a value is not of that type.",
                         example: nil,
                         fix: "Correct the value in the file.")
        case .ambiguousDates:
            return entry("Ambiguous dates",
                         "A column holds dates written `01/02/2020`, which is 1 February in Britain and 2 January in America. IQL will not guess.",
                         example: "from data | count",
                         csv: "when\n01/02/2020\n",
                         fix: "Write dates as `YYYY-MM-DD`.")
        case .timeColumnMissing:
            return entry("Time column not found",
                         "The time column named for a file is not one of its columns.",
                         example: nil,
                         fix: "Name one of the file's columns.")
        case .unwritableFile:
            return entry("File cannot be written",
                         "`chart … to FILE.svg` could not write its picture in the folder the host allows: the folder is not writable, or the name is taken by a folder.",
                         example: nil,
                         fix: "Write to a folder that exists and you may write to.")
        case .fileOutputRefused:
            return entry("File output not allowed",
                         "A query asked to write a file (`chart … to FILE.svg`) where the host allows none, or named a file outside the folder it allows. An engine writes no file unless the host gives it a folder (`Engine.outputDirectory`); the `iql` shell allows its working folder, and `--safe` none.",
                         example: "from authorities | count by region | chart bar region n to \"regions.svg\"",
                         fix: "Show the chart with `--format svg` and redirect it, or give the engine a folder to write into and name a file inside it (no `..`, no hidden names, no links out of it).")
        case .invalidFileName:
            return entry("Not a chart file name",
                         "`chart … to` takes a file name ending in `.svg`, written as text in quotes (or a text parameter).",
                         example: "from authorities | count by region | chart bar region n to \"regions.png\"",
                         fix: "Name a file ending in `.svg`, e.g. `to \"regions.svg\"`.")
        case .fileChanged:
            return entry("File changed while it was read",
                         "The CSV file was truncated or rewritten by another program while IQL was reading it, so what was read is not one version of the file. Nothing was registered.",
                         example: nil,
                         fix: "Load it again once the other program has finished writing it (write to a new name and rename it into place, so readers never see half a file).")
        case .invalidHostValue:
            return entry("Value of the wrong type from the host",
                         "A program embedding IQL built a table with a value that does not fit its column (text in a number column, say), or gave a parameter a value of another type than the script declares.",
                         example: nil,
                         fix: "Give each column values of its type, or null; give each parameter a value of its declared type.")
        case .invalidDatasetName:
            return entry("Invalid dataset name",
                         "A dataset name must be letters, digits and `_`, starting with a letter, so it can be written in a query.",
                         example: nil,
                         fix: "Rename it, e.g. `--data my_data=file.csv`.")
        case .absentValue:
            return entry("Value not in the data",
                         "A warning: a text literal compared with a column matches no row of the dataset, often a misspelling. The query still runs.",
                         example: "from authorities | where region == \"Londn\"",
                         fix: "Use the suggested spelling.")
        case .otherCase:
            return entry("Value also spelt in another case",
                         "A warning: `==` (and `in`) compare text exactly, and the column also holds the value in another case (\"Children's Home\" beside \"Children's home\"), so those rows are not matched. The query still runs.",
                         example: "from data | where kind == \"Children's home\" | count",
                         csv: "name,kind\na,Children's home\nb,Children's Home\n",
                         fix: "Match every spelling with `ilike` (`provision_type ilike \"children's home\"`) or `lower(…) == …`, or name each spelling in a list.")
        case .fewOddValues:
            return entry("A column is text because of a few values",
                         "A warning: a loaded CSV column holds numbers (or dates) but for a few values, such as `n/a` or `TBC`, so the whole column was read as text, and comparing or summing it will not work as numbers.",
                         example: nil,
                         fix: "Blank those values, or write them as one of the suppression markers that read as null (`x`, `c`, `z`, `u`, `low`, `:`, `-`, `..`), and load the file again.")
        case .unusedBy:
            return entry("'by' has no effect",
                         "A warning: `derive … by` groups rows only for `previous()` and `next()`, and this derive uses neither.",
                         example: "from authorities | derive x = 1 by region",
                         fix: "Remove `by`.")
        case .cannotConnect:
            return entry("Cannot connect to the database",
                         "`iql --connect`, `.connect` or `iql export --to` was given a database it could not reach or log in to: the message is the client library's (libpq for PostgreSQL), saying whether the host, the port, the user, the password or the database name was refused.",
                         example: nil,
                         fix: "Check the address (`postgresql://USER@HOST:PORT/DATABASE`, or `postgresql:///DATABASE?host=/socket/folder`) with `psql` first; a password goes in `~/.pgpass` or `PGPASSWORD` rather than on the command line.")
        case .databaseFailed:
            return entry("The database failed to run a query",
                         "A query compiled to SQL failed inside the connected database, or gave a value that does not read as its column's IQL type. The message is the database's: division by zero or an overflow that IQL would report with a caret, a table changed or dropped since the connection read the catalogue, a permission refused, or the connection lost.",
                         example: nil,
                         fix: "Read the database's message; `--sql postgres` prints the statement that ran. `.connect` again reads the catalogue anew.")
        case .shadowsBundled:
            return entry("A loaded table hides a bundled dataset",
                         "A warning: a CSV file was loaded under the name of a bundled dataset (`--data referrals=my.csv`, `.load my.csv AS referrals`), so for the rest of the session that name means the file, and the bundled table (and its `_areas` companion in `compare`) is out of reach.",
                         example: nil,
                         fix: "Load it under a name of its own (`--data my_referrals=my.csv`) to keep both.")
        }
    }

    /// The entry as `iql --explain` prints it and `docs/errors.md` shows it.
    public var renderedExplanation: String {
        let e = explanation
        var out = "## \(id): \(e.title)\n\n\(e.explanation)\n"
        if let example = e.example {
            if let csv = e.exampleCSV {
                out += "\nWith `data` loaded from this CSV:\n\n```csv\n\(csv)```\n"
            }
            out += "\nExample:\n\n```\n\(example)\n```\n"
        }
        out += "\nFix: \(e.fix)\n"
        return out
    }
}

extension DiagnosticCode {
    /// The whole catalogue as Markdown: the text of `docs/errors.md`.
    public static var catalogueMarkdown: String {
        var out = """
            # Diagnostics

            Every error and warning IQL reports has a stable code, shown in brackets
            (`error[IQL0201]: no column 'regoin' in authorities`). A code never changes meaning
            once published, so tools may match on it. `iql --explain IQL0201` prints an entry
            offline; `--diagnostics json` writes diagnostics as JSON (code, severity, message,
            line, column, range, suggestion) for editors and other tools, followed by the notes under
            the results (severity `note`, with the note's kind and the numbers it states as `counts`).

            Codes are grouped by hundreds: 01xx the text is not IQL; 02xx a name is unknown or
            taken; 03xx a value has the wrong type; 04xx a valid piece in the wrong place; 05xx a
            problem met while running; 06xx a data file that cannot be read as a table; 07xx
            warnings, where the query runs but probably does not mean what it says.

            This file is generated from the catalogue in `Sources/IQLCore/Diagnostics`; a test
            checks it is current and that every example still produces its code.


            """
        out += allCases.map(\.renderedExplanation).joined(separator: "\n")
        return out
    }
}
