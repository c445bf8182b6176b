/// Bounds on what one query may take, so a host that runs queries from people it does not
/// trust stays responsive. Exceeding one ends that query with an error (IQL0506, IQL0507);
/// the engine stays usable.
public struct EngineLimits: Sendable, Equatable {
    /// Longest a query may run; nil for no limit. Checked between stages and every few
    /// thousand rows inside them.
    public var time: Duration?
    /// Most rows any stage may produce; nil for no limit. A join, the one stage whose output
    /// can outgrow its input many times over, is stopped before it makes them.
    public var rows: Int?

    /// Makes limits.
    public init(time: Duration? = nil, rows: Int? = nil) {
        self.time = time
        self.rows = rows
    }

    /// The engine's defaults: 30 seconds, 10 million rows.
    public static let `default` = EngineLimits(time: .seconds(30), rows: 10_000_000)

    /// No limits, for a person at a terminal who can press Ctrl-C.
    public static let none = EngineLimits()
}
