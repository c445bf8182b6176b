import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
extension SQLCompiler {
    /// An expression as SQL, parenthesised wherever it could bind differently, computing what
    /// IQL computes (nulls propagate the same way; docs/sql.md lists the differences left).
    func expression(_ e: CompiledExpression, _ scope: SQLScope) throws(Diagnostic) -> String {
        func sub(_ x: CompiledExpression) throws(Diagnostic) -> String { try expression(x, scope) }
        switch e.shape {
        case .column(let i):
            if let keys = scope.groupKeys, scope.aggregates != nil {
                guard keys.contains(i) else {
                    throw Diagnostic.error(.noSQLForm("a column that is not a key, read outside an aggregate"), at: e.range)
                }
            }
            guard i < scope.columns.count else { throw Diagnostic.error(.noSQLForm("this column reference"), at: e.range) }
            return scope.columns[i]
        case .constant(let v):
            return try literal(v, type: e.type, at: e.range)
        case .binding(let name):
            guard let v = values[name] else {
                throw Diagnostic.error(.noSQLForm("the value '\(name)', bound before this script"), at: e.range)
            }
            return try literal(v, type: e.type, at: e.range)
        case .arithmetic(let op, let a, let b):
            let x = try sub(a), y = try sub(b)
            switch op {
            case .add where a.type == .date && b.type == .number, .subtract where a.type == .date && b.type == .number:
                // Days added to a date: both dialects add an integer to a date.
                return "(\(x) \(op.rawValue) CAST(\(y) AS INTEGER))"
            case .add where a.type == .number && b.type == .date:
                return "(\(y) + CAST(\(x) AS INTEGER))"
            case .add, .subtract, .multiply:
                return "(\(x) \(op.rawValue) \(y))"
            case .divide:
                // IQL divides exactly where it can and in doubles where it cannot; SQL's
                // integer division would truncate.
                return "(CAST(\(x) AS \(dialect.doubleType)) / \(y))"
            case .remainder:
                return "(\(x) % \(y))"
            default:
                throw Diagnostic.error(.noSQLForm("the operator \(op.rawValue)"), at: e.range)
            }
        case .negate(let a):
            return "(- \(try sub(a)))"
        case .compare(let op, let a, let b):
            var x = try sub(a), y = try sub(b)
            let sqlOp: String
            switch op {
            case .eq: sqlOp = "="
            case .ne: sqlOp = "<>"
            case .lt: sqlOp = "<"
            case .le: sqlOp = "<="
            case .gt: sqlOp = ">"
            case .ge: sqlOp = ">="
            default: throw Diagnostic.error(.noSQLForm("the comparison \(op.rawValue)"), at: e.range)
            }
            if a.type == .text || b.type == .text, op != .eq, op != .ne {
                x = dialect.binary(x)
                y = dialect.binary(y)
            }
            return "(\(x) \(sqlOp) \(y))"
        case .and(let a, let b):
            return "(\(try sub(a)) AND \(try sub(b)))"
        case .or(let a, let b):
            return "(\(try sub(a)) OR \(try sub(b)))"
        case .not(let a):
            return "(NOT \(try sub(a)))"
        case .isNull(let a, let negated):
            return "(\(try sub(a)) IS \(negated ? "NOT " : "")NULL)"
        case .inList(let a, let items, let negated):
            guard !items.isEmpty else {
                // Nothing is in an empty list, and a null is not either.
                return "(CASE WHEN \(try sub(a)) IS NULL THEN NULL ELSE \(negated ? "TRUE" : "FALSE") END)"
            }
            var sql: [String] = []
            for v in items { sql.append(try literal(v, type: a.type, at: e.range)) }
            return "(\(try sub(a)) \(negated ? "NOT " : "")IN (\(sql.joined(separator: ", "))))"
        case .member(let a, of: let list, let negated):
            guard case .list(let items) = list.shape, !items.isEmpty else {
                throw Diagnostic.error(.noSQLForm("membership in a list computed per row"), at: e.range)
            }
            var sql: [String] = []
            for x in items { sql.append(try sub(x)) }
            return "(\(try sub(a)) \(negated ? "NOT " : "")IN (\(sql.joined(separator: ", "))))"
        case .list:
            throw Diagnostic.error(.noSQLForm("a list value"), at: e.range)
        case .call(let name, let args):
            return try call(name, args, scope, at: e.range)
        case .aggregate(let i, _):
            guard let aggregates = scope.aggregates, i < aggregates.count else {
                throw Diagnostic.error(.noSQLForm("this aggregate"), at: e.range)
            }
            return aggregates[i]
        case .window(let next, let a):
            guard let w = scope.window else { throw Diagnostic.error(.noSQLForm("previous or next here"), at: e.range) }
            let partition = w.partition.isEmpty ? "" : "PARTITION BY \(w.partition.joined(separator: ", ")) "
            let by = ((w.time.map { ["\($0) ASC NULLS LAST"] } ?? []) + [scope.order]).joined(separator: ", ")
            return "\(next ? "lead" : "lag")(\(try sub(a))) OVER (\(partition)ORDER BY \(by))"
        }
    }

    /// A scalar function of `ScalarFunction.catalog` as SQL both dialects have.
    private func call(_ name: String, _ args: [CompiledExpression], _ scope: SQLScope, at range: SourceRange) throws(Diagnostic) -> String {
        var a: [String] = []
        for x in args { a.append(try expression(x, scope)) }
        func arg(_ i: Int) -> String { i < a.count ? a[i] : "NULL" }
        switch name {
        case "year", "month", "day":
            return "CAST(EXTRACT(\(name.uppercased()) FROM \(arg(0))) AS BIGINT)"
        case "days_between":
            return "(\(arg(1)) - \(arg(0)))"
        case "date":
            guard a.count == 3 else { throw Diagnostic.error(.noSQLForm("date(text, format)"), at: range) }
            return "make_date(CAST(\(arg(0)) AS INTEGER), CAST(\(arg(1)) AS INTEGER), CAST(\(arg(2)) AS INTEGER))"
        case "round":
            // PostgreSQL rounds to a number of places only numerics, and those half away from
            // zero as IQL does (its doubles' ties follow the platform).
            let x = dialect == .postgres ? "CAST(\(arg(0)) AS NUMERIC)" : arg(0)
            return a.count > 1 ? "round(\(x), CAST(\(arg(1)) AS INTEGER))" : "round(\(x))"
        case "abs", "floor", "ceil", "lower", "upper", "length":
            return "\(name)(\(arg(0)))"
        case "contains":
            return "(strpos(\(arg(0)), \(arg(1))) > 0)"
        case "starts_with":
            return "(left(\(arg(0)), length(\(arg(1)))) = \(arg(1)))"
        case "ends_with":
            return "(right(\(arg(0)), length(\(arg(1)))) = \(arg(1)))"
        case "like", "ilike":
            // IQL's patterns have % and _ and no escape character.
            return "(\(arg(0)) \(name == "like" ? "LIKE" : "ILIKE") \(arg(1)) ESCAPE '')"
        case "coalesce":
            return "COALESCE(\(a.joined(separator: ", ")))"
        case "if":
            return "(CASE WHEN \(arg(0)) THEN \(arg(1)) ELSE \(arg(2)) END)"
        case "pct_change":
            return "(CASE WHEN \(arg(0)) = 0 THEN NULL ELSE CAST((\(arg(1)) - \(arg(0))) * 100 AS \(dialect.doubleType)) / abs(\(arg(0))) END)"
        default:
            throw Diagnostic.error(.noSQLForm("the function \(name)"), at: range)
        }
    }

    /// An aggregate call as SQL over the group's rows (first and last in IQL's row order).
    func aggregateSQL(_ call: AggregateCall, _ scope: SQLScope) throws(Diagnostic) -> String {
        let x = try call.argument.map { (e: CompiledExpression) throws(Diagnostic) in try expression(e, scope) }
        let text = call.argument?.type == .text
        switch (call.function, x) {
        case (.count, nil): return "count(*)"
        case (.count, let c?): return "count(CASE WHEN \(c) THEN 1 END)"
        case (.count_distinct, let v?): return "count(DISTINCT \(v))"
        case (.sum, let v?): return "sum(\(v))"
        case (.avg, let v?): return "avg(CAST(\(v) AS \(dialect.doubleType)))"
        case (.min, let v?): return "min(\(text ? dialect.binary(v) : v))"
        case (.max, let v?): return "max(\(text ? dialect.binary(v) : v))"
        case (.median, let v?):
            return dialect == .postgres ? "percentile_cont(0.5) WITHIN GROUP (ORDER BY \(v))" : "median(\(v))"
        case (.first, let v?), (.last, let v?):
            let direction = call.function == .first ? "ASC" : "DESC"
            return "(array_agg(\(v) ORDER BY \(scope.order) \(direction)) FILTER (WHERE \(v) IS NOT NULL))[1]"
        case (.unique, let v?): return "(count(DISTINCT \(v)) = count(\(v)))"
        case (.all, let c?): return "COALESCE(bool_and(\(c)), TRUE)"
        case (.any, let c?): return "COALESCE(bool_or(\(c)), FALSE)"
        default:
            throw Diagnostic.error(.noSQLForm("\(call.function.rawValue) with no argument"), at: call.range)
        }
    }

    /// A value as a SQL literal of its type; a rating as its rank.
    func literal(_ v: Value, type: ValueType, at range: SourceRange) throws(Diagnostic) -> String {
        switch v {
        case .null:
            switch type {
            case .number: return "CAST(NULL AS \(dialect.doubleType))"
            case .text: return "CAST(NULL AS VARCHAR)"
            case .date: return "CAST(NULL AS DATE)"
            case .bool: return "CAST(NULL AS BOOLEAN)"
            case .rating: return "CAST(NULL AS INTEGER)"
            default: return "NULL"
            }
        case .number(.int(let i)):
            return i < 0 ? "CAST(\(String(i)) AS BIGINT)" : String(i)
        case .number(.decimal(let d)):
            return d.mantissa < 0 ? "(\(d.text))" : d.text
        case .number(.double(let d)):
            guard d.isFinite else { throw Diagnostic.error(.noSQLForm("a number that is not finite"), at: range) }
            return "CAST('\(d)' AS \(dialect.doubleType))"
        case .text(let s):
            do {
                return try SQLText.literal(s)
            } catch {
                throw Diagnostic.error(.noSQLForm(error.what), at: range)
            }
        case .date(let day):
            return "DATE '\(day)'"
        case .rating(let r):
            return String(r.rawValue)
        case .bool(let b):
            return b ? "TRUE" : "FALSE"
        case .list:
            throw Diagnostic.error(.noSQLForm("a list value"), at: range)
        }
    }
}
