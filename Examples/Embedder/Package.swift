// swift-tools-version:6.0
// An outside tool that embeds IQL: it depends on the package by path and uses only `import IQL`.
// `scripts/test` builds and runs it; the README's embedding section is its main.swift.
import PackageDescription

let package = Package(
    name: "Embedder",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "IQL", path: "../..")],
    targets: [
        .executableTarget(name: "Embedder", dependencies: [.product(name: "IQL", package: "IQL")]),
    ],
    swiftLanguageModes: [.v6]
)
