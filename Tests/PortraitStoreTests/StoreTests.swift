import Foundation
import PortraitGeometry
import PortraitModel
@testable import PortraitStore
import PortraitTestSupport
import Testing

func tempPath(_ name: String) -> String { (tempDir() as NSString).appendingPathComponent(name) }

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
