import IQLCore
import IQLStorage

/// `compare [VALUE] with neighbours, region, england`: for each council row, the comparator's
/// value of the same measure and period (the `dimensions`), read from the whole of the
/// pipeline's source, not just the rows that reached this stage, and the difference.
///
/// Neighbours: the plain average of the council's 10 DfE statistical neighbours that have a
/// value. Region and England: the published figure where there is one, in the source's own
/// rows (LAIT has them) or in its companion of England and regional rows (`areas`: DfE's
/// tables), otherwise the plain average of the councils, which a note says.
package struct CompareOperator: Sendable {
    package enum Comparator: String, Sendable, CaseIterable { case neighbours, region, england }

    package var source: PipelinePlan.Source
    /// The source's companion of published England and regional figures, with the same
    /// column names.
    package var areas: PipelinePlan.Source?
    package var comparators: [Comparator]
    /// The compared column in the input and in the source.
    package var inputValue: Int
    package var sourceValue: Int
    package var inputAuthority: Int
    package var sourceAuthority: Int
    /// Columns that must be equal for a source row to be the same measure and period.
    package var dimensions: [(input: Int, source: Int)]
    package var valueName: String
    package var schema: Schema

    package init(source: PipelinePlan.Source, areas: PipelinePlan.Source? = nil, comparators: [Comparator], inputValue: Int, sourceValue: Int, inputAuthority: Int, sourceAuthority: Int, dimensions: [(input: Int, source: Int)], valueName: String, schema: Schema) {
        self.source = source
        self.areas = areas
        self.comparators = comparators
        self.inputValue = inputValue
        self.sourceValue = sourceValue
        self.inputAuthority = inputAuthority
        self.sourceAuthority = sourceAuthority
        self.dimensions = dimensions
        self.valueName = valueName
        self.schema = schema
    }
}
