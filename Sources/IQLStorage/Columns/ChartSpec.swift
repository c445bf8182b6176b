import IQLCore
/// What a `chart` stage draws: bars (one per row, labelled) or lines (one per series, over x).
public struct ChartSpec: Sendable, Hashable {
    /// Bar or line.
    public var kind: ChartKind
    /// The labels (bar) or the values across the page (line), by column name.
    public var x: String
    /// The values, by column name.
    public var y: String
    /// For a line chart, the column that names each line.
    public var series: String?
    /// A title for the picture (the script's comment above the statement, or the columns).
    public var title: String
    /// Where `chart … to FILE` writes the SVG picture.
    public var file: String?

    /// Describes a chart.
    public init(kind: ChartKind, x: String, y: String, series: String? = nil, title: String, file: String? = nil) {
        self.file = file
        self.kind = kind
        self.x = x
        self.y = y
        self.series = series
        self.title = title
    }
}

/// The picture a `chart` stage draws.
public enum ChartKind: String, Sendable, Hashable {
    case bar, line
}
