/// The one error type IQL throws: every diagnostic that stopped the query, and the source they
/// point into, so the error can render itself.
public struct IQLError: Error, Sendable, CustomStringConvertible {
    /// The diagnostics, errors first in source order, then warnings.
    public var diagnostics: [Diagnostic]
    /// The source the diagnostics' ranges refer to.
    public var source: SourceFile?
    /// Results of the statements that ran before a script failed, in order.
    public var completedResults: [ScriptResult.Item] = []

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
