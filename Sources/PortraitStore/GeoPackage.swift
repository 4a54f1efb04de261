import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// A GeoPackage 1.3 file: the standard `gpkg_*` tables, feature tables with
/// an R-tree spatial index each (the `gpkg_rtree_index` extension and its
/// triggers), and attribute tables. Readable as-is by `ogrinfo` and QGIS.
public final class GeoPackage {
    public let db: SQLiteDatabase
    public var path: String { db.path }

    /// `application_id` 'GPKG' and `user_version` 10300 (GeoPackage 1.3).
    public static let applicationID: Int32 = 0x4750_4B47
    public static let userVersion = 10300
    /// The SRS of every layer of the store: WGS84 longitude/latitude.
    public static let storageSRS: Int32 = 4326

    /// Opens an existing GeoPackage, or creates one with `create`.
    public init(path: String, create: Bool = false, readOnly: Bool = false) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw StoreError.missing(path)
        }
        if !exists, create {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        }
        db = try SQLiteDatabase(path: path, readOnly: readOnly, create: create)
        if !exists {
            try initialise()
        } else {
            let app = try db.scalar("PRAGMA application_id")?.int ?? 0
            guard Int32(truncatingIfNeeded: app) == Self.applicationID else {
                throw StoreError(path: path, function: "open", message: "ce fichier n'est pas un GeoPackage (application_id \(app))",
                                 kind: .invalidInput)
            }
        }
    }

    private func initialise() throws {
        try db.transaction {
            try db.execute("""
            PRAGMA application_id = \(Self.applicationID);
            PRAGMA user_version = \(Self.userVersion);
            CREATE TABLE gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
              description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
              srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            CREATE TABLE gpkg_extensions (
              table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
              scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            INSERT INTO gpkg_spatial_ref_sys VALUES
              ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
              ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
            """)
            try db.run("INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
                       [.text(try CRS.wgs84.wkt1())])
        }
    }

    /// Creates a feature table with a `fid` key, a geometry column `geom`,
    /// the given columns, its `gpkg_contents` and `gpkg_geometry_columns`
    /// rows, and its R-tree index with the spec's triggers.
    public func createFeatureTable(
        _ table: String, geometryType: String, columns: [(name: String, type: String)],
        identifier: String, description: String
    ) throws {
        let cols = columns.map { "\(SQLDialect.identifier($0.name)) \($0.type)" }.joined(separator: ", ")
        try db.execute("CREATE TABLE \(SQLDialect.identifier(table)) (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom \(geometryType), \(cols))")
        try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)",
                   [.text(table), .text(identifier), .text(description), .int(Int64(Self.storageSRS))])
        try db.run("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                   [.text(table), .text(geometryType), .int(Int64(Self.storageSRS))])
        try createRTree(table: table, column: "geom", id: "fid")
    }

    /// Creates an attribute (non-spatial) table registered in `gpkg_contents`.
    public func createAttributeTable(_ table: String, columns: [(name: String, type: String)], description: String) throws {
        let cols = columns.map { "\(SQLDialect.identifier($0.name)) \($0.type)" }.joined(separator: ", ")
        try db.execute("CREATE TABLE \(SQLDialect.identifier(table)) (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \(cols))")
        try db.run("INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)",
                   [.text(table), .text(table), .text(description)])
    }

    /// The R-tree virtual table and the six triggers of GeoPackage 1.3 Annex F.3.
    private func createRTree(table t: String, column: String, id: String) throws {
        let rt = "rtree_\(t)_\(column)"
        // Every name quoted (`SQLDialect.identifier`); the triggers' names are the R-tree's name with a suffix.
        let r = SQLDialect.identifier(rt).dropFirst().dropLast(), q = SQLDialect.identifier(t), c = SQLDialect.identifier(column), i = SQLDialect.identifier(id)
        let values = "(NEW.\(i), ST_MinX(NEW.\(c)), ST_MaxX(NEW.\(c)), ST_MinY(NEW.\(c)), ST_MaxY(NEW.\(c)))"
        try db.execute("""
        CREATE VIRTUAL TABLE "\(r)" USING rtree(id, minx, maxx, miny, maxy);
        CREATE TRIGGER "\(r)_insert" AFTER INSERT ON \(q) WHEN (new.\(c) NOT NULL AND NOT ST_IsEmpty(NEW.\(c)))
        BEGIN INSERT OR REPLACE INTO "\(r)" VALUES \(values); END;
        CREATE TRIGGER "\(r)_update1" AFTER UPDATE OF \(c) ON \(q) WHEN OLD.\(i) = NEW.\(i) AND (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
        BEGIN INSERT OR REPLACE INTO "\(r)" VALUES \(values); END;
        CREATE TRIGGER "\(r)_update2" AFTER UPDATE OF \(c) ON \(q) WHEN OLD.\(i) = NEW.\(i) AND (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
        BEGIN DELETE FROM "\(r)" WHERE id = OLD.\(i); END;
        CREATE TRIGGER "\(r)_update3" AFTER UPDATE ON \(q) WHEN OLD.\(i) != NEW.\(i) AND (NEW.\(c) NOTNULL AND NOT ST_IsEmpty(NEW.\(c)))
        BEGIN DELETE FROM "\(r)" WHERE id = OLD.\(i); INSERT OR REPLACE INTO "\(r)" VALUES \(values); END;
        CREATE TRIGGER "\(r)_update4" AFTER UPDATE ON \(q) WHEN OLD.\(i) != NEW.\(i) AND (NEW.\(c) ISNULL OR ST_IsEmpty(NEW.\(c)))
        BEGIN DELETE FROM "\(r)" WHERE id IN (OLD.\(i), NEW.\(i)); END;
        CREATE TRIGGER "\(r)_delete" AFTER DELETE ON \(q) WHEN old.\(c) NOT NULL
        BEGIN DELETE FROM "\(r)" WHERE id = OLD.\(i); END;
        """)
        try db.run("INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
                   [.text(t), .text(column)])
    }

    /// Recomputes a feature table's extent in `gpkg_contents` from its R-tree, and stamps `last_change`.
    public func refreshContents(_ table: String) throws {
        let row = try db.query("SELECT min(minx), min(miny), max(maxx), max(maxy) FROM \(SQLDialect.identifier("rtree_\(table)_geom"))").first ?? []
        try db.run("""
            UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?,
              last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?
            """, row.map { $0 } + [.text(table)])
    }

    /// The extent recorded in `gpkg_contents`.
    public func extent(_ table: String) throws -> BBox? {
        guard let r = try db.query("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", [.text(table)]).first,
              let a = r[0].double, let b = r[1].double, let c = r[2].double, let d = r[3].double else { return nil }
        return BBox(minX: a, minY: b, maxX: c, maxY: d)
    }

    /// Row ids of the features whose envelope meets `box` (R-tree query).
    public func ids(in table: String, intersecting box: BBox) throws -> [Int64] {
        try db.query("SELECT id FROM \(SQLDialect.identifier("rtree_\(table)_geom")) WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?",
                     [.double(box.maxX), .double(box.minX), .double(box.maxY), .double(box.minY)]).compactMap {
            if case .int(let i) = $0[0] { return i } else { return nil }
        }
    }

    /// The layers listed in `gpkg_contents`.
    public func contents() throws -> [(table: String, dataType: String, geometryType: String?, srsID: Int?)] {
        try db.query("""
            SELECT c.table_name, c.data_type, g.geometry_type_name, c.srs_id FROM gpkg_contents c
            LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name ORDER BY c.table_name
            """).map { ($0[0].text ?? "", $0[1].text ?? "", $0[2].text, $0[3].int) }
    }

    /// Encodes a geometry as a GeoPackage blob in the storage SRS.
    public static func blob(_ g: Geometry) -> SQLValue { .blob(GeoPackageBinary.encode(g, srsID: storageSRS)) }

    /// Decodes a GeoPackage blob column value.
    public static func geometry(_ v: SQLValue) throws -> Geometry? {
        guard let b = v.blob, !b.isEmpty else { return nil }
        return try GeoPackageBinary.decode(b).geometry
    }
}
