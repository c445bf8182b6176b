import IQLCore
import IQLStorage
/// Turns source text into tokens. It never stops early: a bad character becomes an `invalid`
/// token with a diagnostic, so the parser can go on and report every mistake at once.
package struct Lexer {
    private let bytes: [UInt8]
    private var pos = 0
    package private(set) var diagnostics: [Diagnostic] = []

    package init(_ source: SourceFile) { bytes = source.utf8 }

    /// All tokens, ending with `eof`.
    package static func tokenize(_ source: SourceFile, budget: QueryBudget = .unlimited) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        // A token in every four or five bytes of typical scripts: a long script's array then
        // grows once at most instead of twenty times (each a copy of all the tokens so far).
        // Room reserved and never written costs address space, not memory.
        tokens.reserveCapacity(source.utf8.count / 4 + 16)
        while true {
            let t = lexer.next()
            // Out of time or cancelled: end here, as if the text did; the caller reports it.
            if tokens.count & 4095 == 4095, budget.isExhausted {
                tokens.append(Token(kind: .eof, text: "", range: SourceRange(start: t.range.start, end: t.range.start), newlineBefore: true))
                break
            }
            tokens.append(t)
            if t.kind == .eof { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        let i = pos + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    /// The keywords by length in bytes: a word is compared only with the few of its length,
    /// byte by byte, before any string is made of it (hashing each word cost more).
    private static let keywordsByLength: [[(bytes: [UInt8], keyword: Keyword)]] = {
        var table = Array(repeating: [(bytes: [UInt8], keyword: Keyword)](), count: 1 + (Keyword.allCases.map(\.rawValue.utf8.count).max() ?? 0))
        for k in Keyword.allCases { table[k.rawValue.utf8.count].append((Array(k.rawValue.utf8), k)) }
        return table
    }()

    /// The keyword spelt by `bytes[start..<end]`, if it is one.
    private func keyword(_ start: Int, _ end: Int) -> Keyword? {
        let length = end - start
        guard length < Lexer.keywordsByLength.count else { return nil }
        candidates: for (spelling, k) in Lexer.keywordsByLength[length] {
            for i in 0..<length where spelling[i] != bytes[start + i] { continue candidates }
            return k
        }
        return nil
    }

    private static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
    private static func isIdentStart(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    private static func isIdentPart(_ c: UInt8?) -> Bool { isIdentStart(c) || isDigit(c) }

    /// Skips spaces and comments; reports whether a line break was crossed.
    private mutating func skipTrivia() -> Bool {
        var newline = false
        while let c = peek() {
            switch c {
            case 0x20, 0x09, 0x0D: pos += 1
            case 0x0A: newline = true; pos += 1
            case 0x23:  // '#'
                while let d = peek(), d != 0x0A { pos += 1 }
            default: return newline
            }
        }
        return newline
    }

    package mutating func next() -> Token {
        let newline = skipTrivia()
        let start = pos
        func make(_ kind: Token.Kind, _ text: String = "") -> Token {
            Token(kind: kind, text: text, range: SourceRange(start: start, end: pos), newlineBefore: newline)
        }
        guard let c = peek() else { return make(.eof) }

        if Lexer.isIdentStart(c) {
            while Lexer.isIdentPart(peek()) { pos += 1 }
            if let k = keyword(start, pos) { return make(.keyword(k), k.rawValue) }
            return make(.identifier, String(decoding: bytes[start..<pos], as: UTF8.self))
        }
        if Lexer.isDigit(c) { return number(start: start, newline: newline) }

        pos += 1
        switch c {
        case 0x22: return string(start: start, newline: newline)
        case 0x60: return quotedIdentifier(start: start, newline: newline)
        case 0x24:  // '$'
            guard Lexer.isIdentStart(peek()) else {
                diagnostics.append(.error(.parameterNameMissing,
                                          at: SourceRange(start: start, end: pos)))
                return make(.invalid, "$")
            }
            let nameStart = pos
            while Lexer.isIdentPart(peek()) { pos += 1 }
            return make(.parameter, String(decoding: bytes[nameStart..<pos], as: UTF8.self))
        case 0x7C: return make(.pipe)
        case 0x2C: return make(.comma)
        case 0x3B: return make(.semicolon)
        case 0x2E: return make(.dot)
        case 0x28: return make(.lparen)
        case 0x29: return make(.rparen)
        case 0x5B: return make(.lbracket)
        case 0x5D: return make(.rbracket)
        case 0x2B: return make(.plus)
        case 0x2D: return make(.minus)
        case 0x2A: return make(.star)
        case 0x2F: return make(.slash)
        case 0x25: return make(.percent)
        case 0x3D:
            if peek() == 0x3D { pos += 1; return make(.eq) }
            return make(.assign)
        case 0x21:
            if peek() == 0x3D { pos += 1; return make(.ne) }
            diagnostics.append(.error(.exclamationMark, at: SourceRange(start: start, end: pos),
                                      label: "write 'not' or '!='"))
            return make(.invalid, "!")
        case 0x3C:
            if peek() == 0x3D { pos += 1; return make(.le) }
            if peek() == 0x3E {
                pos += 1
                diagnostics.append(.error(.notEqualsOperator,
                                          at: SourceRange(start: start, end: pos), suggestion: "!="))
                return make(.ne)
            }
            return make(.lt)
        case 0x3E:
            if peek() == 0x3D { pos += 1; return make(.ge) }
            return make(.gt)
        case 0x27:
            // SQL's 'text': said once, with the fix, and read as the text it means so that the
            // rest of the query is still checked.
            var end = pos
            while end < bytes.count, bytes[end] != 0x27, bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count, bytes[end] == 0x27 else { fallthrough }
            let text = String(decoding: bytes[pos..<end], as: UTF8.self)
            pos = end + 1
            let quoted = "\"" + text.replacingOccurrencesOf("\\", "\\\\").replacingOccurrencesOf("\"", "\\\"") + "\""
            diagnostics.append(.error(.singleQuotedText, at: SourceRange(start: start, end: pos),
                                      label: "write \(quoted)", suggestion: quoted))
            return Token(kind: .string, text: text, range: SourceRange(start: start, end: pos), newlineBefore: newline)
        default:
            // Step over a whole UTF-8 sequence so the caret covers one character.
            while let d = peek(), d & 0xC0 == 0x80 { pos += 1 }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            let shown = c == 0 ? "NUL" : (c < 0x20 || c == 0x7F ? "control character" : "'\(text)'")
            diagnostics.append(.error(.unexpectedCharacter(shown),
                                      at: SourceRange(start: start, end: pos)))
            return make(.invalid, text)
        }
    }

    private mutating func number(start: Int, newline: Bool) -> Token {
        while Lexer.isDigit(peek()) { pos += 1 }
        // YYYY-MM-DD with nothing glued on is a date literal, not a subtraction.
        if pos - start == 4, peek() == 0x2D, Lexer.isDigit(peek(1)), Lexer.isDigit(peek(2)), peek(3) == 0x2D,
           Lexer.isDigit(peek(4)), Lexer.isDigit(peek(5)), !Lexer.isIdentPart(peek(6)) {
            pos += 6
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            let range = SourceRange(start: start, end: pos)
            if Day(iso: Substring(text)) == nil {
                diagnostics.append(.error(.notInCalendar(text), at: range))
            }
            return Token(kind: .date, text: text, range: range, newlineBefore: newline)
        }
        var kind = Token.Kind.integer
        if peek() == 0x2E, Lexer.isDigit(peek(1)) {
            kind = .decimal
            pos += 1
            while Lexer.isDigit(peek()) { pos += 1 }
        }
        if peek() == 0x65 || peek() == 0x45, Lexer.isDigit(peek(1)) || ((peek(1) == 0x2B || peek(1) == 0x2D) && Lexer.isDigit(peek(2))) {
            kind = .decimal
            pos += 2
            while Lexer.isDigit(peek()) { pos += 1 }
        }
        if Lexer.isIdentStart(peek()) {
            let badStart = pos
            while Lexer.isIdentPart(peek()) { pos += 1 }
            // `39_997`: digits grouped as Swift or Python allow; IQL numbers have no separators.
            let glued = bytes[badStart..<pos]
            let grouped = glued.first == 0x5F && glued.allSatisfy { $0 == 0x5F || Lexer.isDigit($0) }
            let digits = String(decoding: bytes[start..<pos].filter { $0 != 0x5F }, as: UTF8.self)
            diagnostics.append(.error(.numberRunsIntoName,
                                      at: SourceRange(start: badStart, end: pos),
                                      label: grouped ? "numbers are written without separators: \(digits)"
                                                     : "put a space or an operator before this"))
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        return Token(kind: kind, text: text, range: SourceRange(start: start, end: pos), newlineBefore: newline)
    }

    private mutating func string(start: Int, newline: Bool) -> Token {
        // Most literals have no escapes: the text is then the bytes up to the closing quote.
        var end = pos
        while end < bytes.count, bytes[end] != 0x22, bytes[end] != 0x5C { end += 1 }
        if end < bytes.count, bytes[end] == 0x22 {
            let text = String(decoding: bytes[pos..<end], as: UTF8.self)
            pos = end + 1
            return Token(kind: .string, text: text, range: SourceRange(start: start, end: pos), newlineBefore: newline)
        }
        var value: [UInt8] = []
        while true {
            guard let c = peek() else {
                diagnostics.append(.error(.unterminatedText,
                                          at: SourceRange(start: start, end: pos),
                                          label: "this '\"' is never closed"))
                return Token(kind: .string, text: String(decoding: value, as: UTF8.self),
                             range: SourceRange(start: start, end: pos), newlineBefore: newline)
            }
            pos += 1
            if c == 0x22 { break }
            if c == 0x5C {
                let escStart = pos - 1
                switch peek() {
                case 0x22: value.append(0x22); pos += 1
                case 0x5C: value.append(0x5C); pos += 1
                case 0x6E: value.append(0x0A); pos += 1
                case nil: continue
                default:
                    while let d = peek(), pos == escStart + 1 || d & 0xC0 == 0x80 { pos += 1 }
                    diagnostics.append(.error(.unknownEscape,
                                              at: SourceRange(start: escStart, end: pos),
                                              label: "IQL knows \\\", \\\\ and \\n"))
                }
                continue
            }
            value.append(c)
        }
        return Token(kind: .string, text: String(decoding: value, as: UTF8.self),
                     range: SourceRange(start: start, end: pos), newlineBefore: newline)
    }

    private mutating func quotedIdentifier(start: Int, newline: Bool) -> Token {
        let nameStart = pos
        while let c = peek(), c != 0x60, c != 0x0A { pos += 1 }
        let name = String(decoding: bytes[nameStart..<pos], as: UTF8.self)
        if peek() == 0x60 {
            pos += 1
        } else {
            diagnostics.append(.error(.unterminatedName,
                                      at: SourceRange(start: start, end: pos), label: "this '`' is never closed",
                                      kind: peek() == nil ? .incompleteInput : .syntax))
        }
        if name.isEmpty {
            diagnostics.append(.error(.emptyQuotedName, at: SourceRange(start: start, end: pos)))
        }
        return Token(kind: .identifier, text: name, range: SourceRange(start: start, end: pos), newlineBefore: newline)
    }
}
