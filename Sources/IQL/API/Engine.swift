import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
import Foundation

/// The IQL engine: datasets (the bundled ones by default, plus any you register), the names a
/// session has bound with `let`, and the entry points that check and run queries.
///
/// ```swift
/// let engine = Engine()
/// let table = try engine.query(#"from children_in_care | where authority == "Oxfordshire" | select year, children"#)
/// ```
public struct Engine: Sendable {
    private var registered: [String: Table] = [:]
    private var bundled: [String: BundledDataset]
    /// The connected database's tables, when the engine was made with one.
    private var connected: DatabaseCatalogue?
    var bindings: [String: Binding] = [:]
    /// Parameters declared with `param` in earlier `run` calls, with their values: like `let`
    /// names, they stay for later calls, so a shell can declare one and use it below.
    var declaredParameters: [String: Value] = [:]

    /// Set to stop a running query from another thread; the query ends with a "query cancelled" error.
    public var cancellation: CancellationFlag?

    /// How CSV files registered from now on read dates written with slashes (`31/03/2024`):
    /// nil (the default) reads them when the file's values decide the order (a day above 12
    /// somewhere) and refuses a column whose every date reads both ways.
    public var dateOrder: DateOrder?

    /// Time and size limits for each query; `EngineLimits.default` unless changed.
    public var limits = EngineLimits.default

    /// The one folder queries may write files into (`chart … to "FILE.svg"`), by path; nil,
    /// the default, for none: then no query and no call of this engine creates, overwrites or
    /// truncates any file. Names must stay inside the folder (no `..`, no hidden names, no
    /// link out of it), and files are written beside their name and renamed into place.
    public var outputDirectory: String?

    /// Whether parameter values were typed on a command line, so `--param council=7` may give
    /// a text parameter "7". False (the default) for a host program: a value must be of the
    /// type the script declares, or text that reads as it (a date, a rating, a number).
    package var parametersFromCommandLine = false

    /// Whether a large CSV load may hand the allocator's free memory back to the system
    /// (glibc's `malloc_trim`) as it joins its halves, lowering the peak; it touches the whole
    /// process's allocator, so it is off unless the host opts in. The `iql` tool does.
    public var trimsMemory = false

    /// Optimiser passes to leave out, by name (`Engine.optimizerPasses` lists them); none by
    /// default. Answers are the same either way; the plan `explain` shows is not.
    public var disabledOptimizerPasses: Set<String> = []

    /// The optimiser's passes, by name, in the order they run.
    public static var optimizerPasses: [String] { Optimizer.passNames }

    /// Whether expressions run a column at a time (the default). Off, every expression runs
    /// row by row through its closure: tests compare the two.
    var vectorised = true

    /// Makes an engine. With `bundledData` (the default) the datasets that ship with IQL are
    /// available by name; they are parsed on first use.
    public init(bundledData: Bool = true) {
        bundled = bundledData ? Dictionary(uniqueKeysWithValues: BundledDataset.all.map { ($0.name, $0) }) : [:]
    }

    /// Makes an engine whose datasets are a database's tables and views (as its catalogue
    /// lists them now): queries are checked here against their columns, as any dataset's
    /// are, then compiled to the database's SQL and run there, and the rows come back as
    /// tables. Stages with no SQL form run here on those rows; `let` tables become the
    /// connection's temporary tables. Council names resolve as with the bundled data.
    public init(database: any SQLDatabase) throws(IQLError) {
        bundled = [:]
        do {
            connected = try DatabaseCatalogue(database: database)
        } catch {
            throw IQLError([DatabaseReader.diagnostic(error, database: database.name, at: nil)], source: nil)
        }
    }

    /// Takes another engine's settings (limits, optimiser passes, output folder, date order,
    /// cancellation flag), for a shell that swaps its engine for one connected elsewhere.
    package mutating func takeSettings(from other: Engine) {
        limits = other.limits
        disabledOptimizerPasses = other.disabledOptimizerPasses
        outputDirectory = other.outputDirectory
        dateOrder = other.dateOrder
        cancellation = other.cancellation
        parametersFromCommandLine = other.parametersFromCommandLine
        trimsMemory = other.trimsMemory
        vectorised = other.vectorised
    }

    /// The database the engine runs its queries in, if it was made with one.
    public var database: (any SQLDatabase)? { connected?.database }

    // MARK: - Datasets

    /// Names of every dataset a query can read with `from`, sorted.
    public var datasetNames: [String] {
        Set(bundled.keys).union(registered.keys).union(connected?.tables.keys ?? [:].keys).sorted()
    }

    /// The schema of a dataset or of a table bound with `let`, without loading any data.
    public func schema(of name: String) -> Schema? {
        if case .table(let t)? = bindings[name] { return t.schema }
        if let t = registered[name] { return t.schema }
        if let t = connected?.tables[name] { return t.schema }
        return bundled[name]?.schema
    }

    /// The newest date any bundled dataset holds (the data's vintage: how recent its figures
    /// are), from every date column; nil for an engine made without bundled data.
    public var dataVintage: Day? {
        var newest: Day?
        for name in bundled.keys.sorted() {
            guard let schema = schema(of: name), schema.columns.contains(where: { $0.type == .date }),
                  let table = try? table(named: name) else { continue }
            for (i, field) in schema.columns.enumerated() where field.type == .date && i < table.columns.count {
                for v in table.columns[i] { if let d = v.day, newest.map({ d > $0 }) ?? true { newest = d } }
            }
        }
        return newest
    }

    /// The bundled dataset behind a name, for its description and source.
    public func bundledDataset(named name: String) -> BundledDataset? {
        registered[name] == nil ? bundled[name] : nil
    }

    /// A dataset's rows, loading a bundled one if it is not loaded yet.
    public func table(named name: String) throws(IQLError) -> Table {
        if let t = registered[name] { return t }
        if let d = bundled[name] { return try BundledStore.shared.table(d) }
        if let connected, connected.tables[name] != nil {
            do {
                return try DatabaseRunner.wholeTable(name, catalogue: connected, budget: makeBudget(cancellation: nil), rowLimit: limits.rows)
            } catch let d as Diagnostic {
                throw IQLError([d], source: nil)
            } catch {
                throw IQLError([.error(.internalError(error), at: nil)], source: nil)
            }
        }
        throw IQLError([.error(.noDataset(name), at: nil,
                               suggestion: Suggest.closest(to: name, among: datasetNames))], source: nil)
    }

    /// The dataset name closest to a misspelt one, for "did you mean".
    public func closestDatasetName(to name: String) -> String? {
        Engine.closest(to: name, among: datasetNames)
    }

    /// The candidate closest to a misspelt word, if one is a plausible typo: the ranking IQL's
    /// own diagnostics use, for tools that name things of their own (a shell's commands).
    package static func closest(to word: String, among candidates: [String]) -> String? {
        Suggest.closest(to: word, among: candidates)
    }

    /// Registers a table under a name, replacing any dataset of that name.
    public mutating func register(_ table: Table, as name: String) throws(IQLError) {
        try Engine.validateName(name)
        if connected != nil { return try upload(table, as: name) }
        registered[name] = table
    }

    /// A table registered with a connected engine goes to the database, as a temporary table
    /// of the connection, since queries run there.
    private func upload(_ table: Table, as name: String) throws(IQLError) {
        guard let connected else { return }
        var runner = DatabaseRunner(catalogue: connected, values: [:], schemas: { _ in nil })
        do {
            try runner.store(name, table, budget: makeBudget(cancellation: nil), at: nil)
        } catch let d as Diagnostic {
            throw IQLError([d], source: nil)
        } catch {
            throw IQLError([.error(.internalError(error), at: nil)], source: nil)
        }
    }

    /// Loads a CSV file and registers it. Column types are inferred: numbers, ISO dates,
    /// Ofsted ratings, true/false, otherwise text. Dates written d/m/y are read as `dateOrder` says,
    /// or as the file's values decide (a day above 12); a column whose every date reads both ways is refused.
    /// A malformed row is an error naming its line, unless `lenient`: then rows with the wrong
    /// number of fields are left out and the report says which.
    @discardableResult
    public mutating func registerCSV(atPath path: String, as name: String, timeColumn: String? = nil,
                                     lenient: Bool = false) throws(IQLError) -> CSVLoadReport {
        try Engine.validateName(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw IQLError([.error(.noSuchFile(path), at: nil)], source: nil)
        }
        // A regular file is mapped rather than copied; a pipe (`--data x=<(…)`) is read.
        if let mapped = MappedFile(path: path) {
            let loaded = try mapped.guarded { (bytes) throws(IQLError) in
                try CSVLoader.loadReporting(buffer: bytes, file: path, timeColumn: timeColumn, releasePages: true,
                                            lenient: lenient, trimMemory: trimsMemory, dateOrder: dateOrder)
            }
            guard let loaded else {
                throw IQLError([.error(.fileChanged(path),
                                       at: nil, notes: ["load it again once it is written whole"])], source: nil)
            }
            return try register(loaded, file: path, as: name, timeColumn: timeColumn)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IQLError([.error(.unreadable(path), at: nil)], source: nil)
        }
        defer { try? handle.close() }
        return try registerCSV(bytes: handle.readDataToEndOfFile(), file: path, as: name, timeColumn: timeColumn,
                               lenient: lenient)
    }

    /// Registers a CSV file for one script, parsing only the columns the script reads from it:
    /// the script is checked against the header (and the types a sample of rows suggests),
    /// the optimiser works out which columns its plans read, and the others are passed over.
    /// The dataset then holds only those columns, so use it for that script alone; a session
    /// that will ask other questions should use `registerCSV(atPath:as:)`. When the script does
    /// not check, or reads the dataset whole (a `join` or `diff` with it, `compare`, a result
    /// showing every column), the whole file is loaded.
    @discardableResult
    public mutating func registerCSV(atPath path: String, as name: String, readBy script: String,
                                     parameters: [String: Value] = [:], timeColumn: String? = nil,
                                     lenient: Bool = false) throws(IQLError) -> CSVLoadReport {
        try Engine.validateName(name)
        guard let mapped = MappedFile(path: path) else {
            return try registerCSV(atPath: path, as: name, timeColumn: timeColumn, lenient: lenient)
        }
        var sampled = try mapped.guarded { (bytes) throws(IQLError) in try CSVLoader.sampledSchema(buffer: bytes, file: path) }
        sampled?.timeColumn = timeColumn
        guard let sampled, var columns = columnsRead(from: name, schema: sampled, by: script, parameters: parameters) else {
            return try registerCSV(atPath: path, as: name, timeColumn: timeColumn, lenient: lenient)
        }
        // The time column is kept, so the table is what the script was checked against.
        if let timeColumn { columns.insert(timeColumn) }
        let trim = trimsMemory, order = dateOrder
        let loaded = try mapped.guarded { (bytes) throws(IQLError) in
            try CSVLoader.loadReporting(buffer: bytes, file: path, timeColumn: timeColumn, releasePages: true, lenient: lenient,
                                        trimMemory: trim, only: columns, dateOrder: order)
        }
        guard let loaded else {
            throw IQLError([.error(.fileChanged(path), at: nil, notes: ["load it again once it is written whole"])], source: nil)
        }
        var report = try register(loaded, file: path, as: name, timeColumn: timeColumn)
        report.unreadColumns = sampled.names.filter { !columns.contains($0) }
        return report
    }

    /// The columns of dataset `name` (whose schema would be `schema`) that the script's plans
    /// read, or nil for all of them.
    func columnsRead(from name: String, schema: Schema, by script: String, parameters: [String: Value]) -> Set<String>? {
        var probe = self
        probe.registered[name] = Table(schema: schema, columns: schema.columns.map { _ in Column([]) }, rowCount: 0)
        let budget = makeBudget(cancellation: nil)
        let source = SourceFile(name: "query", text: script)
        let (parsed, syntax) = Parser.parse(source, budget: budget)
        let (checked, diagnostics) = probe.diagnose(parsed, syntax: syntax, source: source, parameters: parameters, budget: budget)
        guard let checked, !diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        let optimizer = Optimizer(disabled: disabledOptimizerPasses)
        var names = Set<String>()
        for statement in checked.statements {
            let plan: PipelinePlan
            switch statement {
            case .pipeline(let p, _), .letTable(_, let p): plan = p
            default: continue
            }
            for node in plan.nodes {
                switch node.step {
                case .join(let o) where o.right == .dataset(name): return nil
                case .diff(let o) where o.other == .dataset(name): return nil
                default: break
                }
            }
            guard plan.source == .dataset(name) else { continue }
            guard let read = optimizer.optimise(plan).plan.sourceColumns else { return nil }
            names.formUnion(read.map { plan.sourceSchema.columns[$0].name })
        }
        return names
    }

    /// Parses CSV text and registers it, as `registerCSV(atPath:as:)` does for a file.
    @discardableResult
    public mutating func registerCSV(text: String, as name: String, timeColumn: String? = nil,
                                     lenient: Bool = false) throws(IQLError) -> CSVLoadReport {
        try Engine.validateName(name)
        return try registerCSV(bytes: Array(text.utf8), file: name, as: name, timeColumn: timeColumn, lenient: lenient)
    }

    private mutating func registerCSV(bytes: some ContiguousBytes, file: String, as name: String,
                                      timeColumn: String?, lenient: Bool) throws(IQLError) -> CSVLoadReport {
        let loaded = try CSVLoader.loadReporting(bytes: bytes, file: file, timeColumn: timeColumn, lenient: lenient,
                                                 dateOrder: dateOrder)
        return try register(loaded, file: file, as: name, timeColumn: timeColumn)
    }

    private mutating func register(_ loaded: (table: Table, skipped: [CSVLoader.SkippedRow], textColumns: [CSVLoader.TextColumn]),
                                   file: String, as name: String, timeColumn: String?) throws(IQLError) -> CSVLoadReport {
        try register(loaded.table, file: file, as: name, timeColumn: timeColumn)
        return CSVLoadReport(rows: loaded.table.rowCount,
                             skipped: loaded.skipped.map { CSVLoadReport.SkippedRow(line: $0.line, reason: $0.reason) },
                             hidesBundled: bundled[name] != nil ? name : nil,
                             textColumns: loaded.textColumns.map {
                                 CSVLoadReport.TextColumn(column: $0.column, example: $0.example, odd: $0.odd, rest: $0.rest)
                             })
    }

    private mutating func register(_ table: Table, file: String, as name: String, timeColumn: String?) throws(IQLError) {
        if let t = timeColumn, table.schema.index(of: t) == nil {
            throw IQLError([.error(.timeColumnMissing(file, t), at: nil,
                                   suggestion: Suggest.closest(to: t, among: table.schema.names))], source: nil)
        }
        if connected != nil { return try upload(table, as: name) }
        registered[name] = table
    }

    private static func validateName(_ name: String) throws(IQLError) {
        let ok = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            && Keyword(rawValue: name) == nil
        guard ok else {
            throw IQLError([.error(.invalidDatasetName(name),
                                   at: nil)], source: nil)
        }
    }

    // MARK: - Bindings

    /// Names bound by `let` in earlier `run` calls, with what each holds, then the parameters
    /// declared with `param` (written `$name`).
    public var boundNames: [(name: String, description: String)] {
        bindings.keys.sorted().map { name in
            switch bindings[name] {
            case .table(let t)?: return (name, "table, \(t.rowCount) rows: " + t.schema.names.joined(separator: ", "))
            case .value(let v)?: return (name, "\(v.type) = \(v.literalText)")
            case nil: return (name, "")
            }
        } + declaredParameters.keys.sorted().map { name in
            ("$" + name, "parameter, \(declaredParameters[name]?.type ?? .null) = \(declaredParameters[name]?.literalText ?? "null")")
        }
    }

    // MARK: - Checking and running

    /// True when the text is unfinished (an open bracket or text literal, a trailing `|`), so an
    /// interactive shell should ask for another line rather than report an error.
    package static func needsMoreInput(_ text: String) -> Bool {
        let (_, diagnostics) = Parser.parse(SourceFile(name: "input", text: text))
        return IQLError(diagnostics, source: nil).isIncompleteInput
    }

    /// Parses and checks a script without running it; returns every error and warning. With
    /// `requireParameters` false, a `param` with no default and no value given is not an error
    /// (it is checked as a value of any type), as when an editor checks a script.
    /// Checking watches the time limit and the cancellation flag: a script too large to check in
    /// time ends with the IQL0506 (or IQL0505) diagnostic.
    public func check(_ text: String, sourceName: String = "query", parameters: [String: Value] = [:],
                      requireParameters: Bool = true) -> [Diagnostic] {
        let budget = makeBudget(cancellation: nil)
        let source = SourceFile(name: sourceName, text: text)
        let (script, syntax) = Parser.parse(source, budget: budget)
        if let stop = budget.stop { return [stop] }
        return diagnose(script, syntax: syntax, source: source, parameters: parameters,
                        requireParameters: requireParameters, budget: budget).diagnostics
    }

    /// Checks a parsed script. With syntax errors, it still checks the statements before the
    /// first one, so a single run reports misspelt names as well as the syntax mistake.
    private func diagnose(_ script: consuming Script, syntax: [Diagnostic], source: SourceFile, parameters: [String: Value],
                          requireParameters: Bool = true, budget: QueryBudget) -> (checked: CheckedScript?, diagnostics: [Diagnostic]) {
        var checker = Checker(catalog: catalog, source: source, bindings: bindings, parameters: parameters,
                              declared: declaredParameters)
        checker.requireParameters = requireParameters
        checker.parametersFromCommandLine = parametersFromCommandLine
        checker.outputFolder = outputFolder
        checker.budget = budget
        checker.bundledCouncilNames = hasBundledData
        let prefixEnvironment = environment(budget)
        // Connected, the rows before a pivot (whose values name its columns) come from the
        // database, filtered there, rather than from whole tables fetched.
        let prefixDatabase = databaseRunner()
        checker.runPrefix = { plan in
            var runner = ScriptRunner(environment: prefixEnvironment)
            if var database = prefixDatabase {
                database.compiler.reserveNames(of: CheckedScript(statements: [.pipeline(plan, title: nil)], warnings: []),
                                               also: Set(database.catalogue.tables.keys))
                runner.database = database
            }
            return try? runner.run(plan, checked: plan, applied: [])
        }
        let syntaxErrors = syntax.filter { $0.severity == .error }
        // Input that is merely unfinished is not checked: the rest is still to be typed.
        if !syntaxErrors.isEmpty && syntaxErrors.allSatisfy({ $0.kind == .incompleteInput }) {
            return (nil, ordered(syntax))
        }
        guard let firstError = syntaxErrors.map({ $0.range?.start ?? 0 }).min() else {
            if script.statements.isEmpty {
                let what = source.text.allSatisfy(\.isWhitespace) ? "is empty" : "holds only comments"
                return (nil, [.error(.nothingToRun(source.name == "query" ? "the query" : source.name, what), at: nil,
                                     notes: ["a query starts with 'from', e.g. from authorities | count"])])
            }
            // The checker takes the tree and frees each statement's once it is checked.
            let checked = checker.check(consuming: script)
            return (checked, ordered(syntax + checker.diagnostics))
        }
        let prefix = script.statements.filter { $0.range.start <= firstError }
        _ = checker.check(Script(statements: prefix), partial: true)
        return (nil, ordered(syntax + checker.diagnostics))
    }

    /// Errors first, each group in source order.
    private func ordered(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let position = { (d: Diagnostic) in d.range?.start ?? Int.max }
        let errors = diagnostics.filter { $0.severity == .error }.enumerated()
            .sorted { (position($0.element), $0.offset) < (position($1.element), $1.offset) }.map(\.element)
        let others = diagnostics.filter { $0.severity != .error }
        return errors + others
    }

    /// Runs a query or script and returns the result of its last pipeline. `let` names it binds
    /// do not outlive the call; use `run` for that.
    /// `cancellation` stops this call alone (the engine's own flag stops every call until reset).
    public func query(_ text: String, parameters: [String: Value] = [:],
                      cancellation: CancellationFlag? = nil) throws(IQLError) -> Table {
        var copy = self
        let result = try copy.execute(text, sourceName: "query", parameters: parameters, tracing: false,
                                      cancellation: cancellation).result
        guard let last = result.tables.last else {
            throw IQLError([.error(.noPipeline, at: nil)],
                           source: result.source)
        }
        return last
    }

    /// Runs a script: checks all of it first, then runs each statement in order. Returns every
    /// pipeline's result and the warnings; `let` names stay bound for later calls.
    /// `cancellation` stops this call alone (the engine's own flag stops every call until reset).
    @discardableResult
    public mutating func run(_ text: String, sourceName: String = "query",
                             parameters: [String: Value] = [:], cancellation: CancellationFlag? = nil) throws(IQLError) -> ScriptResult {
        try execute(text, sourceName: sourceName, parameters: parameters, tracing: false, cancellation: cancellation).result
    }

    /// Runs a query as `query(_:parameters:)` does, ending with IQL0505 when the calling `Task`
    /// is cancelled; the engine and its other queries are not affected. The query runs on a
    /// Dispatch thread, so a long one does not hold a thread of Swift's cooperative pool.
    public func query(_ text: String, parameters: [String: Value] = [:]) async throws(IQLError) -> Table {
        let flag = CancellationFlag()
        let engine = self
        let outcome: Result<Table, IQLError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: Result { () throws(IQLError) -> Table in
                        try engine.query(text, parameters: parameters, cancellation: flag)
                    })
                }
            }
        } onCancel: {
            flag.cancel()
        }
        return try outcome.get()
    }

    /// Gives back the memory of the bundled datasets parsed so far (they are shared by every
    /// engine of the process, and kept once parsed); each is parsed again when next used.
    /// Results and tables already handed out are not affected.
    public static func releaseBundledData() {
        BundledStore.shared.release()
    }

    /// Forgets a name bound with `let`, so its table no longer counts against the memory limit.
    public mutating func unbind(_ name: String) {
        bindings[name] = nil
    }

    /// Runs a query or script like `run`, recording after each stage of each pipeline the rows
    /// and schema it produced, so a reader sees where rows disappear. Binds nothing.
    public func explain(_ text: String, sourceName: String = "query",
                        parameters: [String: Value] = [:]) throws(IQLError) -> Explanation {
        var copy = self
        let (result, traces) = try copy.execute(text, sourceName: sourceName, parameters: parameters, tracing: true, cancellation: nil)
        return Explanation(pipelines: traces, result: result)
    }

    /// A script parsed and checked for `plan` and `sql`, which run nothing: its errors thrown.
    private func checkedWithoutRunning(_ text: String, sourceName: String,
                                       parameters: [String: Value]) throws(IQLError) -> (CheckedScript, SourceFile) {
        let budget = makeBudget(cancellation: nil)
        let source = SourceFile(name: sourceName, text: text)
        let (script, syntax) = Parser.parse(source, budget: budget)
        if let stop = budget.stop { throw IQLError([stop], source: source) }
        let (checkedScript, diagnostics) = diagnose(script, syntax: syntax, source: source, parameters: parameters, budget: budget)
        guard let checked = checkedScript, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw IQLError(diagnostics, source: source)
        }
        return (checked, source)
    }

    /// Checks a query or script without running it and prints each pipeline's plan: as the
    /// checker made it, then after the optimiser, with the passes that changed it.
    public func plan(_ text: String, sourceName: String = "query",
                     parameters: [String: Value] = [:]) throws(IQLError) -> String {
        let (checked, _) = try checkedWithoutRunning(text, sourceName: sourceName, parameters: parameters)
        let optimizer = Optimizer(disabled: disabledOptimizerPasses)
        let plans = checked.statements.compactMap { statement -> (String?, PipelinePlan)? in
            switch statement {
            case .pipeline(let p, _): return (nil, p)
            case .letTable(let name, let p): return ("let " + name, p)
            default: return nil
            }
        }
        var out = ""
        for (k, (name, plan)) in plans.enumerated() {
            if plans.count > 1 { out += "pipeline \(k + 1)" + (name.map { " (\($0))" } ?? "") + "\n" }
            let (optimised, applied) = optimizer.optimise(plan)
            let indent = { (t: String) in t.split(separator: "\n").map { "  " + $0 + "\n" }.joined() }
            if applied.isEmpty {
                out += "plan (the optimiser changed nothing):\n" + indent(PlanPrinter().text(plan))
            } else {
                out += "plan as checked:\n" + indent(PlanPrinter().text(plan))
                out += "optimised (" + applied.joined(separator: ", ") + "):\n" + indent(PlanPrinter().text(optimised))
            }
        }
        return out
    }

    /// The SQL that computes a query's result in PostgreSQL or DuckDB, over tables named and
    /// typed as the engine's datasets (`exportSQL` makes them so): one statement per pipeline
    /// of the script, each giving the rows in the order iql gives them, and one per `assert`.
    /// Nothing is run. A stage with no faithful SQL form is an error (IQL0408) at the stage.
    public func sql(_ text: String, dialect: SQLDialect, sourceName: String = "query",
                    parameters: [String: Value] = [:]) throws(IQLError) -> [SQLStatement] {
        let (checked, source) = try checkedWithoutRunning(text, sourceName: sourceName, parameters: parameters)
        var values: [String: Value] = [:]
        for case (let name, .value(let v)) in bindings { values[name] = v }
        let schemas = catalog.schemas
        var compiler = SQLCompiler(dialect: dialect, values: values, schemas: { schemas[$0] })
        compiler.databaseTables = connected?.tables ?? [:]
        compiler.councilLookup = connected?.hasCouncilLookup ?? true
        do {
            return try compiler.compile(checked)
        } catch {
            throw IQLError([error], source: source)
        }
    }

    /// A SQL script that makes datasets (all, bundled and registered, when none are named) as
    /// tables in PostgreSQL (run it with psql: `COPY … FROM STDIN`) or DuckDB, so that the SQL
    /// `sql(_:dialect:)` compiles answers there as the engine answers here. PostgreSQL tables
    /// get a last column, `iql_row`, holding each row's place, as their heap keeps no order.
    /// The table `iql_council_names`, which compiled `compare` resolves council spellings
    /// through, is made with them.
    public func exportSQL(_ datasets: [String] = [], dialect: SQLDialect) throws(IQLError) -> String {
        let tables = try exported(datasets)
        do {
            return try SQLExport.script(tables, dialect)
        } catch {
            throw IQLError([error], source: nil)
        }
    }

    /// Makes datasets (all, bundled and registered, when none are named) as tables of a
    /// database, typed as `exportSQL` types them (ratings with the `iql_rating` domain, the
    /// time column marked by the comment `iql:time`, each row's place in `iql_row`) and
    /// filled by `COPY`, all in one transaction: so that an engine connected to it answers as
    /// this one does. Replaces tables of those names, and makes `iql_council_names`, the
    /// council spellings compiled `compare` resolves through. Returns each dataset's rows.
    @discardableResult
    public func export(_ datasets: [String] = [], to database: any SQLDatabase) throws(IQLError) -> [(name: String, rows: Int)] {
        let tables = try exported(datasets)
        var pieces: [(table: String, definition: String, copy: String, data: String)] = []
        do {
            for (name, table) in tables { pieces.append(try SQLExport.pieces(name, table, database.dialect, temporary: false)) }
        } catch {
            throw IQLError([error], source: nil)
        }
        do throws(SQLDatabaseError) {
            try database.execute("BEGIN")
            do throws(SQLDatabaseError) {
                // The rating domain, made even when no table exported has ratings, for the
                // database's own tables to use.
                if database.dialect == .postgres { try database.execute(SQLExport.ratingDomainDefinition) }
                for piece in pieces {
                    try database.execute(piece.definition)
                    try database.copy(piece.copy, data: piece.data)
                }
                try database.execute("COMMIT")
            } catch {
                try? database.execute("ROLLBACK")
                throw error
            }
            // Statistics now, not when autovacuum comes round: without them the planner
            // guesses, and a compare over LAIT took 10 s instead of 0.9.
            if database.dialect == .postgres {
                for piece in pieces { try database.execute("ANALYZE " + piece.table) }
            }
        } catch {
            throw IQLError(error, database: database.name)
        }
        return tables.dropLast().map { ($0.name, $0.table.rowCount) }
    }

    /// The tables an export makes: the datasets named (all when none are), then the council
    /// spellings compiled `compare` resolves through, whose name no dataset may take.
    private func exported(_ datasets: [String]) throws(IQLError) -> [(name: String, table: Table)] {
        var tables: [(name: String, table: Table)] = []
        for name in datasets.isEmpty ? datasetNames : datasets {
            guard name != SQLExport.councilLookup else {
                throw IQLError([Diagnostic.error(.noSQLForm("a dataset named \(name), the name of the council-name table an export makes"), at: nil)],
                               source: nil)
            }
            tables.append((name, try table(named: name)))
        }
        tables.append((SQLExport.councilLookup, SQLExport.councilLookupTable(councilNames)))
        return tables
    }

    private mutating func execute(_ text: String, sourceName: String, parameters: [String: Value], tracing: Bool,
                                  cancellation: CancellationFlag?) throws(IQLError) -> (result: ScriptResult, traces: [Explanation.Pipeline]) {
        let clock = ContinuousClock()
        let started = clock.now
        let budget = makeBudget(cancellation: cancellation)
        let source = SourceFile(name: sourceName, text: text)
        // The syntax tree is not kept past checking: a long script's tree is freed before its
        // statements run, which reuse the memory.
        let (parsed, checkedScript, diagnostics) = try { () throws(IQLError) in
            let (script, syntax) = Parser.parse(source, budget: budget)
            if let stop = budget.stop { throw IQLError([stop], source: source) }
            let parsed = clock.now
            let (checked, diagnostics) = diagnose(script, syntax: syntax, source: source, parameters: parameters, budget: budget)
            return (parsed, checked, diagnostics)
        }()
        guard var checked = checkedScript, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw IQLError(diagnostics, source: source)
        }
        let checkedAt = clock.now
        var runner = ScriptRunner(environment: environment(budget))
        runner.tracing = tracing
        runner.optimizer = Optimizer(disabled: disabledOptimizerPasses)
        if var database = databaseRunner() {
            database.compiler.reserveNames(of: checked, also: Set(database.catalogue.tables.keys))
            runner.database = database
        }
        // The runner takes the statements and frees each plan once it has run.
        let statements = checked.statements
        checked.statements = []
        do {
            try runner.run(consuming: statements)
        } catch {
            var failure: IQLError
            switch error {
            case let d as Diagnostic: failure = IQLError([d] + checked.warnings, source: source)
            case let e as IQLError: failure = e
            default: failure = IQLError([.error(.internalError(error), at: nil)], source: source)
            }
            // What ran before the failure is still worth showing (a script's earlier results).
            failure.completedResults = runner.results.map { ScriptResult.Item(title: $0.title, table: $0.table) }
            throw failure
        }
        let tables = runner.results.map(\.table)
        bindings.reserveCapacity(runner.environment.tables.count + runner.environment.values.count)
        for (name, table) in runner.environment.tables { bindings[name] = .table(table) }
        for (name, value) in runner.environment.values { bindings[name] = .value(value) }
        declaredParameters.merge(runner.environment.parameters) { $1 }
        let timings = ScriptResult.Timings(parse: parsed - started, check: checkedAt - parsed, run: clock.now - checkedAt)
        return (ScriptResult(tables: tables, titles: runner.results.map(\.title), warnings: checked.warnings,
                             source: source, datasetsUsed: checked.datasetsUsed.sorted(), timings: timings), runner.traces)
    }

    // MARK: - Wiring

    /// For a connected engine, what sends a call's pipelines to the database, with the
    /// session's values for the statements' literals.
    private func databaseRunner() -> DatabaseRunner? {
        guard let connected else { return nil }
        var values = declaredParameters
        for case (let name, .value(let v)) in bindings { values[name] = v }
        let schemas = catalog.schemas
        return DatabaseRunner(catalogue: connected, values: values, schemas: { schemas[$0] })
    }

    var catalog: Catalog {
        var schemas: [String: Schema] = [:]
        for (name, d) in bundled { schemas[name] = d.schema }
        for (name, t) in connected?.tables ?? [:] { schemas[name] = t.schema }
        for (name, t) in registered { schemas[name] = t.schema }
        let registered = self.registered
        let bundled = self.bundled
        let connected = self.connected
        return Catalog(schemas: schemas) { dataset, column in
            if let connected, registered[dataset] == nil, connected.tables[dataset] != nil {
                return connected.distinctTexts(dataset, column)
            }
            if let t = registered[dataset] {
                guard let c = t.column(named: column) else { return nil }
                return c.distinctTexts
            }
            return bundled[dataset].flatMap { BundledStore.shared.textValues($0, column: column) }
        }
    }

    /// The table of council spellings `export` makes beside the datasets, as this engine
    /// resolves them (for tests that load tables into DuckDB themselves).
    package var councilLookupTable: Table { SQLExport.councilLookupTable(councilNames) }

    /// Council spellings from the bundled authorities table, which an engine without bundled
    /// data never loads.
    var councilNames: AuthorityNames {
        hasBundledData ? AuthorityNames.shared : AuthorityNames.withoutBundledData
    }

    /// Whether council names resolve against the bundled authorities: with the bundled
    /// datasets, or connected to a database (whose councils are England's too).
    var hasBundledData: Bool { !bundled.isEmpty || connected != nil }

    /// The folder chart files may go into, if the host named one that exists.
    private var outputFolder: OutputFolder? { outputDirectory.flatMap(OutputFolder.init) }

    /// A new budget for one call: the limits, the engine's flag and the call's own, and the
    /// bytes the session's `let` tables already hold.
    func makeBudget(cancellation: CancellationFlag?) -> QueryBudget {
        var held = 0
        for case .table(let t) in bindings.values { held &+= t.estimatedBytes }
        return QueryBudget(limits: limits, flags: [self.cancellation, cancellation].compactMap { $0 }, baseline: held)
    }

    private func environment(_ budget: QueryBudget) -> RuntimeEnvironment {
        var env = RuntimeEnvironment()
        for (name, b) in bindings {
            switch b {
            case .table(let t): env.tables[name] = t
            case .value(let v): env.values[name] = v
            }
        }
        env.parameters = declaredParameters
        env.budget = budget
        env.rowLimit = limits.rows
        env.outputFolder = outputFolder
        env.outputBytes = limits.outputBytes
        env.vectorised = vectorised
        env.bundledCouncilNames = hasBundledData
        let registered = self.registered
        let bundled = self.bundled
        if let connected {
            // Stages iql runs itself read whole tables from the database (compare's areas).
            let limit = limits.rows
            env.bindingsInDatabase = true
            env.loadDataset = { name in
                try DatabaseRunner.wholeTable(name, catalogue: connected, budget: budget, rowLimit: limit)
            }
            return env
        }
        env.loadDataset = { name in
            if let t = registered[name] { return t }
            guard let d = bundled[name] else { throw Diagnostic.error(.noDataset(name), at: nil) }
            return try BundledStore.shared.table(d)
        }
        return env
    }
}

/// What `Engine.run` returns: each pipeline's result in order, and any warnings.
public struct ScriptResult: Sendable {
    /// One table per pipeline statement, in script order.
    public var tables: [Table]
    /// For each table, the comment on the line above its statement (a script's heading for it).
    public var titles: [String?]
    /// Warnings (for example a text literal that matches no row); the script still ran.
    public var warnings: [Diagnostic]
    /// The script text, for rendering the warnings.
    public var source: SourceFile
    /// The datasets the script read (with `from` or `join`), sorted.
    public var datasetsUsed: [String]
    /// How long each phase took.
    public var timings: Timings

    /// Each table with its title.
    public var items: [Item] {
        zip(titles, tables).map { Item(title: $0, table: $1) }
    }

    /// One result with its title, for results kept from a script that failed part-way.
    public typealias Item = TitledTable

    /// Wall time of each phase of a run.
    public struct Timings: Sendable {
        /// Lexing and parsing.
        public var parse: Duration
        /// Name resolution, type checking and compiling.
        public var check: Duration
        /// Running the compiled statements.
        public var run: Duration
        /// All three.
        public var total: Duration { parse + check + run }
    }
}
