import Foundation
import Synchronization
import IQLCore
import IQLStorage

/// Independent pieces of one operator's work run on the machine's cores at once, their
/// answers in the pieces' order. A piece that fails makes the whole fail with the error of
/// the first failing piece in that order, which is the error running the pieces one after
/// another would have stopped at, so splitting work changes no answer and no error.
package enum TwoCores {
    /// Pieces run at once: the cores every split uses (`Halves.width`).
    package static var width: Int { Halves.width }

    /// `body(0..<count)` in order, on up to `width` threads; each thread takes a contiguous
    /// run of the pieces, so a piece whose work grows with its index does not all land on one.
    package static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let threads = min(width, count)
        if threads <= 1 { return try (0..<count).map(body) }
        let slots = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = count * t / threads, hi = count * (t + 1) / threads
            for i in lo..<hi {
                let r = Result { try body(i) }
                slots.withLock { $0[i] = r }
                // Later pieces of this run cannot change the answer: the error is this one.
                if case .failure = r { return }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        let results = slots.withLock { $0 }
        for (i, r) in results.enumerated() {
            // A piece left undone follows a failed one of its run, so this throws before
            // reaching it; were it reached, it is run here rather than left out.
            out.append(try r?.get() ?? body(i))
        }
        return out
    }
}
