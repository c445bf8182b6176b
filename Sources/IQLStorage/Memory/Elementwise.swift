import IQLCore

/// Row-by-row loops over whole arrays, written over raw buffers so the compiler vectorises
/// them, behind signatures that hand the caller's function elements, never indices or
/// pointers. Lengths come from the arrays themselves, so nothing read or written can fall
/// outside them.
package enum Elementwise {
    /// `f(a[r], b[r])` for the rows both arrays have.
    @inlinable @inline(__always)
    package static func map<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
        let n = min(a.count, b.count)
        return [R](unsafeUninitializedCapacity: n) { out, initialised in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for r in 0..<n { out.initializeElement(at: r, to: f(a[r], b[r])) }
                }
            }
            initialised = n
        }
    }

    /// For each row, `a[r]` where bit r of `taken` is set, else `b[r]`, without a branch, for
    /// the rows both arrays have (rows past the words take `b`).
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ a: [T], _ b: [T]) -> [T] {
        let n = min(a.count, b.count)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in pickRows(taken, n, { a[$0] }, { b[$0] }) }
        }
    }

    /// `pick` with a constant where the condition is false.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ a: [T], _ k: T) -> [T] {
        a.withUnsafeBufferPointer { a in pickRows(taken, a.count, { a[$0] }, { _ in k }) }
    }

    /// `pick` with a constant where the condition is true.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ k: T, _ b: [T]) -> [T] {
        b.withUnsafeBufferPointer { b in pickRows(taken, b.count, { _ in k }, { b[$0] }) }
    }

    /// `pick` between two constants, for `count` rows.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ j: T, _ k: T, count n: Int) -> [T] {
        pickRows(taken, max(0, n), { _ in j }, { _ in k })
    }

    /// `n` rows, each `x(r)` or `y(r)` by its bit: the callers above read buffers of at least
    /// `n` elements.
    @inlinable @inline(__always)
    internal static func pickRows<T>(_ taken: [UInt64], _ n: Int, _ x: (Int) -> T, _ y: (Int) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: n) { out, initialised in
            taken.withUnsafeBufferPointer { words in
                for r in 0..<n {
                    let w = r >> 6
                    let bit = w < words.count ? words[w] >> UInt64(r & 63) & 1 : 0
                    out.initializeElement(at: r, to: bit != 0 ? x(r) : y(r))
                }
            }
            initialised = n
        }
    }
}
