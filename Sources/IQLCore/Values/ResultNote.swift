/// A note under a result: what the engine did that a reader could otherwise miss (an average
/// that left out nulls, a join that dropped rows), as a kind, the numbers it states, and the
/// sentence the renderers print.
public struct ResultNote: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the note is about.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An aggregate skipped null values. Counts: `nulls`, `rows`.
        case nullsLeftOut = "nulls_left_out"
        /// A `where` condition was null on some rows, which it left out. Counts: `rows`, and for
        /// each column it reads that is null on them, `column:NAME`.
        case nullCondition = "null_condition"
        /// How a join's rows matched. Counts: `rows`, `matched`, and where they apply
        /// `unmatched`, `other_spelling` (matched through another spelling or code), `null_keys`.
        case joinMatches = "join_matches"
        /// `latest` left out groups with no value in its time column. Counts: `groups`, `missing`.
        case groupsWithoutTime = "groups_without_time"
        /// Where a `compare` column's figures come from. No counts.
        case comparatorSource = "comparator_source"
        /// A `compare` column is null on rows that have a value. Counts: `rows`.
        case comparatorMissing = "comparator_missing"
        /// What `diff` found. Counts: `added`, `removed`, `changed`, `unchanged`.
        case diffSummary = "diff_summary"
        /// Which way `rank` or `quartile` ordered the values, and why. No counts.
        case rankDirection = "rank_direction"
    }

    public var kind: Kind
    /// The sentence shown under the table.
    public var message: String
    /// The numbers the message states, by the names `Kind` lists.
    public var counts: [String: Int]

    /// Makes a note.
    public init(_ kind: Kind, _ message: String, counts: [String: Int] = [:]) {
        self.kind = kind
        self.message = message
        self.counts = counts
    }

    public var description: String { message }
}
