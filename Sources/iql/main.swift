import IQL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

do {
    var runner = Runner(try Arguments.parse(Array(CommandLine.arguments.dropFirst())))
    let code = runner.main()
    // The process ends here: freeing what the session built (a long script's tables, one by
    // one) would only delay the exit.
    withExtendedLifetime(runner) { exit(code) }
} catch {
    Terminal.err("iql: \(error.message)\n\n" + Arguments.usage + "\n")
    exit(2)
}
