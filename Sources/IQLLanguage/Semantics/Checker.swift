import IQLCore
import IQLStorage
import Foundation

/// Resolves every name in a script and type-checks every expression against the schemas,
/// before anything runs, collecting all the problems it finds. It compiles as it checks: the
/// result is a plan of operators with compiled expressions, ready to run many times.
package struct Checker {
    package enum ScopeEntry {
        case table(Schema)
        case value(ValueType)
    }

    package let catalog: Catalog
    package let source: SourceFile
    package var scope: [String: ScopeEntry]
    package let provided: [String: Value]
    /// Parameters declared so far, with the value each will have.
    package var parameters: [String: Value] = [:]
    package var usedParameters: Set<String> = []
    /// When false, a parameter with no default and no value checks as null instead of failing.
    package var requireParameters = true
    /// Whether given parameter values were typed on a command line, where `7` may be meant
    /// as the text "7"; from a host program a value must already be of the declared type.
    package var parametersFromCommandLine = false
    /// Text literals already warned about, so one misspelt parameter used thrice warns once.
    package var warnedLiterals: Set<String> = []
    /// How many unmatched text literals go without a warning of their own, past the first
    /// `suggestedLiterals`; reported in one warning at the end.
    package var unmatchedBeyondCap = 0
    /// Where the first of those is, for the caret of the warning that counts them.
    package var firstUnmatchedBeyondCap: SourceRange?
    /// Set once the budget ran out, so the rest of the script is not checked.
    package var stopped = false
    package static let suggestedLiterals = 10
    /// Each text column's distinct values, read once per check (nil: the column has none to read).
    package var knownValueCache: [Schema.Origin: KnownValues?] = [:]
    /// The last few origins `knownValues` was asked about, and their answers: a script's
    /// literals mostly compare with a handful of columns, and comparing two origins' names costs
    /// less than hashing one to look it up.
    package var recentKnownValues: [(origin: Schema.Origin, values: KnownValues?)] = []
    /// Which entry of `recentKnownValues` the next origin not among them replaces.
    package var nextRecentKnownValues = 0
    /// `datasetSchema`'s answers.
    package var originSchemas: [String: Schema] = [:]
    /// Whether council names resolve against the bundled authorities (the engine has bundled data).
    package var bundledCouncilNames = false
    /// The council-name resolver, built on first use: most queries name no council, and
    /// building it (the authorities table, every spelling normalised) was a tenth of start-up.
    package var councilNames: AuthorityNames { bundledCouncilNames ? .shared : .withoutBundledData }
    /// Datasets the script reads, with `from` or `join`.
    package var datasetsUsed: Set<String> = []
    package var diagnostics: [Diagnostic] = []
    /// The pipeline being checked: where its rows come from and their schema there, for stages
    /// (compare) that read the whole source, not just the rows reaching them.
    package var currentSource: (source: PipelinePlan.Source, schema: Schema)?
    /// The folder `chart … to` may write into; nil when the host allows no files.
    package var outputFolder: OutputFolder?
    /// The call's deadline and cancellation: checking a huge script stops when it runs out.
    package var budget = QueryBudget.unlimited
    /// Runs a checked pipeline's first stages, so `pivot` can read the columns it will make; nil
    /// when it cannot run (set by the engine; none in completion).
    package var runPrefix: ((PipelinePlan) -> Table?)?
    /// The rows reaching the pivot being checked, made on demand.
    package var prefixRows: (() -> Table?)?
    /// The tables earlier runs bound, and not bound again by this script so far: the only `let`
    /// tables a prefix can read, as this script's own are not made until it runs.
    package var runnableBindings: Set<String> = []

    /// `declared`: parameters an earlier run of the same engine declared, usable without a
    /// `param` line here.
    package init(catalog: Catalog, source: SourceFile, bindings: [String: Binding], parameters: [String: Value],
         declared: [String: Value] = [:]) {
        self.catalog = catalog
        self.source = source
        self.provided = parameters
        self.parameters = declared
        var scope: [String: ScopeEntry] = [:]
        for (name, b) in bindings {
            switch b {
            case .table(let t):
                scope[name] = .table(t.schema)
                runnableBindings.insert(name)
            case .value(let v): scope[name] = .value(v.type)
            }
        }
        self.scope = scope
    }

    package var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Whether checking must stop (cancelled, or out of time); says so once, as an error.
    package mutating func outOfBudget() -> Bool {
        if stopped { return true }
        guard let stop = budget.stop else { return false }
        diagnostics.append(stop)
        stopped = true
        return true
    }

    package mutating func error(_ message: DiagnosticMessage, at range: SourceRange?,
                        label: String? = nil, suggestion: String? = nil, notes: [String] = []) {
        diagnostics.append(.error(message, at: range, label: label, suggestion: suggestion, notes: notes))
    }

    // MARK: - Statements

    /// Checks every statement. `partial` is for a script cut short by a syntax error: names it
    /// might declare later are not reported as unknown.
    package mutating func check(_ script: Script, partial: Bool = false) -> CheckedScript {
        check(consuming: script, partial: partial)
    }

    /// `check`, freeing each statement's syntax tree once it is checked: a long script's
    /// plans then reuse the memory its trees held.
    package mutating func check(consuming script: consuming Script, partial: Bool = false) -> CheckedScript {
        // A long script would otherwise copy its checked statements and names each time they grow.
        var out: [CheckedStatement] = []
        out.reserveCapacity(script.statements.count)
        scope.reserveCapacity(scope.count + script.statements.count { if case .pipeline = $0.kind { false } else { true } })
        // The schema of the most recent pipeline's result, which `assert` checks.
        var lastResult: Schema?
        var lastResultFailed = false
        var pending = (consume script).statements
        pending.reverse()
        while let statement = pending.popLast() {
            if outOfBudget() { break }
            switch statement.kind {
            case .pipeline(let p):
                let plan = check(p)
                if let plan { out.append(.pipeline(plan, title: statement.title)) }
                lastResult = plan?.schema
                lastResultFailed = plan == nil
            case .assert(let e):
                if let schema = lastResult {
                    if let plan = checkAssert(e, over: schema) { out.append(.assert(plan)) }
                } else if !lastResultFailed {
                    error(.assertWithoutPipeline, at: statement.range,
                          label: "put it after a 'from …' statement")
                }
            case .letTable(let name, let p):
                if let plan = check(p) {
                    out.append(.letTable(name.text, plan))
                    scope[name.text] = .table(plan.schema)
                }
                if !runnableBindings.isEmpty { runnableBindings.remove(name.text) }
            case .letValue(let name, let e):
                if catalog.schemas[name.text] != nil {
                    error(.valueNamedLikeDataset(name.text), at: name.range)
                }
                let c = compile(e, in: ExpressionScope.constant)
                out.append(.letValue(name.text, c))
                scope[name.text] = .value(c.type)
            case .param(let name, let def):
                if let v = checkParameter(name, default: def) {
                    parameters[name.text] = v
                    out.append(.param(name.text, v))
                } else {
                    // Already reported; a null stand-in keeps uses of it from echoing the error.
                    parameters[name.text] = .null
                }
            }
        }
        if unmatchedBeyondCap > 0 {
            diagnostics.append(.warning(.moreAbsentValues(unmatchedBeyondCap, shown: Checker.suggestedLiterals),
                                        at: firstUnmatchedBeyondCap, label: "from here on"))
        }
        for name in provided.keys.sorted() where !partial && parameters[name] == nil && !usedParameters.contains(name) {
            let close = Suggest.closest(to: name, among: Array(parameters.keys) + Array(usedParameters))
            error(.undeclaredParameter(name),
                  at: nil, label: close.map { "did you mean '\($0)'?" })
        }
        return CheckedScript(statements: out, warnings: diagnostics.filter { $0.severity != .error },
                             datasetsUsed: datasetsUsed)
    }

    private mutating func checkAssert(_ e: Expr, over schema: Schema) -> AssertPlan? {
        let scope = ExpressionScope(schema: schema, table: "the result above", mode: .assertion)
        var aggregates: [AggregateCall] = []
        var window = false
        let before = diagnostics.count
        let c = compile(e, in: scope, aggregates: &aggregates, usesWindow: &window)
        guard diagnostics.count == before || !hasErrors else { return nil }
        if c.type != .bool && c.type != .null {
            error(.assertNeedsCondition(found: c.type), at: e.range,
                  label: "for example: assert count() == 153")
            return nil
        }
        return AssertPlan(aggregates: aggregates, condition: c, text: source.text(in: e.range), range: e.range)
    }

    private mutating func checkParameter(_ name: Name, default def: Expr?) -> Value? {
        var defaultValue: Value?
        if let def {
            let c = compile(def, in: .constant)
            if let v = c.constant {
                defaultValue = v
            } else if !hasErrors {
                do {
                    defaultValue = try c.evaluate(RowContext(table: .singleEmptyRow, environment: RuntimeEnvironment(parameters: parameters)))
                } catch let d as Diagnostic {
                    diagnostics.append(d)
                } catch {}
            }
        }
        guard let given = provided[name.text] else {
            if defaultValue == nil && def == nil && !requireParameters { return .null }
            if defaultValue == nil && def == nil {
                error(.missingParameter(name.text), at: name.range,
                      label: "give it a value with --param \(name.text)=VALUE, or a default with 'param \(name.text) = VALUE'")
            }
            return defaultValue
        }
        guard let defaultValue, !defaultValue.isNull else { return given }
        if let v = Checker.coerce(given, to: defaultValue.type, fromCommandLine: parametersFromCommandLine) { return v }
        error(.parameterType(name.text, defaultValue.type, given: given.literalText),
              at: name.range)
        return nil
    }

    /// Converts a parameter to the type its default has: text parses as the type (a date's
    /// ISO form, a rating's wording); only a value typed on a command line becomes text.
    package static func coerce(_ v: Value, to type: ValueType, fromCommandLine: Bool) -> Value? {
        if v.type == type || v.isNull { return v }
        switch type {
        case .text: return fromCommandLine ? .text(v.displayText) : nil
        case .number:
            if case .text(let s) = v { return Value.parseLiteral(s).flatMap { $0.type == .number ? $0 : nil } }
        case .date:
            if case .text(let s) = v { return Day(iso: Substring(s)).map(Value.date) }
        case .rating:
            if case .text(let s) = v { return (Rating(wording: s) ?? Rating.fromLiteral(s)).map(Value.rating) }
        case .bool:
            if case .text(let s) = v { return s == "true" ? .bool(true) : s == "false" ? .bool(false) : nil }
        default: break
        }
        return nil
    }

    // MARK: - Pipelines

    package mutating func check(_ pipeline: Pipeline) -> PipelinePlan? {
        let name = pipeline.source.text
        var schema: Schema
        let planSource: PipelinePlan.Source
        if case .table(let s)? = scope[name] {
            schema = s
            planSource = .binding(name)
        } else if let s = datasetSchema(name) {
            schema = s
            planSource = .dataset(name)
            datasetsUsed.insert(name)
        } else {
            var candidates = catalog.names
            for (k, v) in scope { if case .table = v { candidates.append(k) } }
            if case .value? = scope[name] {
                error(.valueNotTable(name), at: pipeline.source.range)
            } else {
                error(.noDatasetOrTable(name), at: pipeline.source.range,
                      suggestion: Suggest.closest(to: name, among: candidates),
                      notes: ["datasets: " + candidates.sorted().joined(separator: ", ")])
            }
            return nil
        }
        var nodes: [PlanNode] = []
        var ok = true
        currentSource = (planSource, schema)
        // The catalog's own schema (shared, not copied): the copy above carries each column's
        // origin for checking only, and a long script would keep one per pipeline.
        let sourceSchema: Schema
        switch planSource {
        case .dataset(let d): sourceSchema = catalog.schemas[d] ?? schema
        case .binding: sourceSchema = schema
        }
        var tableName = name
        for stage in pipeline.stages {
            if outOfBudget() { return nil }
            prefixRows = nil
            if case .pivot(_, _, nil) = stage.kind, ok, let runPrefix {
                let plan = PipelinePlan(source: planSource, sourceSchema: sourceSchema, nodes: nodes)
                if plan.bindingsRead.isSubset(of: runnableBindings) { prefixRows = { runPrefix(plan) } }
            }
            defer { prefixRows = nil }
            guard let (step, next) = check(stage, input: schema, table: tableName) else {
                ok = false
                // Later stages can still be checked when this one keeps the columns as they were;
                // after one that reshapes the table, checking on would only report echoes.
                switch stage.kind {
                case .where, .sort, .take, .latest: continue
                default: return nil
                }
            }
            nodes.append(PlanNode(step: step, schema: next, text: source.trimmedSlice(stage.range), range: stage.range))
            schema = next
            // Messages about later stages name the table they see, not the source.
            if case .pivot = stage.kind { tableName = "the pivoted \(name)" }
        }
        guard ok else { return nil }
        return PipelinePlan(source: planSource, sourceSchema: sourceSchema, nodes: nodes)
    }

    /// A dataset's schema with each column's origin, for the checks that read its values: made
    /// once per dataset and shared by every pipeline that reads it.
    package mutating func datasetSchema(_ name: String) -> Schema? {
        if let s = originSchemas[name] { return s }
        guard var schema = catalog.schemas[name] else { return nil }
        for i in schema.columns.indices { schema.columns[i].origin = .init(dataset: name, column: schema.columns[i].name) }
        originSchemas[name] = schema
        return schema
    }

    /// The schema after the longest run of a pipeline's first stages that check without error,
    /// for completion: one pass over the stages, however many of them fail.
    package mutating func schemaOfCheckingPrefix(_ pipeline: Pipeline) -> Schema? {
        let name = pipeline.source.text
        var schema: Schema
        if case .table(let s)? = scope[name] {
            schema = s
            currentSource = (.binding(name), s)
        } else if let s = datasetSchema(name) {
            schema = s
            currentSource = (.dataset(name), schema)
        } else {
            return nil
        }
        for stage in pipeline.stages {
            if outOfBudget() { return nil }
            let errorsBefore = diagnostics.filter { $0.severity == .error }.count
            guard let (_, next) = check(stage, input: schema, table: name),
                  diagnostics.filter({ $0.severity == .error }).count == errorsBefore else { break }
            schema = next
        }
        return schema
    }
}

extension Table {
    package static let singleEmptyRow = Table(schema: Schema(columns: []), columns: [], rowCount: 1)
}

extension Rating {
    /// The rating an IQL literal names (`good`, `ri`, …), for parameters given on the command line.
    package static func fromLiteral(_ s: String) -> Rating? {
        switch s.lowercased() {
        case "outstanding": return .outstanding
        case "good": return .good
        case "requires_improvement", "ri": return .requiresImprovement
        case "inadequate": return .inadequate
        default: return nil
        }
    }
}

extension Value {
    /// Reads a command-line value the way IQL source would: a number, date, `true`/`false`,
    /// a rating literal; anything else is text.
    public static func parseLiteral(_ text: String) -> Value? {
        if let n = CSVLoader.parseNumber(text) { return .number(n) }
        if let d = Day(iso: Substring(text)) { return .date(d) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let r = Rating.fromLiteral(text) { return .rating(r) }
        return nil
    }
}

/// A text column's distinct values, as the checker reads them for literal warnings.
package struct KnownValues {
    package var set: Set<String>
    /// Sorted, so suggestions among equals come out the same every run.
    package var list: [String]
    /// The one value naming each council; nil (the value) when two do; nil (the map) past 20,000 values.
    package var identities: [String: String?]?
    /// Values that differ only in case, by their lower-case form; empty for most columns.
    package var caseVariants: [String: [String]] = [:]
}
