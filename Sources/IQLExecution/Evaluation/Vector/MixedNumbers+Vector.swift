import IQLCore
import IQLStorage
import IQLLanguage

extension MixedNumbers {
    /// A number vector's rows (whole numbers, decimals, doubles or already mixed); nil for
    /// any other vector.
    package init?(_ v: Vector, count n: Int) {
        switch v {
        case .numbers(let m):
            self = m
        case .ints(let a, let m):
            self.init(bits: a, scales: [Int8](repeating: 0, count: a.count), nulls: m)
        case .decimals(let a, let scale, let m):
            self.init(bits: a, scales: [Int8](repeating: Int8(scale), count: a.count), nulls: m)
        case .doubles(let a, let m):
            self.init(bits: a.map { Int64(bitPattern: $0.bitPattern) }, scales: [Int8](repeating: -1, count: a.count), nulls: m)
        case .constant(.number(let k)):
            let (b, s): (Int64, Int8)
            switch k {
            case .int(let i): (b, s) = (i, 0)
            case .decimal(let d): (b, s) = (d.mantissa, Int8(d.scale))
            case .double(let d): (b, s) = (Int64(bitPattern: d.bitPattern), -1)
            }
            self.init(bits: [Int64](repeating: b, count: n), scales: [Int8](repeating: s, count: n), nulls: nil)
        case .constant(.null):
            var nulls = NullMask(count: n)
            for r in 0..<n { nulls.insert(r) }
            self.init(bits: [Int64](repeating: 0, count: n), scales: [Int8](repeating: 0, count: n), nulls: nulls)
        default:
            return nil
        }
    }
}
