/// Integer sort keys for a column, so sorting and key-ordered output compare integers rather
/// than values: ascending order of the values, nulls after everything.
enum SortKeys {
    /// One rank per row, equal for equal values; nil for storage without a cheap order.
    static func ranks(of column: Column) -> [Int64]? {
        let n = column.count
        switch column.storage {
        case .int64(let v, let nulls):
            // Int64.max is the rank of null, so a column holding it has no cheap order.
            if v.contains(.max) { return nil }
            return (0..<n).map { r in
                let p = column.physical(r)
                if let nulls, nulls.contains(p) { return .max }
                return v[p]
            }
        case .date(let v, let nulls):
            return (0..<n).map { r in
                let p = column.physical(r)
                if let nulls, nulls.contains(p) { return .max }
                return Int64(v[p])
            }
        case .rating(let v):
            return (0..<n).map { r in let x = v[column.physical(r)]; return x == 0 ? .max : Int64(x) }
        case .bool(let v):
            return (0..<n).map { r in let x = v[column.physical(r)]; return x == 0 ? .max : Int64(x) }
        case .text(let codes, let dictionary):
            // Rank the distinct strings once, then every row by its code.
            let order = (1..<dictionary.strings.count).sorted { dictionary.strings[$0] < dictionary.strings[$1] }
            var rankOfCode = [Int64](repeating: .max, count: dictionary.strings.count)
            var rank: Int64 = 0
            for (k, code) in order.enumerated() {
                if k > 0, dictionary.strings[code] != dictionary.strings[order[k - 1]] { rank += 1 }
                rankOfCode[code] = rank
            }
            return (0..<n).map { rankOfCode[Int(codes[column.physical($0)])] }
        default:
            return nil
        }
    }
}
