import ArgumentParser
import IQL

/// CSV files to query beside the bundled data, and how to read them.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data"),
            help: ArgumentHelp("Add a CSV file as the dataset NAME (repeatable).", valueName: "name=path"),
            completion: .file(extensions: ["csv"]))
    var files: [String] = []

    @Option(name: .customLong("time"),
            help: ArgumentHelp("The time column of --data dataset NAME (what previous, next and latest order by when none is named).",
                               valueName: "name=column"))
    var timeColumns: [String] = []

    @Option(name: .customLong("date-format"),
            help: ArgumentHelp("Read --data files' slash dates (31/03/2024) day first or month first; without it, the file's values decide where they can.",
                               valueName: "dmy|mdy"),
            completion: .list(DateOrder.allCases.map(\.rawValue)))
    var dateFormat: String?

    @Flag(help: "Leave out rows of --data files with the wrong number of fields (and say which) instead of stopping at the first.")
    var lenient = false

    @Option(name: .customLong("connect"),
            help: ArgumentHelp("Run queries inside a PostgreSQL database, whose tables and views are the datasets (docs/sql.md).",
                               valueName: "postgresql://…"))
    var connect: String?

    func apply(to a: inout Arguments) throws {
        for spec in files {
            let (name, path) = try Self.split(spec, option: "--data", shape: "NAME=PATH.csv")
            a.data.append((name, path))
        }
        for spec in timeColumns {
            let (name, column) = try Self.split(spec, option: "--time", shape: "NAME=COLUMN")
            guard a.data.contains(where: { $0.name == name }) else {
                throw ValidationError("--time \(name)=…: no --data \(name)=FILE.csv to take it")
            }
            a.timeColumns[name] = column
        }
        if let f = dateFormat {
            guard let order = DateOrder(spelling: f) else {
                throw ValidationError("unknown date format '\(f)': use dmy (DD/MM/YYYY, the UK's) or mdy (MM/DD/YYYY)")
            }
            a.dateOrder = order
        }
        a.lenient = lenient
        if let connect {
            guard !connect.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--connect takes a database address: postgresql://USER@HOST:PORT/DATABASE")
            }
            a.connect = connect
        }
    }

    /// `NAME=VALUE`, with neither part empty.
    private static func split(_ spec: String, option: String, shape: String) throws -> (String, String) {
        guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
            throw ValidationError("\(option) takes \(shape), found '\(spec)'")
        }
        return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
    }
}
