/// A problem found in a query or script: an error that stops it, or a warning that does not.
///
/// Diagnostics are data: the message, where it applies, and what might fix it. `render` turns
/// them into text only when they are shown. The code and message come together from one
/// `DiagnosticMessage`, so neither can be changed without the other.
public struct Diagnostic: Sendable, Hashable, Error {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    /// What kind of problem it is. `incompleteInput` means more text could make the input valid
    /// (an unclosed string or bracket, a trailing `|`), which a REPL answers with a continuation line.
    public enum Kind: String, Sendable, Hashable {
        case incompleteInput = "incomplete-input"
        case syntax
        case name
        case type
        case value
        case runtime
        case data
    }

    /// Error, warning or note.
    public var severity: Severity
    /// The stable code, e.g. `IQL0201`, explained by `iql --explain` and `docs/errors.md`.
    public let code: DiagnosticCode
    /// The kind, for tools that react to one (the REPL to `incompleteInput`).
    public let kind: Kind
    /// The message, one sentence without a final full stop.
    public let message: String
    /// Where in the source it applies, if anywhere.
    public var range: SourceRange?
    /// Text printed after the caret, e.g. `did you mean 'authority'?`.
    public var label: String?
    /// The text that would fix it, when there is one (the closest name).
    public var suggestion: String?
    /// Further lines printed under the snippet.
    public var notes: [String]

    /// Makes a diagnostic from a catalogue message, which brings its code; its kind is the
    /// code's unless given.
    public init(_ severity: Severity, _ message: DiagnosticMessage, at range: SourceRange? = nil,
                label: String? = nil, suggestion: String? = nil, notes: [String] = [], kind: Kind? = nil) {
        self.severity = severity
        self.code = message.code
        self.kind = kind ?? message.code.kind
        self.message = message.text
        self.range = range
        self.label = label
        self.suggestion = suggestion
        self.notes = notes
    }

    /// Every field as given, for decoding a diagnostic written by `encode(to:)`.
    package init(severity: Severity, code: DiagnosticCode, kind: Kind, message: String, range: SourceRange?,
         label: String?, suggestion: String?, notes: [String]) {
        self.severity = severity
        self.code = code
        self.kind = kind
        self.message = message
        self.range = range
        self.label = label
        self.suggestion = suggestion
        self.notes = notes
    }

    package static func error(_ message: DiagnosticMessage, at range: SourceRange?, label: String? = nil,
                      suggestion: String? = nil, notes: [String] = [], kind: Kind? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: range, label: label, suggestion: suggestion, notes: notes, kind: kind)
    }

    package static func warning(_ message: DiagnosticMessage, at range: SourceRange?, label: String? = nil,
                        suggestion: String? = nil, notes: [String] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: range, label: label, suggestion: suggestion, notes: notes)
    }
}
