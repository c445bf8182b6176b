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
        throw Diagnostic.error(.noDataset(name), at: nil)
    }
    /// The call's deadline, cancellation flags and memory budget, shared by every copy.
    var budget = QueryBudget.unlimited

    func table(_ source: PipelinePlan.Source) throws -> Table {
        switch source {
        case .dataset(let name): return try loadDataset(name)
        case .binding(let name):
            guard let t = tables[name] else {
                throw Diagnostic.error(.noTable(name), at: nil)
            }
            return t
        }
    }

    /// Most rows a stage may produce.
    var rowLimit: Int?
    /// The folder `chart … to` writes into; nil when the host allows no files.
    var outputFolder: OutputFolder?
    /// The council-name resolver: the bundled authorities' when the engine has bundled data.
    var councilNames = AuthorityNames.withoutBundledData
    /// Most bytes a chart picture may take.
    var outputBytes: Int?
    /// Whether expressions run a column at a time; off only to test that both ways agree.
    var vectorised = true

    /// Throws if the query was cancelled or has run out of time; called between stages and
    /// every few thousand rows in long loops.
    func checkCancelled() throws {
        try budget.check()
    }

    /// Throws before a stage builds `rows` rows if that passes the row limit.
    func checkRows(_ rows: Int, _ what: @autoclosure () -> String) throws {
        if let limit = rowLimit, rows > limit {
            throw Diagnostic.error(.wouldMakeRows(what(), rows, limit: limit), at: nil,
                                   notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
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

    /// What the expression computes, as data: the tree `VectorEvaluator` runs a column at a
    /// time. An expression without one (an aggregate's result, a window) runs row by row.
    indirect enum Shape: Sendable {
        case column(Int)
        case constant(Value)
        /// A value bound with `let`, read from the environment when the query runs.
        case binding(String)
        case arithmetic(BinaryOperator, CompiledExpression, CompiledExpression)
        case negate(CompiledExpression)
        case compare(BinaryOperator, CompiledExpression, CompiledExpression)
        case and(CompiledExpression, CompiledExpression)
        case or(CompiledExpression, CompiledExpression)
        case not(CompiledExpression)
        case isNull(CompiledExpression, negated: Bool)
        case inList(CompiledExpression, [Value], negated: Bool)
        /// A scalar function of `ScalarFunction.catalog`, by name.
        case call(String, [CompiledExpression])
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
