/// What the checker may know about the datasets: names, schemas, and (for warnings about text
/// literals) the distinct values of a text column, loaded only when asked.
struct Catalog: Sendable {
    var schemas: [String: Schema]
    var textValues: @Sendable (_ dataset: String, _ column: String) -> Set<String>?

    var names: [String] { schemas.keys.sorted() }
}

/// A name bound by an earlier statement or REPL entry.
enum Binding: Sendable {
    case table(Table)
    case value(Value)
}

/// A script after checking: every name resolved, every expression typed and compiled.
struct CheckedScript: Sendable {
    var statements: [CheckedStatement]
    var warnings: [Diagnostic]
    var datasetsUsed: Set<String> = []
}

/// Indirect: a plan is a dozen words, and a long script holds one statement per line.
indirect enum CheckedStatement: Sendable {
    case pipeline(PipelinePlan, title: String?)
    case letTable(String, PipelinePlan)
    case letValue(String, CompiledExpression)
    case param(String, Value)
    case assert(AssertPlan)
}

/// A compiled `assert`: a condition over the whole of the last result, aggregates allowed.
struct AssertPlan: Sendable {
    var aggregates: [AggregateCall]
    var condition: CompiledExpression
    /// The condition as written, for the failure message.
    var text: String
    var range: SourceRange
}

/// One compiled stage.
protocol TableOperator: Sendable {
    func run(_ input: Table, _ environment: RuntimeEnvironment) throws -> Table
}
