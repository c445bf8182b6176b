// `import IQL` is all an embedder writes: the layers below are re-exported, so their public
// types (Value, Table, Diagnostic, …) are IQL's.
@_exported import IQLCore
@_exported import IQLStorage
@_exported import IQLLanguage
@_exported import IQLExecution
