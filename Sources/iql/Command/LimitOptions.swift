import ArgumentParser
import IQL

/// What a query may use and touch. None of the limits is set unless given, as a person at a
/// terminal can press Ctrl-C (the library's defaults are for servers).
struct LimitOptions: ParsableArguments {
    @Flag(help: "Refuse every file a query or dot command would write or read (chart … to, .output FILE, .read, .load, .save); by default charts may be saved in the working folder.")
    var safe = false

    @Option(name: .customLong("time-limit"),
            help: ArgumentHelp("Stop a query that runs longer (default: no limit; Ctrl-C stops one).", valueName: "seconds"))
    var seconds: String?

    @Option(name: .customLong("max-rows"),
            help: ArgumentHelp("Stop a query when a stage would make more than N rows (default: no limit).", valueName: "n"))
    var rows: String?

    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("Stop a query whose intermediate results and let tables would pass MB megabytes (default: no limit).",
                               valueName: "mb"))
    var megabytes: String?

    func apply(to a: inout Arguments) throws {
        a.safe = safe
        if let v = seconds {
            guard let s = Double(v), s > 0, s.isFinite, s < 1e9 else {
                throw ValidationError("--time-limit takes a number of seconds, found '\(v)'")
            }
            a.limits.time = .milliseconds(Int64((s * 1000).rounded(.up)))
        }
        if let v = rows {
            guard let n = Int(v), n > 0 else {
                throw ValidationError("--max-rows takes a whole number of rows, found '\(v)'")
            }
            a.limits.rows = n
        }
        if let v = megabytes {
            guard let mb = Int(v), mb > 0, mb < 1 << 40 else {
                throw ValidationError("--max-memory takes a whole number of megabytes, found '\(v)'")
            }
            a.limits.memory = mb << 20
        }
    }
}
