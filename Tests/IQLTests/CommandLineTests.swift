import Foundation
import Testing
import IQL

/// The command line as argument-parser declares it: help, usage errors, exit codes, options
/// anywhere on the line, and the shell completion scripts generated from the same declarations.
struct CommandLineTests {
    /// Every long option `iql --help` lists.
    /// The long options `iql --help` lists, and with a subcommand those its help lists too.
    static func longOptions(subcommand: String? = nil) throws -> Set<String> {
        let help = try CLITests.iql((subcommand.map { [$0] } ?? []) + ["--help"]).stdout
        var names: Set<String> = []
        for line in help.split(separator: "\n") where line.hasPrefix("  -") {
            for word in line.split(separator: " ") {
                for part in word.split(separator: "/") where part.hasPrefix("--") {
                    names.insert(String(part.prefix { $0 == "-" || $0.isLetter }))
                }
            }
        }
        return names
    }

    @Test func helpListsEveryOptionGroupAndSubcommand() throws {
        let help = try CLITests.iql(["--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        for heading in ["QUERY:", "DATA:", "LIMITS AND SAFETY:", "PLANS AND TIMING:", "SUBCOMMANDS:"] {
            #expect(help.stdout.contains("\n\(heading)\n"), "\(heading)")
        }
        for sub in ["run (default)", "check", "schema"] { #expect(help.stdout.contains("  \(sub) ")) }
        let options = try Self.longOptions()
        for o in ["--command", "--param", "--format", "--data", "--time", "--date-format", "--lenient", "--safe",
                  "--time-limit", "--max-rows", "--max-memory", "--plan", "--analyze", "--no-optimize", "--skip-pass",
                  "--timer", "--diagnostics", "--color", "--no-color", "--explain", "--version", "--help"] {
            #expect(options.contains(o), "--help does not list \(o)")
        }
        // The values of --format come from OutputFormat itself (svg was once left out).
        let flowed = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flowed.contains("values: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))
        #expect(try CLITests.iql(["-h"]).stdout == help.stdout)
        let check = try CLITests.iql(["help", "check"])
        #expect(check.status == 0 && check.stdout.contains("USAGE: iql check <file.iql>"), "\(check.stdout)")
    }

    @Test func usageErrorsExitTwoWithTheUsage() throws {
        for (args, says) in [(["--fromat", "csv", "-c", "from authorities"], "(did you mean '--format'?)"),
                             (["--format", "xml"], "Please provide one of the following"),
                             (["--max-rows", "0", "-c", "from authorities"], "--max-rows takes a whole number of rows, found '0'"),
                             (["--param", "=1", "-c", "from authorities"], "--param takes NAME=VALUE, found '=1'"),
                             (["check", "a.iql", "b.iql"], "Unexpected argument 'b.iql'")] {
            let r = try CLITests.iql(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("iql: "), "\(r.stderr)")
            #expect(r.stderr.contains(says), "\(args): \(r.stderr)")
            #expect(r.stderr.contains("Usage: iql"), "\(r.stderr)")
            #expect(r.stderr.contains("See 'iql --help'") || r.stderr.contains("See 'iql check --help'"), "\(r.stderr)")
        }
    }

    /// Options belong to `iql` itself, so they may stand before or after a subcommand or file,
    /// and `-c` takes the next word whatever it starts with.
    @Test func optionsStandAnywhere() throws {
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.iql")
        try "param k\nfrom authorities | where region == $k | count\n".write(to: file, atomically: true, encoding: .utf8)
        let expected = "n\n33\n"
        for args in [["run", file.path, "--param", "k=London", "-f", "csv"],
                     ["--param", "k=London", "run", file.path, "--format=csv"],
                     ["-p", "k=London", "--format", "csv", file.path],
                     [file.path, "-p", "k=London", "--format", "csv"]] {
            let r = try CLITests.iql(args)
            #expect(r.status == 0 && r.stdout == expected, "\(args): \(r.stdout)\(r.stderr)")
        }
        // Flags that need a query see the file the subcommand took, wherever they stand.
        for args in [["--plan", file.path, "-p", "k=London"], [file.path, "--plan", "-p", "k=London"],
                     ["run", file.path, "--analyze", "-p", "k=London"], ["--sql", "duckdb", file.path, "-p", "k=London"]] {
            let r = try CLITests.iql(args)
            #expect(r.status == 0 && !r.stdout.isEmpty, "\(args): \(r.stderr)")
        }
        let dash = try CLITests.iql(["--format", "csv", "-c", "-1 + 2 == 1 | count"])
        #expect(dash.status != 2, "\(dash.stderr)")
    }

    /// `iql --generate-completion-script SHELL` writes a script for bash, zsh and fish that
    /// offers every option, subcommand, output format and optimiser pass.
    @Test func completionScriptsOfferEverything() throws {
        let options = try Self.longOptions()
        for shell in ["bash", "zsh", "fish"] {
            let r = try CLITests.iql(["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stderr.isEmpty, "\(shell): \(r.stderr)")
            let script = r.stdout
            #expect(script.count > 1_000)
            for o in options where o != "--help" {
                // fish names long options without their dashes (`-l format`), in a list of names.
                let spelled = shell == "fish" ? String(o.dropFirst(2)) : o
                #expect(script.contains(spelled), "\(shell) leaves out \(o)")
            }
            for word in ["schema", "check", "run"] + OutputFormat.allCases.map(\.rawValue) + Engine.optimizerPasses {
                #expect(script.contains(word), "\(shell) leaves out \(word)")
            }
        }
        #expect(try CLITests.iql(["--generate-completion-script", "tcsh"]).status == 2)
    }

    /// The bash script completes for real: sourced into bash, asked as bash asks it at a Tab,
    /// with dataset names from `iql` itself.
    @Test func bashCompletesOptionsValuesAndDatasets() throws {
        let bash = URL(fileURLWithPath: "/bin/bash")
        guard FileManager.default.isExecutableFile(atPath: bash.path) else { return }
        let dir = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("iql.bash")
        try CLITests.iql(["--generate-completion-script", "bash"]).stdout.write(to: script, atomically: true, encoding: .utf8)
        let driver = """
            source '\(script.path)'
            complete_line() {
                COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<"$1"
                [[ "$1" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
                _iql iql "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
                echo "${COMPREPLY[*]}"
            }
            complete_line 'iql --fo'
            complete_line 'iql --format '
            complete_line 'iql --skip-pass '
            complete_line 'iql sch'
            complete_line 'iql schema insp'
            complete_line 'iql --explain IQL020'
            """
        let p = Process()
        p.executableURL = bash
        p.arguments = ["-O", "extglob", "-c", driver]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = CLITests.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        p.waitUntilExit()
        try #require(lines.count >= 6, "\(lines)")
        #expect(lines[0] == "--format")
        #expect(lines[1] == OutputFormat.allCases.map(\.rawValue).joined(separator: " "))
        #expect(lines[2] == Engine.optimizerPasses.joined(separator: " "))
        #expect(lines[3] == "schema")
        #expect(lines[4] == "inspections")
        #expect(lines[5].split(separator: " ").contains("IQL0201"))
    }

    /// Every option the docs show in an `iql` (or `scripts/run`) command, or name on its own in
    /// the README and the language reference, is one `iql --help` lists.
    @Test func theDocsNameOnlyOptionsIQLHas() throws {
        let options = try Self.longOptions().union(["--generate-completion-script"])
        // An option of a subcommand counts in a command that names it (`iql export --to`).
        var subcommandOptions: [String: Set<String>] = [:]
        for sub in ["run", "check", "schema", "export"] { subcommandOptions[sub] = try Self.longOptions(subcommand: sub).union(options) }
        #expect(subcommandOptions["export"]?.contains("--to") == true)
        var checked = 0
        for file in ["README.md", "docs/language.md", "docs/errors.md", "docs/queries.md", "docs/performance.md", "docs/reliability.md", "docs/sql.md"] {
            let text = try Repo.read(file)
            let standalone = file == "README.md" || file == "docs/language.md"
            var commands: [Substring] = []
            // Code spans, and the lines of fenced blocks.
            var inBlock = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") { inBlock.toggle(); continue }
                if inBlock { commands.append(line.drop { $0 == " " || $0 == "$" }); continue }
                let spans = line.split(separator: "`", omittingEmptySubsequences: false)
                for (i, span) in spans.enumerated() where i % 2 == 1 { commands.append(span) }
            }
            for command in commands {
                let isIQL = command.hasPrefix("iql ") || command.hasPrefix("scripts/run ") || (standalone && command.hasPrefix("--"))
                guard isIQL else { continue }
                let words = command.split(separator: " ")
                let known = words.count > 1 ? subcommandOptions[String(words[1])] ?? options : options
                for word in words where word.hasPrefix("--") {
                    let name = String(word.prefix { $0 == "-" || $0.isLetter })
                    guard name.count > 2 else { continue }
                    checked += 1
                    #expect(known.contains(name), "\(file): `\(command)` names \(name), which iql does not have")
                }
            }
        }
        #expect(checked >= 20)
    }
}
