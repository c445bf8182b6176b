import IQLCore
import IQLStorage
extension Parser {
    package mutating func parseScript() -> Script {
        var statements: [Statement] = []
        while true {
            while consume(.semicolon) != nil {}
            if atEnd { break }
            // Out of time or cancelled: the caller reports it; the rest is not parsed.
            if statements.count % 64 == 63, budget.isExhausted { break }
            let before = index
            do {
                var statement = try parseStatement()
                statement.title = title(above: statement.range.start)
                statements.append(statement)
                if !atEnd, !check(.semicolon), !current.newlineBefore {
                    throw expected("'|', ';' or a new line", label: "a statement ends here")
                }
                if !atEnd, !check(.semicolon), current.newlineBefore, !atStatementStart {
                    throw expected("'|' or a new statement", label: "a statement starts with 'from', 'let' or 'param'")
                }
            } catch {
                recover()
            }
            if index == before { advance() }
        }
        return Script(statements: statements)
    }

    /// The text of a `#` comment on the line directly above a statement that starts its line.
    package func title(above offset: Int) -> String? {
        // Most statements have no comment above: the bytes say so without making a string.
        guard source.lineAboveStartsWithHash(offset) else { return nil }
        let (line, column) = source.location(of: offset)
        guard line > 1, source.line(line).prefix(column - 1).allSatisfy({ $0 == " " || $0 == "\t" }) else { return nil }
        let above = source.line(line - 1).trimmingSpaces
        guard above.hasPrefix("#") else { return nil }
        let text = String(above.drop { $0 == "#" }).trimmingSpaces
        return text.isEmpty ? nil : text
    }

    package mutating func parseStatement() throws(SyntaxError) -> Statement {
        let start = current.range
        switch current.kind {
        case .keyword(.from):
            let p = try parsePipeline()
            return Statement(kind: .pipeline(p), range: p.range)
        case .keyword(.let):
            advance()
            let name = try expectName("a name for the binding")
            _ = try expect(.assign, "'=' after the name")
            if check(.keyword(.from)) {
                let p = try parsePipeline()
                return Statement(kind: .letTable(name, p), range: start.union(p.range))
            }
            let e = try parseExpression()
            return Statement(kind: .letValue(name, e), range: start.union(e.range))
        case .keyword(.param):
            advance()
            let name: Name
            if current.kind == .parameter {
                let t = advance()
                name = Name(text: t.text, range: t.range)
            } else {
                name = try expectName("a parameter name")
            }
            var def: Expr?
            if consume(.assign) != nil { def = try parseExpression() }
            return Statement(kind: .param(name, default: def), range: start.union(def?.range ?? name.range))
        case .identifier where current.text == "assert":
            advance()
            let e = try parseExpression()
            return Statement(kind: .assert(e), range: start.union(e.range))
        case .identifier where Parser.stageNames.contains(current.text):
            throw expected("'from' before the first stage", label: "a pipeline starts with 'from NAME'")
        default:
            throw expected("a statement ('from', 'let', 'param' or 'assert')")
        }
    }

    package mutating func parsePipeline() throws(SyntaxError) -> Pipeline {
        let from = advance()
        let source = try expectName("a dataset name after 'from'")
        var stages: [Stage] = []
        var end = source.range
        var failed = false
        while check(.pipe) {
            advance()
            do {
                let stage = try parseStage()
                if !failed {
                    stages.append(stage)
                    end = stage.range
                }
            } catch {
                // Go on at the next stage so one query reports all its syntax mistakes; the
                // stages before this one are kept so their names and types can be checked too.
                failed = true
                skipToNextStage()
            }
        }
        return Pipeline(source: source, stages: stages, range: from.range.union(end), truncated: failed)
    }

    package mutating func skipToNextStage() {
        var depth = 0
        while !atEnd {
            switch current.kind {
            case .lparen, .lbracket: depth += 1
            case .rparen, .rbracket: depth = max(0, depth - 1)
            case .pipe where depth == 0: return
            case .semicolon: return
            default: if atStatementStart { return }
            }
            advance()
        }
    }
}
