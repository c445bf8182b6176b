import IQLCore
import Foundation

/// The one error type IQL throws: every diagnostic that stopped the query, and the source they
/// point into, so the error can render itself.
public struct IQLError: Error, Sendable, CustomStringConvertible {
    /// The diagnostics, errors first in source order, then warnings.
    public var diagnostics: [Diagnostic]
    /// The source the diagnostics' ranges refer to.
    public var source: SourceFile?
    /// Results of the statements that ran before a script failed, in order.
    public var completedResults: [TitledTable] = []

    /// Wraps diagnostics.
    public init(_ diagnostics: [Diagnostic], source: SourceFile?) {
        self.diagnostics = diagnostics
        self.source = source
    }

    /// True when the only errors are `incompleteInput`: more text might make the input valid.
    public var isIncompleteInput: Bool {
        let errors = diagnostics.filter { $0.severity == .error }
        return !errors.isEmpty && errors.allSatisfy { $0.kind == .incompleteInput }
    }

    /// All diagnostics rendered as text, without colour.
    public var description: String {
        DiagnosticRenderer(color: false).render(diagnostics, in: source)
    }
}

extension IQLError: LocalizedError {
    /// The diagnostics as text, as `description` renders them (for `error.localizedDescription`).
    public var errorDescription: String? { description }

    /// The diagnostics that stopped the query.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// The warnings found beside them.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Where a diagnostic points: 1-based line and column (in characters) in `source`; nil for
    /// one with no range (a limit reached while running) or when the source is unknown.
    public func location(of diagnostic: Diagnostic) -> (line: Int, column: Int)? {
        guard let source else { return nil }
        return diagnostic.location(in: source)
    }
}

extension Diagnostic {
    /// The 1-based line and column (in characters) where this diagnostic's range starts in
    /// the source it was made for; nil when it has no range.
    public func location(in source: SourceFile) -> (line: Int, column: Int)? {
        range.map { source.location(of: $0.start) }
    }
}


/// A result table with the comment above its statement (`ScriptResult.Item`): here, below the
/// engine, so the error type can carry the results of the statements that ran before it.
public struct TitledTable: Sendable {
    /// The comment above the statement, if any.
    public var title: String?
    /// The result.
    public var table: Table

    /// A table and its title.
    public init(title: String?, table: Table) {
        self.title = title
        self.table = table
    }
}
