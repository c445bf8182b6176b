import Foundation
import IQL
import Testing

/// Uses only the public API, as another Swift tool would after `import IQL`.
struct EmbeddingTests {
    @Test func anotherToolRunsAQuery() throws {
        let engine = Engine()
        let table = try engine.query(#"from children_in_care | where authority == "Oxfordshire" and year == 2019 | select children"#)
        #expect(table.schema.columns.map(\.name) == ["children"])
        #expect(table.schema.columns.first?.type == .number)
        #expect(table.rows == [[.int(779)]])
    }

    @Test func registersItsOwnTableAndJoinsBundledData() throws {
        var engine = Engine()
        let schema = Schema(columns: [Schema.Field(name: "authority", type: .text), Schema.Field(name: "team", type: .text)])
        let mine = try Table(schema: schema, rows: [[.text("Oxfordshire"), .text("South")], [.text("Oldham"), .text("North")]])
        try engine.register(mine, as: "teams")
        let t = try engine.query("from teams | join authorities on authority | sort authority | select authority, team, dfe_code")
        #expect(t.rows == [[.text("Oldham"), .text("North"), .text("353")], [.text("Oxfordshire"), .text("South"), .text("931")]])
    }

    @Test func errorsCarryDiagnosticsWithRangesAndRenderThemselves() {
        let engine = Engine()
        do {
            _ = try engine.query("from inspections | where athority == \"Oldham\"")
            Issue.record("expected an error")
        } catch {
            let d = error.diagnostics.first
            #expect(d?.severity == .error)
            #expect(d?.suggestion == "authority")
            #expect(d?.range == SourceRange(start: 25, end: 33))
            #expect(error.description.contains("^^^^^^^^ did you mean 'authority'?"))
        }
    }

    @Test func checkReportsWithoutRunning() {
        let diagnostics = Engine().check("from inspections | where overall >= \"Good\" | count by regoin")
        #expect(diagnostics.map(\.message) == ["no column 'regoin' in inspections"])
    }

    @Test func parametersAndScriptsReturnEveryResult() throws {
        var engine = Engine()
        let result = try engine.run("""
            param council
            from children_in_care | where authority == $council | count
            from inspections | where authority == $council | count
            """, parameters: ["council": .text("Oxfordshire")])
        #expect(result.tables.count == 2)
        #expect(result.tables[0].rows == [[.int(16)]])
    }

    @Test func cancellationStopsAQueryAndTheEngineStaysUsable() throws {
        var engine = Engine()
        let flag = CancellationFlag()
        engine.cancellation = flag
        flag.cancel()
        #expect(throws: IQLError.self) { try engine.query("from providers | count") }
        flag.reset()
        #expect(try engine.query("from providers | count").rows == [[.int(3546)]])
    }

    @Test func schemaIntrospection() throws {
        let engine = Engine()
        #expect(engine.datasetNames.contains("inspections"))
        let s = try #require(engine.schema(of: "inspections"))
        #expect(s.timeColumn == "published")
        #expect(s.columns.first { $0.name == "overall" }?.type == .rating)
    }

    @Test func renderersForEveryFormat() throws {
        let t = try Engine().query("from authorities | where authority == \"Oxfordshire\" | select authority, dfe_code")
        #expect(OutputFormat.csv.render(t) == "authority,dfe_code\nOxfordshire,931\n")
        #expect(OutputFormat.json.render(t) == "[\n  {\"authority\": \"Oxfordshire\", \"dfe_code\": \"931\"}\n]\n")
        #expect(OutputFormat.markdown.render(t) == "| authority | dfe_code |\n| --- | --- |\n| Oxfordshire | 931 |\n")
        #expect(OutputFormat.table.render(t).hasSuffix("1 row\n"))
    }

    /// The README's embedding section is the example package's program, character for
    /// character, so the code people copy is code that CI builds and runs.
    @Test func theReadmesEmbeddingCodeIsTheExamplePackage() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let main = try String(contentsOf: root.appendingPathComponent("Examples/Embedder/Sources/Embedder/main.swift"), encoding: .utf8)
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(main.contains("import IQL") && !main.contains("@testable"))
        #expect(readme.contains("## Embedding\n") && readme.contains("```swift\n" + main + "```\n"))
        let ci = try String(contentsOf: root.appendingPathComponent("scripts/test"), encoding: .utf8)
        #expect(ci.contains("--package-path Examples/Embedder"))
    }

    /// Every call into the platform's C library names its module inside the `#if` that
    /// imports it, and no source embeds data in a way only one toolchain accepts (`.incbin`).
    @Test func platformCallsAreFencedAndDataIsPortable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        #expect(files.count > 50)
        for file in files {
            #expect(!file.hasSuffix(".S") && !file.hasSuffix(".s"), "\(file): assembler is not portable")
            guard file.hasSuffix(".swift") || file.hasSuffix(".c") || file.hasSuffix(".h") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains(".incbin"), "\(file)")
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for (k, line) in lines.enumerated() where k > 0 {
                if line.contains("Glibc.") { #expect(lines[k - 1] == "#if canImport(Glibc)", "\(file):\(k + 1) \(line)") }
                if line.contains("Darwin.") { #expect(lines[k - 1] == "#elseif canImport(Darwin)", "\(file):\(k + 1) \(line)") }
            }
        }
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!package.contains(".brew("))
    }

    /// What only the command-line tool needs is `package`, not `public`: an embedder renders
    /// through `OutputFormat` and reads diagnostics as values, and no two public types share a
    /// name (the schema's entries are `Schema.Field`, the values a `Column`).
    @Test func theToolsOwnHelpersAreNotPublic() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for file in ["IQL/Output/CSVWriter.swift", "IQL/Output/JSONWriter.swift", "IQL/Output/MarkdownWriter.swift", "IQL/Output/TableRenderer.swift",
                     "IQL/Output/LineRenderer.swift", "IQL/Output/ChartRenderer.swift", "IQL/Output/DiagnosticJSON.swift",
                     "IQLCore/Source/SourceDecoding.swift", "IQL/API/SchemaDescription.swift"] {
            let text = try String(contentsOf: root.appendingPathComponent("Sources/" + file), encoding: .utf8)
            #expect(!text.contains("public "), "\(file) declares something public")
        }
        let engine = try String(contentsOf: root.appendingPathComponent("Sources/IQL/API/Engine.swift"), encoding: .utf8)
        for name in ["needsMoreInput", "closest(to", "parametersFromCommandLine"] {
            #expect(!engine.contains("public static func \(name)") && !engine.contains("public var \(name)"), "\(name)")
        }
        // Every public type's name is its own.
        var names: [String: Int] = [:]
        for (_, text) in try Repo.librarySources() {
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard words.count >= 3, words[0] == "public", ["struct", "enum", "class"].contains(words[1])
                        || (words[1] == "final" && words[2] == "class") else { continue }
                let name = String((words[1] == "final" ? words[3] : words[2]).prefix { $0.isLetter || $0.isNumber })
                names[name, default: 0] += 1
            }
        }
        #expect(names["Column"] == 1 && names["Field"] == 1)
        #expect(names.filter { $0.value > 1 && $0.key != "Kind" }.isEmpty, "\(names.filter { $0.value > 1 })")
    }
}
