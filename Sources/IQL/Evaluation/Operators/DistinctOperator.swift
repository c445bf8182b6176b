/// `distinct`: the first row of each distinct combination of values, in input order. With
/// keys it keeps only the key columns; without, it compares whole rows.
struct DistinctOperator: TableOperator {
    var keys: [CompiledExpression]
    var schema: Schema

    func run(_ input: Table, _ env: RuntimeEnvironment) throws -> Table {
        let columns: [[Value]] = keys.isEmpty
            ? input.columns.map(\.values)
            : try keys.map { try Evaluating.column($0, over: input, env) }
        var seen = Set<[Value]>()
        var keep: [Int] = []
        for r in 0..<input.rowCount where seen.insert(columns.map { $0[r] }).inserted { keep.append(r) }
        return Table(schema: schema, columns: columns.map { c in Column(keep.map { c[$0] }) }, rowCount: keep.count)
    }
}
