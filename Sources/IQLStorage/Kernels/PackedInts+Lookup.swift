/// Each row's entry of a small table of answers, found by its stored word: the gather that
/// `DistinctValues` ends with (`derive q = abs(pupils - 500)` answers each distinct `pupils`
/// once, then every row takes its answer). A gather does not vectorise, so with many rows the
/// two cores each take half; each writes rows of its own.
extension PackedInts {
    /// Row r's `values[word(r) + shift]`, for the first `n` rows. The caller's table spans
    /// every stored word (`DistinctValues` builds it from the words' range), and every read is
    /// checked against it all the same. Inlined into the caller, which compiles it for its
    /// element type: a generic called across modules runs unspecialised, through witness
    /// tables at every row (`m_derive_numbers` took 52 ms so, against 2.5).
    @inlinable
    package func lookup<E: Sendable>(_ values: [E], shift: Int, count n: Int) -> [E] {
        func run<T: FixedWidthInteger & Sendable>(_ a: [T]) -> [E] {
            let n = Swift.min(n, a.count)
            let halves = Halves.count(n)
            return [E](unsafeUninitializedCapacity: n) { out, count in
                let shared = UnsafeSendable(out)
                Halves.run(halves) { h in
                    let out = shared.value
                    for r in Halves.range(h, of: halves, n) {
                        out.initializeElement(at: r, to: values[Int(a[r]) &+ shift])
                    }
                }
                count = n
            }
        }
        return visit(run, run, run, run)
    }
}
