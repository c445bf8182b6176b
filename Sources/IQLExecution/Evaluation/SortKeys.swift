import IQLCore
import IQLStorage
import IQLLanguage
/// Integer sort keys for a column, so sorting and key-ordered output compare integers rather
/// than values: ascending order of the values, nulls after everything.
package enum SortKeys {
    /// One rank per row, equal for equal values; nil for storage without a cheap order.
    package static func ranks(of column: Column) -> [Int64]? {
        let n = column.count
        switch column.storage {
        case .int64(let v, let nulls):
            // Int64.max is the rank of null, so a column holding it has no cheap order.
            if v.width == 8 || v.base >= Int64.max - (1 << 31), v.contains(.max) { return nil }
            return ranks(v, nulls, column)
        case .decimal(let v, _, let nulls):
            // One scale for the column, so the mantissas order as the values do.
            if v.width == 8 || v.base >= Int64.max - (1 << 31), v.contains(.max) { return nil }
            return ranks(v, nulls, column)
        case .date(let v, let nulls):
            return ranks(v, nulls, column)
        case .rating(let v):
            return (0..<n).map { r in let x = v[column.physical(r)]; return x == 0 ? .max : Int64(x) }
        case .bool(let v):
            return (0..<n).map { r in let x = v[column.physical(r)]; return x == 0 ? .max : Int64(x) }
        case .text(let codes, let dictionary):
            // Rank the distinct strings once, then every row by its code.
            let rankOfCode = ranks(of: dictionary)
            let base = Int(codes.base)
            func lookUp<T: FixedWidthInteger>(_ a: [T]) -> [Int64] {
                if let selection = column.selection { return selection.rows.map { rankOfCode[base + Int(a[$0])] } }
                return a.map { rankOfCode[base + Int($0)] }
            }
            return codes.visit(lookUp, lookUp, lookUp, lookUp)
        default:
            return nil
        }
    }

    /// Each dictionary code's place among the strings in sorted order; equal strings (a
    /// dictionary made by a function may hold one twice) share a place; code 0 (null) is .max.
    package static func ranks(of dictionary: TextDictionary) -> [Int64] {
        dictionary.sortedPlaces(ranks(ofStrings:))
    }

    private static func ranks(ofStrings strings: [String]) -> [Int64] {
        let order = strings.indices.dropFirst().sorted { strings[$0] < strings[$1] }
        var rankOfCode = [Int64](repeating: .max, count: strings.count)
        var rank: Int64 = 0
        for (k, code) in order.enumerated() {
            if k > 0, strings[code] != strings[order[k - 1]] { rank += 1 }
            rankOfCode[code] = rank
        }
        return rankOfCode
    }

    /// Stored integers as ranks: the values themselves, nulls last.
    private static func ranks(_ v: PackedInts, _ nulls: NullMask?, _ column: Column) -> [Int64] {
        var out = column.widened(v)
        if let nulls {
            for r in 0..<out.count where nulls.contains(column.physical(r)) { out[r] = .max }
        }
        return out
    }
}
