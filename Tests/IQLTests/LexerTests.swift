import Testing
@testable import IQL

struct LexerTests {
    static let cases: [(String, [Token.Kind])] = [
        ("from x", [.keyword(.from), .identifier, .eof]),
        ("a == 1", [.identifier, .eq, .integer, .eof]),
        ("a = 1.5", [.identifier, .assign, .decimal, .eof]),
        ("2019-08-31", [.date, .eof]),
        ("2019 - 08 - 31", [.integer, .minus, .integer, .minus, .integer, .eof]),
        ("x >= good", [.identifier, .ge, .keyword(.good), .eof]),
        ("ri < outstanding", [.keyword(.ri), .lt, .keyword(.outstanding), .eof]),
        ("\"text\"", [.string, .eof]),
        ("$council", [.parameter, .eof]),
        ("[1, 2]", [.lbracket, .integer, .comma, .integer, .rbracket, .eof]),
        ("a != b <= c > d % e", [.identifier, .ne, .identifier, .le, .identifier, .gt, .identifier, .percent, .identifier, .eof]),
        ("`odd name`", [.identifier, .eof]),
        ("t.col", [.identifier, .dot, .identifier, .eof]),
        ("x # comment | where\ny", [.identifier, .identifier, .eof]),
        ("a | b ; c", [.identifier, .pipe, .identifier, .semicolon, .identifier, .eof]),
        ("1e3 2.5E-2", [.decimal, .decimal, .eof]),
        ("not in is null true false", [.keyword(.not), .keyword(.in), .keyword(.is), .keyword(.null), .keyword(.true), .keyword(.false), .eof]),
    ]

    @Test(arguments: cases)
    func tokenKinds(source: String, kinds: [Token.Kind]) {
        let (tokens, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: source))
        #expect(tokens.map(\.kind) == kinds)
        #expect(diagnostics.isEmpty)
    }

    static let values: [(String, String)] = [
        (#""a \"quoted\" word""#, #"a "quoted" word"#),
        (#""back\\slash""#, #"back\slash"#),
        (#""line\nbreak""#, "line\nbreak"),
        ("`two words`", "two words"),
        ("$year", "year"),
    ]

    @Test(arguments: values)
    func tokenText(source: String, text: String) {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "t", text: source))
        #expect(tokens.first?.text == text)
    }

    static let errors: [(String, Diagnostic.Kind, String)] = [
        ("\"open", .incompleteInput, "unterminated text literal"),
        ("2019-02-30", .value, "2019-02-30 is not a date in the calendar"),
        ("a ! b", .syntax, "unexpected '!'"),
        ("a @ b", .syntax, "unexpected character '@'"),
        ("\"bad \\q escape\"", .syntax, "unknown escape in text literal"),
        ("12abc", .syntax, "a number cannot run straight into a name"),
        ("$", .syntax, "expected a parameter name after '$'"),
        ("a \u{0} b", .syntax, "unexpected character NUL"),
    ]

    @Test(arguments: errors)
    func lexicalErrors(source: String, kind: Diagnostic.Kind, message: String) {
        let (_, diagnostics) = Lexer.tokenize(SourceFile(name: "t", text: source))
        #expect(diagnostics.first?.kind == kind)
        #expect(diagnostics.first?.message == message)
    }

    @Test func newlineIsRecordedOnTheNextToken() {
        let (tokens, _) = Lexer.tokenize(SourceFile(name: "t", text: "a\n| b"))
        #expect(tokens.map(\.newlineBefore) == [false, true, false, false])
    }
}
