import IQLCore
/// A dataset that ships inside IQL: its schema, a description, and its CSV text.
public struct BundledDataset: Sendable {
    /// The name queries use after `from`.
    public var name: String
    /// One line saying what the rows are.
    public var summary: String
    /// Where the data comes from.
    public var source: String
    /// Column names, types and descriptions; `timeColumn` says which column orders rows in time.
    public var schema: Schema
    /// The dataset holding the same figures for England, the regions and London's halves as
    /// the publisher gives them (`children_in_care_areas` beside `children_in_care`), which
    /// `compare … with region, england` reads instead of averaging the councils.
    public internal(set) var areas: String?
    package let csv: String
    /// Builds the table some other way than by parsing `csv` (the compressed LAIT table).
    package let build: (@Sendable () throws(IQLError) -> Table)?

    package init(name: String, summary: String, source: String, schema: Schema, csv: String) {
        self.name = name
        self.summary = summary
        self.source = source
        self.schema = schema
        self.csv = csv
        self.build = nil
    }

    package init(name: String, summary: String, source: String, schema: Schema,
         build: @escaping @Sendable () throws(IQLError) -> Table) {
        self.name = name
        self.summary = summary
        self.source = source
        self.schema = schema
        self.csv = ""
        self.build = build
    }

    /// The bundled datasets, in the order `.datasets` lists them.
    public static let all: [BundledDataset] = [
        authorities, inspections, visits, childrenInCare, childrenInNeed, childProtectionPlans, referrals,
        childPopulation, childrenInCareAreas, childrenInNeedAreas, childProtectionPlansAreas, referralsAreas,
        childPopulationAreas, neighbours, providers, indicators, measures,
    ]

    /// This dataset with its England-and-regions companion named.
    package func withAreas(_ name: String) -> BundledDataset {
        var d = self
        d.areas = name
        return d
    }

    /// Looks a bundled dataset up by name.
    public static func named(_ name: String) -> BundledDataset? { all.first { $0.name == name } }
}

/// Namespace for the generated CSV literals (Sources/IQLStorage/Bundled/Generated).
package enum BundledCSV {}

extension Schema.Field {
    package static func number(_ name: String, _ summary: String) -> Self { .init(name: name, type: .number, summary: summary) }
    package static func text(_ name: String, _ summary: String) -> Self { .init(name: name, type: .text, summary: summary) }
    package static func date(_ name: String, _ summary: String) -> Self { .init(name: name, type: .date, summary: summary) }
    package static func rating(_ name: String, _ summary: String) -> Self { .init(name: name, type: .rating, summary: summary) }
    package static func bool(_ name: String, _ summary: String) -> Self { .init(name: name, type: .bool, summary: summary) }
}
