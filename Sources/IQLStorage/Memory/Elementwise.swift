import IQLCore

/// Row-by-row loops over whole arrays, behind signatures that hand the caller's function
/// elements, never indices or pointers; lengths come from the arrays themselves. Inlined into
/// the caller, which compiles each loop for its own element types (the type must be
/// `@usableFromInline` for that: LayeringTests checks).
@usableFromInline package enum Elementwise {
    /// `f(a[r])` for every row: as `a.map(f)`, written in place rather than appended, so the
    /// loop has no capacity check and simple conversions vectorise.
    @inlinable @inline(__always)
    package static func map<A, R>(_ a: [A], _ f: (A) -> R) -> [R] {
        let n = a.count
        return [R](unsafeUninitializedCapacity: n) { out, initialised in
            a.withUnsafeBufferPointer { a in
                for r in 0..<n { out.initializeElement(at: r, to: f(a[r])) }
            }
            initialised = n
        }
    }

    /// Two arrays of `n` rows, row r of each from `f(r)`, written in place (no capacity or
    /// sharing check a row); nil as soon as `f` gives nil.
    @inlinable @inline(__always)
    package static func build<A, B>(count n: Int, _ f: (Int) -> (A, B)?) -> ([A], [B])? {
        var failed = false
        var second: [B] = []
        let first = [A](unsafeUninitializedCapacity: max(0, n)) { a, aCount in
            second = [B](unsafeUninitializedCapacity: max(0, n)) { b, bCount in
                var r = 0
                while r < n {
                    guard let (x, y) = f(r) else {
                        failed = true
                        break
                    }
                    a.initializeElement(at: r, to: x)
                    b.initializeElement(at: r, to: y)
                    r += 1
                }
                aCount = r
                bCount = r
            }
        }
        return failed ? nil : (first, second)
    }

    /// `f(a[r], b[r])` for the rows both arrays have.
    @inlinable @inline(__always)
    package static func map<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
        let n = min(a.count, b.count)
        // Written in place, over raw buffers: an append would check the capacity every row.
        return [R](unsafeUninitializedCapacity: n) { out, initialised in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for r in 0..<n { out.initializeElement(at: r, to: f(a[r], b[r])) }
                }
            }
            initialised = n
        }
    }

    /// For each row, `a[r]` where bit r of `taken` is set, else `b[r]`, for the rows both
    /// arrays have (rows past the words take `b`).
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ a: [T], _ b: [T]) -> [T] {
        let n = min(a.count, b.count)
        return [T](unsafeUninitializedCapacity: n) { out, initialised in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for r in 0..<n { out.initializeElement(at: r, to: bit(taken, r) ? a[r] : b[r]) }
                }
            }
            initialised = n
        }
    }

    /// `pick` with a constant where the condition is false.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ a: [T], _ k: T) -> [T] {
        var out: [T] = []
        out.reserveCapacity(a.count)
        for r in a.indices { out.append(bit(taken, r) ? a[r] : k) }
        return out
    }

    /// `pick` with a constant where the condition is true.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ k: T, _ b: [T]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(b.count)
        for r in b.indices { out.append(bit(taken, r) ? k : b[r]) }
        return out
    }

    /// `pick` between two constants, for `count` rows.
    @inlinable @inline(__always)
    package static func pick<T>(_ taken: [UInt64], _ j: T, _ k: T, count n: Int) -> [T] {
        var out: [T] = []
        out.reserveCapacity(max(0, n))
        for r in 0..<max(0, n) { out.append(bit(taken, r) ? j : k) }
        return out
    }

    /// Bit r of the words; false past them.
    @inlinable @inline(__always)
    package static func bit(_ words: [UInt64], _ r: Int) -> Bool {
        let w = r >> 6
        return w < words.count && words[w] >> UInt64(r & 63) & 1 != 0
    }

    /// `table[Int(a[r]) + offset]` for rows 0, 1, … up to the first whose index falls outside
    /// the table or finds a negative entry (no match): a look-up join's pass when every row
    /// usually matches. The result's count says how far it got.
    @inlinable
    package static func lookUpUntilMiss<T: FixedWidthInteger>(_ a: [T], offset: Int, in table: [Int]) -> [Int] {
        let n = a.count
        return [Int](unsafeUninitializedCapacity: n) { out, count in
            a.withUnsafeBufferPointer { a in
                table.withUnsafeBufferPointer { table in
                    var r = 0
                    while r < n {
                        let code = offset &+ Int(a[r])
                        guard code >= 0, code < table.count else { break }
                        let m = table[code]
                        if m < 0 { break }
                        out.initializeElement(at: r, to: m)
                        r &+= 1
                    }
                    count = r
                }
            }
        }
    }
}
