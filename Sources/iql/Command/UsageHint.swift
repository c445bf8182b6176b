import ArgumentParser
import IQL

/// A line added under argument-parser's message for an unknown option: the closest option
/// `iql` has (read from its own generated help, so it cannot drift from the declarations), or
/// where an option of earlier versions went.
enum UsageHint {
    /// Options earlier versions had, and what took their place.
    static let moved: [String: String] = [
        "--schema": "the datasets are listed by `iql schema`, one dataset's columns by `iql schema NAME`",
    ]

    static func hint(for message: String) -> String? {
        let prefix = "Unknown option '"
        guard message.hasPrefix(prefix), let end = message.dropFirst(prefix.count).firstIndex(of: "'") else {
            if message.hasPrefix("The option '--no-optimize' does not take any value") {
                return "--no-optimize leaves out every pass; leave out some with --skip-pass PASS[,PASS…]"
            }
            return nil
        }
        let option = String(message[message.index(message.startIndex, offsetBy: prefix.count)..<end])
        if let moved = moved[option] { return moved }
        guard option.hasPrefix("--"), let close = Engine.closest(to: option, among: longOptions) else { return nil }
        return "did you mean '\(close)'?"
    }

    /// Every long option in `iql --help`.
    static var longOptions: [String] {
        let help = IQLCommand.helpMessage(columns: 10_000)
        var names: Set<String> = []
        var rest = Substring(help)
        while let start = rest.range(of: "--") {
            let name = rest[start.lowerBound...].prefix { $0 == "-" || $0.isLetter }
            if name.count > 2 && !name.hasSuffix("-") { names.insert(String(name)) }
            rest = rest[start.upperBound...]
        }
        return names.sorted()
    }
}
