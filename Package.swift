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
        // `swift package generate-documentation`: the DocC catalogue in Sources/IQL/IQL.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        // The command line: options, help, usage errors and shell completion from one declaration.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "IQL", dependencies: ["CBundledData", "CLoaderSupport"], path: "Sources/IQL"),
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
