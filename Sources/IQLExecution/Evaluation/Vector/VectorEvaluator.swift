import IQLCore
import IQLStorage
import IQLLanguage
/// Evaluates an expression over every row of a table a column at a time: each node of the
/// expression's tree (`CompiledExpression.Shape`) is one kernel over typed arrays, so no
/// `Value` is made per row unless a node has no kernel for its types.
///
/// The answer equals evaluating the expression row by row, errors included: a kernel that
/// meets a row it cannot handle exactly (an overflow, a division by zero, a date out of range)
/// hands the whole node to the row-at-a-time operations, which report that row's error with
/// the node's range. Where row-by-row evaluation would skip a part (the right side of `and`
/// when the left is false, the branch of `if` not taken), that part runs only on the rows that
/// need it.
package struct VectorEvaluator {
    package let table: Table
    package let environment: RuntimeEnvironment

    package var count: Int { table.rowCount }

    package init(table: Table, environment: RuntimeEnvironment) {
        self.table = table
        self.environment = environment
    }

    package func evaluate(_ e: CompiledExpression) throws -> Vector {
        if let c = e.constant { return .constant(c) }
        if e.type != .bool, let v = byDistinctValues(e) { return v }
        switch e.shape {
        case .column(let i) where table.columns.indices.contains(i):
            return Vector(table.columns[i])
        case .constant(let v):
            return .constant(v)
        case .binding(let name):
            return .constant(environment.values[name] ?? .null)
        case .arithmetic(let op, let a, let b):
            return try arithmetic(op, evaluate(a), evaluate(b), at: e.range)
        case .negate(let a):
            return try negate(evaluate(a), at: e.range)
        case .compare(let op, let a, let b):
            return .bools(try compare(op, a, b))
        case .and, .or, .not, .isNull, .inList:
            return .bools(try Truth.of(e, over: table, environment))
        case .call(let name, let args):
            return try call(name, args, e)
        default:
            return .values(try Evaluating.rowByRow(e, over: table, environment))
        }
    }

    /// The generic path: the row-at-a-time operation on each row's values.
    package func perRow(_ body: (Int) throws -> Value) throws -> Vector {
        var out: [Value] = []
        out.reserveCapacity(count)
        for r in 0..<count {
            if r & 4095 == 0 { try environment.checkCancelled() }
            out.append(try body(r))
        }
        return .values(out)
    }

    /// Evaluates `e` only at `rows` (in order), as a vector over those rows.
    package func evaluate(_ e: CompiledExpression, at rows: [Int]) throws -> Vector {
        if rows.count == count { return try evaluate(e) }
        return try VectorEvaluator(table: table.gathering(rows), environment: environment).evaluate(e)
    }
}

extension CompiledExpression {
    /// Whether evaluating it can raise an error at some row (overflow, division by zero, a bad
    /// argument), so that it must not run on rows that row-by-row evaluation would skip.
    package var mayFail: Bool { traits.contains(.mayFail) }
}
