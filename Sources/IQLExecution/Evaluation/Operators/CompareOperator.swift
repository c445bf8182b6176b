import IQLCore
import IQLStorage
import IQLLanguage

extension CompareOperator: TableOperator {
    private struct Key: Hashable {
        var dimensions: [Value]
        var authority: String
    }

    package func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let names = env.councilNames
        let whole = try env.table(source)
        var identityOf: [String: String?] = [:]
        func identity(_ v: Value) -> String? {
            guard let s = v.textValue else { return nil }
            if let cached = identityOf[s] { return cached }
            let id = names.identity(of: s)
            identityOf[s] = id
            return id
        }
        func dims(_ t: Table, _ r: Int, source: Bool) -> [Value] {
            dimensions.map { t.columns[source ? $0.source : $0.input][r] }
        }
        let wanted = Set((0..<input.rowCount).map { dims(input, $0, source: false) })

        // Every source value of the wanted measures and periods, by authority identity, and
        // the councils' sums by region and nationally, for comparators the source lacks.
        var published: [Key: Value] = [:]
        var councilValues: [Key: [Value]] = [:]
        let authorityColumn = whole.columns[sourceAuthority], valueColumn = whole.columns[sourceValue]
        for r in 0..<whole.rowCount {
            if r & 65535 == 0 { try env.checkCancelled() }
            let d = dims(whole, r, source: true)
            guard wanted.contains(d), let id = identity(authorityColumn[r]) else { continue }
            let v = valueColumn[r]
            published[Key(dimensions: d, authority: id)] = v
            if names.isCouncil(id), !v.isNull {
                if let region = names.region(of: id) { councilValues[Key(dimensions: d, authority: region), default: []].append(v) }
                councilValues[Key(dimensions: d, authority: "E92000001"), default: []].append(v)
            }
        }
        // The companion's figures, where the source has none of its own for that area.
        var fromAreas: Set<Key> = []
        if let areas {
            let t = try env.table(areas)
            let sourceNames = whole.schema.columns.map(\.name)
            let columns = dimensions.compactMap { t.schema.index(of: sourceNames[$0.source]) }
            if columns.count == dimensions.count, let a = t.schema.index(of: sourceNames[sourceAuthority]),
               let value = t.schema.index(of: sourceNames[sourceValue]) {
                for r in 0..<t.rowCount {
                    let v = t.columns[value][r]
                    guard !v.isNull, let id = identity(t.columns[a][r]) else { continue }
                    let d = columns.map { t.columns[$0][r] }
                    guard wanted.contains(d) else { continue }
                    let key = Key(dimensions: d, authority: id)
                    if published[key]?.isNull ?? true {
                        published[key] = v
                        fromAreas.insert(key)
                    }
                }
            }
        }
        let neighbours = comparators.contains(.neighbours) ? try neighbourLists(env, identity) : [:]

        var added: [[Value]] = Array(repeating: [], count: comparators.count * 2)
        var computed: Set<Comparator> = [], usedAreas: Set<Comparator> = []
        var shortNeighbours = 0
        // Per comparator: rows with a value of their own but none to compare with, and the first.
        var missing = Array(repeating: (rows: 0, first: ""), count: comparators.count)
        let range = SourceRange(start: 0, end: 0)
        for r in 0..<input.rowCount {
            let d = dims(input, r, source: false)
            let id = identity(input.columns[inputAuthority][r])
            let own = input.columns[inputValue][r]
            for (i, comparator) in comparators.enumerated() {
                var v = Value.null
                if let id {
                    switch comparator {
                    case .neighbours:
                        let values = (neighbours[id] ?? []).compactMap { published[Key(dimensions: d, authority: $0)] }.filter { !$0.isNull }
                        if values.count < (neighbours[id]?.count ?? 0) { shortNeighbours += 1 }
                        v = try Aggregate.avg.compute(values, rowCount: values.count, at: range)
                    case .region, .england:
                        let target = comparator == .england ? "E92000001" : names.region(of: id)
                        if let target {
                            let key = Key(dimensions: d, authority: target)
                            if let p = published[key], !p.isNull {
                                v = p
                                if fromAreas.contains(key) { usedAreas.insert(comparator) }
                            } else if let values = councilValues[key] {
                                v = try Aggregate.avg.compute(values, rowCount: values.count, at: range)
                                computed.insert(comparator)
                            }
                        }
                    }
                }
                if v.isNull, !own.isNull {
                    if missing[i].rows == 0 { missing[i].first = input.columns[inputAuthority][r].displayText }
                    missing[i].rows += 1
                }
                added[2 * i].append(v)
                added[2 * i + 1].append(try Operations.arithmetic(.subtract, own, v, at: range))
            }
        }
        var columns = input.columns
        columns.append(contentsOf: added.map(Column.init))
        var t = Table(schema: schema, columns: columns, rowCount: input.rowCount)
        t.notes = notes(Findings(shortNeighbours: shortNeighbours, usedAreas: usedAreas, computed: computed, missing: missing))
        return t
    }

    /// How the comparators' figures were found, for the notes under the result.
    package struct Findings {
        /// Rows whose neighbours' average is over fewer than all of them.
        package var shortNeighbours = 0
        /// Comparators with a figure from the companion of published figures.
        package var usedAreas: Set<Comparator> = []
        /// Comparators with a figure that is the councils' plain average.
        package var computed: Set<Comparator> = []
        /// Per comparator: rows with a value of their own but none to compare with, and the first.
        package var missing: [(rows: Int, first: String)]

        package init(shortNeighbours: Int = 0, usedAreas: Set<Comparator> = [], computed: Set<Comparator> = [], missing: [(rows: Int, first: String)]) {
            self.shortNeighbours = shortNeighbours
            self.usedAreas = usedAreas
            self.computed = computed
            self.missing = missing
        }
    }

    /// The notes that say where each comparator's figures come from, and on how many rows one
    /// is missing and why, so a null is not taken for a gap in the data.
    package func notes(_ f: Findings) -> [ResultNote] {
        var notes: [ResultNote] = []
        if comparators.contains(.neighbours) {
            notes.append(ResultNote(.comparatorSource, "neighbours_value: the plain average of the council's 10 DfE statistical neighbours (2025 model)"
                           + (f.shortNeighbours > 0 ? "; on \(f.shortNeighbours) row\(f.shortNeighbours == 1 ? "" : "s") some neighbours have no value and the average is over the rest" : "")))
        }
        for c in comparators where f.usedAreas.contains(c) {
            notes.append(ResultNote(.comparatorSource, "\(c.rawValue)_value: the published \(c == .region ? "regional" : "England") figure, from \(areas?.name ?? "")"
                           + (f.computed.contains(c) ? "; where none is published, the plain average of the \(c == .region ? "region's " : "")councils' \(valueName)" : "")))
        }
        for c in comparators where f.computed.contains(c) && !f.usedAreas.contains(c) {
            notes.append(ResultNote(.comparatorSource, "\(c.rawValue)_value: \(source.name) has no published \(c.rawValue) figure, so it is the plain average of the \(c == .region ? "region's " : "")councils' \(valueName)"))
        }
        for (i, c) in comparators.enumerated() where i < f.missing.count && f.missing[i].rows > 0 {
            let why: String
            switch c {
            case .neighbours: why = "no statistical neighbours in the 2025 model (a council abolished before it), or none with a value then"
            case .region: why = "no figure for their region in that period, published or from its councils"
            case .england: why = "no England figure for that period, published or from the councils"
            }
            let n = f.missing[i].rows
            notes.append(ResultNote(.comparatorMissing, "\(c.rawValue)_value is null on \(n) row\(n == 1 ? "" : "s") with a value of \(n == 1 ? "its" : "their") own (the first: \(f.missing[i].first)): \(why)",
                                    counts: ["rows": n]))
        }
        return notes
    }

    /// Each council's statistical neighbours, by identity, from the `neighbours` dataset.
    private func neighbourLists(_ env: RuntimeEnvironment, _ identity: (Value) -> String?) throws -> [String: [String]] {
        let t = try env.table(.dataset("neighbours"))
        guard let own = t.column(named: "authority_code"), let other = t.column(named: "neighbour_code") else { return [:] }
        var out: [String: [String]] = [:]
        for r in 0..<t.rowCount {
            if let a = identity(own[r]), let b = identity(other[r]) { out[a, default: []].append(b) }
        }
        return out
    }
}
