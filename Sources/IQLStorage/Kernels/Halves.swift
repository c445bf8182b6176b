import Foundation

/// A kernel's rows (or its parts) split in two, each half on its own core, when the machine
/// has two and the rows are enough to pay for starting a thread. Each half writes only what
/// no other half touches, so the answer is the one a single pass gives.
@usableFromInline package enum Halves {
    /// Rows from which a pass is split: below it a thread's start costs more than half the pass.
    @usableFromInline package static let minimumRows = 1 << 16

    /// The cores a query's work is split across: two when the machine has them. The one count
    /// every split reads (these kernels, `TwoCores`' pieces, the CSV loader's halves).
    @usableFromInline package static let width = min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// 2 if a pass over `rows` rows is worth splitting, else 1.
    @inlinable package static func count(_ rows: Int) -> Int {
        rows >= minimumRows && width > 1 ? 2 : 1
    }

    /// Where half h of `0..<n` begins and ends, of `halves` halves.
    @inlinable package static func range(_ h: Int, of halves: Int, _ n: Int) -> Range<Int> {
        halves == 2 ? (h == 0 ? 0..<n / 2 : n / 2..<n) : 0..<n
    }

    /// `body(h)` for each half h below `halves`, at once when there are two; returns when all have.
    @usableFromInline package static func run(_ halves: Int, _ body: @Sendable (Int) -> Void) {
        if halves == 2 {
            DispatchQueue.concurrentPerform(iterations: 2, execute: body)
        } else {
            body(0)
        }
    }
}
