import IQL
#if canImport(Glibc)
import Glibc
#endif
// libFuzzer target: arbitrary bytes as a CSV file, strict and lenient, then a query over
// what loaded and the table written back out. Built by scripts/fuzz as a module of the IQL
// package, so it sees `package` declarations.

@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    // The block reader and the field-by-field reader give the same table or the same error.
    let blocks = outcome { () throws(IQLError) in try CSVLoader.load(buffer: buffer, file: "fuzz.csv") }
    let fields = outcome { () throws(IQLError) in try CSVLoader.load(buffer: buffer, file: "fuzz.csv", parallel: false, blocks: false) }
    if blocks != fields {
        print("the block reader gave\n\(blocks)\nthe field-by-field reader gave\n\(fields)")
        abort()
    }
    for lenient in [false, true] {
        guard let (table, _, _) = try? CSVLoader.loadReporting(buffer: buffer, file: "fuzz.csv", lenient: lenient) else { continue }
        let csv = CSVWriter.render(table)
        _ = JSONWriter.render(table)
        _ = TableRenderer(color: false, maxWidth: 80, maxRows: 20).render(table)
        var engine = Engine(bundledData: false)
        engine.limits = EngineLimits(time: nil, rows: 200_000)
        try? engine.register(table, as: "t")
        if let first = table.schema.names.first {
            let c = "`" + first.replacingOccurrencesOf("`", "") + "`"
            _ = try? engine.query("from t | count by \(c) | sort n desc | take 3")
            _ = try? engine.query("from t | sort \(c) | take 3")
        }
        // What was written reads back with the same number of rows; if not, the harness stops
        // the run the way libFuzzer notices (this file is never part of the library or iql).
        if let again = try? CSVLoader.load(Array(csv.utf8), file: "again.csv"), again.rowCount != table.rowCount {
            print("\(table.rowCount) rows written, \(again.rowCount) read back:\n\(csv)")
            abort()
        }
    }
    return 0
}

/// A load's result as text: the schema and the rows written out, or the error's messages.
private func outcome(_ load: () throws(IQLError) -> Table) -> String {
    do {
        let table = try load()
        return table.schema.columns.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "\n" + CSVWriter.render(table)
    } catch {
        return "error: " + error.diagnostics.map(\.message).joined(separator: "; ")
    }
}
