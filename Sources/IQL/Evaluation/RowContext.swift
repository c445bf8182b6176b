/// What a compiled expression reads while it runs: the table, the row, and the values that
/// surround it (script bindings, parameters, a group's aggregates, a window's neighbours).
struct RowContext {
    let table: Table
    let environment: RuntimeEnvironment
    var row: Int = 0
    /// Aggregate results of the current group, read by `summarize` items.
    var aggregates: [Value] = []
    /// For `previous`/`next`: the row before and after each row within its group, if any.
    var window: WindowLinks?
}

/// The previous and next row of every row, within its `by` group in time order.
struct WindowLinks {
    var previous: [Int?]
    var next: [Int?]
}

/// Values a script binds as it runs: `let` values and parameters.
struct RuntimeEnvironment: Sendable {
    var values: [String: Value] = [:]
    var parameters: [String: Value] = [:]
    /// Tables bound with `let`, for `from` and `join`.
    var tables: [String: Table] = [:]
    /// Loads a dataset by name (bundled ones lazily, on first use).
    var loadDataset: @Sendable (String) throws -> Table = { name in
        throw Diagnostic.error(.unknownDataset, "no dataset named '\(name)'", at: nil)
    }
    /// Set by an embedder or the REPL to stop a long query; checked between batches of rows.
    var cancellation: CancellationFlag?

    func table(_ source: PipelinePlan.Source) throws -> Table {
        switch source {
        case .dataset(let name): return try loadDataset(name)
        case .binding(let name):
            guard let t = tables[name] else {
                throw Diagnostic.error(.unknownDataset, "no table named '\(name)'", at: nil)
            }
            return t
        }
    }

    /// When the query must have finished by, from the engine's time limit.
    var deadline: ContinuousClock.Instant?
    var timeLimit: Duration?
    /// Most rows a stage may produce.
    var rowLimit: Int?

    /// Throws if the query was cancelled or has run out of time; called between stages and
    /// every few thousand rows in long loops.
    func checkCancelled() throws {
        if cancellation?.isCancelled == true {
            throw Diagnostic.error(.cancelled, "query cancelled", at: nil)
        }
        if let deadline, ContinuousClock.now > deadline {
            throw Diagnostic.error(.timeLimit, "the query ran longer than the time limit (\(timeLimit.map { "\($0)" } ?? ""))", at: nil,
                                   notes: ["filter earlier, or raise the limit (Engine.limits, --time-limit)"])
        }
    }
}

/// A compiled expression: its static type and a closure that evaluates it at a row.
struct CompiledExpression: Sendable {
    typealias Evaluate = @Sendable (RowContext) throws -> Value

    var type: ValueType
    var evaluate: Evaluate
    /// Set when the value does not depend on the row, so operators can hoist it.
    var constant: Value?
    /// The source range, for runtime errors.
    var range: SourceRange
    /// What the expression is, for operators that evaluate it a column at a time.
    var shape: Shape?

    /// The structure of expressions simple enough to evaluate over whole columns.
    indirect enum Shape: Sendable {
        case column(Int)
        case constant(Value)
        case compare(BinaryOperator, CompiledExpression, CompiledExpression)
        case and(CompiledExpression, CompiledExpression)
        case or(CompiledExpression, CompiledExpression)
        case not(CompiledExpression)
        case isNull(CompiledExpression, negated: Bool)
        case inList(CompiledExpression, [Value], negated: Bool)
    }

    func with(shape: Shape) -> CompiledExpression {
        var c = self
        if c.constant == nil { c.shape = shape }
        return c
    }

    init(type: ValueType, range: SourceRange, evaluate: @escaping Evaluate) {
        self.type = type
        self.range = range
        self.evaluate = evaluate
    }

    static func constant(_ value: Value, type: ValueType? = nil, range: SourceRange) -> CompiledExpression {
        var c = CompiledExpression(type: type ?? value.type, range: range) { _ in value }
        c.constant = value
        c.shape = .constant(value)
        return c
    }
}
