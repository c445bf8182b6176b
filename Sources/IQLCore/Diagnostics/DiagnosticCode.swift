/// A stable number for each kind of problem IQL reports, such as `IQL0201` for an unknown
/// column. Codes never change meaning once published: tools may match on them, and
/// `iql --explain CODE` and `docs/errors.md` describe each with an example and the fix.
public enum DiagnosticCode: Int, Sendable, Hashable, CaseIterable {
    // Syntax: the text is not IQL.
    case unexpectedCharacter = 101
    case unterminatedText = 102
    case unterminatedName = 103
    case invalidEscape = 104
    case unexpectedToken = 105
    case incompleteInput = 106
    case reservedWord = 107
    case wrongOperator = 108
    case nestingTooDeep = 109
    case numberLiteral = 110
    case invalidDateLiteral = 111
    case emptyScript = 112
    case invalidUTF8 = 113
    // Names: something named does not exist, or clashes.
    case unknownColumn = 201
    case unknownDataset = 202
    case unknownFunction = 203
    case unknownStage = 204
    case unknownParameter = 205
    case missingParameter = 206
    case duplicateColumn = 207
    case nameClash = 208
    // Types: values of the wrong type for what is done with them.
    case operandTypes = 301
    case comparisonTypes = 302
    case conditionType = 303
    case argumentCount = 304
    case argumentType = 305
    case listType = 306
    case parameterType = 307
    case asOfType = 308
    case takeType = 309
    case ratingLiteral = 310
    case joinKeyTypes = 311
    case nullComparison = 312
    // Placement: a valid piece in a place it cannot be.
    case aggregatePlacement = 401
    case ungroupedColumn = 402
    case windowPlacement = 403
    case noTimeColumn = 404
    case assertPlacement = 405
    case noPipeline = 406
    case clausePlacement = 407
    case noSQLForm = 408
    // Running: the query is valid, but a value met while running it is not.
    case overflow = 501
    case divisionByZero = 502
    case dateOutOfRange = 503
    case invalidValue = 504
    case cancelled = 505
    case timeLimit = 506
    case rowLimit = 507
    case assertionFailed = 508
    case internalError = 509
    case ambiguousCell = 510
    case outputLimit = 511
    case memoryLimit = 512
    // Data: a file that cannot be read as a table.
    case unreadableFile = 601
    case malformedCSV = 602
    case badHeader = 603
    case valueDoesNotFit = 604
    case ambiguousDates = 605
    case timeColumnMissing = 606
    case invalidDatasetName = 607
    case unwritableFile = 608
    case fileOutputRefused = 609
    case invalidFileName = 610
    case fileChanged = 611
    case invalidHostValue = 612
    case shadowsBundled = 613
    case fewOddValues = 614
    case cannotConnect = 615
    case databaseFailed = 616
    // Warnings: the query runs, but probably does not mean what it says.
    case absentValue = 701
    case unusedBy = 702
    case otherCase = 703

    /// The code as written in messages and documentation, e.g. `IQL0201`.
    public var id: String {
        let digits = String(rawValue)
        return "IQL" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The code for an id such as `IQL0201` or `iql201`; nil if there is none.
    public init?(id: String) {
        let upper = id.uppercased()
        guard upper.hasPrefix("IQL"), let n = Int(upper.dropFirst(3)), let code = DiagnosticCode(rawValue: n) else { return nil }
        self = code
    }

    /// The broad kind of problem, for tools that react to a kind rather than a code.
    public var kind: Diagnostic.Kind {
        switch self {
        case .unterminatedText, .unterminatedName, .incompleteInput: return .incompleteInput
        case .invalidDateLiteral, .numberLiteral: return .value
        case _ where rawValue < 200: return .syntax
        case _ where rawValue < 300: return .name
        case _ where rawValue < 400: return .type
        case _ where rawValue < 500: return .name
        case _ where rawValue < 600: return .runtime
        case _ where rawValue < 700: return .data
        default: return .value
        }
    }
}
