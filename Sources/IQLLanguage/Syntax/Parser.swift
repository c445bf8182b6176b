import IQLCore
import IQLStorage
/// Parses IQL source into a `Script`, reporting every syntax error it can find rather than the
/// first. Grammar areas live in `extension Parser` files: statements, stages, expressions.
package struct Parser {
    package let source: SourceFile
    private var lexer: Lexer
    /// The tokens around the current one, lexed as the parser reaches them: a long script's
    /// tokens (40 bytes each, one in every four or five bytes of text) never all sit in memory.
    private var window: [Token] = []
    /// The number of the token at `window[0]`, counting from the start of the text.
    private var windowStart = 0
    private var lexedToEnd = false
    /// The current token's number, counting from the start of the text.
    package private(set) var index = 0
    package var diagnostics: [Diagnostic] = []
    /// The call's deadline and cancellation: parsing stops early when they run out.
    package let budget: QueryBudget

    /// Tokens lexed at a time; the budget is looked at once per batch.
    private static let batch = 1024

    /// Parses a whole script; with a budget that runs out, as much as it parsed by then (the
    /// caller reports the limit).
    package static func parse(_ source: SourceFile, budget: QueryBudget = .unlimited) -> (script: Script, diagnostics: [Diagnostic]) {
        var parser = Parser(source: source, budget: budget)
        let script = parser.parseScript()
        // The lexer's first where both point at one place, as when it lexed everything first.
        let sorted = (parser.lexer.diagnostics + parser.diagnostics).sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
        return (script, sorted)
    }

    package init(source: SourceFile, budget: QueryBudget = .unlimited) {
        self.source = source
        self.lexer = Lexer(source)
        self.budget = budget
        lexMore()
    }

    /// Drops the tokens already passed (all but the one before the current, for `gapRange`)
    /// and lexes the next batch.
    private mutating func lexMore() {
        let passed = max(0, index - 1 - windowStart)
        if passed > 0 {
            window.removeFirst(passed)
            windowStart += passed
        }
        guard !lexedToEnd else { return }
        // Out of time or cancelled: end here, as if the text did; the caller reports it.
        if windowStart > 0, budget.isExhausted {
            let at = window.last?.range.end ?? 0
            window.append(Token(kind: .eof, text: "", range: SourceRange(start: at, end: at), newlineBefore: true))
            lexedToEnd = true
            return
        }
        for _ in 0..<Parser.batch {
            let t = lexer.next()
            window.append(t)
            if t.kind == .eof { lexedToEnd = true; break }
        }
    }

    // MARK: - Token access

    /// The current token; past the end, the `eof` token.
    package var current: Token { window[min(index - windowStart, window.count - 1)] }

    /// The token after the current one (or `eof`).
    package func peek() -> Token { window[min(index + 1 - windowStart, window.count - 1)] }

    package var atEnd: Bool { current.kind == .eof }

    @discardableResult
    package mutating func advance() -> Token {
        let t = current
        if index - windowStart < window.count - 1 {
            index += 1
            // `peek` needs the token after the new current one.
            if index + 1 - windowStart >= window.count { lexMore() }
        }
        return t
    }

    package func check(_ kind: Token.Kind) -> Bool { current.kind == kind }

    package func isWord(_ word: String) -> Bool { current.kind == .identifier && current.text == word }

    package mutating func consume(_ kind: Token.Kind) -> Token? {
        check(kind) ? advance() : nil
    }

    package mutating func consumeWord(_ word: String) -> Token? {
        isWord(word) ? advance() : nil
    }

    /// The range just after the previous token, where something missing belongs.
    package var gapRange: SourceRange {
        let end = index > 0 ? window[index - 1 - windowStart].range.end : 0
        return SourceRange(start: end, end: end)
    }

    /// True where a new statement begins: `from`, `let` or `param` at the start of a line.
    package var atStatementStart: Bool {
        guard current.newlineBefore else { return false }
        switch current.kind {
        case .keyword(.from), .keyword(.let), .keyword(.param): return true
        case .identifier: return current.text == "assert"
        default: return false
        }
    }

    // MARK: - Errors

    package struct SyntaxError: Error {}

    /// Records "expected X" at the current token. At the end of the input it is incomplete input,
    /// not invalid input, so a REPL can ask for another line.
    package mutating func expected(_ what: String, label: String? = nil) -> SyntaxError {
        if atEnd {
            diagnostics.append(.error(.incomplete(expected: what),
                                      at: gapRange, label: label))
        } else if current.kind == .invalid {
            // The lexer already reported this character.
        } else {
            let found = describe(current)
            diagnostics.append(.error(.expected(what, found: found),
                                      at: current.range, label: label))
        }
        return SyntaxError()
    }

    package func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier: return "'\(t.text)'"
        case .integer, .decimal, .date: return "'\(t.text)'"
        case .string: return "a text literal"
        case .parameter: return "'$\(t.text)'"
        default: return t.kind.spelling
        }
    }

    package mutating func expect(_ kind: Token.Kind, _ what: String? = nil) throws(SyntaxError) -> Token {
        if let t = consume(kind) { return t }
        throw expected(what ?? kind.spelling)
    }

    package mutating func expectName(_ what: String) throws(SyntaxError) -> Name {
        guard current.kind == .identifier else {
            if case .keyword(let k) = current.kind, !atEnd {
                diagnostics.append(.error(.reservedWord(k.rawValue, not: what),
                                          at: current.range, label: "write `\(k.rawValue)` in backticks to use it as a name"))
                throw SyntaxError()
            }
            throw expected(what)
        }
        let t = advance()
        return Name(text: t.text, range: t.range)
    }

    /// Skips to where the next statement can start, after an error.
    package mutating func recover() {
        while !atEnd {
            if check(.semicolon) || atStatementStart { return }
            advance()
        }
    }
}
