// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // An extension member is only visible where its module is imported: undeclared imports fail the build.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Portrait",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portrait", targets: ["portrait"]),
        // Benchmarks only (benchmarks/roads.sh): a SYNTHETIC road grid and one multi-source search, timed.
        .executable(name: "portrait-bench", targets: ["portrait-bench"]),
        .library(name: "PortraitTerritory", targets: ["PortraitTerritory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // zlib: the printed PDF's content streams, read and rewritten to mark the running footer as an artifact.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // GDAL's C API from its headers, the library itself loaded on first use (dlopen): see Sources/CGDAL.
        .target(name: "CGDAL", linkerSettings: [.linkedLibrary("dl")]),

        // Geometry value types, WKB and GeoJSON. No C types.
        .target(name: "PortraitGeometry", swiftSettings: strict),
        // GEOS and PROJ operations on those value types.
        .target(name: "PortraitSpatial", dependencies: ["PortraitGeometry", "CGEOS", "CPROJ"], swiftSettings: strict),
        // The vocabulary of the territory (levels, codes, units, indicators, services, mobilisations),
        // the error kinds, and the store protocol every backend implements. No I/O.
        .target(name: "PortraitModel", dependencies: ["PortraitGeometry"], swiftSettings: strict),
        // Persistence: the two backends of the store protocol, GeoPackage (SQLite) and PostgreSQL/PostGIS
        // (postgres-nio): every SQL statement lives here. MBTiles files.
        .target(name: "PortraitStore", dependencies: [
            "PortraitGeometry", "PortraitSpatial", "PortraitModel", "CSQLite",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Foreign files → rows: GDAL/OGR reading, presets, code normalisation, joins and their reports.
        .target(name: "PortraitImport", dependencies: [
            "PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "CGDAL",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // The territory domain: coast classification, classification, portraits, access and gaps, mobilisations, exports.
        .target(name: "PortraitTerritory", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore"],
                swiftSettings: strict),
        // The fictional demo territory and the synthetic indicator files, loaded through the ordinary importers.
        .target(name: "PortraitDemo", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitImport", "PortraitTerritory"],
                swiftSettings: strict),
        // SVG maps: projection, coverage simplification, layers, labels, legend, furniture.
        .target(name: "PortraitRender", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitTerritory"],
                swiftSettings: strict),
        // The publication: a territory's portrait with its maps, services and gaps, mobilisations and sources;
        // HTML, Markdown, PDF (headless Chromium); the atlas of a region.
        .target(name: "PortraitReport", dependencies: ["PortraitGeometry", "PortraitModel", "PortraitStore", "PortraitTerritory", "PortraitRender",
                                                     "CZlib", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // Vector tiles: tile maths, Mapbox Vector Tile 2.1 encoding, MBTiles cache, TileJSON.
        .target(name: "PortraitTiles", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitTerritory"],
                swiftSettings: strict),
        // OGC API – Features: the collections built from the store as the GeoJSON export builds them, paging,
        // property and box filters, CRS84 and Québec Lambert, the documents (landing, conformance, collections, queryables).
        .target(name: "PortraitFeatures", dependencies: ["PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitTerritory"],
                swiftSettings: strict),
        // The HTTP service (Hummingbird 2), thin over the same library functions as the CLI.
        .target(name: "PortraitServer", dependencies: [
            "PortraitGeometry", "PortraitModel", "PortraitStore", "PortraitImport", "PortraitTerritory", "PortraitRender", "PortraitReport",
            "PortraitTiles", "PortraitFeatures", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // Command-line interface, thin over the library targets.
        .target(name: "PortraitCLI", dependencies: [
            "PortraitGeometry", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitImport", "PortraitTerritory",
            "PortraitDemo", "PortraitRender", "PortraitReport", "PortraitServer", "PortraitTiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .executableTarget(name: "portrait", dependencies: ["PortraitCLI"], swiftSettings: strict),
        .executableTarget(name: "portrait-bench", dependencies: ["PortraitGeometry", "PortraitImport", "PortraitSpatial", "PortraitModel", "PortraitStore", "PortraitTerritory"],
                          path: "Sources/PortraitBench", swiftSettings: strict),

        // Helpers shared by the test targets: scratch folders, fixture files, the real data in ../shared.
        .target(name: "PortraitTestSupport", dependencies: ["PortraitGeometry", "PortraitImport", "PortraitModel", "PortraitDemo", .product(name: "Crypto", package: "swift-crypto")],
                path: "Tests/PortraitTestSupport",
                swiftSettings: strict),
        .testTarget(name: "PortraitGeometryTests", dependencies: ["PortraitGeometry"], swiftSettings: strict),
        .testTarget(name: "PortraitSpatialTests", dependencies: ["PortraitGeometry", "PortraitSpatial"], swiftSettings: strict),
        .testTarget(name: "PortraitModelTests", dependencies: ["PortraitModel", "PortraitGeometry"], swiftSettings: strict),
        .testTarget(name: "PortraitStoreTests", dependencies: ["PortraitStore", "PortraitModel", "PortraitGeometry", "PortraitTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "PortraitImportTests", dependencies: [
            "PortraitImport", "PortraitStore", "PortraitModel", "PortraitGeometry", "PortraitSpatial", "PortraitTerritory",
            "PortraitDemo", "PortraitRender", "PortraitTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "PortraitTerritoryTests", dependencies: [
            "PortraitTerritory", "PortraitImport", "PortraitDemo", "PortraitStore", "PortraitModel", "PortraitGeometry",
            "PortraitSpatial", "PortraitRender", "PortraitFeatures", "PortraitTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "PortraitRenderTests", dependencies: [
            "PortraitRender", "PortraitDemo", "PortraitImport", "PortraitTerritory", "PortraitStore", "PortraitModel",
            "PortraitGeometry", "PortraitSpatial", "PortraitTestSupport",
        ], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "PortraitReportTests", dependencies: [
            "PortraitReport", "PortraitRender", "PortraitDemo", "PortraitImport", "PortraitTerritory", "PortraitStore", "PortraitModel",
            "PortraitTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "PortraitTilesTests", dependencies: [
            "PortraitTiles", "PortraitDemo", "PortraitImport", "PortraitTerritory", "PortraitStore", "PortraitModel",
            "PortraitGeometry", "PortraitSpatial", "PortraitTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "PortraitServerTests", dependencies: [
            "PortraitServer", "PortraitFeatures", "PortraitGeometry", "PortraitSpatial", "PortraitDemo", "PortraitImport", "PortraitTerritory", "PortraitStore", "PortraitModel", "PortraitReport",
            "PortraitTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
            .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "PortraitCLITests", dependencies: ["PortraitCLI", "PortraitStore", "PortraitModel", "PortraitDemo", "PortraitRender",
                                                            "PortraitTerritory", "PortraitTestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
