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
            dependencies: ["IQL"],
            path: "Tests/IQLTests",
            resources: [.copy("Golden")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
