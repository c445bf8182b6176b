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

/// The previous and next row of every row, within its `by` group in time order; -1 for none
/// (four bytes a row, where an optional row number would take sixteen).
struct WindowLinks {
    var previous: [Int32]
    var next: [Int32]
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

/// A typed expression of the plan: what it computes as data (`shape`, the tree the optimiser
/// rewrites, `explain` prints and `VectorEvaluator` runs a column at a time), with the closure
/// that evaluates it at one row, derived from the tree by `RowCompiler` when it is made.
struct CompiledExpression: Sendable {
    typealias Evaluate = @Sendable (RowContext) throws -> Value

    var type: ValueType
    /// Evaluates the expression at one row; always `RowCompiler.closure(for: shape)`.
    private(set) var evaluate: Evaluate
    /// Set when the value does not depend on the row, so operators can hoist it.
    private(set) var constant: Value?
    /// The source range, for runtime errors.
    var range: SourceRange
    /// What the expression computes.
    private(set) var shape: Shape

    /// The expression tree: every expression the checker accepts is one of these.
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
        /// Membership in a list known when checking.
        case inList(CompiledExpression, [Value], negated: Bool)
        /// Membership in a list computed per row.
        case member(CompiledExpression, of: CompiledExpression, negated: Bool)
        /// A list of values computed per row.
        case list([CompiledExpression])
        /// A scalar function of `ScalarFunction.catalog`, by name.
        case call(String, [CompiledExpression])
        /// The `index`th aggregate of the stage (`summarize`, `count`, `assert`), as written.
        case aggregate(Int, text: String)
        /// `previous(x)` or `next(x)`: `x` at the row before or after within its group.
        case window(next: Bool, CompiledExpression)
    }

    init(type: ValueType, range: SourceRange, shape: Shape) {
        self.type = type
        self.range = range
        self.shape = shape
        if case .constant(let v) = shape { constant = v }
        self.evaluate = RowCompiler.closure(for: shape, type: type, range: range)
    }

    static func constant(_ value: Value, type: ValueType? = nil, range: SourceRange) -> CompiledExpression {
        CompiledExpression(type: type ?? value.type, range: range, shape: .constant(value))
    }

    /// A reference to column `i`.
    static func column(_ i: Int, type: ValueType, range: SourceRange) -> CompiledExpression {
        CompiledExpression(type: type, range: range, shape: .column(i))
    }
}
