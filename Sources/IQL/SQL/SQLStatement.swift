import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// One statement of a script compiled to SQL (`Engine.sql`).
public struct SQLStatement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A pipeline: its rows, in the order iql gives them.
        case result
        /// An `assert`: one row holding true, or an error whose message is the assertion.
        case assertion
    }

    public var kind: Kind
    /// The comment above the pipeline in the script, which iql prints over its result; it is
    /// kept out of the SQL text, where only escaped literals and quoted names carry the
    /// user's words.
    public var title: String?
    /// The statement, without a closing semicolon.
    public var text: String
}
