import IQLCore
import IQLStorage
/// What the checker may know about the datasets: names, schemas, and (for warnings about text
/// literals) the distinct values of a text column, loaded only when asked.
package struct Catalog: Sendable {
    package var schemas: [String: Schema]
    package var textValues: @Sendable (_ dataset: String, _ column: String) -> Set<String>?

    package var names: [String] { schemas.keys.sorted() }

    package init(schemas: [String: Schema], textValues: @escaping @Sendable (_ dataset: String, _ column: String) -> Set<String>?) {
        self.schemas = schemas
        self.textValues = textValues
    }
}

/// A name bound by an earlier statement or REPL entry.
package enum Binding: Sendable {
    case table(Table)
    case value(Value)
}

/// A script after checking: every name resolved, every expression typed and compiled.
package struct CheckedScript: Sendable {
    package var statements: [CheckedStatement]
    package var warnings: [Diagnostic]
    package var datasetsUsed: Set<String> = []

    package init(statements: [CheckedStatement], warnings: [Diagnostic], datasetsUsed: Set<String> = []) {
        self.statements = statements
        self.warnings = warnings
        self.datasetsUsed = datasetsUsed
    }
}

/// Indirect: a plan is a dozen words, and a long script holds one statement per line.
package indirect enum CheckedStatement: Sendable {
    case pipeline(PipelinePlan, title: String?)
    case letTable(String, PipelinePlan)
    case letValue(String, CompiledExpression)
    case param(String, Value)
    case assert(AssertPlan)
}

/// A compiled `assert`: a condition over the whole of the last result, aggregates allowed.
package struct AssertPlan: Sendable {
    package var aggregates: [AggregateCall]
    package var condition: CompiledExpression
    /// The condition as written, for the failure message.
    package var text: String
    package var range: SourceRange
}


