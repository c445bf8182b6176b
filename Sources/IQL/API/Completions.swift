import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// What Tab would complete at a point in a query: the text to replace before the cursor and
/// the candidates for it, chosen from what the grammar and the data allow there.
public struct Completions: Sendable, Equatable {
    /// How many characters before the cursor the chosen candidate replaces.
    public var replacing: Int
    /// The candidates, sorted; each is the full replacement text.
    public var candidates: [String]

    /// Makes a completion result.
    public init(replacing: Int, candidates: [String]) {
        self.replacing = replacing
        self.candidates = candidates
    }

    /// The longest text every candidate starts with.
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

extension Engine {
    /// Completions for the text before the cursor: stage names after `|`, datasets after `from`
    /// and `join`, the columns of the table flowing into the current stage (including those
    /// made by earlier `select`, `derive` and `count`), functions, ratings, and inside an open
    /// text literal compared with a column, that column's real values.
    public func completions(before text: String) -> Completions {
        let source = SourceFile(name: "completion", text: text)
        let (tokens, lexDiagnostics) = Lexer.tokenize(source)
        let significant = Array(tokens.dropLast())
        let end = source.utf8.count

        // Inside an unterminated text literal: complete the compared column's values.
        if let last = significant.last, last.kind == .string, last.range.end == end,
           lexDiagnostics.contains(where: { $0.kind == .incompleteInput && $0.range?.start == last.range.start }) {
            return valueCompletions(partial: last.text, tokens: significant, source: source)
        }

        var prefix = ""
        var before = significant
        if let last = significant.last, last.range.end == end, isWordToken(last) {
            prefix = last.text
            before.removeLast()
        }
        let previous = before.last
        var candidates: [String]
        switch previous?.kind {
        case nil:
            candidates = ["from", "let", "param"]
        case .pipe?:
            candidates = Parser.stageNames
        case .keyword(.from)?:
            candidates = tableNames
        case .identifier? where previous?.text == "join"
            || ((previous?.text == "left" || previous?.text == "anti") && before.dropLast().last?.text == "join"):
            candidates = tableNames + (previous?.text == "join" ? ["left", "anti"] : [])
        default:
            let schema = schemaBeforeCurrentStage(tokens: before, source: source)
            candidates = (schema?.names ?? []) + valueNames
                + (LanguageReference.functions + LanguageReference.aggregates + LanguageReference.windowFunctions).map { $0.name + "(" }
                + Rating.allCases.map(\.literal)
                + ["and", "or", "not", "in", "is", "null", "true", "false", "by", "asc", "desc", "as", "of", "on"]
        }
        let matching = Set(candidates.filter { $0.hasPrefix(prefix) })
        let chosen = matching.isEmpty ? Set(candidates.filter { $0.lowercased().hasPrefix(prefix.lowercased()) }) : matching
        return Completions(replacing: prefix.count, candidates: chosen.sorted())
    }

    private func isWordToken(_ t: Token) -> Bool {
        switch t.kind {
        case .identifier, .keyword: return true
        default: return false
        }
    }

    private var tableNames: [String] {
        datasetNames + boundNames.filter { $0.description.hasPrefix("table") }.map(\.name)
    }

    private var valueNames: [String] {
        boundNames.filter { !$0.description.hasPrefix("table") }.map(\.name)
    }

    /// The schema of the current pipeline up to (not including) the stage being typed.
    func schemaBeforeCurrentStage(tokens: [Token], source: SourceFile) -> Schema? {
        guard let fromIndex = tokens.lastIndex(where: { $0.kind == .keyword(.from) }) else { return nil }
        var depth = 0
        var lastPipe: Int?
        for i in fromIndex..<tokens.count {
            switch tokens[i].kind {
            case .lparen, .lbracket: depth += 1
            case .rparen, .rbracket: depth = max(0, depth - 1)
            case .pipe where depth == 0: lastPipe = i
            default: break
            }
        }
        guard let pipe = lastPipe else { return nil }
        // The stages before the one being typed, checked once in order: the columns are those
        // after the last stage that checks, so a half-finished earlier stage still leaves the
        // columns before it, and a line of many broken stages costs one pass, not one a stage.
        var cut = pipe
        let budget = makeBudget(cancellation: nil)
        for _ in 0..<3 {
            let text = source.text(in: SourceRange(start: tokens[fromIndex].range.start, end: tokens[cut].range.start))
            let prefix = SourceFile(name: "completion", text: text)
            let (script, syntax) = Parser.parse(prefix)
            guard let firstError = syntax.filter({ $0.severity == .error }).compactMap({ $0.range?.start }).min() else {
                guard script.statements.count == 1, case .pipeline(let p) = script.statements[0].kind else { return nil }
                var checker = Checker(catalog: catalog, source: prefix, bindings: bindings, parameters: [:])
                checker.budget = budget
                checker.bundledCouncilNames = hasBundledData
                return checker.schemaOfCheckingPrefix(p)
            }
            // A syntax error: cut at the last pipe before it and try once more.
            let errorAt = tokens[fromIndex].range.start + firstError
            guard let earlier = (fromIndex..<cut).last(where: { tokens[$0].kind == .pipe && tokens[$0].range.start <= errorAt }) else {
                return nil
            }
            cut = earlier
        }
        return nil
    }

    /// Checks one pipeline and returns the schema of its result, with column origins.
    func pipelineSchema(_ text: String) -> Schema? {
        let source = SourceFile(name: "completion", text: text)
        let (script, syntax) = Parser.parse(source)
        guard !syntax.contains(where: { $0.severity == .error }), script.statements.count == 1,
              case .pipeline(let p) = script.statements[0].kind else { return nil }
        var checker = Checker(catalog: catalog, source: source, bindings: bindings, parameters: [:])
        checker.bundledCouncilNames = hasBundledData
        guard let plan = checker.check(p), !checker.hasErrors else { return nil }
        return plan.schema
    }

    private func valueCompletions(partial: String, tokens: [Token], source: SourceFile) -> Completions {
        // Walk back over earlier list items to the operator, then to the column it compares.
        var i = tokens.count - 2
        let listParts: [Token.Kind] = [.comma, .string, .integer, .decimal, .lbracket]
        while i >= 0, listParts.contains(tokens[i].kind) { i -= 1 }
        guard i >= 1 else { return Completions(replacing: 0, candidates: []) }
        let op = tokens[i].kind
        guard op == .eq || op == .ne || op == .keyword(.in) || op == .lt || op == .le || op == .gt || op == .ge else {
            return Completions(replacing: 0, candidates: [])
        }
        var columnIndex = i - 1
        if op == .keyword(.in), columnIndex >= 0, tokens[columnIndex].kind == .keyword(.not) { columnIndex -= 1 }
        guard columnIndex >= 0, tokens[columnIndex].kind == .identifier else { return Completions(replacing: 0, candidates: []) }
        var columnName = tokens[columnIndex].text
        if columnIndex >= 2, tokens[columnIndex - 1].kind == .dot, tokens[columnIndex - 2].kind == .identifier {
            columnName = tokens[columnIndex - 2].text + "." + columnName
        }
        let values = textValues(of: columnName, tokens: Array(tokens[..<columnIndex]), source: source)
        let lower = partial.lowercased()
        let matching = values.filter { $0.hasPrefix(partial) }
        let chosen = matching.isEmpty ? values.filter { $0.lowercased().hasPrefix(lower) } : matching
        let quoted = chosen.sorted().map { Value.text($0).literalText }
        return Completions(replacing: partial.count + 1, candidates: quoted)
    }

    private func textValues(of column: String, tokens: [Token], source: SourceFile) -> [String] {
        guard let schema = schemaBeforeCurrentStage(tokens: tokens, source: source) ??
                sourceSchema(tokens: tokens),
              let c = schema.columns.first(where: { $0.name == column }) else { return [] }
        if c.type == .rating { return Rating.allCases.map(\.wording) }
        if let origin = c.origin, let values = catalog.textValues(origin.dataset, origin.column) {
            return Array(values)
        }
        return []
    }

    /// The schema right after `from NAME`, for a condition in the first stage.
    private func sourceSchema(tokens: [Token]) -> Schema? {
        guard let fromIndex = tokens.lastIndex(where: { $0.kind == .keyword(.from) }), fromIndex + 1 < tokens.count else {
            return nil
        }
        return pipelineSchema("from " + tokens[fromIndex + 1].text)
    }
}
