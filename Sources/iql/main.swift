import IQL

#if canImport(Glibc)
import Glibc
#endif

let code: Int32
do {
    var runner = Runner(try Arguments.parse(Array(CommandLine.arguments.dropFirst())))
    code = runner.main()
} catch {
    Terminal.err("iql: \(error.message)\n\n" + Arguments.usage + "\n")
    code = 2
}
exit(code)
