/// A diagnostic's code together with its message. Only the members below make one, each under
/// the code whose catalogue entry (`DiagnosticCode.explanation`) describes it, so a raise site
/// names the problem and cannot pair a message with another problem's code.
///
/// The members are grouped by code, in the order of `DiagnosticCode`; a test reads this file and
/// checks that every member in a code's section is made with that code.
public struct DiagnosticMessage: Sendable, Hashable {
    /// The code the message is reported under.
    public let code: DiagnosticCode
    /// The message, one sentence without a final full stop.
    public let text: String

    fileprivate init(_ code: DiagnosticCode, _ text: String) {
        self.code = code
        self.text = text
    }

    // MARK: unexpectedCharacter
    static let parameterNameMissing = Self(.unexpectedCharacter, "expected a parameter name after '$'")
    static let exclamationMark = Self(.unexpectedCharacter, "unexpected '!'")
    static func unexpectedCharacter(_ shown: String) -> Self { Self(.unexpectedCharacter, "unexpected character \(shown)") }
    static let numberRunsIntoName = Self(.unexpectedCharacter, "a number cannot run straight into a name")
    static let singleQuotedText = Self(.unexpectedCharacter, "text is written in double quotes")

    // MARK: unterminatedText
    static let unterminatedText = Self(.unterminatedText, "unterminated text literal")

    // MARK: unterminatedName
    static let unterminatedName = Self(.unterminatedName, "unterminated quoted name")

    // MARK: invalidEscape
    static let unknownEscape = Self(.invalidEscape, "unknown escape in text literal")
    static let emptyQuotedName = Self(.invalidEscape, "empty quoted name")

    // MARK: unexpectedToken
    static func expected(_ what: String, found: String) -> Self { Self(.unexpectedToken, "expected \(what), found \(found)") }
    static let deriveNeedsName = Self(.unexpectedToken, "derive needs a name for each new column")

    // MARK: incompleteInput
    static func incomplete(expected what: String) -> Self { Self(.incompleteInput, "incomplete input: expected \(what)") }
    static let stageExpected = Self(.incompleteInput, "incomplete input: expected a stage after '|'")

    // MARK: reservedWord
    static func reservedWord(_ word: String, not what: String) -> Self {
        Self(.reservedWord, "'\(word)' is a reserved word, not \(what)")
    }
    static func reservedColumnName(_ word: String) -> Self {
        Self(.reservedWord, "'\(word)' is a reserved word, so it cannot name a column")
    }

    // MARK: wrongOperator
    static let notEqualsOperator = Self(.wrongOperator, "'<>' is not an IQL operator")
    static let singleEquals = Self(.wrongOperator, "'=' names a column; to compare, write '=='")
    static let chainedComparison = Self(.wrongOperator, "comparisons cannot be chained")

    // MARK: nestingTooDeep
    static func nestingTooDeep(_ limit: Int) -> Self { Self(.nestingTooDeep, "expression nested more than \(limit) levels deep") }

    // MARK: numberLiteral
    static func integerTooLarge(_ text: String) -> Self {
        Self(.numberLiteral, "integer \(text) is too large (the limit is 9223372036854775807)")
    }
    static func inexactNumber(_ text: String) -> Self {
        Self(.numberLiteral, "number \(text) cannot be held exactly (at most 18 decimal places and 19 digits)")
    }

    // MARK: invalidDateLiteral
    static func notInCalendar(_ text: String) -> Self { Self(.invalidDateLiteral, "\(text) is not a date in the calendar") }

    // MARK: emptyScript
    static func nothingToRun(_ source: String, _ what: String) -> Self { Self(.emptyScript, "nothing to run: \(source) \(what)") }

    // MARK: invalidUTF8
    static let sourceNotUTF8 = Self(.invalidUTF8, "the text is not valid UTF-8")
    static func headerNotUTF8(_ file: String) -> Self {
        Self(.invalidUTF8, "\(file):1: the header is not valid UTF-8 text; save the file as UTF-8")
    }
    static func fieldNotUTF8(_ file: String, line: Int, column: String) -> Self {
        Self(.invalidUTF8, "\(file):\(line): column '\(column)' is not valid UTF-8 text; save the file as UTF-8")
    }

    // MARK: unknownColumn
    static func unknownName(_ name: String) -> Self { Self(.unknownColumn, "unknown name '\(name)'") }
    static func noColumn(_ name: String, in table: String) -> Self { Self(.unknownColumn, "no column '\(name)' in \(table)") }
    static func unpivotResultLacks(_ name: String) -> Self { Self(.unknownColumn, "unpivot: the result has no column '\(name)'") }
    static func compareWithUnknown(_ name: String) -> Self { Self(.unknownColumn, "cannot compare with '\(name)'") }
    static let compareNeedsColumn = Self(.unknownColumn, "compare needs to know which column to compare")
    static func compareSourceLacks(_ column: String, source: String) -> Self {
        Self(.unknownColumn, "compare reads '\(column)' for other councils from \(source), which has no such column")
    }
    static let compareNeedsAuthority = Self(.unknownColumn, "compare needs an 'authority' column naming each row's council")
    static func compareInputLacks(_ name: String, source: String) -> Self {
        Self(.unknownColumn, "compare needs '\(name)' in its input, to find the same figure for other councils in \(source)")
    }
    static func pivotNeedsValues(besides name: String) -> Self {
        Self(.unknownColumn, "pivot needs a column of values besides '\(name)'")
    }
    static let unpivotNeedsColumns = Self(.unknownColumn, "unpivot needs the columns to turn into rows")

    // MARK: unknownDataset
    /// No dataset of this name is registered.
    public static func noDataset(_ name: String) -> Self { Self(.unknownDataset, "no dataset named '\(name)'") }
    static func noTable(_ name: String) -> Self { Self(.unknownDataset, "no table named '\(name)'") }
    static func noDatasetOrTable(_ name: String) -> Self { Self(.unknownDataset, "no dataset or table named '\(name)'") }
    static func noTableToCompare(_ name: String) -> Self { Self(.unknownDataset, "no table named '\(name)' to compare with") }

    // MARK: unknownFunction
    static func unknownFunction(_ name: String) -> Self { Self(.unknownFunction, "unknown function '\(name)'") }
    static func functionWithoutCall(_ name: String) -> Self {
        Self(.unknownFunction, "'\(name)' is a function; call it with parentheses")
    }

    // MARK: unknownStage
    static func unknownChart(_ name: String) -> Self { Self(.unknownStage, "unknown chart '\(name)'") }
    static func unknownStage(_ name: String) -> Self { Self(.unknownStage, "unknown stage '\(name)'") }

    // MARK: unknownParameter
    static func unknownParameter(_ name: String) -> Self { Self(.unknownParameter, "unknown parameter '$\(name)'") }
    static func undeclaredParameter(_ name: String) -> Self {
        Self(.unknownParameter, "unknown parameter '\(name)': the script declares no 'param \(name)'")
    }

    // MARK: missingParameter
    static func missingParameter(_ name: String) -> Self { Self(.missingParameter, "missing parameter '\(name)'") }

    // MARK: duplicateColumn
    static func secondColumn(_ stage: String, _ name: String) -> Self {
        Self(.duplicateColumn, "\(stage) would make a second column named '\(name)'")
    }
    static func namedTwice(_ name: String) -> Self { Self(.duplicateColumn, "'\(name)' is named twice") }
    static let pivotSameColumns = Self(.duplicateColumn, "pivot needs two different columns: names across the page, and values")
    static let diffSameNames = Self(.duplicateColumn, "diff would make two columns of the same name")
    static func twoColumns(_ stage: String, _ name: String) -> Self {
        Self(.duplicateColumn, "\(stage) would make two columns named '\(name)'")
    }

    // MARK: nameClash
    static func ratingWordIsColumn(_ word: String) -> Self {
        Self(.nameClash, "'\(word)' here is the rating, though the table has a column '\(word)'")
    }
    static func valueNamedLikeDataset(_ name: String) -> Self {
        Self(.nameClash, "'\(name)' is a dataset; a value cannot take its name")
    }
    static func valueNotTable(_ name: String) -> Self { Self(.nameClash, "'\(name)' is a value, not a table") }

    // MARK: operandTypes
    static func cannotApply(_ op: String, _ left: ValueType, _ right: ValueType) -> Self {
        Self(.operandTypes, "cannot apply '\(op)' to \(left) and \(right)")
    }
    static let daysAddedToDate = Self(.operandTypes, "can only add a whole number of days to a date")
    static func notArithmetic(_ op: String) -> Self { Self(.operandTypes, "'\(op)' is not arithmetic") }
    static func cannotNegate(_ type: ValueType) -> Self { Self(.operandTypes, "cannot negate \(type)") }
    static func orderNeedsNumber(_ stage: String, found: ValueType) -> Self {
        Self(.operandTypes, "\(stage) needs a number to order by, found \(found)")
    }
    static func compareNeedsNumber(_ column: String, _ type: ValueType) -> Self {
        Self(.operandTypes, "compare needs a number column, '\(column)' is \(type)")
    }
    static func chartNeedsNumbers(_ column: String, _ type: ValueType) -> Self {
        Self(.operandTypes, "chart draws numbers, but '\(column)' is \(type)")
    }

    // MARK: comparisonTypes
    static func inNeedsList(found: ValueType) -> Self { Self(.comparisonTypes, "'in' needs a list, found \(found)") }
    static func cannotLookFor(_ type: ValueType, inListOf element: ValueType) -> Self {
        Self(.comparisonTypes, "cannot look for \(type) in a list of \(element)")
    }
    static func cannotCompare(_ left: ValueType, _ right: ValueType) -> Self {
        Self(.comparisonTypes, "cannot compare \(left) with \(right)")
    }
    static func listsUnordered(_ op: String) -> Self { Self(.comparisonTypes, "lists cannot be ordered with '\(op)'") }
    static func unpivotMixedTypes(_ column: String, _ type: ValueType, others: ValueType) -> Self {
        Self(.comparisonTypes, "unpivot puts the columns' values in one column, but '\(column)' is \(type) and others are \(others)")
    }
    static let sortByList = Self(.comparisonTypes, "cannot sort by a list")

    // MARK: conditionType
    static func assertNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "assert needs a condition (bool), found \(found)")
    }
    static func notNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "'not' needs a condition (bool), found \(found)")
    }
    static func logicNeedsConditions(_ op: String, found: ValueType) -> Self {
        Self(.conditionType, "'\(op)' needs conditions (bool) on both sides, found \(found)")
    }
    static func whereNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "where needs a condition (bool), found \(found)")
    }

    // MARK: argumentCount
    static func argumentCount(_ function: String, expected: String, found: Int) -> Self {
        Self(.argumentCount, "\(function) takes \(expected), found \(found)")
    }

    // MARK: argumentType
    static func argumentType(_ function: String, index: Int, _ problem: String) -> Self {
        Self(.argumentType, "\(function): argument \(index) \(problem)")
    }
    static func aggregateArgument(_ problem: Aggregate.Problem) -> Self { Self(.argumentType, problem.message) }

    // MARK: listType
    static func pivotTooManyValues(_ count: Int, limit: Int) -> Self {
        Self(.listType, "pivot … values lists \(count) values; a pivot makes at most \(limit) columns")
    }
    static func pivotValuesList(found: ValueType) -> Self {
        Self(.listType, "pivot … values takes a list of the column's values, found \(found)")
    }
    static func mixedList(_ type: ValueType, earlier: ValueType) -> Self {
        Self(.listType, "a list holds values of one type: this is \(type), earlier items are \(earlier)")
    }

    // MARK: parameterType
    static func parameterType(_ name: String, _ type: ValueType, given: String) -> Self {
        Self(.parameterType, "parameter '\(name)' takes a \(type) like its default, but was given \(given)")
    }

    // MARK: asOfType
    static let latestByList = Self(.asOfType, "latest cannot order by a list")
    static let asOfDateAsText = Self(.asOfType, "'as of' takes a date, found text")
    static func asOfType(_ type: ValueType, column: String, found: ValueType) -> Self {
        Self(.asOfType, "'as of' must be a \(type) like '\(column)', found \(found)")
    }

    // MARK: takeType
    static func takeNeedsNumber(found: ValueType) -> Self { Self(.takeType, "take needs a number of rows, found \(found)") }
    static let takeNeedsWholeNumber = Self(.takeType, "take needs a whole number of rows, 0 or more")

    // MARK: ratingLiteral
    static func notARating(_ text: String) -> Self { Self(.ratingLiteral, "\"\(text)\" is not an Ofsted rating") }

    // MARK: joinKeyTypes
    static func joinKeyTypes(_ left: ValueType, _ leftKey: String, _ right: ValueType, _ rightKey: String) -> Self {
        Self(.joinKeyTypes, "cannot join \(left) key '\(leftKey)' with \(right) key '\(rightKey)'")
    }

    // MARK: nullComparison
    static let nullComparison = Self(.nullComparison, "comparing with null never matches: the result is always null")

    // MARK: aggregatePlacement
    static func aggregateNeedsRows(_ name: String) -> Self {
        Self(.aggregatePlacement, "aggregate '\(name)' needs rows: use it in summarize")
    }
    static func aggregateOutsideSummarize(_ name: String) -> Self {
        Self(.aggregatePlacement, "aggregate '\(name)' can only be used in summarize")
    }
    static let nestedAggregate = Self(.aggregatePlacement, "aggregates cannot be nested")

    // MARK: ungroupedColumn
    static func ungrouped(_ column: String) -> Self {
        Self(.ungroupedColumn, "column '\(column)' must be inside an aggregate or be a 'by' key")
    }
    static func ungroupedInAssert(_ column: String) -> Self {
        Self(.ungroupedColumn, "column '\(column)' must be inside an aggregate: assert checks the whole result")
    }

    // MARK: windowPlacement
    static func windowOutsideDerive(_ name: String) -> Self {
        Self(.windowPlacement, "\(name)() can only be used in derive")
    }

    // MARK: noTimeColumn
    static func windowNeedsTime(_ name: String) -> Self {
        Self(.noTimeColumn, "\(name)() orders rows by the time column, and this table has none")
    }
    static let latestNeedsTime = Self(.noTimeColumn, "latest needs a column to order by: this table has no time column")

    // MARK: assertPlacement
    static let assertWithoutPipeline = Self(.assertPlacement, "assert checks the result of a pipeline, and none comes before it")

    // MARK: noPipeline
    static let noPipeline = Self(.noPipeline, "the query produced no table: it needs a pipeline (from …)")

    // MARK: clausePlacement
    static let byOnBarChart = Self(.clausePlacement, "'by' splits a line chart into lines; a bar chart has one bar per row")

    // MARK: noSQLForm
    static func noSQLForm(_ what: String) -> Self {
        Self(.noSQLForm, "\(what) has no SQL form: run the query in iql itself (without --sql)")
    }

    // MARK: overflow
    static func arithmeticOverflow(_ kind: String, _ op: String, _ left: String, _ right: String) -> Self {
        Self(.overflow, "\(kind) overflow in '\(op)': \(left) \(op) \(right) does not fit in 64 bits")
    }
    static let numberOutOfRange = Self(.overflow, "number out of range")
    static let integerNegationOverflow = Self(.overflow, "integer overflow in '-'")
    static let numberNegationOverflow = Self(.overflow, "number overflow in '-'")

    // MARK: divisionByZero
    static let divisionByZero = Self(.divisionByZero, "division by zero")
    static let remainderByZero = Self(.divisionByZero, "division by zero in '%'")

    // MARK: dateOutOfRange
    static let dateOutOfRange = Self(.dateOutOfRange, "date out of range")
    static func textNotDate(_ text: String, format: String) -> Self {
        Self(.dateOutOfRange, "\"\(text)\" is not a date written as \(format)")
    }
    static func noSuchDate(_ year: String, _ month: String, _ day: String) -> Self {
        Self(.dateOutOfRange, "date(\(year), \(month), \(day)) is not a date in the calendar")
    }

    // MARK: invalidValue
    static func takeCount(_ found: String) -> Self {
        Self(.invalidValue, "take needs a whole number of rows, 0 or more; found \(found)")
    }
    static let asOfNull = Self(.invalidValue, "'as of' needs a value, found null")
    static let asOfWrongType = Self(.invalidValue, "'as of' must have the type of the column it limits")
    static let roundDigits = Self(.invalidValue, "round's digits must be a whole number from -15 to 15")

    // MARK: cancelled
    static let cancelled = Self(.cancelled, "query cancelled")

    // MARK: timeLimit
    static func timeLimit(_ limit: String) -> Self { Self(.timeLimit, "the query ran longer than the time limit (\(limit))") }

    // MARK: rowLimit
    static func stageRows(_ rows: Int, limit: Int) -> Self {
        Self(.rowLimit, "a stage made \(rows) rows, more than the limit of \(limit)")
    }
    static func wouldMakeRows(_ what: String, _ rows: Int, limit: Int) -> Self {
        Self(.rowLimit, "\(what) would make \(rows) rows, more than the limit of \(limit)")
    }
    static func pivotColumns(_ count: Int, limit: Int) -> Self {
        Self(.rowLimit, "pivot would make \(count) columns, more than \(limit)")
    }
    static func joinRows(limit: Int) -> Self { Self(.rowLimit, "the join would make more than \(limit) rows") }

    // MARK: assertionFailed
    static func assertionFailed(_ text: String) -> Self { Self(.assertionFailed, "assertion failed: \(text)") }

    // MARK: internalError
    static func internalError(_ error: any Error) -> Self { Self(.internalError, "\(error)") }

    // MARK: ambiguousCell
    static func pivotTwoValues(_ place: String) -> Self { Self(.ambiguousCell, "pivot found two values for \(place)") }
    static func diffTwoRows(_ side: String, _ key: String) -> Self {
        Self(.ambiguousCell, "diff: \(side) has two rows with \(key)")
    }

    // MARK: outputLimit
    static func chartTooLarge(points: Int, limit: String) -> Self {
        Self(.outputLimit, "the chart of \(points) points would be larger than the output limit of \(limit)")
    }

    // MARK: memoryLimit
    static func memoryLimit(_ what: String, limit: String, wanted: String, held: String) -> Self {
        Self(.memoryLimit, "\(what) would pass the memory limit of \(limit): it needs about \(wanted) more, with \(held) already held")
    }

    // MARK: unreadableFile
    /// A script file that could not be read.
    public static func unreadableScript(_ file: String) -> Self { Self(.unreadableFile, "cannot read script '\(file)'") }
    static func noSuchFile(_ path: String) -> Self { Self(.unreadableFile, "cannot read '\(path)': no such file") }
    static func unreadable(_ path: String) -> Self { Self(.unreadableFile, "cannot read '\(path)'") }

    // MARK: malformedCSV
    static func csvStructure(_ file: String, _ problem: CSVScanner.Problem) -> Self {
        Self(.malformedCSV, "\(file):\(problem.line): \(problem.message)")
    }
    static func skippedRows(_ summary: String) -> Self { Self(.malformedCSV, summary) }


    // MARK: badHeader
    static func emptyCSV(_ file: String) -> Self { Self(.badHeader, "\(file): the file is empty; a CSV needs a header row") }
    static func unnamedColumn(_ file: String, _ position: Int) -> Self {
        Self(.badHeader, "\(file):1: column \(position) has no name in the header")
    }
    static func headerNamedTwice(_ file: String, _ name: String) -> Self {
        Self(.badHeader, "\(file):1: two columns are named '\(name)'")
    }
    static let bundledIndicatorsDamaged = Self(.badHeader, "the bundled indicators table is damaged: it did not decompress")

    // MARK: valueDoesNotFit
    static func headerDiffers(_ file: String, position: Int, found: String, declared: String) -> Self {
        Self(.valueDoesNotFit, "\(file): column \(position) is '\(found)', but the dataset declares '\(declared)'")
    }
    static func fieldDoesNotFit(_ file: String, line: Int, column: String, text: String, type: String) -> Self {
        Self(.valueDoesNotFit, "\(file):\(line): column '\(column)': \"\(text)\" is not a \(type)")
    }

    // MARK: ambiguousDates
    static func ambiguousDates(_ file: String, _ column: String) -> Self {
        Self(.ambiguousDates, "\(file): column '\(column)' holds dates written with slashes that read as day/month or month/day; IQL will not guess which")
    }
    static func inconsistentDates(_ file: String, _ column: String, dayFirst: String, monthFirst: String) -> Self {
        Self(.ambiguousDates, "\(file): column '\(column)' holds dates that read only day first (\"\(dayFirst)\") and dates that read only month first (\"\(monthFirst)\")")
    }

    // MARK: timeColumnMissing
    static func timeColumnMissing(_ file: String, _ column: String) -> Self {
        Self(.timeColumnMissing, "\(file): no column '\(column)' to use as the time column")
    }

    // MARK: invalidDatasetName
    static func invalidDatasetName(_ name: String) -> Self {
        Self(.invalidDatasetName, "'\(name)' cannot name a dataset: use letters, digits and _, starting with a letter")
    }

    // MARK: unwritableFile
    static func chartUnwritable(_ name: String) -> Self { Self(.unwritableFile, "cannot write the chart to \(name)") }

    // MARK: fileOutputRefused
    static func noFileOutput(_ file: String) -> Self {
        Self(.fileOutputRefused, "this engine writes no files, so chart … to cannot save '\(file)'")
    }
    static func refusedFile(_ file: String, _ reason: String) -> Self {
        Self(.fileOutputRefused, "cannot write '\(file)': \(reason)")
    }

    // MARK: invalidFileName
    static let chartFileName = Self(.invalidFileName, "chart … to needs a file name ending in .svg, in quotes")

    // MARK: fileChanged
    static func fileChanged(_ path: String) -> Self {
        Self(.fileChanged, "\(path) changed while it was read (another program truncated or rewrote it); nothing was registered")
    }

    // MARK: invalidHostValue
    static func hostRowWidth(_ row: Int, _ count: Int, columns: Int) -> Self {
        Self(.invalidHostValue, "row \(row) has \(count) values, but the schema has \(columns) columns")
    }
    static func hostValueType(_ row: Int, column: String, _ value: String, _ type: ValueType, expected: ValueType) -> Self {
        Self(.invalidHostValue, "row \(row), column '\(column)': \(value) is \(type), not \(expected)")
    }

    // MARK: shadowsBundled
    static func shadowsBundled(_ name: String, file: String) -> Self {
        Self(.shadowsBundled, "\(file) is loaded as '\(name)', which hides the bundled dataset of that name for this session")
    }

    // MARK: fewOddValues
    static func fewOddValues(_ file: String, _ column: String, example: String, odd: Int, rest: String) -> Self {
        Self(.fewOddValues, "\(file): column '\(column)' is read as text because of \(odd == 1 ? "a value" : "a few values") such as \"\(example)\"; the others are \(rest)")
    }

    // MARK: cannotConnect
    static func cannotConnect(_ message: String) -> Self { Self(.cannotConnect, "cannot connect to the database: \(message)") }

    // MARK: databaseFailed
    static func databaseFailed(_ database: String, _ message: String) -> Self {
        Self(.databaseFailed, "\(database) failed: \(message)")
    }
    static func databaseValue(_ text: String, column: String, type: String) -> Self {
        Self(.databaseFailed, "the database gave \"\(text)\" in column '\(column)', which does not read as a \(type)")
    }

    // MARK: absentValue
    static func absentValue(_ dataset: String, _ column: String, _ value: String) -> Self {
        Self(.absentValue, "no row of \(dataset) has \(column) \"\(value)\"")
    }
    static func moreAbsentValues(_ count: Int, shown: Int) -> Self {
        Self(.absentValue, "\(count) more text value\(count == 1 ? "" : "s") match no row; only the first \(shown) are shown")
    }

    // MARK: unusedBy
    static let unusedBy = Self(.unusedBy, "'by' only matters to previous() and next(), which this derive does not use")

    // MARK: otherCase
    static func otherCase(_ dataset: String, _ column: String, _ value: String, others: [String]) -> Self {
        Self(.otherCase, "\(dataset) also has \(column) " + others.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
             + ", which \"\(value)\" does not match: text compares case by case")
    }
}
