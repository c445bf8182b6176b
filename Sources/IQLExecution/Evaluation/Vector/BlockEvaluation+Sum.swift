import Foundation
import Synchronization
import IQLCore
import IQLStorage
import IQLLanguage

/// A whole-table `sum` or `avg` of an expression, its blocks evaluated on both cores while the
/// sum runs beside them. Adding in row order is one chain of additions no core can share, so
/// after the blocks a lone core added 1M rows while the other waited, and first the blocks
/// were joined into a column only the sum read (a fifth of `derive c = pct_change(pupils,
/// fsm_percent * 10) | summarize s = avg(c)` over 4M rows, once `fold-derive` had put the
/// expression in the aggregate). Here each block, once evaluated, is added as soon as every
/// block before it has been, by whichever core is free; no column is made.
///
/// The blocks are taken in row order, so when one fails every block before it has been
/// evaluated: the error thrown is the first failing block's, as one after another.
extension BlockEvaluation {
    /// The rows still to evaluate, those evaluated but not yet added, and the sum so far.
    private struct Fold: Sendable {
        var next = 0
        var ready: [Int: Vector] = [:]
        /// The block to add next.
        var cursor = 0
        /// Whether a core is adding blocks now (then no other does).
        var adding = false
        var sum = MixedSum()
        /// An addition overflowed or a block was not numbers: the caller's general path answers.
        var gaveUp = false
        var errors: [Int: any Error] = [:]
        var stop: Bool { gaveUp || !errors.isEmpty }
    }

    /// `e`'s rows added in row order as `MixedSum` adds a column of them, block by block; nil
    /// when an addition overflows or a block is not numbers (the general path then reports or
    /// answers it). Throws the first failing block's error.
    package static func sum(_ e: CompiledExpression, over table: Table, _ env: RuntimeEnvironment) throws -> MixedSum? {
        let (read, ranges) = plan(e, table)
        let state = Mutex(Fold())
        let evaluate = { @Sendable (k: Int) throws -> Vector in
            try env.checkCancelled()
            return try VectorEvaluator(table: table.block(ranges[k], columns: read), environment: env).evaluate(e)
        }
        DispatchQueue.concurrentPerform(iterations: max(1, TwoCores.width)) { _ in
            while true {
                let claimed: Int? = state.withLock { s in
                    guard !s.stop, s.next < ranges.count else { return nil }
                    defer { s.next += 1 }
                    return s.next
                }
                guard let k = claimed else { return }
                let result = Result { try evaluate(k) }
                // Hand the block over, and take the adding if no core has it and the next
                // block to add is ready.
                var work: Batch? = state.withLock { s in
                    switch result {
                    case .success(let v): s.ready[k] = v
                    case .failure(let error): s.errors[k] = error
                    }
                    return Self.takeReady(&s)
                }
                while let batch = work {
                    var sum = batch.sum
                    var ok = true
                    for (offset, block) in batch.blocks.enumerated() {
                        guard sum.add(block, rows: ranges[batch.first + offset].count) else {
                            ok = false
                            break
                        }
                    }
                    work = state.withLock { s in
                        s.sum = sum
                        if !ok { s.gaveUp = true }
                        s.adding = false
                        return ok ? Self.takeReady(&s) : nil
                    }
                }
            }
        }
        let done = state.withLock { $0 }
        if let first = done.errors.keys.min(), let error = done.errors[first] { throw error }
        guard !done.gaveUp, done.cursor == ranges.count else { return nil }
        return done.sum
    }

    /// Blocks to add, the first being block `first`, onto `sum`.
    private struct Batch {
        var sum: MixedSum
        var first: Int
        var blocks: [Vector]
    }

    /// The blocks ready to add from the cursor on, with the sum so far, the adding taken (the
    /// cursor moved past them); nil if a core is adding or the next block is not ready.
    private static func takeReady(_ s: inout Fold) -> Batch? {
        guard !s.adding, !s.stop else { return nil }
        let first = s.cursor
        var blocks: [Vector] = []
        while let block = s.ready.removeValue(forKey: s.cursor) {
            blocks.append(block)
            s.cursor += 1
        }
        guard !blocks.isEmpty else { return nil }
        s.adding = true
        return Batch(sum: s.sum, first: first, blocks: blocks)
    }
}
