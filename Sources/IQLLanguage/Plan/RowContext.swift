import IQLCore
import IQLStorage
/// What a compiled expression reads while it runs: the table, the row, and the values that
/// surround it (script bindings, parameters, a group's aggregates, a window's neighbours).
package struct RowContext {
    package let table: Table
    package let environment: RuntimeEnvironment
    package var row: Int = 0
    /// Aggregate results of the current group, read by `summarize` items.
    package var aggregates: [Value] = []
    /// For `previous`/`next`: the row before and after each row within its group, if any.
    package var window: WindowLinks?

    package init(table: Table, environment: RuntimeEnvironment, row: Int = 0, aggregates: [Value] = [], window: WindowLinks? = nil) {
        self.table = table
        self.environment = environment
        self.row = row
        self.aggregates = aggregates
        self.window = window
    }
}

/// The previous and next row of every row, within its `by` group in time order; -1 for none
/// (four bytes a row, where an optional row number would take sixteen). Or, when every item
/// reading the window takes a stored column's neighbour, the rows in window order and which
/// of them share a group with the one before (bit i for `order[i]`), from which each item's
/// column is shifted directly; `previous` and `next` are then empty.
package struct WindowLinks {
    package var previous: [Int32]
    package var next: [Int32]
    package var order: [Int32] = []
    package var sameGroup: [UInt64] = []

    package init(previous: [Int32], next: [Int32]) {
        self.previous = previous
        self.next = next
    }

    package init(order: [Int32], sameGroup: [UInt64]) {
        self.previous = []
        self.next = []
        self.order = order
        self.sameGroup = sameGroup
    }

    /// Whether the links are held as the window order (see the type).
    package var isOrder: Bool { !order.isEmpty }

    /// The links as tables of each row's previous and next row, from the window order; a
    /// kind not asked for is left empty (each is a write at random a row).
    package func tables(previous wantsPrevious: Bool = true, next wantsNext: Bool = true) -> WindowLinks {
        guard isOrder else { return self }
        let n = order.count
        var previous = [Int32](repeating: -1, count: wantsPrevious ? n : 0)
        var next = [Int32](repeating: -1, count: wantsNext ? n : 0)
        for i in 1..<max(1, n) where sameGroup[i >> 6] >> UInt64(i & 63) & 1 == 1 {
            if wantsPrevious { previous[Int(order[i])] = order[i - 1] }
            if wantsNext { next[Int(order[i - 1])] = order[i] }
        }
        return WindowLinks(previous: previous, next: next)
    }
}

/// Values a script binds as it runs: `let` values and parameters.
package struct RuntimeEnvironment: Sendable {
    package var values: [String: Value] = [:]
    package var parameters: [String: Value] = [:]
    /// Tables bound with `let`, for `from` and `join`.
    package var tables: [String: Table] = [:]
    /// Loads a dataset by name (bundled ones lazily, on first use).
    package var loadDataset: @Sendable (String) throws -> Table = { name in
        throw Diagnostic.error(.noDataset(name), at: nil)
    }
    /// The call's deadline, cancellation flags and memory budget, shared by every copy.
    package var budget = QueryBudget.unlimited

    package func table(_ source: PipelinePlan.Source) throws -> Table {
        switch source {
        case .dataset(let name): return try loadDataset(name)
        case .binding(let name):
            if let t = tables[name] { return t }
            // A connected engine's let tables are the database's temporary tables.
            if bindingsInDatabase { return try loadDataset(name) }
            throw Diagnostic.error(.noTable(name), at: nil)
        }
    }

    /// Whether `let` tables live in a connected database, read through `loadDataset`.
    package var bindingsInDatabase = false

    /// Most rows a stage may produce.
    package var rowLimit: Int?
    /// The folder `chart … to` writes into; nil when the host allows no files.
    package var outputFolder: OutputFolder?
    /// Whether council names resolve against the bundled authorities (the engine has bundled data).
    package var bundledCouncilNames = false
    /// The council-name resolver, built on first use: most queries name no council, and
    /// building it (the authorities table, every spelling normalised) was a tenth of start-up.
    package var councilNames: AuthorityNames { bundledCouncilNames ? .shared : .withoutBundledData }
    /// Most bytes a chart picture may take.
    package var outputBytes: Int?
    /// Whether expressions run a column at a time; off only to test that both ways agree.
    package var vectorised = true

    /// Throws if the query was cancelled or has run out of time; called between stages and
    /// every few thousand rows in long loops.
    package func checkCancelled() throws {
        try budget.check()
    }

    /// Throws before a stage builds `rows` rows if that passes the row limit.
    package func checkRows(_ rows: Int, _ what: @autoclosure () -> String) throws {
        if let limit = rowLimit, rows > limit {
            throw Diagnostic.error(.wouldMakeRows(what(), rows, limit: limit), at: nil,
                                   notes: ["filter earlier, or raise the limit (Engine.limits, --max-rows)"])
        }
    }

    package init(values: [String: Value] = [:], parameters: [String: Value] = [:], tables: [String: Table] = [:], rowLimit: Int? = nil, outputFolder: OutputFolder? = nil, outputBytes: Int? = nil) {
        self.values = values
        self.parameters = parameters
        self.tables = tables
        self.rowLimit = rowLimit
        self.outputFolder = outputFolder
        self.outputBytes = outputBytes
    }
}

/// A typed expression of the plan: what it computes as data (`shape`, the tree the optimiser
/// rewrites, `explain` prints and `VectorEvaluator` runs a column at a time). It holds no
/// closure: `evaluate` derives the row-at-a-time one from the tree when a stage needs it.
package struct CompiledExpression: Sendable {
    package typealias Evaluate = @Sendable (RowContext) throws -> Value

    package var type: ValueType
    /// A closure that evaluates the expression at one row, made from the tree each time it is
    /// asked for: the plan holds trees only (a closure per node would be allocated for every
    /// expression checked, though most run as kernels), so a caller evaluating many rows asks
    /// once, outside its loop.
    package var evaluate: Evaluate { RowCompiler.closure(for: shape, type: type, range: range) }
    /// The value, when it does not depend on the row, so operators can hoist it. Read from
    /// the tree rather than stored: a stored copy made every node (and every tree node's box)
    /// a third larger.
    package var constant: Value? {
        if case .constant(let v) = shape { v } else { nil }
    }
    /// The source range, for runtime errors.
    package var range: SourceRange
    /// What the expression computes.
    package private(set) var shape: Shape

    /// The expression tree: every expression the checker accepts is one of these.
    package indirect enum Shape: Sendable {
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

    /// What the optimiser and the evaluator ask of a whole tree, worked out from the children's
    /// as each node is made: asking is then O(1), where walking the tree at every node of a
    /// deep one was quadratic, and a long script asked millions of times.
    package struct Traits: OptionSet, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Evaluating it can raise an error (overflow, division by zero, a bad date).
        package static let mayFail = Traits(rawValue: 1)
        /// It reads a window's neighbours (`previous`/`next`).
        package static let readsWindow = Traits(rawValue: 2)
        /// Some operator or call in it has a constant operand that `fold-constants` may simplify.
        package static let foldable = Traits(rawValue: 4)
        /// It does work per row beyond comparing: arithmetic, or a call that has no plain loop
        /// of its own (`ScalarFunction.loopFunctions`). Such a tree over one column of few
        /// values is worth evaluating once per value (`DistinctValues`). Measured over 1M rows:
        /// `where pupils * 3 + 1 > 1000` 3.8 ms so, 12 ms by arithmetic kernels.
        package static let hasWork = Traits(rawValue: 8)
    }

    package private(set) var traits: Traits

    package init(type: ValueType, range: SourceRange, shape: Shape) {
        self.type = type
        self.range = range
        self.shape = shape
        traits = Self.traits(of: shape)
    }

    private static func traits(of shape: Shape) -> Traits {
        func inherited(_ xs: [CompiledExpression]) -> Traits {
            xs.reduce(into: []) { $0.formUnion($1.traits) }
        }
        var t: Traits
        switch shape {
        // A constant is already a value: it cannot fail, and there is nothing left to fold.
        case .column, .constant, .binding, .aggregate:
            t = []
        case .and(let a, let b), .or(let a, let b):
            t = a.traits.union(b.traits)
            if a.constant != nil || b.constant != nil { t.insert(.foldable) }
        case .not(let a):
            t = a.traits
            if case .not = a.shape { t.insert(.foldable) }
        case .call(let name, let args):
            t = inherited(args)
            if (name == "if" || name == "coalesce") && args.contains(where: { $0.constant != nil }) { t.insert(.foldable) }
            if ScalarFunction.catalog[name]?.canFail ?? true { t.insert(.mayFail) }
            if !ScalarFunction.loopFunctions.contains(name) { t.insert(.hasWork) }
        case .arithmetic(_, let a, let b):
            t = a.traits.union(b.traits)
            t.formUnion([.mayFail, .hasWork])
        case .negate(let a):
            t = a.traits
            t.formUnion([.mayFail, .hasWork])
        case .compare(_, let a, let b), .member(let a, of: let b, _):
            t = a.traits.union(b.traits)
        case .isNull(let a, _), .inList(let a, _, _):
            t = a.traits
        case .window(_, let a):
            t = a.traits
            t.insert(.readsWindow)
        case .list(let items):
            t = inherited(items)
        }
        return t
    }

    package static func constant(_ value: Value, type: ValueType? = nil, range: SourceRange) -> CompiledExpression {
        CompiledExpression(type: type ?? value.type, range: range, shape: .constant(value))
    }

    /// A reference to column `i`.
    package static func column(_ i: Int, type: ValueType, range: SourceRange) -> CompiledExpression {
        CompiledExpression(type: type, range: range, shape: .column(i))
    }
}
