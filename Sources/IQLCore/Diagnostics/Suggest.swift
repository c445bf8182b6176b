/// "Did you mean" lookups: the candidates closest to a mistyped name or value.
package enum Suggest {
    /// The single closest candidate, if one is close enough to be a plausible typo.
    package static func closest(to word: String, among candidates: [String]) -> String? {
        ranked(word, among: candidates, limit: 1).first
    }

    /// Up to `limit` plausible candidates, closest first. Case-only differences rank first.
    package static func ranked(_ word: String, among candidates: [String], limit: Int) -> [String] {
        let w = Array(word.lowercased())
        guard !w.isEmpty else { return [] }
        let budget = max(1, min(4, w.count / 3 + 1))
        // Score: edit distance first; among equals, a candidate that holds the typed letters in
        // order (cnt → count) and starts with the same letter is the likelier meaning.
        var scored: [(Int, Int, String)] = []
        for c in candidates {
            let lc = Array(c.lowercased())
            if lc == w { scored.append((0, 0, c)); continue }
            if abs(lc.count - w.count) > budget, !lc.starts(with: w) { continue }
            let d = distance(w, lc, cap: budget + 1)
            let affinity = (isSubsequence(w, of: lc) ? 0 : 2) + (lc.first == w.first ? 0 : 1)
            if d <= budget {
                scored.append((d + 1, affinity, c))
            } else if w.count >= 3, lc.starts(with: w) || (w.count >= 4 && lc.contains(w)) {
                scored.append((budget + 2, affinity, c))
            }
        }
        scored.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        var seen = Set<String>()
        return scored.compactMap { seen.insert($0.2).inserted ? $0.2 : nil }.prefix(limit).map { $0 }
    }

    private static func isSubsequence(_ a: [Character], of b: [Character]) -> Bool {
        var i = 0
        for ch in b where i < a.count && ch == a[i] { i += 1 }
        return i == a.count
    }

    /// Damerau-Levenshtein (optimal string alignment) distance, giving up above `cap`.
    package static func distance(_ a: [Character], _ b: [Character], cap: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > cap { return rowMin }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
