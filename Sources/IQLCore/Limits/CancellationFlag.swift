import Synchronization

/// A flag another thread or task sets to cancel a running query.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Makes an unset flag.
    public init() {}

    /// Asks the running query to stop; it ends with a "query cancelled" error.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag so the engine can run again.
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Whether `cancel()` has been called since the last reset.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
