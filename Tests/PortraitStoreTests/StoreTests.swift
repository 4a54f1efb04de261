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

/// The typed answers of the GeoPackage backend, on a tiny hand-made store.
struct GeoPackageStoreTests {
    /// Reading the change stamp never releases a lock SQLite holds in this process. It used to read the header
    /// through a descriptor opened and closed for the purpose, and closing it released every POSIX lock of the
    /// process on the file: a reader's SHARED lock gone, another process took EXCLUSIVE and wrote under it
    /// (« database disk image is malformed » under load with imports beside). Here a read transaction is held
    /// while the stamp is read; another process must then still be refused the write lock.
    @Test func readingTheStampKeepsSQLiteLocks() throws {
        let (_, path) = try Self.store()
        let reader = try SQLiteDatabase(path: path, readOnly: true)
        try reader.execute("BEGIN")
        _ = try reader.query("SELECT count(*) FROM municipalities")
        for _ in 0..<3 { _ = try Stores.changeStamp(path) }
        guard let python = ExternalTool.find(["python3"]) else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None); c.execute('BEGIN EXCLUSIVE')", path]
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus != 0, "another process got the write lock while this one was reading")
        try reader.execute("COMMIT")
    }

    static func unit(_ code: String, mrc: String, region: String, x: Double, aquatic: Bool = false) -> TerritorialUnit {
        TerritorialUnit(level: .municipality, code: code, name: "Unité \(code)", designation: aquatic ? "G" : "M", mrcCode: mrc,
                        regionCode: region, areaKm2: 1, geometry: MultiPolygon([Polygon(exterior: [
                            Position(x, 48), Position(x + 0.1, 48), Position(x + 0.1, 48.1), Position(x, 48.1), Position(x, 48)])]))
    }

    static func store() throws -> (any TerritoryStore, String) {
        let path = tempPath("s.gpkg")
        try Stores.writing(to: path) { s in
            let id = try s.logImport(ImportLogEntry(kind: "boundaries", parameters: ["demo": "true"]))
            for u in [unit("10043", mrc: "10", region: "01", x: -68.6), unit("10070", mrc: "10", region: "01", x: -68.4),
                      unit("11040", mrc: "11", region: "01", x: -68.0), unit("94068", mrc: "94", region: "09", x: -66.0),
                      unit("10998", mrc: "10", region: "01", x: -68.8, aquatic: true)] {
                try s.upsert(u, importID: id)
            }
            try s.replaceServices(category: "ecole", [
                Service(category: "ecole", name: "A", municipalityCode: "10043", source: "t", position: Position(-68.55, 48.05)),
                Service(category: "ecole", name: "B", municipalityCode: "94068", source: "t", position: Position(-65.95, 48.05)),
                Service(category: "ecole", name: "C", municipalityCode: nil, source: "t", position: Position(-60, 50)),
            ], importID: id)
            try s.refreshExtents()
        }
        return (try Stores.open(path), path)
    }

    @Test func municipalitiesOfATerritory() throws {
        let (s, _) = try Self.store()
        #expect(try s.municipalities(in: try .mrc("10"), withGeometry: false).map(\.code) == ["10043", "10070", "10998"])
        #expect(try s.municipalities(in: try .region("01"), withGeometry: true).count == 4)
        #expect(try s.municipalities(in: try .region("09"), withGeometry: false).map(\.code) == ["94068"])
        #expect(try s.municipalities(in: try .region("02"), withGeometry: false).isEmpty)
    }

    @Test func servicesOfATerritoryStayInIt() throws {
        let (s, _) = try Self.store()
        #expect(try s.services(category: nil, in: try .region("01")).map(\.name) == ["A"])
        #expect(try s.services(category: "ecole", in: try .region("09")).map(\.name) == ["B"])
        #expect(try s.services(category: "clsc", in: try .region("01")).isEmpty)
        #expect(try s.services(category: nil).count == 3)
    }

    @Test func boxQueriesCarryRowIds() throws {
        let (s, _) = try Self.store()
        let hits = try s.units(.municipality, intersecting: BBox(minX: -68.45, minY: 48.0, maxX: -68.35, maxY: 48.05))
        #expect(hits.map(\.value.code) == ["10070"] && hits[0].id > 0)
        #expect(try s.services(intersecting: BBox(minX: -61, minY: 49, maxX: -59, maxY: 51)).map(\.value.name) == ["C"])
    }

    @Test func demoFlagAndLogAreRead() throws {
        let (s, path) = try Self.store()
        #expect(try s.isDemo())
        #expect(try s.lastImport(kind: "boundaries")?.parameters["demo"] == "true")
        #expect(try s.lastImport(kind: "classify-coast") == nil)
        #expect(try s.designationCounts() == ["M": 4, "G": 1])
        #expect(try Stores.changeStamp(path) == (try s.changeStamp()))
    }

    @Test func aMissingStoreIsUnavailable() {
        let path = tempPath("absent.gpkg")
        #expect { try Stores.open(path) } throws: { ($0 as? StoreError)?.kind == .unavailable }
        #expect { try Stores.changeStamp(path) } throws: { ErrorKind.of($0) == .unavailable }
    }

    @Test func sqliteFailuresHaveKinds() {
        #expect(StoreError.kind(ofSQLiteCode: 5) == .unavailable)    // SQLITE_BUSY
        #expect(StoreError.kind(ofSQLiteCode: 8) == .unavailable)    // SQLITE_READONLY
        #expect(StoreError.kind(ofSQLiteCode: 13) == .unavailable)   // SQLITE_FULL
        #expect(StoreError.kind(ofSQLiteCode: 26) == .invalidInput)  // SQLITE_NOTADB
        #expect(StoreError.kind(ofSQLiteCode: 19) == .internal)      // SQLITE_CONSTRAINT
        #expect(StoreError.kind(ofSQLiteCode: 1032) == .unavailable) // SQLITE_READONLY_DBMOVED (extended)
    }
}
