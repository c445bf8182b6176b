/// The distinct strings of a text column, each stored once; rows hold 32-bit codes into it.
/// Code 0 is null, so a column of codes needs no separate null mask.
struct TextDictionary: Sendable {
    /// `strings[code]`; `strings[0]` is an unused placeholder for null.
    private(set) var strings: [String]

    init(strings: [String]) {
        self.strings = [""] + strings
    }

    var count: Int { strings.count - 1 }
}

/// Builds a dictionary from UTF-8 bytes without making a `String` per field: an open-addressing
/// hash table over an arena of the distinct values.
struct TextDictionaryBuilder {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]
    /// Slots hold the hash's high half above code + 1 (0 is empty), so a probe compares
    /// hashes without reading another array.
    private var slots: [UInt64]
    private var mask: Int
    private var hashes: [UInt64] = []
    /// Whether some value is not valid UTF-8 (checked once per distinct value).
    private(set) var hasInvalidUTF8 = false

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { offsets.count - 1 }

    /// The code of these bytes, adding them if new. Codes start at 1.
    mutating func code(for bytes: UnsafeRawBufferPointer) -> UInt32 {
        let h = TextDictionaryBuilder.hash(bytes)
        var i = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        while true {
            let slot = slots[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let code = UInt32(truncatingIfNeeded: slot)
                if equal(Int(code) - 1, bytes) { return code }
            }
            i = (i + 1) & mask
        }
        let index = count
        if !hasInvalidUTF8, !TextDictionaryBuilder.isValidUTF8(bytes) { hasInvalidUTF8 = true }
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(h)
        slots[i] = tag | UInt64(index + 1)
        if count * 2 > slots.count { grow() }
        return UInt32(index + 1)
    }

    /// ASCII is checked eight bytes at a time; anything else is decoded.
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < bytes.count, bytes[i] < 0x80 { i += 1 }
        return i == bytes.count || SourceDecoding.firstInvalidOffset(bytes) == nil
    }

    /// Adds another builder's strings; returns, for each of its codes, the code here.
    mutating func merge(_ other: TextDictionaryBuilder) -> [UInt32] {
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
        return arena.withUnsafeBytes { a in
            guard let base = a.baseAddress, let other = bytes.baseAddress else { return bytes.isEmpty }
            return memcmp(base + start, other, bytes.count) == 0
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let m = size - 1
        for index in 0..<count {
            let h = hashes[index]
            var i = Int(truncatingIfNeeded: h) & m
            while fresh[i] != 0 { i = (i + 1) & m }
            fresh[i] = h & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
        slots = fresh
        mask = m
    }

    /// FNV-1a over 8-byte words, then a final mix: fast for the short strings CSV holds.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3
            i += 1
        }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    func build() -> TextDictionary {
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
