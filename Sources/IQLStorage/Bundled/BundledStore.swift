import IQLCore
import Synchronization

/// Parses each bundled dataset once, on first use, and shares the result across engines.
package final class BundledStore: Sendable {
    package static let shared = BundledStore()

    package init() {}

    private let tables = Mutex<[String: Table]>([:])
    private let textValueCache = Mutex<[String: Set<String>]>([:])

    package func table(_ dataset: BundledDataset) throws(IQLError) -> Table {
        if let t = tables.withLock({ $0[dataset.name] }) { return t }
        let t: Table
        if let build = dataset.build {
            t = try build()
        } else {
            t = try CSVLoader.load(Array(dataset.csv.utf8), file: dataset.name, schema: dataset.schema)
        }
        tables.withLock { $0[dataset.name] = t }
        return t
    }

    /// Names of the datasets parsed and held now.
    package var loadedNames: [String] { tables.withLock { $0.keys.sorted() } }

    /// Drops every parsed table and value list; each is parsed again on its next use. Tables
    /// already handed out keep their storage until their holders let go of them.
    package func release() {
        tables.withLock { $0 = [:] }
        textValueCache.withLock { $0 = [:] }
    }

    /// Distinct values of a text column, for "no row has …" warnings.
    package func textValues(_ dataset: BundledDataset, column: String) -> Set<String>? {
        let key = dataset.name + "\u{0}" + column
        if let v = textValueCache.withLock({ $0[key] }) { return v }
        guard let t = try? table(dataset), let c = t.column(named: column) else { return nil }
        let set = c.distinctTexts
        textValueCache.withLock { $0[key] = set }
        return set
    }
}
