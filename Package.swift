// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Portrait",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portrait", targets: ["portrait"]),
        .library(name: "PortraitTerritory", targets: ["PortraitTerritory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),

        // Geometry value types, WKB and GeoJSON. No C types.
        .target(name: "PortraitGeometry", swiftSettings: strict),
        // GEOS and PROJ operations on those value types.
        .target(name: "PortraitSpatial", dependencies: ["PortraitGeometry", "CGEOS", "CPROJ"], swiftSettings: strict),
        // GeoPackage store (SQLite) and foreign-format reading (GDAL/OGR).
        .target(name: "PortraitStore", dependencies: ["PortraitGeometry", "PortraitSpatial", "CSQLite", "CGDAL"], swiftSettings: strict),
        // Territory domain: codes, hierarchy, imports, coast classification, info, demo.
        .target(name: "PortraitTerritory", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitStore"], swiftSettings: strict),
        // SVG maps: projection, coverage simplification, layers, labels, legend, furniture.
        .target(name: "PortraitRender", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitTerritory"], swiftSettings: strict),
        // Vector tiles: tile maths, Mapbox Vector Tile 2.1 encoding, MBTiles cache, TileJSON.
        .target(name: "PortraitTiles", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitStore", "PortraitTerritory"],
                swiftSettings: strict),
        // The HTTP service (Hummingbird 2), thin over the same library functions as the CLI.
        .target(name: "PortraitServer", dependencies: [
            "PortraitTerritory", "PortraitRender", "PortraitTiles",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Command-line interface, thin over PortraitTerritory, PortraitRender and PortraitServer.
        .target(name: "PortraitCLI", dependencies: [
            "PortraitTerritory", "PortraitRender", "PortraitServer", "PortraitTiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "portrait", dependencies: ["PortraitCLI"], swiftSettings: strict),

        .testTarget(name: "PortraitGeometryTests", dependencies: ["PortraitGeometry"], swiftSettings: strict),
        .testTarget(name: "PortraitSpatialTests", dependencies: ["PortraitSpatial"], swiftSettings: strict),
        .testTarget(name: "PortraitStoreTests", dependencies: ["PortraitStore"], swiftSettings: strict),
        .testTarget(name: "PortraitTerritoryTests", dependencies: ["PortraitTerritory"], swiftSettings: strict),
        .testTarget(name: "PortraitRenderTests", dependencies: ["PortraitRender"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "PortraitTilesTests", dependencies: ["PortraitTiles"], swiftSettings: strict),
        .testTarget(name: "PortraitServerTests", dependencies: [
            "PortraitServer", "PortraitStore", .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "PortraitCLITests", dependencies: ["PortraitCLI"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
