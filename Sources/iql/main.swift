import ArgumentParser
import Foundation
import IQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments: Arguments
do {
    var command = try IQLCommand.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
    guard let resolved = command as? any ResolvesArguments else {
        // `iql help [SUBCOMMAND]`: argument-parser's own command, which ends by "throwing" the help.
        try command.run()
        exit(0)
    }
    arguments = try resolved.arguments()
} catch {
    let text = IQLCommand.fullMessage(for: error)
    // Help, --generate-completion-script: what was asked for, on stdout.
    if IQLCommand.exitCode(for: error) == .success {
        Terminal.out(text.hasSuffix("\n") ? text : text + "\n")
        exit(0)
    }
    // Every usage error, argument-parser's or ours, exits 2 (argument-parser's default is 64).
    // Every option belongs to iql itself, so its help is the one to read.
    let message = (text.hasPrefix("Error: ") ? String(text.dropFirst("Error: ".count)) : text)
        .replacingOccurrences(of: "'iql run --help'", with: "'iql --help'")
    let hint = UsageHint.hint(for: IQLCommand.message(for: error)).map { "  (\($0))\n" } ?? ""
    let lines = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    Terminal.err("iql: " + lines[0] + "\n" + hint + (lines.count > 1 ? lines[1] + (message.hasSuffix("\n") ? "" : "\n") : ""))
    exit(2)
}
var runner = Runner(arguments)
let code = runner.main()
// The process ends here: freeing what the session built (a long script's tables, one by
// one) would only delay the exit.
withExtendedLifetime(runner) { exit(code) }
