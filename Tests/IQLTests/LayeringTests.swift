import Foundation
import Testing

/// The library is five modules whose dependencies run one way (docs: README, "Layout"): each
/// may use only the layers below it, so a reference that runs upward does not compile. These
/// tests keep the declared graph and the sources in step with that promise.
struct LayeringTests {
    /// Each library target in Package.swift depends on library modules below it only, and on
    /// every one of them that its sources import.
    @Test func packageDependenciesRunDownward() throws {
        let package = try Repo.read("Package.swift")
        let imports = try Self.importsByModule()
        for (layer, module) in Repo.libraryModules.enumerated() {
            let declaration = try #require(package.firstMatch(of: try Regex(#"\.target\(name: "\#(module)", dependencies: \[([^\]]*)\]"#)),
                                           "no target \(module) in Package.swift")
            let listed = Set(String(declaration.output[1].substring ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) })
            let library = listed.filter { Repo.libraryModules.contains($0) }
            let below = Set(Repo.libraryModules.prefix(layer))
            #expect(library.isSubset(of: below), "\(module) depends on \(library.subtracting(below).sorted()), not below it")
            let imported = imports[module, default: []].filter { Repo.libraryModules.contains($0) }
            #expect(imported.isSubset(of: library), "\(module) imports \(imported.subtracting(library).sorted()) without depending on it")
        }
    }

    /// No source file imports a library module at or above its own layer (SwiftPM would let a
    /// module already built elsewhere in the graph be imported without a declared dependency).
    @Test func noFileImportsUpward() throws {
        var files = 0
        for (path, text) in try Repo.librarySources() {
            let module = String(path.prefix { $0 != "/" })
            let layer = try #require(Repo.libraryModules.firstIndex(of: module))
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                let imported = String(line.split(separator: " ").last ?? "")
                guard let other = Repo.libraryModules.firstIndex(of: imported) else { continue }
                #expect(other < layer, "\(path) imports \(imported)")
            }
            files += 1
        }
        #expect(files > 150)
    }

    /// The module list is written out in Package.swift (the one source), and three places
    /// must follow it: every `Sources/IQL*` library folder is one of the layers (IQLPostgres is
    /// a product of its own over libpq), scripts/fuzz builds them bottom first, and scripts/docs
    /// documents the four below IQL with it.
    @Test func everyListOfTheLayersFollowsPackageSwift() throws {
        let package = try Repo.read("Package.swift")
        let declared = try package.matches(of: Regex(#"\.target\(name: "(IQL[A-Za-z]*)""#)).compactMap { $0.output[1].substring.map(String.init) }
        #expect(declared.filter { $0 != "IQLPostgres" } == Repo.libraryModules)
        let folders = try FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent("Sources").path)
            .filter { $0.hasPrefix("IQL") && $0 != "IQLPostgres" }
        #expect(Set(folders) == Set(Repo.libraryModules))
        #expect(try Repo.read("scripts/fuzz").contains("modules=(\(Repo.libraryModules.joined(separator: " ")))"))
        #expect(try Repo.read("scripts/docs").contains("-experimental-allowed-reexported-modules=\(Repo.libraryModules.dropLast().joined(separator: ","))"))
    }

    /// `import IQL` is all an embedder writes: the product re-exports every layer.
    @Test func theProductReexportsEveryLayer() throws {
        let exports = try Repo.read("Sources/IQL/API/Exports.swift")
        for module in Repo.libraryModules.dropLast() {
            #expect(exports.contains("@_exported import \(module)\n"), "\(module) is not re-exported")
        }
    }

    /// How many cores a query splits its work across is decided in one place, `Halves.width`:
    /// the kernels' halves, `TwoCores`' pieces and the CSV loader all read it, so no split can
    /// assume a core count another does not.
    @Test func theCoreCountHasOneSource() throws {
        var found: [String] = []
        for (path, text) in try Repo.librarySources() where text.contains("activeProcessorCount") { found.append(path) }
        #expect(found == ["IQLStorage/Kernels/Halves.swift"], "read the core count from Halves.width instead")
        let twoCores = try Repo.read("Sources/IQLExecution/Evaluation/TwoCores.swift")
        #expect(twoCores.contains("Halves.width"))
    }

    /// Unsafe pointers and SIMD live in IQLStorage, behind safe types (`BitWords`,
    /// `Elementwise`, `KeyNumbering`, `LatestPerKey`, the CSV reader): no file above it may
    /// spell a raw buffer, an uninitialised array or a bit cast.
    @Test func unsafeCodeLivesInStorage() throws {
        let marks = ["Unsafe", "withUnsafe", "unsafeUninitializedCapacity", "SIMD", "unsafeBitCast", "unsafeAddress", "ScratchBuffer"]
        var found: Set<String> = []
        for (path, text) in try Repo.librarySources() where !path.hasPrefix("IQLStorage/") {
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            if marks.contains(where: code.contains) { found.insert(path) }
        }
        #expect(found.isEmpty, "unsafe code outside IQLStorage: \(found.sorted())")
        // The storage layer is where it is: the check would pass vacuously if the marks were misspelt.
        let storage = try Repo.librarySources().filter { $0.path.hasPrefix("IQLStorage/") && marks.contains(where: $0.text.contains) }
        #expect(storage.count >= 5)
    }

    /// An `@inlinable` member of a `package` type that is not `@usableFromInline` is silently
    /// not inlinable: the layer above calls it unspecialised, through witness tables (a filter
    /// through `BitWords` ran 15 times slower so). Every `@inlinable` declaration's enclosing
    /// types, and the types its extensions extend, must be public or `@usableFromInline`.
    @Test func inlinableCodeIsReallyInlinable() throws {
        let sources = try Repo.librarySources()
        let declaration = try Regex(#"^\s*((?:@\w+(?:\([^)]*\))?\s+)*)(?:(?:public|package|internal|private|fileprivate|final|indirect)\s+)*(struct|enum|class|extension|protocol)\s+([\w.]+)"#)
        func code(_ line: Substring) -> String {
            String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }
        // Which types can be named from inlinable code.
        var usable: [String: Bool] = [:]
        for (_, text) in sources {
            for line in text.split(separator: "\n") {
                guard let m = code(line).firstMatch(of: declaration), let kind = m.output[2].substring, kind != "extension",
                      let name = m.output[3].substring.map(String.init) else { continue }
                let ok = line.contains("public ") || (m.output[1].substring?.contains("@usableFromInline") ?? false)
                usable[name] = (usable[name] ?? false) || ok
            }
        }
        var inlinable = 0
        var hidden: [String] = []
        for (path, text) in sources {
            var scopes: [(name: String, usable: Bool, depth: Int)] = []
            var depth = 0
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let c = code(line)
                if let m = c.firstMatch(of: declaration), let kind = m.output[2].substring, let name = m.output[3].substring.map(String.init) {
                    let ok = kind == "extension"
                        ? (usable[name] ?? usable[String(name.prefix { $0 != "." })] ?? true)
                        : line.contains("public ") || (m.output[1].substring?.contains("@usableFromInline") ?? false)
                    scopes.append((name, ok, depth))
                }
                if c.contains("@inlinable") {
                    inlinable += 1
                    let enclosing = scopes.filter { $0.depth < depth }
                    if let blocked = enclosing.first(where: { !$0.usable }) { hidden.append("\(path):\(number + 1) (\(blocked.name))") }
                }
                depth += c.filter { $0 == "{" }.count - c.filter { $0 == "}" }.count
                while let last = scopes.last, depth <= last.depth, c.contains("}") { scopes.removeLast() }
            }
        }
        #expect(inlinable > 50)
        #expect(hidden.isEmpty, "@inlinable inside a type that is neither public nor @usableFromInline: \(hidden)")
    }

    /// The modules each module's sources import, from their `import` lines.
    static func importsByModule() throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for (path, text) in try Repo.librarySources() {
            let module = String(path.prefix { $0 != "/" })
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                out[module, default: []].insert(String(line.split(separator: " ").last ?? ""))
            }
        }
        return out
    }
}
