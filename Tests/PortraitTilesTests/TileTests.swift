import Foundation
import PortraitDemo
import PortraitGeometry
import PortraitSpatial
import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
@testable import PortraitTiles
import Testing

func scratch() -> String { tempDir("portrait-tiles") }

struct TileIDTests {
    @Test func validityAndBounds() throws {
        #expect(TileID(z: 23, x: 0, y: 0) == nil && TileID(z: 2, x: 4, y: 0) == nil && TileID(z: 2, x: 0, y: -1) == nil)
        let t = try #require(TileID(z: 1, x: 0, y: 0))
        #expect(abs(t.bounds.minX + TileID.originShift) < 1e-6 && abs(t.bounds.maxY - TileID.originShift) < 1e-6)
        #expect(t.tmsRow == 1)
        // Rimouski (−68.52, 48.45) at z 8: x = 79, y = 88 (standard slippy-map formula).
        #expect(TileID.covering(BBox(minX: -68.53, minY: 48.44, maxX: -68.51, maxY: 48.46), zoom: 8) == [TileID(z: 8, x: 79, y: 88)!])
    }

    @Test func commandsAndWinding() {
        // A square given counter-clockwise on screen must come out clockwise (positive area, y down).
        let sq = Geometry.polygon(Polygon(exterior: [Position(0, 0), Position(0, 10), Position(10, 10), Position(10, 0), Position(0, 0)]))
        let (type, cmds) = MVTEncoder.geometry(sq)
        #expect(type == 3)
        // MoveTo(1), x, y, LineTo(3), 6 params, ClosePath(1).
        #expect(cmds.count == 1 + 2 + 1 + 6 + 1)
        #expect(cmds[0] == 9 && cmds[3] == (2 | 3 << 3) && cmds.last == 15)
        // Decoded: (10,0) → (10,10) → (0,10) → (0,0), positive area with y down (clockwise on screen).
        #expect(cmds[1] == MVTEncoder.zigzag(10) && cmds[2] == MVTEncoder.zigzag(0))
        #expect(cmds[4] == MVTEncoder.zigzag(0) && cmds[5] == MVTEncoder.zigzag(10))
        let ring = [Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0), Position(10, 0)]
        #expect(LinearRing(ring).signedDoubleArea > 0)
    }
}

@Suite(.serialized) struct TileGenerationTests {
    static let store: Result<String, any Error> = Result {
        let s = scratch() + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        return s
    }

    @Test func gdalReadsAGeneratedTile() throws {
        let store = try Self.store.get()
        // The demo lies near (−66.8, 49.3): z 7 tile.
        let id = try #require(TileID.covering(BBox(minX: -66.81, minY: 49.29, maxX: -66.79, maxY: 49.31), zoom: 7).first)
        let data = try TileGenerator(storePath: store).tile(.municipalities, id)
        #expect(data.count > 100)
        let dir = scratch() + "/\(id.z)/\(id.x)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/\(id.y).pbf"
        try Data(data).write(to: URL(fileURLWithPath: path))
        let layer = try VectorSource.read(path: path, layer: "municipalities", drivers: .tiles)
        #expect(layer.crsName == "EPSG:3857")
        #expect(layer.features.count == 24)                 // the 24 land units; aquatic ones left out
        #expect(layer.features.contains { $0.attributes["name"] == .string("L'Anse-aux-Exemples") })
        #expect(layer.features.contains { $0.attributes["population"] != nil && $0.attributes["population"] != .null })
        for f in layer.features { #expect(try f.geometry.map { try $0.isValid() } == true) }
        // Every zoom of the seed gives valid geometries too (integer grid snapping keeps them valid).
        let cache = TileCache(directory: scratch(), storePath: store)
        for z in 0...8 {
            for t in TileID.covering(BBox(minX: -67.6, minY: 49.0, maxX: -66.0, maxY: 49.56), zoom: z) {
                let tileDir = scratch() + "/\(t.z)/\(t.x)"
                try FileManager.default.createDirectory(atPath: tileDir, withIntermediateDirectories: true)
                try Data(try cache.tile(.municipalities, t).data).write(to: URL(fileURLWithPath: tileDir + "/\(t.y).pbf"))
                let l = try VectorSource.read(path: tileDir + "/\(t.y).pbf", drivers: .tiles)
                for f in l.features { #expect(try f.geometry.map { try $0.isValid() } == true, "\(t)") }
            }
        }
    }

    @Test func gapsTilesCarryDistances() throws {
        let store = try Self.store.get()
        let dir = scratch()
        try "nom,lat,lon\nCLSC,49.33,-67.50\n".write(toFile: dir + "/c.csv", atomically: true, encoding: .utf8)
        _ = try ServiceImporter.run(file: dir + "/c.csv", category: "clsc", fields: ["name": "nom"], storePath: store)
        let id = try #require(TileID.covering(BBox(minX: -66.81, minY: 49.29, maxX: -66.79, maxY: 49.31), zoom: 7).first)
        let path = dir + "/\(id.z)/\(id.x)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Data(try TileGenerator(storePath: store).tile(.gaps, id)).write(to: URL(fileURLWithPath: path + "/\(id.y).pbf"))
        let layer = try VectorSource.read(path: path + "/\(id.y).pbf", layer: "gaps", drivers: .tiles)
        #expect(layer.features.count == 24)
        #expect(layer.features.allSatisfy { $0.attributes["nearest_clsc_km"] != nil && $0.attributes["nearest_clsc_km"] != .null })
        #expect(layer.fields.contains("beyond_clsc"))
    }

    @Test func cacheHitsThenEmptiesAfterAnImport() throws {
        let store = try Self.store.get()
        let cache = TileCache(directory: scratch(), storePath: store)
        let id = try #require(TileID(z: 6, x: 20, y: 21))
        #expect(try cache.tile(.regions, id).cached == false)
        #expect(try cache.tile(.regions, id).cached == true)
        // An import changes the store: the cache starts again.
        let dir = scratch()
        try "code,valeur\n91005,1\n".write(toFile: dir + "/x.csv", atomically: true, encoding: .utf8)
        _ = try IndicatorImporter.run(file: dir + "/x.csv", options: .init(indicator: "essai", vintage: 2030, valueFields: ["valeur"]), storePath: store)
        #expect(try cache.tile(.regions, id).cached == false)
        // GDAL opens the MBTiles as it is.
        let mb = try VectorSource.read(path: cache.path(.regions), drivers: .tiles)
        #expect(mb.driver == "MBTiles" && mb.features.count >= 1)
    }

    /// The seed writes every tile that has a feature, and no empty one; what it writes GDAL reads as valid.
    @Test func seedCoversTheTerritoryWithoutEmptyTiles() throws {
        let store = try Self.store.get()
        let dir = scratch()
        let cache = TileCache(directory: dir, storePath: store)
        let extent = try #require(try GeoPackageStore(openExisting: store).extent(.municipalities))
        let n = try cache.seed(.municipalities, minZoom: 0, maxZoom: 8, bbox: extent)
        let file = try MBTilesFile(readingAt: cache.path(.municipalities))
        #expect(try file.count() == n && n >= 9)
        let generator = try TileGenerator(storePath: store)
        for z in 0...8 {
            for t in TileID.covering(extent, zoom: z) {
                let onDemand = try generator.features(.municipalities, t)
                let seeded = try file.tile(z: t.z, x: t.x, y: t.y)
                // A tile whose features lie inside the tile (not only in its buffer) is seeded.
                if onDemand.contains(where: { f in f.geometry.bbox.map { $0.maxX > 0 && $0.minX < 4096 && $0.maxY > 0 && $0.minY < 4096 } ?? false }) {
                    #expect(seeded != nil, "\(t) missing")
                }
                guard let seeded else { continue }
                let tileDir = dir + "/\(t.z)/\(t.x)"
                try FileManager.default.createDirectory(atPath: tileDir, withIntermediateDirectories: true)
                try Data(seeded).write(to: URL(fileURLWithPath: tileDir + "/\(t.y).pbf"))
                let l = try VectorSource.read(path: tileDir + "/\(t.y).pbf", drivers: .tiles)
                #expect(!l.features.isEmpty, "\(t) empty")
                for f in l.features { #expect(try f.geometry.map { try $0.isValid() } == true, "\(t)") }
            }
        }
    }
}
