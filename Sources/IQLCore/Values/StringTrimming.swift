extension String {
    /// Without the spaces and tabs around it (a CSV header's names).
    package var trimmingSpaces: String { trimming { $0 == " " || $0 == "\t" } }

    /// Without the characters around it that `isSpace` accepts; plain Swift, as Foundation's
    /// trimming bridges through NSString (slow for a script of a hundred thousand stages).
    package func trimming(_ isSpace: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return String(s)
    }

    package func replacingOccurrencesOf(_ target: String, _ replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    package func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let r = rest.range(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
