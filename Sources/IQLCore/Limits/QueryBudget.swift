import Foundation
import Synchronization

/// What one call (a query, a check, a completion) may spend: its deadline, the flags that
/// cancel it, and the bytes its intermediate results may hold. A class because every phase
/// and every copy of the runtime environment must charge the same counter.
package final class QueryBudget: Sendable {
    package let deadline: ContinuousClock.Instant?
    package let timeLimit: Duration?
    /// The engine's flag (shared by its queries) and this call's own (a `Task`'s cancellation).
    package let flags: [CancellationFlag]
    package let memoryLimit: Int?
    /// Bytes already held before the call started: the session's `let` tables.
    package let baseline: Int
    private let used = Atomic<Int>(0)

    package init(limits: EngineLimits, flags: [CancellationFlag], baseline: Int = 0) {
        deadline = limits.time.map { ContinuousClock.now + $0 }
        timeLimit = limits.time
        self.flags = flags
        memoryLimit = limits.memory
        self.baseline = baseline
    }

    /// A budget that never runs out, for internal calls that are bounded by their input.
    package static let unlimited = QueryBudget(limits: .none, flags: [])

    /// Whether the call must stop now: cancelled or out of time. Cheap enough for every loop.
    package var isExhausted: Bool {
        if flags.contains(where: \.isCancelled) { return true }
        if let deadline, ContinuousClock.now > deadline { return true }
        return false
    }

    /// Throws IQL0505 or IQL0506 if the call was cancelled or has run out of time.
    package func check() throws(Diagnostic) {
        if flags.contains(where: \.isCancelled) {
            throw Diagnostic.error(.cancelled, at: nil)
        }
        if let deadline, ContinuousClock.now > deadline {
            throw Diagnostic.error(.timeLimit(timeLimit.map { "\($0)" } ?? ""), at: nil,
                                   notes: ["filter earlier, or raise the limit (Engine.limits, --time-limit)"])
        }
    }

    /// The diagnostic to stop with, if the call must stop now; for phases that collect
    /// diagnostics rather than throw.
    package var stop: Diagnostic? {
        do { try check(); return nil } catch { return error }
    }

    /// Gives back bytes charged earlier, once what they paid for is gone.
    package func release(_ bytes: Int) {
        used.wrappingSubtract(max(0, bytes), ordering: .relaxed)
    }

    /// Bytes charged so far by this call.
    package var bytesUsed: Int { used.load(ordering: .relaxed) }

    /// Charges `bytes` before they are allocated; throws IQL0512, charging nothing, if that
    /// would take the call (with the session's bound tables) past the memory limit.
    package func reserve(_ bytes: Int, for what: @autoclosure () -> String) throws(Diagnostic) {
        guard let limit = memoryLimit else { return }
        let wanted = max(0, bytes)
        var current = used.load(ordering: .relaxed)
        while true {
            // Checked sums: a stage may ask for Int.max (rows × columns overflowed) and must be refused.
            let (sum, o1) = current.addingReportingOverflow(wanted)
            let (total, o2) = sum.addingReportingOverflow(baseline)
            if o1 || o2 || total > limit { break }
            let (exchanged, original) = used.compareExchange(expected: current, desired: sum, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
        let held = current &+ baseline
        throw Diagnostic.error(.memoryLimit(what(), limit: QueryBudget.describe(limit), wanted: QueryBudget.describe(wanted), held: QueryBudget.describe(held)),
                               at: nil, notes: [baseline > 0 ? "tables bound with let hold \(QueryBudget.describe(baseline)) of it" : nil,
                                                "filter or aggregate earlier, or raise the limit (Engine.limits.memory, --max-memory)"].compactMap { $0 })
    }

    /// Bytes in the binary units the limits are given in: 2.0 GiB, 512 MiB, 40 KiB.
    package static func describe(_ bytes: Int) -> String {
        let b = Double(bytes)
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", b / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.0f MiB", b / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.0f KiB", b / Double(1 << 10)) }
        return "\(bytes) bytes"
    }
}
