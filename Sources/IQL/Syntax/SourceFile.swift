/// A piece of IQL source text with the name diagnostics show for it (`query`, a file path).
public struct SourceFile: Sendable, Hashable {
    /// Shown after `-->` in diagnostics.
    public let name: String
    /// The text.
    public let text: String
    let utf8: [UInt8]
    private let lineStarts: [Int]

    /// Wraps source text.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
        utf8 = Array(text.utf8)
        var starts = [0]
        for (i, b) in utf8.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line and column (in characters) of a UTF-8 offset.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let clamped = max(0, min(offset, utf8.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let prefix = String(decoding: utf8[start..<clamped], as: UTF8.self)
        return (lo + 1, prefix.count + 1)
    }

    /// The text of a 1-based line, without its line break.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : utf8.count
        if end > start, utf8[end - 1] == 0x0D { end -= 1 }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
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
