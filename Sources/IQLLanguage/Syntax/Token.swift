import IQLCore
import IQLStorage
/// A lexical token of IQL source.
package struct Token: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        case identifier      // plain or `backtick quoted`
        case integer         // text holds the digits
        case decimal
        case string          // text holds the unescaped value
        case date            // text holds YYYY-MM-DD
        case parameter       // $name; text holds name
        case keyword(Keyword)
        case pipe, comma, semicolon, dot
        case lparen, rparen, lbracket, rbracket
        case assign, eq, ne, lt, le, gt, ge
        case plus, minus, star, slash, percent
        case invalid
        case eof
    }

    // Declared in this order so the one-byte fields share a word: a long script holds millions.
    package var text: String
    package var range: SourceRange
    package var kind: Kind
    /// A line break stands between this token and the one before it.
    package var newlineBefore: Bool

    package init(kind: Kind, text: String, range: SourceRange, newlineBefore: Bool) {
        self.text = text
        self.range = range
        self.kind = kind
        self.newlineBefore = newlineBefore
    }
}

/// Words the lexer reserves. Stage names, `by`, `as`, `of`, `on`, `asc`, `desc` and `left` are
/// not reserved: they only mean something where the grammar expects them, so columns may use them.
package enum Keyword: String, Sendable, CaseIterable {
    case and, or, not, `in`, `is`, null, `true`, `false`
    case `let`, param, from
    case outstanding, good, requires_improvement, ri, inadequate

    /// The rating a word names (`ri` is Requires improvement to be good), or nil.
    package var rating: Rating? {
        switch self {
        case .outstanding: .outstanding
        case .good: .good
        case .requires_improvement, .ri: .requiresImprovement
        case .inadequate: .inadequate
        default: nil
        }
    }
}

extension Token.Kind {
    /// How the kind is named in "expected …" messages.
    package var spelling: String {
        switch self {
        case .identifier: return "a name"
        case .integer, .decimal: return "a number"
        case .string: return "a text literal"
        case .date: return "a date"
        case .parameter: return "a parameter"
        case .keyword(let k): return "'\(k.rawValue)'"
        case .pipe: return "'|'"
        case .comma: return "','"
        case .semicolon: return "';'"
        case .dot: return "'.'"
        case .lparen: return "'('"
        case .rparen: return "')'"
        case .lbracket: return "'['"
        case .rbracket: return "']'"
        case .assign: return "'='"
        case .eq: return "'=='"
        case .ne: return "'!='"
        case .lt: return "'<'"
        case .le: return "'<='"
        case .gt: return "'>'"
        case .ge: return "'>='"
        case .plus: return "'+'"
        case .minus: return "'-'"
        case .star: return "'*'"
        case .slash: return "'/'"
        case .percent: return "'%'"
        case .invalid: return "an invalid character"
        case .eof: return "the end of the input"
        }
    }
}
