import IQLCore
import IQLStorage
extension Checker {
    /// Other tools' names for IQL's functions, suggested before a near spelling (`mean` is
    /// nearer `median` than `avg`).
    package static let functionAliases: [String: String] = [
        "mean": "avg", "average": "avg", "countif": "count", "count_if": "count",
        "nvl": "coalesce", "ifnull": "coalesce", "iif": "if", "len": "length", "char_length": "length",
        "ucase": "upper", "lcase": "lower", "startswith": "starts_with", "endswith": "ends_with",
    ]

    package mutating func compileCall(_ name: Name, _ args: [Expr], range: SourceRange, in scope: ExpressionScope,
                              aggregates: inout [AggregateCall], usesWindow: inout Bool) -> CompiledExpression {
        if let aggregate = Aggregate(rawValue: name.text) {
            return compileAggregate(aggregate, name, args, range: range, in: scope, aggregates: &aggregates)
        }
        if name.text == "previous" || name.text == "next" {
            return compileWindow(name, args, range: range, in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
        }
        guard let function = ScalarFunction.catalog[name.text] else {
            error(.unknownFunction(name.text), at: name.range,
                  suggestion: Checker.functionAliases[name.text.lowercased()] ?? Suggest.closest(to: name.text, among: Checker.functionNames),
                  notes: ["functions: " + Checker.functionNames.sorted().joined(separator: ", ")])
            for a in args { _ = compile(a, in: scope, aggregates: &aggregates, usesWindow: &usesWindow) }
            return poison(range)
        }
        let compiled = args.map { compile($0, in: scope, aggregates: &aggregates, usesWindow: &usesWindow) }
        guard function.arity.contains(args.count) else {
            let expected = function.arity.count == 1 ? "\(function.arity.lowerBound)"
                : "\(function.arity.lowerBound) to \(function.arity.upperBound)"
            error(.argumentCount(name.text, expected: "\(expected) argument\(function.arity.upperBound == 1 ? "" : "s")", found: args.count),
                  at: range, label: function.signature)
            return poison(range)
        }
        let resultType: ValueType
        switch function.resultType(compiled.map(\.type)) {
        case .success(let t): resultType = t
        case .failure(let problem):
            error(.argumentType(name.text, index: problem.index + 1, problem.message),
                  at: args[problem.index].range, label: function.signature)
            return poison(range)
        }
        return folded(CompiledExpression(type: resultType, range: range, shape: .call(name.text, compiled)), from: compiled)
    }

    private mutating func compileAggregate(_ aggregate: Aggregate, _ name: Name, _ args: [Expr], range: SourceRange,
                                           in scope: ExpressionScope, aggregates: inout [AggregateCall]) -> CompiledExpression {
        switch scope.mode {
        case .summarize, .assertion: break
        default:
            if case .constant = scope.mode {
                error(.aggregateNeedsRows(name.text), at: name.range)
            } else {
                error(.aggregateOutsideSummarize(name.text), at: name.range,
                      label: "for example: summarize n = \(name.text)(…) by …")
            }
            return poison(range)
        }
        let maxArgs = 1
        let minArgs = aggregate == .count ? 0 : 1
        guard (minArgs...maxArgs).contains(args.count) else {
            error(.argumentCount(name.text, expected: minArgs == 0 ? "0 or 1 arguments" : "1 argument", found: args.count),
                  at: range, label: aggregate.signature)
            return poison(range)
        }
        var argument: CompiledExpression?
        if let arg = args.first {
            // The argument is per row; an aggregate inside it would be an aggregate of aggregates.
            let rowScope = ExpressionScope(schema: scope.schema, table: scope.table, mode: .row)
            var inner: [AggregateCall] = []
            var window = false
            if containsAggregate(arg) {
                error(.nestedAggregate, at: arg.range)
                return poison(range)
            }
            argument = compile(arg, in: rowScope, aggregates: &inner, usesWindow: &window)
        }
        let type: ValueType
        switch aggregate.resultType(argument: argument?.type) {
        case .success(let t): type = t
        case .failure(let problem):
            error(.aggregateArgument(problem), at: args.first?.range ?? range, label: aggregate.signature)
            return poison(range)
        }
        let index = aggregates.count
        aggregates.append(AggregateCall(function: aggregate, argument: argument, range: range, text: source.text(in: range)))
        return CompiledExpression(type: type, range: range, shape: .aggregate(index, text: source.text(in: range)))
    }

    private func containsAggregate(_ e: Expr) -> Bool {
        switch e.kind {
        case .call(let n, let args):
            return Aggregate(rawValue: n.text) != nil || args.contains(where: containsAggregate)
        case .unary(_, let x), .isNull(let x, _): return containsAggregate(x)
        case .binary(_, let a, let b), .inList(let a, let b, _): return containsAggregate(a) || containsAggregate(b)
        case .list(let items): return items.contains(where: containsAggregate)
        default: return false
        }
    }

    private mutating func compileWindow(_ name: Name, _ args: [Expr], range: SourceRange, in scope: ExpressionScope,
                                        aggregates: inout [AggregateCall], usesWindow: inout Bool) -> CompiledExpression {
        guard case .window = scope.mode else {
            error(.windowOutsideDerive(name.text), at: name.range,
                  label: "for example: derive before = \(name.text)(overall) by authority")
            return poison(range)
        }
        guard args.count == 1 else {
            error(.argumentCount(name.text, expected: "1 argument", found: args.count), at: range, label: "\(name.text)(value)")
            return poison(range)
        }
        guard scope.schema?.timeColumn != nil else {
            error(.windowNeedsTime(name.text), at: name.range,
                  notes: ["the time column is lost when select drops it or count/summarize groups without it"])
            return poison(range)
        }
        usesWindow = true
        let inner = compile(args[0], in: scope, aggregates: &aggregates, usesWindow: &usesWindow)
        return CompiledExpression(type: inner.type, range: range, shape: .window(next: name.text == "next", inner))
    }
}
