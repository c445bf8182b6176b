import Foundation
import Synchronization

/// What one call (a query, a check, a completion) may spend: its deadline, the flags that
/// cancel it, and the bytes its intermediate results may hold. A class because every phase
/// and every copy of the runtime environment must charge the same counter.
final class QueryBudget: Sendable {
    let deadline: ContinuousClock.Instant?
    let timeLimit: Duration?
    /// The engine's flag (shared by its queries) and this call's own (a `Task`'s cancellation).
    let flags: [CancellationFlag]
    let memoryLimit: Int?
    /// Bytes already held before the call started: the session's `let` tables.
    let baseline: Int
    private let used = Atomic<Int>(0)

    init(limits: EngineLimits, flags: [CancellationFlag], baseline: Int = 0) {
        deadline = limits.time.map { ContinuousClock.now + $0 }
        timeLimit = limits.time
        self.flags = flags
        memoryLimit = limits.memory
        self.baseline = baseline
    }

    /// A budget that never runs out, for internal calls that are bounded by their input.
    static let unlimited = QueryBudget(limits: .none, flags: [])

    /// Whether the call must stop now: cancelled or out of time. Cheap enough for every loop.
    var isExhausted: Bool {
        if flags.contains(where: \.isCancelled) { return true }
        if let deadline, ContinuousClock.now > deadline { return true }
        return false
    }

    /// Throws IQL0505 or IQL0506 if the call was cancelled or has run out of time.
    func check() throws(Diagnostic) {
        if flags.contains(where: \.isCancelled) {
            throw Diagnostic.error(.cancelled, "query cancelled", at: nil)
        }
        if let deadline, ContinuousClock.now > deadline {
            throw Diagnostic.error(.timeLimit, "the query ran longer than the time limit (\(timeLimit.map { "\($0)" } ?? ""))", at: nil,
                                   notes: ["filter earlier, or raise the limit (Engine.limits, --time-limit)"])
        }
    }

    /// The diagnostic to stop with, if the call must stop now; for phases that collect
    /// diagnostics rather than throw.
    var stop: Diagnostic? {
        do { try check(); return nil } catch { return error }
    }

    /// Gives back bytes charged earlier, once what they paid for is gone.
    func release(_ bytes: Int) {
        used.wrappingSubtract(max(0, bytes), ordering: .relaxed)
    }

    /// Bytes charged so far by this call.
    var bytesUsed: Int { used.load(ordering: .relaxed) }

    /// Charges `bytes` before they are allocated; throws IQL0512, charging nothing, if that
    /// would take the call (with the session's bound tables) past the memory limit.
    func reserve(_ bytes: Int, for what: @autoclosure () -> String) throws(Diagnostic) {
        guard let limit = memoryLimit else { return }
        let (after, overflow) = used.wrappingAdd(max(0, bytes), ordering: .relaxed).newValue.addingReportingOverflow(baseline)
        guard overflow || after > limit else { return }
        used.wrappingSubtract(max(0, bytes), ordering: .relaxed)
        throw Diagnostic.error(.memoryLimit, "\(what()) would need about \(QueryBudget.describe(bytes)), past the memory limit of \(QueryBudget.describe(limit))",
                               at: nil, notes: [baseline > 0 ? "tables bound with let hold \(QueryBudget.describe(baseline)) of it" : nil,
                                                "filter or aggregate earlier, or raise the limit (Engine.limits.memory)"].compactMap { $0 })
    }

    /// Bytes in the units a person reads: 3.2 GB, 512 MB, 40 KB.
    static func describe(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        if b >= 1e3 { return String(format: "%.0f KB", b / 1e3) }
        return "\(bytes) bytes"
    }
}
