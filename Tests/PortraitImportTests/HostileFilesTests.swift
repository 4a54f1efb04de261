import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTestSupport
import Testing

/// Files that try to make Portrait read something other than their own bytes: a GeoJSON `crs` that links to an
/// address or names a file, a GeoPackage whose layer is a recursive SQL view, zips with members outside
/// themselves. Every address points at a loopback listener that must receive no connection; every file path at a
/// sentinel whose figure must never reach the store. All files SYNTHETIC.
@Suite(.serialized) struct HostileFilesTests {
    let dir = tempDir("portrait-hostile")
    let store: String
    let listener: LoopbackListener
    let sentinel: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("store.gpkg")
        listener = try LoopbackListener()
        let f = try write(collection([sdaFeature("07005", "Sainte-Marguerite-Marie", mrc: "07", ring: ring(-67.3, 48.4))]),
                          "synthetique_limites.geojson", in: dir)
        _ = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        sentinel = try write("PROJCS[\"sentinelle_987654\"]\n", "synthetique_sentinelle.prj", in: dir)
    }

    /// A one-point services file (a clinic in Sainte-Marguerite-Marie) with `crs` as its crs member.
    func points(crs: String) -> String {
        """
        {"type": "FeatureCollection", "crs": \(crs), "features": [{"type": "Feature", "properties": {"nom": "Clinique SYNTHÉTIQUE", "code_mun": "07005"},
         "geometry": {"type": "Point", "coordinates": [-67.25, 48.45]}}]}
        """
    }

    @Test func gdalAndPROJHaveNoNetwork() throws {
        _ = try? VectorSource.layerNames(path: "/nonexistent.xlsx")  // loads GDAL
        #expect(VectorSource.networkLocked)
        #expect(!projNetworkEnabledInPortraitContexts())
    }

    /// Links (`"type": "link"`, an `href`) and names that are addresses or paths are refused before GDAL opens the
    /// file; the listener gets no connection and the sentinel's text appears in no message.
    @Test func crsLinksAndAddressesAreNeverFollowed() throws {
        let crsMembers = [
            #"{"type": "link", "properties": {"href": "\#(listener.url)/32198.prj", "type": "ogcwkt"}}"#,
            #"{"type": "link", "properties": {"href": "\#(listener.url)/32198.proj4", "type": "proj4"}}"#,
            #"{"type": "link", "properties": {"href": "\#(sentinel)", "type": "ogcwkt"}}"#,
            #"{"type": "name", "properties": {"name": "\#(listener.url)/def/crs/EPSG/0/32198"}}"#,
            #"{"type": "name", "properties": {"name": "\#(sentinel)"}}"#,
            #"{"type": "name", "properties": {"name": "file://\#(sentinel)"}}"#,
            #"{"type": "name", "properties": {"name": "/vsicurl/\#(listener.url)/x.prj"}}"#,
            #"{"type": "EPSG", "properties": {"href": "\#(listener.url)/x"}}"#,
        ]
        for (i, member) in crsMembers.enumerated() {
            let f = try write(points(crs: member), "synthetique_crs_\(i).geojson", in: dir)
            expectRefused(["crs" ], store: store) { try ServiceImporter.run(file: f, category: "clsc", storePath: store) }
            expectRefused([], store: store) { try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store) }
            do { _ = try ServiceImporter.run(file: f, category: "clsc", storePath: store) } catch {
                #expect(!"\(error)".contains("sentinelle_987654"))
            }
        }
        #expect(listener.connections() == 0)
    }

    /// Behind the check, GDAL itself fetches nothing: handed the linked file directly, it reads no address.
    @Test func gdalItselfFetchesNothing() throws {
        let f = try write(points(crs: #"{"type": "link", "properties": {"href": "\#(listener.url)/32198.prj", "type": "ogcwkt"}}"#),
                          "synthetique_crs_gdal.geojson", in: dir)
        let layer = try? VectorSource.readGDAL(path: f, guarded: false)
        #expect(layer?.crsWKT?.contains("sentinelle") != true)
        #expect(listener.connections() == 0)
        // The same file given to GDAL's own ogrinfo (no lock) does reach the listener: the check above can fail.
        if let ogrinfo = ExternalTool.find(["ogrinfo"]) {
            _ = try ExternalTool.run("/usr/bin/env", ["GDAL_HTTP_TIMEOUT=1", "GDAL_HTTP_MAX_RETRY=0", ogrinfo, "-ro", "-so", "-al", f])
            #expect(listener.connections() >= 1)
        }
    }

    /// Names PROJ resolves from its own database are read (here WGS84 by its OGC definition URI, read by GDAL).
    @Test func localCRSNamesAreRead() throws {
        #expect(VectorSource.isLocalCRSName("EPSG:32198") && VectorSource.isLocalCRSName("urn:ogc:def:crs:EPSG::32198")
                && VectorSource.isLocalCRSName("http://www.opengis.net/def/crs/EPSG/0/32198"))
        #expect(!VectorSource.isLocalCRSName("http://example.org/def/crs/EPSG/0/32198") && !VectorSource.isLocalCRSName("/etc/x.prj")
                && !VectorSource.isLocalCRSName("+init=/tmp/x:1"))
        let f = try write(points(crs: #"{"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}"#),
                          "synthetique_crs84.geojson", in: dir)
        let r = try ServiceImporter.run(file: f, category: "clsc", storePath: store)
        #expect(r.kept == 1, "\(r)")
        #expect(listener.connections() == 0)
    }

    /// A GeoPackage whose layer is a recursive view of three million rows: refused before GDAL (or SQLite) runs it.
    @Test func geoPackageViewsAreNeverExecuted() throws {
        let gpkg = (dir as NSString).appendingPathComponent("synthetique_vue.gpkg")
        let f = try write(collection([sdaFeature("07010", "Sainte-Florence", mrc: "07", ring: ring(-67.2, 48.4))]), "synthetique_v.geojson", in: dir)
        _ = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: gpkg)
        let db = try SQLiteDatabase(path: gpkg)
        try db.execute("""
            CREATE VIEW vue_recursive AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000)
              SELECT x AS fid, 'SYNTHÉTIQUE ' || x AS nom, NULL AS geom FROM c;
            INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('vue_recursive', 'features', 'vue_recursive', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('vue_recursive', 'geom', 'GEOMETRY', 4326, 0, 0);
            """)
        for layer in ["vue_recursive", nil] as [String?] {
            expectRefused(["vues SQL", "vue_recursive"], store: store) {
                try BoundaryImporter.run(file: gpkg, options: .init(level: .municipality, layer: layer), storePath: store)
            }
        }
        expectRefused(["vues SQL"], store: store) { try ServiceImporter.run(file: gpkg, category: "clsc", storePath: store) }
    }

    /// Zips: a member outside the archive or a VRT inside is refused from the central directory; a zipped
    /// shapefile (as `.shp.zip` and as a plain `.zip`) is read.
    @Test func zipsAreReadInsideThemselvesOnly() throws {
        for (name, members) in [("synthetique_evasion.zip", ["../../evasion.geojson"]), ("synthetique_absolu.zip", ["/etc/evasion.geojson"]),
                                ("synthetique_vrt.zip", ["donnees.vrt"])] {
            let f = (dir as NSString).appendingPathComponent(name)
            try StoredZip.write(members.map { ($0, Data(points(crs: "null").utf8)) }, to: f)
            expectRefused(["zip"], store: store) { try ServiceImporter.run(file: f, category: "clsc", storePath: store) }
        }
        guard let ogr2ogr = ExternalTool.find(["ogr2ogr"]) else {
            #expect(!RealData.isCI, "ogr2ogr absent (gdal-bin) sous CI")
            return
        }
        let source = try write(points(crs: "null"), "synthetique_point.geojson", in: dir)
        let shz = (dir as NSString).appendingPathComponent("synthetique_cliniques.shp.zip")
        _ = try ExternalTool.run(ogr2ogr, ["-f", "ESRI Shapefile", shz, source])
        let plain = (dir as NSString).appendingPathComponent("synthetique_cliniques.zip")
        try? FileManager.default.removeItem(atPath: plain)
        try FileManager.default.copyItem(atPath: shz, toPath: plain)
        for f in [shz, plain] {
            let r = try ServiceImporter.run(file: f, category: "clsc", storePath: store)
            #expect(r.kept == 1, "\(f) \(r)")
        }
        #expect(listener.connections() == 0)
    }
}

/// A zip whose members are stored (not compressed), CRC-32 included: enough for GDAL's `/vsizip/`.
enum StoredZip {
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in data {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func write(_ members: [(name: String, data: Data)], to path: String) throws {
        var out = Data(), directory = Data()
        func le<T: FixedWidthInteger>(_ v: T, _ into: inout Data) { withUnsafeBytes(of: v.littleEndian) { into.append(contentsOf: $0) } }
        for m in members {
            let offset = UInt32(out.count), crc = crc32(m.data), size = UInt32(m.data.count), name = Data(m.name.utf8)
            le(UInt32(0x0403_4B50), &out); le(UInt16(20), &out); le(UInt16(0), &out); le(UInt16(0), &out); le(UInt32(0), &out)
            le(crc, &out); le(size, &out); le(size, &out); le(UInt16(name.count), &out); le(UInt16(0), &out)
            out.append(name); out.append(m.data)
            le(UInt32(0x0201_4B50), &directory); le(UInt16(20), &directory); le(UInt16(20), &directory); le(UInt16(0), &directory)
            le(UInt16(0), &directory); le(UInt32(0), &directory); le(crc, &directory); le(size, &directory); le(size, &directory)
            le(UInt16(name.count), &directory); le(UInt16(0), &directory); le(UInt16(0), &directory); le(UInt16(0), &directory)
            le(UInt16(0), &directory); le(UInt32(0), &directory); le(offset, &directory)
            directory.append(name)
        }
        let start = UInt32(out.count)
        out.append(directory)
        le(UInt32(0x0605_4B50), &out); le(UInt16(0), &out); le(UInt16(0), &out); le(UInt16(members.count), &out)
        le(UInt16(members.count), &out); le(UInt32(directory.count), &out); le(start, &out); le(UInt16(0), &out)
        try out.write(to: URL(fileURLWithPath: path))
    }
}
