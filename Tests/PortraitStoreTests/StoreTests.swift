import Foundation
import Testing
import PortraitGeometry
@testable import PortraitStore

func tempPath(_ name: String) -> String {
    let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return (dir as NSString).appendingPathComponent(name)
}

struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(_ input: String, _ digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

struct GeoPackageTests {
    @Test func newFileIsAGeoPackageWithIndexedLayer() throws {
        let path = tempPath("t.gpkg")
        let gp = try GeoPackage(path: path, create: true)
        try gp.db.transaction {
            try gp.createFeatureTable("zones", geometryType: "MULTIPOLYGON", columns: [("code", "TEXT")],
                                      identifier: "zones", description: "test")
            let sq = Geometry.multiPolygon(MultiPolygon([Polygon(exterior: [
                Position(-68.6, 48.4), Position(-68.4, 48.4), Position(-68.4, 48.5), Position(-68.6, 48.5), Position(-68.6, 48.4)])]))
            try gp.db.run("INSERT INTO zones (geom, code) VALUES (?, ?)", [GeoPackage.blob(sq), .text("10043")])
            try gp.refreshContents("zones")
        }
        #expect(try gp.db.scalar("PRAGMA application_id")?.int == Int(GeoPackage.applicationID))
        #expect(try gp.db.scalar("PRAGMA user_version")?.int == 10300)
        // The insert trigger filled the R-tree through our ST_* functions.
        let r = try gp.db.query("SELECT id, minx, maxx, miny, maxy FROM rtree_zones_geom")
        #expect(r.count == 1)
        #expect(abs((r[0][1].double ?? 0) - -68.6) < 1e-4 && abs((r[0][4].double ?? 0) - 48.5) < 1e-4)
        #expect(try gp.extent("zones").map { abs($0.minX - -68.6) < 1e-4 } == true)
        #expect(try gp.ids(in: "zones", intersecting: BBox(minX: -68.5, minY: 48.45, maxX: -68.45, maxY: 48.46)) == [1])
        #expect(try gp.ids(in: "zones", intersecting: BBox(minX: -60, minY: 48, maxX: -59, maxY: 49)).isEmpty)
        // Updating and deleting keep the index in step.
        try gp.db.run("DELETE FROM zones")
        #expect(try gp.db.scalar("SELECT count(*) FROM rtree_zones_geom")?.int == 0)
    }

    @Test func gdalOpensTheStore() throws {
        let path = tempPath("g.gpkg")
        let gp = try GeoPackage(path: path, create: true)
        try gp.db.transaction {
            try gp.createFeatureTable("pts", geometryType: "POINT", columns: [("nom", "TEXT")], identifier: "pts", description: "")
            try gp.db.run("INSERT INTO pts (geom, nom) VALUES (?, ?)", [GeoPackage.blob(.point(Point(x: -68.52, y: 48.45))), .text("Rimouski")])
        }
        let layer = try VectorSource.read(path: path)
        #expect(layer.driver == "GPKG")
        #expect(layer.crsName == "EPSG:4326")
        #expect(layer.features.count == 1)
        #expect(layer.features[0].attributes["nom"] == .string("Rimouski"))
        #expect(layer.features[0].geometry == .point(Point(x: -68.52, y: 48.45)))
    }

    @Test func refusesAFileThatIsNotAGeoPackage() throws {
        let path = tempPath("x.gpkg")
        _ = try SQLiteDatabase(path: path, create: true)
        #expect(throws: StoreError.self) { try GeoPackage(path: path) }
    }

    @Test func failedTransactionLeavesNothing() throws {
        let path = tempPath("tx.gpkg")
        let gp = try GeoPackage(path: path, create: true)
        try gp.db.execute("CREATE TABLE t (v TEXT NOT NULL)")
        #expect(throws: StoreError.self) {
            try gp.db.transaction {
                try gp.db.run("INSERT INTO t VALUES ('a')")
                try gp.db.run("INSERT INTO t VALUES (NULL)")
            }
        }
        #expect(try gp.db.scalar("SELECT count(*) FROM t")?.int == 0)
    }
}

struct VectorSourceTests {
    @Test func readsGeoJSONWithTypes() throws {
        let path = tempPath("a.geojson")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"07005","n":3,"x":1.5},"geometry":{"type":"Point","coordinates":[-68.5,48.4]}}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let l = try VectorSource.read(path: path)
        #expect(l.fields == ["code", "n", "x"])
        #expect(l.features[0].attributes["code"] == .string("07005"))
        #expect(l.features[0].attributes["n"] == .int(3))
        #expect(l.features[0].attributes["x"] == .double(1.5))
        #expect(l.crsName == "EPSG:4326")
    }

    @Test func missingAndUnreadableFiles() throws {
        #expect(throws: SourceError.fileNotFound(path: "/nonexistent/x.geojson")) {
            try VectorSource.read(path: "/nonexistent/x.geojson")
        }
        let path = tempPath("junk.geojson")
        try Data([0x00, 0x01, 0xFF, 0x13]).write(to: URL(fileURLWithPath: path))
        #expect { try VectorSource.read(path: path) } throws: { e in
            if case .notAGeoFile = e as? SourceError { return true } else { return false }
        }
    }
}
