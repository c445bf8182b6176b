import IQLCore
import Synchronization

/// The distinct strings of a text column, each stored once; rows hold 32-bit codes into it.
/// Code 0 is null, so a column of codes needs no separate null mask.
@usableFromInline package struct TextDictionary: Sendable {
    /// `strings[code]`; `strings[0]` is an unused placeholder for null.
    @usableFromInline package private(set) var strings: [String]
    /// Shared by every copy (they hold the same strings): built when the dictionary is
    /// searched a second time, if it has at most `TextDictionaryIndex.maxEntries` entries.
    @usableFromInline let index = TextDictionaryIndex()

    @inlinable package init(strings: [String]) {
        self.strings = [""] + strings
    }

    @inlinable package var count: Int { strings.count - 1 }

    /// True when both are copies of one dictionary (the same strings under the same codes).
    package func isShared(with other: TextDictionary) -> Bool { index === other.index }

    /// Each code's place among the strings in sorted order, as `compute` finds it from the
    /// strings, computed once a dictionary and kept by every copy: sorting a million distinct
    /// names is most of a `sort`, `min` or `max` on them, and the strings never change.
    package func sortedPlaces(_ compute: ([String]) -> [Int64]) -> [Int64] {
        index.cached(.places, for: strings, compute)
    }

    /// Each code's first code holding the same string (a dictionary a function made may hold a
    /// string twice), computed once a dictionary as `sortedPlaces` is: it hashes every string.
    package func firstCodes(_ compute: ([String]) -> [Int64]) -> [Int64] {
        index.cached(.firstCodes, for: strings, compute)
    }

    /// `codes(equalTo: [text])` without the arrays, for a comparison with one constant.
    @inlinable package func forEachCode(equalTo text: String, _ body: (Int) -> Void) {
        if let map = index.map(for: strings, searches: 1) {
            for code in map[text] ?? [] { body(Int(code)) }
            return
        }
        for code in strings.indices.dropFirst() where strings[code] == text { body(code) }
    }

    /// The codes of the entries equal to any of `texts`, by Swift's `==` (so the composed and
    /// decomposed spellings of an accented letter, two entries, both match). The first search
    /// of a dictionary compares its entries with the one text; from the second on (or a
    /// search for several texts) a hash index answers, so a filter or an `in` list over a
    /// column of many values costs a lookup per text instead of a pass over the values. A
    /// dictionary too large to index is searched in one pass over its entries, each looked up
    /// among the texts.
    package func codes(equalTo texts: [String]) -> [Int] {
        var out: [Int] = []
        if texts.count == 1, let t = texts.first {
            forEachCode(equalTo: t) { out.append($0) }
            return out
        }
        if let map = index.map(for: strings, searches: texts.count) {
            for t in texts { if let codes = map[t] { out.append(contentsOf: codes.lazy.map { Int($0) }) } }
            return out
        }
        let wanted = Set(texts)
        for code in strings.indices.dropFirst() where wanted.contains(strings[code]) { out.append(code) }
        return out
    }
}

/// `TextDictionary`'s hash index: a cache, so a class, locked because queries on one table
/// may run at once.
@usableFromInline package final class TextDictionaryIndex: Sendable {
    @inlinable package init() {}

    private struct State {
        package var searches = 0
        package var map: [String: [Int32]]?
        package var tables: [Derived: [Int64]] = [:]
    }

    /// The tables kept beside the strings.
    package enum Derived: Sendable {
        case places, firstCodes
    }
    private let state = Mutex(State())

    /// Past this many entries a dictionary is not indexed: the index would hold a copy of
    /// every string's reference and a hash slot beside the table's own memory (a million
    /// distinct names, tens of megabytes), outside the engine's memory budget.
    package static let maxEntries = 1 << 16

    /// A table of eight bytes an entry (a fraction of the strings' own memory) computed from
    /// `strings` by the first caller (others wait for it) and kept.
    package func cached(_ table: Derived, for strings: [String], _ compute: ([String]) -> [Int64]) -> [Int64] {
        state.withLock { s in
            if let p = s.tables[table], p.count == strings.count { return p }
            let p = compute(strings)
            s.tables[table] = p
            return p
        }
    }

    /// The index, once this search brings the dictionary to two or more searched texts; nil
    /// (scan instead) before that, or for a dictionary past `maxEntries`.
    @usableFromInline package func map(for strings: [String], searches: Int) -> [String: [Int32]]? {
        guard strings.count <= Self.maxEntries + 1 else { return nil }
        return state.withLock { s in
            if let map = s.map { return map }
            s.searches &+= searches
            guard s.searches > 1 else { return nil }
            var map: [String: [Int32]] = [:]
            map.reserveCapacity(strings.count)
            for code in strings.indices.dropFirst() { map[strings[code], default: []].append(Int32(truncatingIfNeeded: code)) }
            s.map = map
            return map
        }
    }
}

/// Builds a dictionary from UTF-8 bytes without making a `String` per field: an open-addressing
/// hash table over an arena of the distinct values.
package struct TextDictionaryBuilder {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Two words a slot: the hash's high half above code + 1 (0 is empty), then where the value
    /// lies in the arena (offset above 24 bits of length). A probe compares hashes and lengths
    /// and reads the arena at most once, without a dependent read of `offsets`: for a column of
    /// many distinct values those reads miss the cache, and they were most of a lookup's time.
    private var slots: [UInt64]
    private var mask: Int
    private var hashes: [UInt64] = []
    /// What `codes` read ahead; never used.
    private var touched: UInt64 = 0
    /// Whether some value is not valid UTF-8 (checked once per distinct value).
    package private(set) var hasInvalidUTF8 = false

    /// A length this large (16 MB), or an offset past 1 TB, is not stored in the slot; the
    /// probe then reads `offsets`.
    private static let longLength: UInt64 = 0xFF_FFFF

    package init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size * 2)
        mask = size - 1
    }

    package var count: Int { offsets.count - 1 }

    /// The code of these bytes, adding them if new. Codes start at 1.
    package mutating func code(for bytes: UnsafeRawBufferPointer) -> UInt32 {
        code(for: bytes, hash: TextDictionaryBuilder.hash(bytes))
    }

    /// The codes of a block's fields (0 for an empty field), into `values`.
    package mutating func codes(for fields: FieldBlock.Fields, into values: UnsafeMutablePointer<Int64>) {
        let n = fields.count
        // Hashes first, each field's slot and arena bytes read as soon as its hash is known: the
        // multiplications of different fields, and the cache misses of a dictionary of many
        // values, overlap in this loop, where one probe after another they would not. The
        // probes below then find both in the cache.
        var touched: UInt64 = 0
        slots.withUnsafeBufferPointer { s in
            arena.withUnsafeBytes { a in
                let size = UInt64(a.count)
                for r in 0..<n {
                    let h = TextDictionaryBuilder.hash(fields[r])
                    values[r] = Int64(bitPattern: h)
                    let i = (Int(truncatingIfNeeded: h) & mask) &* 2
                    let place = s[i &+ 1] >> 24
                    touched ^= s[i]
                    if place < size { touched ^= UInt64(a[Int(place)]) }
                }
            }
        }
        // Kept, so the reads above are not optimised away.
        self.touched = touched
        for r in 0..<n {
            let f = fields[r]
            values[r] = f.isEmpty ? 0 : Int64(code(for: f, hash: UInt64(bitPattern: values[r])))
        }
    }

    /// The code of these bytes, whose `hash` the caller computed (a block's hashes are computed
    /// in one loop first, so that the multiplications of different fields overlap).
    package mutating func code(for bytes: UnsafeRawBufferPointer, hash h: UInt64) -> UInt32 {
        var i = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        let length = UInt64(bytes.count)
        let found: UInt32? = slots.withUnsafeBufferPointer { s in
            arena.withUnsafeBytes { a in
                while true {
                    let head = s[i &* 2]
                    if head == 0 { return nil }
                    if head & 0xFFFF_FFFF_0000_0000 == tag {
                        let place = s[i &* 2 &+ 1]
                        let stored = place & TextDictionaryBuilder.longLength
                        let code = UInt32(truncatingIfNeeded: head)
                        if stored == length, stored != TextDictionaryBuilder.longLength {
                            if TextDictionaryBuilder.same(a, at: Int(place >> 24), bytes) { return code }
                        } else if stored == TextDictionaryBuilder.longLength, equal(Int(code) - 1, bytes) {
                            return code
                        }
                    }
                    i = (i &+ 1) & mask
                }
            }
        }
        if let found { return found }
        let index = count
        if !hasInvalidUTF8, !TextDictionaryBuilder.isValidUTF8(bytes) { hasInvalidUTF8 = true }
        let offset = arena.count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(h)
        slots[i * 2] = tag | UInt64(index + 1)
        slots[i * 2 + 1] = TextDictionaryBuilder.place(offset: offset, length: bytes.count)
        if count * 2 > slots.count / 2 { grow() }
        return UInt32(index + 1)
    }

    /// The second word of a slot.
    private static func place(offset: Int, length: Int) -> UInt64 {
        length < Int(longLength) && offset < 1 << 40 ? UInt64(offset) << 24 | UInt64(length) : longLength
    }

    /// Whether the arena holds these bytes at `offset` (the lengths are known to be equal).
    @inline(__always)
    private static func same(_ a: UnsafeRawBufferPointer, at offset: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = a.baseAddress, let other = bytes.baseAddress else { return bytes.isEmpty }
        // Inline word compares: CSV values are short, and a call to memcmp cost more than the
        // comparison itself.
        let mine = base + offset
        let n = bytes.count
        var i = 0
        while i &+ 8 <= n {
            if mine.loadUnaligned(fromByteOffset: i, as: UInt64.self) != other.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i &+= 8
        }
        while i < n {
            if mine.load(fromByteOffset: i, as: UInt8.self) != other.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }

    /// ASCII is checked eight bytes at a time; anything else is decoded.
    package static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < bytes.count, bytes[i] < 0x80 { i += 1 }
        return i == bytes.count || SourceDecoding.firstInvalidOffset(bytes) == nil
    }

    /// Adds another builder's strings; returns, for each of its codes, the code here.
    package mutating func merge(_ other: TextDictionaryBuilder) -> [UInt32] {
        var remap = [UInt32](repeating: 0, count: other.count + 1)
        other.arena.withUnsafeBytes { a in
            for index in 0..<other.count {
                let slice = UnsafeRawBufferPointer(rebasing: a[other.offsets[index]..<other.offsets[index + 1]])
                remap[index + 1] = code(for: slice)
            }
        }
        return remap
    }

    private func equal(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[index], end = offsets[index + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { TextDictionaryBuilder.same($0, at: start, bytes) }
    }

    private mutating func grow() {
        let size = slots.count
        var fresh = [UInt64](repeating: 0, count: size * 2)
        let m = size - 1
        for index in 0..<count {
            let h = hashes[index]
            var i = Int(truncatingIfNeeded: h) & m
            while fresh[i * 2] != 0 { i = (i + 1) & m }
            fresh[i * 2] = h & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
            fresh[i * 2 + 1] = TextDictionaryBuilder.place(offset: offsets[index], length: offsets[index + 1] - offsets[index])
        }
        slots = fresh
        mask = m
    }

    /// FNV-1a over 8-byte words (the last one overlapping the one before, or two 4-byte halves
    /// for a short value, rather than a byte at a time), then a final mix: fast for the short
    /// strings CSV holds.
    @inline(__always)
    package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        let n = bytes.count
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: n)
        if n >= 8 {
            var i = 0
            while i &+ 8 <= n {
                h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime
                i &+= 8
            }
            if i < n { h = (h ^ bytes.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)) &* prime }
        } else if n >= 4 {
            let halves = UInt64(bytes.loadUnaligned(as: UInt32.self)) << 32
                | UInt64(bytes.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self))
            h = (h ^ halves) &* prime
        } else {
            for i in 0..<n { h = (h ^ UInt64(bytes[i])) &* prime }
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    package func build() -> TextDictionary {
        var strings: [String] = []
        strings.reserveCapacity(count)
        arena.withUnsafeBytes { a in
            for index in 0..<count {
                let start = offsets[index], end = offsets[index + 1]
                strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: a[start..<end]), as: UTF8.self))
            }
        }
        return TextDictionary(strings: strings)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
