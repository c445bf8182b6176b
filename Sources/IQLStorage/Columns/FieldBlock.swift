import IQLCore
import CLoaderSupport

/// Where each field of a block of CSV records lies, found in one pass over the bytes and then
/// read a column at a time. Reading column by column lets each builder run one tight loop of
/// its own kind over a block, instead of a call and a switch on the column's kind per field;
/// that dispatch, and the scanner's per-field hand-off, were a fifth of a load's time.
///
/// A block holds what the fast path understands: records of exactly `width` fields, quoted
/// fields (unescaped into a scratch buffer), blank lines. Anything else, such as a record of
/// the wrong width or a stray quote, makes `fill` return nil, and the caller reads the file
/// the field-by-field way, which reports the problem with its line.
package struct FieldBlock: ~Copyable {
    /// Records a block holds at most: its bytes and offsets stay within a core's L2 cache.
    package static let records = 1024
    /// How often the block reader hands back the mapped file's pages behind it: often, as two
    /// threads each hold this much of the file while the table is being built.
    package static let releaseStep = 1 << 20

    package let width: Int
    package let capacity: Int
    /// Column-major: field `r` of column `c` starts at `starts[c * stride + r]`, an offset from
    /// the block's first byte, or, for a quoted field, `~offset` into `scratch` (so negative).
    private let starts: UnsafeMutablePointer<Int32>
    /// Where each field ends, in the same space as its start.
    private let ends: UnsafeMutablePointer<Int32>
    /// Entries from one column to the next: a little more than `capacity`, so that a record's
    /// fields, written one per column, do not all fall in the same cache set (with a stride of
    /// 4 KB they did, and those stores were a quarter of the scan).
    private let stride: Int
    private let storage: UnsafeMutablePointer<Int32>
    package private(set) var rows = 0
    private var base: UnsafeRawPointer?
    /// Quoted fields, unescaped.
    private var scratch: [UInt8] = []

    package init(width: Int, capacity: Int) {
        self.width = max(1, width)
        self.capacity = max(1, capacity)
        stride = self.capacity + 16
        let slots = self.width * stride
        // Ends half a line after a whole number of columns, for the same reason.
        storage = .allocate(capacity: 2 * slots + 8)
        storage.initialize(repeating: 0, count: 2 * slots + 8)
        starts = storage
        ends = storage + slots + 8
    }

    deinit {
        storage.deallocate()
    }

    /// One column's fields in the block, valid while `withColumn`'s body runs.
    package struct Fields {
        fileprivate let starts: UnsafePointer<Int32>
        fileprivate let ends: UnsafePointer<Int32>
        fileprivate let base: UnsafeRawPointer?
        fileprivate let scratch: UnsafeRawPointer?
        package let count: Int

        @inline(__always)
        package subscript(row: Int) -> UnsafeRawBufferPointer {
            let s = Int(starts[row]), e = Int(ends[row])
            if s >= 0 { return UnsafeRawBufferPointer(start: base.map { $0 + s }, count: e &- s) }
            let o = ~s
            return UnsafeRawBufferPointer(start: scratch.map { $0 + o }, count: e &- o)
        }
    }

    /// Runs `body` with column `column`'s fields.
    package func withColumn<R>(_ column: Int, _ body: (Fields) -> R) -> R {
        scratch.withUnsafeBytes { s in
            body(Fields(starts: starts + column &* stride, ends: ends + column &* stride, base: base,
                        scratch: s.baseAddress, count: rows))
        }
    }

    /// Finds the fields of up to `capacity` records from `start` in `buffer` (which must begin
    /// at a record boundary). Returns where the next record starts, or nil if the records there
    /// need the field-by-field reader (wrong width, a stray or unclosed quote, a block too long
    /// for 32-bit offsets).
    package mutating func fill(_ buffer: UnsafeRawBufferPointer, from start: Int) -> Int? {
        rows = 0
        scratch.removeAll(keepingCapacity: true)
        guard let bytes = buffer.baseAddress else { return start }
        base = bytes + start
        var specials = SpecialBytes(bytes, count: buffer.count, at: start)
        let n = buffer.count
        let limit = Int(Int32.max)
        var i = start
        var r = 0
        while r < capacity && i < n {
            let first = bytes.load(fromByteOffset: i, as: UInt8.self)
            if first == 0x0A || first == 0x0D {
                // A blank line: a null in a one-column file, nothing in a wider one.
                i &+= (first == 0x0D && i &+ 1 < n && bytes.load(fromByteOffset: i &+ 1, as: UInt8.self) == 0x0A) ? 2 : 1
                specials.skip(to: i)
                if width == 1 {
                    starts[r] = 0
                    ends[r] = 0
                    r &+= 1
                }
                continue
            }
            var c = 0
            while true {
                guard c < width else { return nil }
                let slot = c &* stride &+ r
                if i < n && bytes.load(fromByteOffset: i, as: UInt8.self) == 0x22 {
                    // Quoted: unescaped into the scratch buffer, as the field-by-field reader does.
                    let o = scratch.count
                    guard let (end, _) = CSVScanner.quotedField(buffer, at: i, into: &scratch), scratch.count < limit else {
                        return nil
                    }
                    i = end
                    if i < n {
                        let next = bytes.load(fromByteOffset: i, as: UInt8.self)
                        if next != 0x2C && next != 0x0A && next != 0x0D { return nil }
                    }
                    specials.skip(to: i)
                    starts[slot] = ~Int32(truncatingIfNeeded: o)
                    ends[slot] = Int32(truncatingIfNeeded: scratch.count)
                } else {
                    let end = specials.next()
                    if end < n && bytes.load(fromByteOffset: end, as: UInt8.self) == 0x22 { return nil }
                    guard end &- start < limit else { return nil }
                    starts[slot] = Int32(truncatingIfNeeded: i &- start)
                    ends[slot] = Int32(truncatingIfNeeded: end &- start)
                    i = end
                }
                c &+= 1
                if i < n {
                    let ch = bytes.load(fromByteOffset: i, as: UInt8.self)
                    if ch == 0x2C {
                        i &+= 1
                        specials.skip(to: i)
                        continue
                    }
                    i &+= (ch == 0x0D && i &+ 1 < n && bytes.load(fromByteOffset: i &+ 1, as: UInt8.self) == 0x0A) ? 2 : 1
                    specials.skip(to: i)
                }
                break
            }
            guard c == width else { return nil }
            r &+= 1
        }
        rows = r
        return i
    }
}

/// Where the next comma, quote, CR or LF is: a bit mask of those bytes 64 at a time, so a
/// field's end is a count of trailing zeros rather than a loop whose exit, at a different
/// length every field, the processor cannot predict.
private struct SpecialBytes {
    package let bytes: UnsafeRawPointer
    package let count: Int
    /// The first byte the mask covers.
    private var window: Int
    /// Bit k: byte `window + k` is special and not yet passed.
    private var bits: UInt64

    package init(_ bytes: UnsafeRawPointer, count: Int, at start: Int) {
        self.bytes = bytes
        self.count = count
        window = start
        bits = SpecialBytes.mask(bytes, count: count, at: start)
    }

    @inline(__always)
    package static func mask(_ bytes: UnsafeRawPointer, count: Int, at start: Int) -> UInt64 {
        if start &+ 64 <= count { return iql_csv_special_bytes64(bytes + start) }
        // The last few bytes of the buffer, one at a time, never reading past its end.
        var m: UInt64 = 0
        var k = 0
        while start &+ k < count {
            let c = bytes.load(fromByteOffset: start &+ k, as: UInt8.self)
            if c == 0x2C || c == 0x22 || c == 0x0D || c == 0x0A { m |= 1 &<< UInt64(k) }
            k &+= 1
        }
        return m
    }

    /// Forgets the special bytes before `position`.
    @inline(__always)
    package mutating func skip(to position: Int) {
        let k = position &- window
        if k < 64 {
            bits &= UInt64.max &<< UInt64(k)
        } else {
            window = position
            bits = SpecialBytes.mask(bytes, count: count, at: position)
        }
    }

    /// The position of the first special byte not yet passed, or `count` if there is none.
    @inline(__always)
    package mutating func next() -> Int {
        while bits == 0 {
            window &+= 64
            if window >= count { return count }
            bits = SpecialBytes.mask(bytes, count: count, at: window)
        }
        return window &+ bits.trailingZeroBitCount
    }
}
