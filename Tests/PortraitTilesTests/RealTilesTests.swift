import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTestSupport
@testable import PortraitTiles
import Testing

/// Vector tiles of the real Bas-Saint-Laurent (boundaries, census, schools) from a GeoPackage and from
/// PostgreSQL/PostGIS: GDAL decodes every tile to valid, non-empty layers, and both backends give the same bytes.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealTilesTests {
    static let stores = PerBackend<String> { backend in
        let s = try backend.newStore("tuiles")
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"),
                                     options: .init(level: .municipality), storePath: s)
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: s)
        _ = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
        _ = try ServiceImporter.run(file: try RealData.path("services/bsl_ecoles_publiques_meq.geojson"), category: "ecole",
                                    preset: .meqSchools, vintage: 2022, storePath: s)
        return s
    }

    /// Every seeded tile, decoded by GDAL (`VectorSource`, the MVT driver).
    static func seedAndDecode(_ backend: Backend, _ layer: TileLayer, maxZoom: Int) throws -> (tiles: [String: [UInt8]], features: Int) {
        let store = try stores.get(backend)
        let dir = scratch()
        let cache = TileCache(directory: dir, storePath: store)
        let extent = try #require(try Stores.open(store).extent(.municipalities))
        let n = try cache.seed(layer, minZoom: 0, maxZoom: maxZoom, bbox: extent)
        #expect(n > 10)
        let file = try MBTilesFile(readingAt: cache.path(layer))
        var tiles: [String: [UInt8]] = [:], features = 0
        for z in 0...maxZoom {
            for t in TileID.covering(extent, zoom: z) {
                guard let data = try file.tile(z: t.z, x: t.x, y: t.y) else { continue }
                tiles["\(t.z)/\(t.x)/\(t.y)"] = data
                let tileDir = dir + "/\(t.z)/\(t.x)"
                try FileManager.default.createDirectory(atPath: tileDir, withIntermediateDirectories: true)
                try Data(data).write(to: URL(fileURLWithPath: tileDir + "/\(t.y).pbf"))
                let l = try VectorSource.read(path: tileDir + "/\(t.y).pbf", drivers: .tiles)
                #expect(!l.features.isEmpty, "\(t) vide (\(data.count) octets)")
                features += l.features.count
                for f in l.features { #expect(try f.geometry.map { try $0.isValid() } == true, "\(t)") }
            }
        }
        return (tiles, features)
    }

    @Test(arguments: Backend.available, [TileLayer.municipalities, .services])
    func tilesDecodeValid(_ backend: Backend, _ layer: TileLayer) throws {
        let (tiles, features) = try Self.seedAndDecode(backend, layer, maxZoom: 9)
        #expect(tiles.count == tiles.filter { !$0.value.isEmpty }.count)
        #expect(features > (layer == .services ? 173 : 127))
    }

    @Test(.enabled(if: TestPostgres.shouldRun, TestPostgres.skipReason), arguments: [TileLayer.municipalities, .services, .gaps])
    func sameTilesFromBothBackends(_ layer: TileLayer) throws {
        let a = try Self.seedAndDecode(.geopackage, layer, maxZoom: 8).tiles
        let b = try Self.seedAndDecode(.postgis, layer, maxZoom: 8).tiles
        #expect(a.count > 10)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a == b)
    }
}
