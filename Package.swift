// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "IQL",
    products: [
        .library(name: "IQL", targets: ["IQL"]),
        .executable(name: "iql", targets: ["iql"]),
    ],
    targets: [
        .target(name: "IQL", path: "Sources/IQL"),
        .executableTarget(name: "iql", dependencies: ["IQL"], path: "Sources/iql"),
        .testTarget(
            name: "IQLTests",
            // iql is listed so `swift test` builds the binary the end-to-end tests drive.
            dependencies: ["IQL", "iql"],
            path: "Tests/IQLTests",
            exclude: ["Golden", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
