import IQLCore
import IQLStorage
extension Parser {
    /// Nesting deeper than this is refused rather than risking the stack. Chained operators
    /// (`a + b + c …`) count too: they build trees as deep as brackets do.
    package static let maxDepth = 256

    package mutating func parseExpression() throws(SyntaxError) -> Expr {
        var depth = 0
        return try parseOr(&depth)
    }

    private mutating func enter(_ depth: inout Int) throws(SyntaxError) {
        depth += 1
        if depth > Parser.maxDepth {
            diagnostics.append(.error(.nestingTooDeep(Parser.maxDepth),
                                      at: current.range))
            throw SyntaxError()
        }
    }

    private mutating func parseOr(_ depth: inout Int) throws(SyntaxError) -> Expr {
        try parseLeftAssociative(&depth, { $0 == .keyword(.or) ? .or : nil }) { p, d throws(SyntaxError) in try p.parseAnd(&d) }
    }

    private mutating func parseAnd(_ depth: inout Int) throws(SyntaxError) -> Expr {
        try parseLeftAssociative(&depth, { $0 == .keyword(.and) ? .and : nil }) { p, d throws(SyntaxError) in try p.parseNot(&d) }
    }

    private mutating func parseNot(_ depth: inout Int) throws(SyntaxError) -> Expr {
        if let t = consume(.keyword(.not)) {
            try enter(&depth)
            defer { depth -= 1 }
            let operand = try parseNot(&depth)
            return Expr(kind: .unary(.not, operand), range: t.range.union(operand.range))
        }
        return try parseComparison(&depth)
    }

    private mutating func parseComparison(_ depth: inout Int) throws(SyntaxError) -> Expr {
        let lhs = try parseAdditive(&depth)
        let op: BinaryOperator?
        switch current.kind {
        case .eq: op = .eq
        case .ne: op = .ne
        case .lt: op = .lt
        case .le: op = .le
        case .gt: op = .gt
        case .ge: op = .ge
        case .assign:
            diagnostics.append(.error(.singleEquals,
                                      at: current.range, suggestion: "=="))
            op = .eq
        default: op = nil
        }
        if let op {
            advance()
            let rhs = try parseAdditive(&depth)
            let e = Expr(kind: .binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
            if current.kind == .eq || current.kind == .ne || current.kind == .lt || current.kind == .le
                || current.kind == .gt || current.kind == .ge {
                diagnostics.append(.error(.chainedComparison, at: current.range,
                                          label: "join two comparisons with 'and'"))
                throw SyntaxError()
            }
            return e
        }
        // `between` is a word, not a reserved keyword, so a column may still be called that:
        // it means `between` only after a complete operand.
        if isWord("between") || (check(.keyword(.not)) && peek().kind == .identifier && peek().text == "between") {
            let negated = consume(.keyword(.not)) != nil
            advance()
            let low = try parseAdditive(&depth)
            _ = try expect(.keyword(.and), "'and' between the two bounds of 'between'")
            let high = try parseAdditive(&depth)
            // SQL's meaning, inclusive at both ends and with its nulls: `x >= low and x <= high`.
            let atLeast = Expr(kind: .binary(.ge, lhs, low), range: lhs.range.union(low.range))
            let atMost = Expr(kind: .binary(.le, lhs, high), range: lhs.range.union(high.range))
            let range = lhs.range.union(high.range)
            let both = Expr(kind: .binary(.and, atLeast, atMost), range: range)
            return negated ? Expr(kind: .unary(.not, both), range: range) : both
        }
        // `like` and `ilike` are words too: `x like "Child%"` is the call `like(x, "Child%")`.
        if isWord("like") || isWord("ilike")
            || (check(.keyword(.not)) && peek().kind == .identifier && (peek().text == "like" || peek().text == "ilike")) {
            let negated = consume(.keyword(.not)) != nil
            let word = advance()
            let pattern = try parseAdditive(&depth)
            let range = lhs.range.union(pattern.range)
            let call = Expr(kind: .call(Name(text: word.text, range: word.range), [lhs, pattern]), range: range)
            return negated ? Expr(kind: .unary(.not, call), range: range) : call
        }
        if check(.keyword(.in)) || (check(.keyword(.not)) && peek().kind == .keyword(.in)) {
            let negated = consume(.keyword(.not)) != nil
            advance()
            let rhs = try parseAdditive(&depth)
            return Expr(kind: .inList(lhs, rhs, negated: negated), range: lhs.range.union(rhs.range))
        }
        if check(.keyword(.is)) {
            advance()
            let negated = consume(.keyword(.not)) != nil
            let nullToken = try expect(.keyword(.null), "'null' after 'is'")
            return Expr(kind: .isNull(lhs, negated: negated), range: lhs.range.union(nullToken.range))
        }
        return lhs
    }

    private mutating func parseAdditive(_ depth: inout Int) throws(SyntaxError) -> Expr {
        try parseLeftAssociative(&depth, Self.additive) { p, d throws(SyntaxError) in
            try p.parseMultiplicative(&d)
        }
    }

    private mutating func parseMultiplicative(_ depth: inout Int) throws(SyntaxError) -> Expr {
        try parseLeftAssociative(&depth, Self.multiplicative) { p, d throws(SyntaxError) in
            try p.parseUnary(&d)
        }
    }

    private static func additive(_ kind: Token.Kind) -> BinaryOperator? {
        switch kind {
        case .plus: return .add
        case .minus: return .subtract
        default: return nil
        }
    }

    private static func multiplicative(_ kind: Token.Kind) -> BinaryOperator? {
        switch kind {
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .remainder
        default: return nil
        }
    }

    /// `operand (op operand)*` for one precedence level, building a left-deep tree. The level's
    /// operators are a function, not a dictionary: one is consulted for every operand parsed.
    private mutating func parseLeftAssociative(
        _ depth: inout Int, _ operators: (Token.Kind) -> BinaryOperator?,
        operand: (inout Parser, inout Int) throws(SyntaxError) -> Expr
    ) throws(SyntaxError) -> Expr {
        let outer = depth
        defer { depth = outer }
        var lhs = try operand(&self, &depth)
        while let op = operators(current.kind) {
            advance()
            try enter(&depth)
            let rhs = try operand(&self, &depth)
            lhs = Expr(kind: .binary(op, lhs, rhs), range: lhs.range.union(rhs.range))
        }
        return lhs
    }

    private mutating func parseUnary(_ depth: inout Int) throws(SyntaxError) -> Expr {
        if let t = consume(.minus) {
            // `-3` is one literal, so the most negative integer can be written.
            if current.kind == .integer, current.range.start == t.range.end, let v = Int64("-" + current.text) {
                let digits = advance()
                return Expr(kind: .literal(.int(v)), range: t.range.union(digits.range))
            }
            try enter(&depth)
            defer { depth -= 1 }
            let operand = try parseUnary(&depth)
            return Expr(kind: .unary(.negate, operand), range: t.range.union(operand.range))
        }
        return try parsePrimary(&depth)
    }

    private mutating func parsePrimary(_ depth: inout Int) throws(SyntaxError) -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            advance()
            guard let v = Int64(t.text) else {
                // Digits with a name glued on (`39_997`, `3rd`): the lexer has said so, and
                // the number is not too large.
                if t.text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    diagnostics.append(.error(.integerTooLarge(t.text), at: t.range))
                }
                return Expr(kind: .invalid, range: t.range)
            }
            return Expr(kind: .literal(.int(v)), range: t.range)
        case .decimal:
            advance()
            guard let d = Decimal64.parse(t.text), let v = Number.exact(d.mantissa, scale: d.scale) else {
                diagnostics.append(.error(.inexactNumber(t.text),
                                          at: t.range))
                return Expr(kind: .invalid, range: t.range)
            }
            return Expr(kind: .literal(.number(v)), range: t.range)
        case .string:
            advance()
            return Expr(kind: .literal(.text(t.text)), range: t.range)
        case .date:
            advance()
            guard let d = Day(iso: Substring(t.text)) else { return Expr(kind: .invalid, range: t.range) }
            return Expr(kind: .literal(.date(d)), range: t.range)
        case .parameter:
            advance()
            return Expr(kind: .parameter(Name(text: t.text, range: t.range)), range: t.range)
        case .keyword(let k):
            let value: Value
            switch k {
            case .true: value = .bool(true)
            case .false: value = .bool(false)
            case .null: value = .null
            default:
                guard let rating = k.rating else { throw expected("an expression") }
                value = .rating(rating)
            }
            advance()
            return Expr(kind: .literal(value), range: t.range)
        case .lparen:
            advance()
            try enter(&depth)
            defer { depth -= 1 }
            let inner = try parseOr(&depth)
            let close = try expect(.rparen, "')'")
            return Expr(kind: inner.kind, range: t.range.union(close.range))
        case .lbracket:
            advance()
            try enter(&depth)
            defer { depth -= 1 }
            var items: [Expr] = []
            if !check(.rbracket) {
                repeat {
                    if check(.rbracket) { break }
                    items.append(try parseOr(&depth))
                } while consume(.comma) != nil
            }
            let close = try expect(.rbracket, "']' or ','")
            return Expr(kind: .list(items), range: t.range.union(close.range))
        case .identifier:
            advance()
            let name = Name(text: t.text, range: t.range)
            if check(.lparen) {
                advance()
                try enter(&depth)
                defer { depth -= 1 }
                var args: [Expr] = []
                if !check(.rparen) {
                    repeat { args.append(try parseOr(&depth)) } while consume(.comma) != nil
                }
                let close = try expect(.rparen, "')' or ','")
                return Expr(kind: .call(name, args), range: t.range.union(close.range))
            }
            if check(.dot), peek().kind == .identifier, peek().range.start == current.range.end,
               current.range.start == t.range.end {
                advance()
                let column = advance()
                return Expr(kind: .name(Name(text: column.text, range: column.range), qualifier: name),
                            range: t.range.union(column.range))
            }
            return Expr(kind: .name(name, qualifier: nil), range: t.range)
        default:
            throw expected("an expression")
        }
    }
}
