/// A piece of IQL source text with the name diagnostics show for it (`query`, a file path).
public struct SourceFile: Sendable, Hashable {
    /// Shown after `-->` in diagnostics.
    public let name: String
    /// The text.
    public let text: String
    package let utf8: [UInt8]
    private let lineStarts: [Int]

    /// Wraps source text.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
        utf8 = Array(text.utf8)
        lineStarts = SourceFile.lineStarts(utf8)
    }

    /// Where each line starts: a plain loop over the array, whose bounds checks the compiler
    /// drops, so this layer holds no pointer code. It was `memchr`: over 10 MB of 52-byte
    /// lines the loop takes 5.7 ms against memchr's 1.3 ms, small beside lexing that script.
    private static func lineStarts(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var offset = 0
        for byte in bytes {
            offset &+= 1
            if byte == 0x0A { starts.append(offset) }
        }
        return starts
    }

    /// 1-based line and column (in characters) of a UTF-8 offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, utf8.count))
        let lo = lineIndex(of: clamped)
        let start = lineStarts[lo]
        let prefix = String(decoding: utf8[start..<clamped], as: UTF8.self)
        return (lo + 1, prefix.count + 1)
    }

    /// The 0-based line holding a byte offset already clamped to the text, by binary search.
    private func lineIndex(of clamped: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Whether the line before the one holding `offset` starts (after spaces and tabs) with `#`:
    /// a cheap test before `line(_:)` builds strings.
    package func lineAboveStartsWithHash(_ offset: Int) -> Bool {
        let lo = lineIndex(of: max(0, min(offset, utf8.count)))
        guard lo > 0 else { return false }
        var i = lineStarts[lo - 1]
        let end = lineStarts[lo]
        while i < end, utf8[i] == 0x20 || utf8[i] == 0x09 { i += 1 }
        return i < end && utf8[i] == 0x23
    }

    /// The text of a 1-based line, without its line break.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : utf8.count
        if end > start, utf8[end - 1] == 0x0D { end -= 1 }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
    }

    /// Up to `characters` characters of the line holding `offset`, about a third of them
    /// before it: the text, the offset's 1-based column in it, and whether the line goes on
    /// before or after. Reads only bytes near the offset, however long the line.
    package func window(around offset: Int, characters: Int) -> (text: String, column: Int, clippedStart: Bool, clippedEnd: Bool) {
        let clamped = max(0, min(offset, utf8.count))
        let lo = lineIndex(of: clamped)
        let lineStart = lineStarts[lo]
        var lineEnd = lo + 1 < lineStarts.count ? lineStarts[lo + 1] - 1 : utf8.count
        if lineEnd > lineStart, utf8[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        lineEnd = max(lineStart, lineEnd)
        if lineEnd - lineStart <= 4 * characters {
            let whole = String(decoding: utf8[lineStart..<lineEnd], as: UTF8.self)
            if whole.count <= characters {
                return (whole, String(decoding: utf8[lineStart..<clamped], as: UTF8.self).count + 1, false, false)
            }
        }
        // Four bytes a character at most: these bounds hold the window whatever the text.
        var start = max(lineStart, clamped - 4 * (characters / 3))
        while start > lineStart, start < utf8.count, utf8[start] & 0xC0 == 0x80 { start -= 1 }
        let before = String(decoding: utf8[start..<clamped], as: UTF8.self)
        let keptBefore = before.count > characters / 3 ? String(before.suffix(characters / 3)) : before
        let clippedStart = start > lineStart || keptBefore.count < before.count
        var end = min(lineEnd, clamped + 4 * characters)
        while end < lineEnd, utf8[end] & 0xC0 == 0x80 { end += 1 }
        let after = String(decoding: utf8[clamped..<end], as: UTF8.self)
        let room = characters - keptBefore.count
        let keptAfter = after.count > room ? String(after.prefix(room)) : after
        let clippedEnd = end < lineEnd || keptAfter.count < after.count
        return (keptBefore + keptAfter, keptBefore.count + 1, clippedStart, clippedEnd)
    }

    /// The text inside a range without the spaces and line breaks at its ends, as a slice of
    /// the script (no copy). Ranges the parser makes start and end on whole characters.
    package func trimmedSlice(_ range: SourceRange) -> Substring {
        var lo = max(0, min(range.start, utf8.count)), hi = max(lo, min(range.end, utf8.count))
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while lo < hi, space(utf8[lo]) { lo += 1 }
        while hi > lo, space(utf8[hi - 1]) { hi -= 1 }
        let view = text.utf8
        let start = view.index(view.startIndex, offsetBy: lo), end = view.index(view.startIndex, offsetBy: hi)
        return text[start..<end]
    }

    /// The source text inside a range.
    public func text(in range: SourceRange) -> String {
        let lo = max(0, min(range.start, utf8.count)), hi = max(lo, min(range.end, utf8.count))
        return String(decoding: utf8[lo..<hi], as: UTF8.self)
    }
}

/// A half-open range of UTF-8 offsets into a `SourceFile`.
public struct SourceRange: Sendable, Hashable {
    /// Offset of the first byte.
    public var start: Int
    /// Offset just past the last byte.
    public var end: Int

    /// Makes a range.
    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}
