/// Bounds on what one query may take, so a host that runs queries from people it does not
/// trust stays responsive. Exceeding one ends that query with an error (IQL0506, IQL0507,
/// IQL0511, IQL0512); the engine stays usable. `docs/reliability.md` says what each covers.
public struct EngineLimits: Sendable, Equatable {
    /// Longest a query may take, from the start of parsing to the last byte of a chart file;
    /// nil for no limit. Parsing, checking, suggestions, completion, running and rendering
    /// all watch it.
    public var time: Duration?
    /// Most rows any stage may produce; nil for no limit. Stages whose output can outgrow
    /// their input (join, pivot, unpivot) are stopped before they make them.
    public var rows: Int?
    /// Most bytes a query's intermediate results may hold at once, with the tables a session
    /// has bound with `let`; nil for no limit. Stages that multiply rows or cells check
    /// before they allocate.
    public var memory: Int?
    /// Most bytes a chart picture may take; nil for no limit.
    public var outputBytes: Int?

    /// Makes limits.
    public init(time: Duration? = nil, rows: Int? = nil, memory: Int? = nil, outputBytes: Int? = nil) {
        self.time = time
        self.rows = rows
        self.memory = memory
        self.outputBytes = outputBytes
    }

    /// The engine's defaults: 30 seconds, 10 million rows, 2 GiB, 16 MiB of chart.
    public static let `default` = EngineLimits(time: .seconds(30), rows: 10_000_000, memory: 2 << 30, outputBytes: 16 << 20)

    /// No limits, for a person at a terminal who can press Ctrl-C.
    public static let none = EngineLimits()
}
