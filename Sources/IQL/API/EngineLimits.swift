/// Bounds on what one query may take, so a host that runs queries from people it does not
/// trust stays responsive. Exceeding one ends that query with an error (IQL0506, IQL0507);
/// the engine stays usable.
public struct EngineLimits: Sendable, Equatable {
    /// Longest a query may run; nil for no limit. Checked between stages and every few
    /// thousand rows inside them.
    public var time: Duration?
    /// Most rows a join may produce; nil for no limit. Joins are the one stage whose output
    /// can outgrow its input many times over.
    public var joinRows: Int?

    /// Makes limits.
    public init(time: Duration? = nil, joinRows: Int? = nil) {
        self.time = time
        self.joinRows = joinRows
    }

    /// The engine's defaults: 30 seconds, 50 million joined rows.
    public static let `default` = EngineLimits(time: .seconds(30), joinRows: 50_000_000)

    /// No limits, for a person at a terminal who can press Ctrl-C.
    public static let none = EngineLimits()
}
