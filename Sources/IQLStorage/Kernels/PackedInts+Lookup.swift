/// A value that a table of answers can hold and `PackedInts.lookup` gather: the gather is
/// generic, and a generic function called from another module runs unspecialised (through
/// witness tables at every row: ten times slower), so each element type's conformance here
/// makes the specialised copy, reached with one dynamic call per gather.
package protocol LookupElement: Sendable {
    /// Row r's `values[word(r) + shift]`, for the first `n` rows of `words`.
    static func gather(_ values: [Self], by words: PackedInts, shift: Int, count n: Int) -> [Self]
}

extension LookupElement {
    package static func gather(_ values: [Self], by words: PackedInts, shift: Int, count n: Int) -> [Self] {
        words.lookup(values, shift: shift, count: n)
    }
}

extension Int8: LookupElement {}
extension Int16: LookupElement {}
extension Int32: LookupElement {}
extension Int64: LookupElement {}
extension UInt32: LookupElement {}
extension Double: LookupElement {}

/// Each row's entry of a small table of answers, found by its stored word: the gather that
/// `DistinctValues` ends with (`derive q = abs(pupils - 500)` answers each distinct `pupils`
/// once, then every row takes its answer). A gather does not vectorise, so with many rows the
/// two cores each take half; each writes rows of its own.
extension PackedInts {
    /// Row r's `values[word(r) + shift]`, for the first `n` rows. The caller's table spans
    /// every stored word (`DistinctValues` builds it from the words' range), and every read is
    /// checked against it all the same.
    fileprivate func lookup<E: Sendable>(_ values: [E], shift: Int, count n: Int) -> [E] {
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
