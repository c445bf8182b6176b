import IQLCore

/// Numbering rows by key: the hash table's loop over raw buffers, behind a signature of
/// arrays. Every index is the row's own or a hash masked to the table's size.
package enum KeyNumbering {
    /// Each row's group for integer keys of any range, groups numbered in order of first
    /// appearance: an open-addressing table (linear probing, a multiplicative hash), several
    /// times faster than a `Dictionary` for a million keys.
    package static func probed(_ codes: [Int64]) -> (groupOf: [Int32], firstRow: [Int]) {
        let n = codes.count
        var capacity = 16
        while capacity < 2 * n { capacity <<= 1 }
        let mask = capacity - 1
        var keys = [Int64](repeating: 0, count: capacity)
        var slots = [Int32](repeating: -1, count: capacity)
        var groupOf = [Int32](repeating: 0, count: n)
        var first: [Int] = []
        keys.withUnsafeMutableBufferPointer { keys in
            slots.withUnsafeMutableBufferPointer { slots in
                groupOf.withUnsafeMutableBufferPointer { groupOf in
                    for r in 0..<n {
                        let c = codes[r]
                        var h = Int(truncatingIfNeeded: (UInt64(bitPattern: c) &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
                        while true {
                            let g = slots[h]
                            if g < 0 {
                                let new = Int32(truncatingIfNeeded: first.count)
                                slots[h] = new
                                keys[h] = c
                                first.append(r)
                                groupOf[r] = new
                                break
                            }
                            if keys[h] == c {
                                groupOf[r] = g
                                break
                            }
                            h = (h &+ 1) & mask
                        }
                    }
                }
            }
        }
        return (groupOf, first)
    }
}
