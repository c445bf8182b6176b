import ArgumentParser
import IQL

/// What to run and how to print it.
struct QueryOptions: ParsableArguments {
    // Unconditional: a query may itself start with a dash (`-c "-1 + 2"`).
    @Option(name: [.customShort("c"), .customLong("command")], parsing: .unconditional,
            help: ArgumentHelp("Run a query (or several statements) given as text.", valueName: "query"))
    var query: String?

    @Option(name: [.customShort("p"), .customLong("param")],
            help: ArgumentHelp("Give a script parameter a value (repeatable).", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: [.customShort("f"), .customLong("format")], help: "How results are printed.")
    var format: OutputFormat = .table

    func apply(to a: inout Arguments) throws {
        a.query = query
        a.format = format
        for spec in parameters {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex else {
                throw ValidationError("--param takes NAME=VALUE, found '\(spec)'")
            }
            var name = String(spec[..<eq])
            if name.hasPrefix("$") { name.removeFirst() }
            let text = String(spec[spec.index(after: eq)...])
            guard a.parameters[name] == nil else { throw ValidationError("--param \(name) is given twice") }
            a.parameters[name] = Value.parseLiteral(text) ?? .text(text)
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
