// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "IQL",
    products: [
        .library(name: "IQL", targets: ["IQL"]),
        // Engine(database:) over a PostgreSQL connection, through libpq.
        .library(name: "IQLPostgres", targets: ["IQLPostgres"]),
        .executable(name: "iql", targets: ["iql"]),
    ],
    dependencies: [
        // The command line: options, help, usage errors and shell completion from one declaration.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The library in layers whose dependencies run one way, each a module so the compiler
        // refuses a reference that runs upward. Bottom: values, types, diagnostics, limits.
        .target(name: "IQLCore", dependencies: [], path: "Sources/IQLCore"),
        // Columns and tables, the CSV reader and the bundled datasets: all the unsafe-pointer
        // and SIMD code, behind safe types.
        .target(name: "IQLStorage", dependencies: ["IQLCore", "CBundledData", "CLoaderSupport"], path: "Sources/IQLStorage"),
        // The language: lexer, parser, and the checker that makes a plan (data, no closures).
        .target(name: "IQLLanguage", dependencies: ["IQLCore", "IQLStorage"], path: "Sources/IQLLanguage"),
        // Execution: the optimiser's passes over plans, the operators and the vector kernels.
        .target(name: "IQLExecution", dependencies: ["IQLCore", "IQLStorage", "IQLLanguage"], path: "Sources/IQLExecution"),
        // The product: Engine, scripts, rendering, SQL; re-exports what an embedder needs.
        .target(name: "IQL", dependencies: ["IQLCore", "IQLStorage", "IQLLanguage", "IQLExecution"], path: "Sources/IQL"),
        // For the CSV loader: SSE2's byte compare and movemask, which Swift cannot spell, and malloc_trim.
        .target(name: "CLoaderSupport", path: "Sources/CLoaderSupport"),
        // zlib's inflate, for the LAIT table held gzip-compressed in generated Swift.
        .target(name: "CBundledData", path: "Sources/CBundledData", linkerSettings: [.linkedLibrary("z")]),
        .systemLibrary(
            name: "CLibEdit",
            path: "Sources/CLibEdit",
            pkgConfig: "libedit",
            // Debian's package; macOS has libedit in its SDK.
            providers: [.apt(["libedit-dev"])]
        ),
        // libpq's header (Debian's libpq-dev) and a loader that opens the library itself when a
        // connection is first made: linked, it and its TLS, Kerberos and LDAP libraries cost
        // every run of iql a third of its start-up.
        .target(name: "CLibPQ", path: "Sources/CLibPQ"),
        // libpq rather than postgres-nio: a C library from the system builds in seconds where postgres-nio
        // and SwiftNIO add minutes to every clean build, and its blocking, one-statement-at-a-time
        // calls (with single-row mode and PQcancel) are what a query engine that already runs on
        // its own thread needs.
        .target(name: "IQLPostgres", dependencies: ["IQL", "CLibPQ"], path: "Sources/IQLPostgres"),
        .target(name: "CEditShim", dependencies: ["CLibEdit"], path: "Sources/CEditShim"),
        .target(name: "LineEditing", dependencies: ["CEditShim", "CLibEdit"], path: "Sources/LineEditing"),
        .executableTarget(
            name: "iql",
            dependencies: ["IQL", "IQLPostgres", "LineEditing", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/iql"
        ),
        // In-process timings for Benchmarks/bench.py; not a product.
        .executableTarget(name: "IQLBench", dependencies: ["IQL"], path: "Benchmarks/IQLBench"),
        // Test support only: starts a program on a pseudo-terminal.
        .target(name: "PTYSpawn", path: "Tests/PTYSpawn"),
        .testTarget(
            name: "IQLTests",
            // iql is listed so `swift test` builds the binary the end-to-end tests drive.
            dependencies: ["IQL", "IQLPostgres", "iql", "PTYSpawn"],
            path: "Tests/IQLTests",
            exclude: ["Golden", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
