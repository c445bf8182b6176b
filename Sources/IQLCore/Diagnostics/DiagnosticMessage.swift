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
    package static let parameterNameMissing = Self(.unexpectedCharacter, "expected a parameter name after '$'")
    package static let exclamationMark = Self(.unexpectedCharacter, "unexpected '!'")
    package static func unexpectedCharacter(_ shown: String) -> Self { Self(.unexpectedCharacter, "unexpected character \(shown)") }
    package static let numberRunsIntoName = Self(.unexpectedCharacter, "a number cannot run straight into a name")
    package static let singleQuotedText = Self(.unexpectedCharacter, "text is written in double quotes")

    // MARK: unterminatedText
    package static let unterminatedText = Self(.unterminatedText, "unterminated text literal")

    // MARK: unterminatedName
    package static let unterminatedName = Self(.unterminatedName, "unterminated quoted name")

    // MARK: invalidEscape
    package static let unknownEscape = Self(.invalidEscape, "unknown escape in text literal")
    package static let emptyQuotedName = Self(.invalidEscape, "empty quoted name")

    // MARK: unexpectedToken
    package static func expected(_ what: String, found: String) -> Self { Self(.unexpectedToken, "expected \(what), found \(found)") }
    package static let deriveNeedsName = Self(.unexpectedToken, "derive needs a name for each new column")

    // MARK: incompleteInput
    package static func incomplete(expected what: String) -> Self { Self(.incompleteInput, "incomplete input: expected \(what)") }
    package static let stageExpected = Self(.incompleteInput, "incomplete input: expected a stage after '|'")

    // MARK: reservedWord
    package static func reservedWord(_ word: String, not what: String) -> Self {
        Self(.reservedWord, "'\(word)' is a reserved word, not \(what)")
    }
    package static func reservedColumnName(_ word: String) -> Self {
        Self(.reservedWord, "'\(word)' is a reserved word, so it cannot name a column")
    }

    // MARK: wrongOperator
    package static let notEqualsOperator = Self(.wrongOperator, "'<>' is not an IQL operator")
    package static let singleEquals = Self(.wrongOperator, "'=' names a column; to compare, write '=='")
    package static let chainedComparison = Self(.wrongOperator, "comparisons cannot be chained")

    // MARK: nestingTooDeep
    package static func nestingTooDeep(_ limit: Int) -> Self { Self(.nestingTooDeep, "expression nested more than \(limit) levels deep") }

    // MARK: numberLiteral
    package static func integerTooLarge(_ text: String) -> Self {
        Self(.numberLiteral, "integer \(text) is too large (the limit is 9223372036854775807)")
    }
    package static func inexactNumber(_ text: String) -> Self {
        Self(.numberLiteral, "number \(text) cannot be held exactly (at most 18 decimal places and 19 digits)")
    }

    // MARK: invalidDateLiteral
    package static func notInCalendar(_ text: String) -> Self { Self(.invalidDateLiteral, "\(text) is not a date in the calendar") }

    // MARK: emptyScript
    package static func nothingToRun(_ source: String, _ what: String) -> Self { Self(.emptyScript, "nothing to run: \(source) \(what)") }

    // MARK: invalidUTF8
    package static let sourceNotUTF8 = Self(.invalidUTF8, "the text is not valid UTF-8")
    package static func headerNotUTF8(_ file: String) -> Self {
        Self(.invalidUTF8, "\(file):1: the header is not valid UTF-8 text; save the file as UTF-8")
    }
    package static func fieldNotUTF8(_ file: String, line: Int, column: String) -> Self {
        Self(.invalidUTF8, "\(file):\(line): column '\(column)' is not valid UTF-8 text; save the file as UTF-8")
    }

    // MARK: unknownColumn
    package static func unknownName(_ name: String) -> Self { Self(.unknownColumn, "unknown name '\(name)'") }
    package static func noColumn(_ name: String, in table: String) -> Self { Self(.unknownColumn, "no column '\(name)' in \(table)") }
    package static func unpivotResultLacks(_ name: String) -> Self { Self(.unknownColumn, "unpivot: the result has no column '\(name)'") }
    package static func compareWithUnknown(_ name: String) -> Self { Self(.unknownColumn, "cannot compare with '\(name)'") }
    package static let compareNeedsColumn = Self(.unknownColumn, "compare needs to know which column to compare")
    package static func compareSourceLacks(_ column: String, source: String) -> Self {
        Self(.unknownColumn, "compare reads '\(column)' for other councils from \(source), which has no such column")
    }
    package static let compareNeedsAuthority = Self(.unknownColumn, "compare needs an 'authority' column naming each row's council")
    package static func compareInputLacks(_ name: String, source: String) -> Self {
        Self(.unknownColumn, "compare needs '\(name)' in its input, to find the same figure for other councils in \(source)")
    }
    package static func pivotNeedsValues(besides name: String) -> Self {
        Self(.unknownColumn, "pivot needs a column of values besides '\(name)'")
    }
    package static let unpivotNeedsColumns = Self(.unknownColumn, "unpivot needs the columns to turn into rows")

    // MARK: unknownDataset
    /// No dataset of this name is registered.
    public static func noDataset(_ name: String) -> Self { Self(.unknownDataset, "no dataset named '\(name)'") }
    package static func noTable(_ name: String) -> Self { Self(.unknownDataset, "no table named '\(name)'") }
    package static func noDatasetOrTable(_ name: String) -> Self { Self(.unknownDataset, "no dataset or table named '\(name)'") }
    package static func noTableToCompare(_ name: String) -> Self { Self(.unknownDataset, "no table named '\(name)' to compare with") }

    // MARK: unknownFunction
    package static func unknownFunction(_ name: String) -> Self { Self(.unknownFunction, "unknown function '\(name)'") }
    package static func functionWithoutCall(_ name: String) -> Self {
        Self(.unknownFunction, "'\(name)' is a function; call it with parentheses")
    }

    // MARK: unknownStage
    package static func unknownChart(_ name: String) -> Self { Self(.unknownStage, "unknown chart '\(name)'") }
    package static func unknownStage(_ name: String) -> Self { Self(.unknownStage, "unknown stage '\(name)'") }

    // MARK: unknownParameter
    package static func unknownParameter(_ name: String) -> Self { Self(.unknownParameter, "unknown parameter '$\(name)'") }
    package static func undeclaredParameter(_ name: String) -> Self {
        Self(.unknownParameter, "unknown parameter '\(name)': the script declares no 'param \(name)'")
    }

    // MARK: missingParameter
    package static func missingParameter(_ name: String) -> Self { Self(.missingParameter, "missing parameter '\(name)'") }

    // MARK: duplicateColumn
    package static func secondColumn(_ stage: String, _ name: String) -> Self {
        Self(.duplicateColumn, "\(stage) would make a second column named '\(name)'")
    }
    package static func namedTwice(_ name: String) -> Self { Self(.duplicateColumn, "'\(name)' is named twice") }
    package static let pivotSameColumns = Self(.duplicateColumn, "pivot needs two different columns: names across the page, and values")
    package static let diffSameNames = Self(.duplicateColumn, "diff would make two columns of the same name")
    package static func twoColumns(_ stage: String, _ name: String) -> Self {
        Self(.duplicateColumn, "\(stage) would make two columns named '\(name)'")
    }

    // MARK: nameClash
    package static func ratingWordIsColumn(_ word: String) -> Self {
        Self(.nameClash, "'\(word)' here is the rating, though the table has a column '\(word)'")
    }
    package static func valueNamedLikeDataset(_ name: String) -> Self {
        Self(.nameClash, "'\(name)' is a dataset; a value cannot take its name")
    }
    package static func valueNotTable(_ name: String) -> Self { Self(.nameClash, "'\(name)' is a value, not a table") }

    // MARK: operandTypes
    package static func cannotApply(_ op: String, _ left: ValueType, _ right: ValueType) -> Self {
        Self(.operandTypes, "cannot apply '\(op)' to \(left) and \(right)")
    }
    package static let daysAddedToDate = Self(.operandTypes, "can only add a whole number of days to a date")
    package static func notArithmetic(_ op: String) -> Self { Self(.operandTypes, "'\(op)' is not arithmetic") }
    package static func cannotNegate(_ type: ValueType) -> Self { Self(.operandTypes, "cannot negate \(type)") }
    package static func orderNeedsNumber(_ stage: String, found: ValueType) -> Self {
        Self(.operandTypes, "\(stage) needs a number to order by, found \(found)")
    }
    package static func compareNeedsNumber(_ column: String, _ type: ValueType) -> Self {
        Self(.operandTypes, "compare needs a number column, '\(column)' is \(type)")
    }
    package static func chartNeedsNumbers(_ column: String, _ type: ValueType) -> Self {
        Self(.operandTypes, "chart draws numbers, but '\(column)' is \(type)")
    }

    // MARK: comparisonTypes
    package static func inNeedsList(found: ValueType) -> Self { Self(.comparisonTypes, "'in' needs a list, found \(found)") }
    package static func cannotLookFor(_ type: ValueType, inListOf element: ValueType) -> Self {
        Self(.comparisonTypes, "cannot look for \(type) in a list of \(element)")
    }
    package static func cannotCompare(_ left: ValueType, _ right: ValueType) -> Self {
        Self(.comparisonTypes, "cannot compare \(left) with \(right)")
    }
    package static func listsUnordered(_ op: String) -> Self { Self(.comparisonTypes, "lists cannot be ordered with '\(op)'") }
    package static func unpivotMixedTypes(_ column: String, _ type: ValueType, others: ValueType) -> Self {
        Self(.comparisonTypes, "unpivot puts the columns' values in one column, but '\(column)' is \(type) and others are \(others)")
    }
    package static let sortByList = Self(.comparisonTypes, "cannot sort by a list")

    // MARK: conditionType
    package static func assertNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "assert needs a condition (bool), found \(found)")
    }
    package static func notNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "'not' needs a condition (bool), found \(found)")
    }
    package static func logicNeedsConditions(_ op: String, found: ValueType) -> Self {
        Self(.conditionType, "'\(op)' needs conditions (bool) on both sides, found \(found)")
    }
    package static func whereNeedsCondition(found: ValueType) -> Self {
        Self(.conditionType, "where needs a condition (bool), found \(found)")
    }

    // MARK: argumentCount
    package static func argumentCount(_ function: String, expected: String, found: Int) -> Self {
        Self(.argumentCount, "\(function) takes \(expected), found \(found)")
    }

    // MARK: argumentType
    package static func argumentType(_ function: String, index: Int, _ problem: String) -> Self {
        Self(.argumentType, "\(function): argument \(index) \(problem)")
    }
    package static func aggregateArgument(_ problem: Aggregate.Problem) -> Self { Self(.argumentType, problem.message) }

    // MARK: listType
    package static func pivotTooManyValues(_ count: Int, limit: Int) -> Self {
        Self(.listType, "pivot … values lists \(count) values; a pivot makes at most \(limit) columns")
    }
    package static func pivotValuesList(found: ValueType) -> Self {
        Self(.listType, "pivot … values takes a list of the column's values, found \(found)")
    }
    package static func mixedList(_ type: ValueType, earlier: ValueType) -> Self {
        Self(.listType, "a list holds values of one type: this is \(type), earlier items are \(earlier)")
    }

    // MARK: parameterType
    package static func parameterType(_ name: String, _ type: ValueType, given: String) -> Self {
        Self(.parameterType, "parameter '\(name)' takes a \(type) like its default, but was given \(given)")
    }

    // MARK: asOfType
    package static let latestByList = Self(.asOfType, "latest cannot order by a list")
    package static let asOfDateAsText = Self(.asOfType, "'as of' takes a date, found text")
    package static func asOfType(_ type: ValueType, column: String, found: ValueType) -> Self {
        Self(.asOfType, "'as of' must be a \(type) like '\(column)', found \(found)")
    }

    // MARK: takeType
    package static func takeNeedsNumber(found: ValueType) -> Self { Self(.takeType, "take needs a number of rows, found \(found)") }
    package static let takeNeedsWholeNumber = Self(.takeType, "take needs a whole number of rows, 0 or more")

    // MARK: ratingLiteral
    package static func notARating(_ text: String) -> Self { Self(.ratingLiteral, "\"\(text)\" is not an Ofsted rating") }

    // MARK: joinKeyTypes
    package static func joinKeyTypes(_ left: ValueType, _ leftKey: String, _ right: ValueType, _ rightKey: String) -> Self {
        Self(.joinKeyTypes, "cannot join \(left) key '\(leftKey)' with \(right) key '\(rightKey)'")
    }

    // MARK: nullComparison
    package static let nullComparison = Self(.nullComparison, "comparing with null never matches: the result is always null")

    // MARK: aggregatePlacement
    package static func aggregateNeedsRows(_ name: String) -> Self {
        Self(.aggregatePlacement, "aggregate '\(name)' needs rows: use it in summarize")
    }
    package static func aggregateOutsideSummarize(_ name: String) -> Self {
        Self(.aggregatePlacement, "aggregate '\(name)' can only be used in summarize")
    }
    package static let nestedAggregate = Self(.aggregatePlacement, "aggregates cannot be nested")

    // MARK: ungroupedColumn
    package static func ungrouped(_ column: String) -> Self {
        Self(.ungroupedColumn, "column '\(column)' must be inside an aggregate or be a 'by' key")
    }
    package static func ungroupedInAssert(_ column: String) -> Self {
        Self(.ungroupedColumn, "column '\(column)' must be inside an aggregate: assert checks the whole result")
    }

    // MARK: windowPlacement
    package static func windowOutsideDerive(_ name: String) -> Self {
        Self(.windowPlacement, "\(name)() can only be used in derive")
    }

    // MARK: noTimeColumn
    package static func windowNeedsTime(_ name: String) -> Self {
        Self(.noTimeColumn, "\(name)() orders rows by the time column, and this table has none")
    }
    package static let latestNeedsTime = Self(.noTimeColumn, "latest needs a column to order by: this table has no time column")

    // MARK: assertPlacement
    package static let assertWithoutPipeline = Self(.assertPlacement, "assert checks the result of a pipeline, and none comes before it")

    // MARK: noPipeline
    package static let noPipeline = Self(.noPipeline, "the query produced no table: it needs a pipeline (from …)")

    // MARK: clausePlacement
    package static let byOnBarChart = Self(.clausePlacement, "'by' splits a line chart into lines; a bar chart has one bar per row")

    // MARK: noSQLForm
    package static func noSQLForm(_ what: String) -> Self {
        Self(.noSQLForm, "\(what) has no SQL form: run the query in iql itself (without --sql)")
    }

    // MARK: overflow
    package static func arithmeticOverflow(_ kind: String, _ op: String, _ left: String, _ right: String) -> Self {
        Self(.overflow, "\(kind) overflow in '\(op)': \(left) \(op) \(right) does not fit in 64 bits")
    }
    package static let numberOutOfRange = Self(.overflow, "number out of range")
    package static let integerNegationOverflow = Self(.overflow, "integer overflow in '-'")
    package static let numberNegationOverflow = Self(.overflow, "number overflow in '-'")

    // MARK: divisionByZero
    package static let divisionByZero = Self(.divisionByZero, "division by zero")
    package static let remainderByZero = Self(.divisionByZero, "division by zero in '%'")

    // MARK: dateOutOfRange
    package static let dateOutOfRange = Self(.dateOutOfRange, "date out of range")
    package static func textNotDate(_ text: String, format: String) -> Self {
        Self(.dateOutOfRange, "\"\(text)\" is not a date written as \(format)")
    }
    package static func noSuchDate(_ year: String, _ month: String, _ day: String) -> Self {
        Self(.dateOutOfRange, "date(\(year), \(month), \(day)) is not a date in the calendar")
    }

    // MARK: invalidValue
    package static func takeCount(_ found: String) -> Self {
        Self(.invalidValue, "take needs a whole number of rows, 0 or more; found \(found)")
    }
    package static let asOfNull = Self(.invalidValue, "'as of' needs a value, found null")
    package static let asOfWrongType = Self(.invalidValue, "'as of' must have the type of the column it limits")
    package static let roundDigits = Self(.invalidValue, "round's digits must be a whole number from -15 to 15")

    // MARK: cancelled
    package static let cancelled = Self(.cancelled, "query cancelled")

    // MARK: timeLimit
    package static func timeLimit(_ limit: String) -> Self { Self(.timeLimit, "the query ran longer than the time limit (\(limit))") }

    // MARK: rowLimit
    package static func stageRows(_ rows: Int, limit: Int) -> Self {
        Self(.rowLimit, "a stage made \(rows) rows, more than the limit of \(limit)")
    }
    package static func wouldMakeRows(_ what: String, _ rows: Int, limit: Int) -> Self {
        Self(.rowLimit, "\(what) would make \(rows) rows, more than the limit of \(limit)")
    }
    package static func pivotColumns(_ count: Int, limit: Int) -> Self {
        Self(.rowLimit, "pivot would make \(count) columns, more than \(limit)")
    }
    package static func joinRows(limit: Int) -> Self { Self(.rowLimit, "the join would make more than \(limit) rows") }

    // MARK: assertionFailed
    package static func assertionFailed(_ text: String) -> Self { Self(.assertionFailed, "assertion failed: \(text)") }

    // MARK: internalError
    package static func internalError(_ error: any Error) -> Self { Self(.internalError, "\(error)") }

    // MARK: ambiguousCell
    package static func pivotTwoValues(_ place: String) -> Self { Self(.ambiguousCell, "pivot found two values for \(place)") }
    package static func diffTwoRows(_ side: String, _ key: String) -> Self {
        Self(.ambiguousCell, "diff: \(side) has two rows with \(key)")
    }

    // MARK: outputLimit
    package static func chartTooLarge(points: Int, limit: String) -> Self {
        Self(.outputLimit, "the chart of \(points) points would be larger than the output limit of \(limit)")
    }

    // MARK: memoryLimit
    package static func memoryLimit(_ what: String, limit: String, wanted: String, held: String) -> Self {
        Self(.memoryLimit, "\(what) would pass the memory limit of \(limit): it needs about \(wanted) more, with \(held) already held")
    }

    // MARK: unreadableFile
    /// A script file that could not be read.
    public static func unreadableScript(_ file: String) -> Self { Self(.unreadableFile, "cannot read script '\(file)'") }
    package static func noSuchFile(_ path: String) -> Self { Self(.unreadableFile, "cannot read '\(path)': no such file") }
    package static func unreadable(_ path: String) -> Self { Self(.unreadableFile, "cannot read '\(path)'") }

    // MARK: malformedCSV
    package static func csvStructure(_ file: String, line: Int, _ message: String) -> Self {
        Self(.malformedCSV, "\(file):\(line): \(message)")
    }
    package static func skippedRows(_ summary: String) -> Self { Self(.malformedCSV, summary) }


    // MARK: badHeader
    package static func emptyCSV(_ file: String) -> Self { Self(.badHeader, "\(file): the file is empty; a CSV needs a header row") }
    package static func unnamedColumn(_ file: String, _ position: Int) -> Self {
        Self(.badHeader, "\(file):1: column \(position) has no name in the header")
    }
    package static func headerNamedTwice(_ file: String, _ name: String) -> Self {
        Self(.badHeader, "\(file):1: two columns are named '\(name)'")
    }
    package static let bundledIndicatorsDamaged = Self(.badHeader, "the bundled indicators table is damaged: it did not decompress")

    // MARK: valueDoesNotFit
    package static func headerDiffers(_ file: String, position: Int, found: String, declared: String) -> Self {
        Self(.valueDoesNotFit, "\(file): column \(position) is '\(found)', but the dataset declares '\(declared)'")
    }
    package static func fieldDoesNotFit(_ file: String, line: Int, column: String, text: String, type: String) -> Self {
        Self(.valueDoesNotFit, "\(file):\(line): column '\(column)': \"\(text)\" is not a \(type)")
    }

    // MARK: ambiguousDates
    package static func ambiguousDates(_ file: String, _ column: String) -> Self {
        Self(.ambiguousDates, "\(file): column '\(column)' holds dates written with slashes that read as day/month or month/day; IQL will not guess which")
    }
    package static func inconsistentDates(_ file: String, _ column: String, dayFirst: String, monthFirst: String) -> Self {
        Self(.ambiguousDates, "\(file): column '\(column)' holds dates that read only day first (\"\(dayFirst)\") and dates that read only month first (\"\(monthFirst)\")")
    }

    // MARK: timeColumnMissing
    package static func timeColumnMissing(_ file: String, _ column: String) -> Self {
        Self(.timeColumnMissing, "\(file): no column '\(column)' to use as the time column")
    }

    // MARK: invalidDatasetName
    package static func invalidDatasetName(_ name: String) -> Self {
        Self(.invalidDatasetName, "'\(name)' cannot name a dataset: use letters, digits and _, starting with a letter")
    }

    // MARK: unwritableFile
    package static func chartUnwritable(_ name: String) -> Self { Self(.unwritableFile, "cannot write the chart to \(name)") }

    // MARK: fileOutputRefused
    package static func noFileOutput(_ file: String) -> Self {
        Self(.fileOutputRefused, "this engine writes no files, so chart … to cannot save '\(file)'")
    }
    package static func refusedFile(_ file: String, _ reason: String) -> Self {
        Self(.fileOutputRefused, "cannot write '\(file)': \(reason)")
    }

    // MARK: invalidFileName
    package static let chartFileName = Self(.invalidFileName, "chart … to needs a file name ending in .svg, in quotes")

    // MARK: fileChanged
    package static func fileChanged(_ path: String) -> Self {
        Self(.fileChanged, "\(path) changed while it was read (another program truncated or rewrote it); nothing was registered")
    }

    // MARK: invalidHostValue
    package static func hostRowWidth(_ row: Int, _ count: Int, columns: Int) -> Self {
        Self(.invalidHostValue, "row \(row) has \(count) values, but the schema has \(columns) columns")
    }
    package static func hostValueType(_ row: Int, column: String, _ value: String, _ type: ValueType, expected: ValueType) -> Self {
        Self(.invalidHostValue, "row \(row), column '\(column)': \(value) is \(type), not \(expected)")
    }

    // MARK: shadowsBundled
    package static func shadowsBundled(_ name: String, file: String) -> Self {
        Self(.shadowsBundled, "\(file) is loaded as '\(name)', which hides the bundled dataset of that name for this session")
    }

    // MARK: fewOddValues
    package static func fewOddValues(_ file: String, _ column: String, example: String, odd: Int, rest: String) -> Self {
        Self(.fewOddValues, "\(file): column '\(column)' is read as text because of \(odd == 1 ? "a value" : "a few values") such as \"\(example)\"; the others are \(rest)")
    }

    // MARK: cannotConnect
    package static func cannotConnect(_ message: String) -> Self { Self(.cannotConnect, "cannot connect to the database: \(message)") }

    // MARK: databaseFailed
    package static func databaseFailed(_ database: String, _ message: String) -> Self {
        Self(.databaseFailed, "\(database) failed: \(message)")
    }
    package static func databaseValue(_ text: String, column: String, type: String) -> Self {
        Self(.databaseFailed, "the database gave \"\(text)\" in column '\(column)', which does not read as a \(type)")
    }

    // MARK: absentValue
    package static func absentValue(_ dataset: String, _ column: String, _ value: String) -> Self {
        Self(.absentValue, "no row of \(dataset) has \(column) \"\(value)\"")
    }
    package static func moreAbsentValues(_ count: Int, shown: Int) -> Self {
        Self(.absentValue, "\(count) more text value\(count == 1 ? "" : "s") match no row; only the first \(shown) are shown")
    }

    // MARK: unusedBy
    package static let unusedBy = Self(.unusedBy, "'by' only matters to previous() and next(), which this derive does not use")

    // MARK: otherCase
    package static func otherCase(_ dataset: String, _ column: String, _ value: String, others: [String]) -> Self {
        Self(.otherCase, "\(dataset) also has \(column) " + others.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
             + ", which \"\(value)\" does not match: text compares case by case")
    }
}
