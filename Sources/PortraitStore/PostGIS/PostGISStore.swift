import Foundation
import PortraitGeometry
import PortraitModel

/// The PostgreSQL/PostGIS backend of `TerritoryStore`: the same layers and tables as the GeoPackage, in one
/// database shared by several `portrait` processes. Geometries are PostGIS `geometry(…, 4326)` columns with
/// GiST indexes, crossing as WKB (`ST_GeomFromWKB`, `ST_AsBinary`). Each feature row also keeps its envelope
/// in single precision, rounded outwards exactly as SQLite's R-tree does, so that box queries and extents
/// give the GeoPackage's answers to the bit.
///
/// Writes: every write takes a per-layer advisory lock (`pg_advisory_xact_lock`) for the rest of its
/// transaction, so two imports of one layer run one after the other and imports of different layers do not
/// wait; bulk rows go by `COPY`. Every committed write advances `portrait_stamp` and announces it with
/// `pg_notify('portrait_changed', …)`: each server's caches follow (`PostgresStampWatcher`).
///
/// Not Sendable: a store holds one pooled connection for its life. Open one per task or request.
public final class PostGISStore: TerritoryStore {
    let session: PostgresSession
    let pool: PostgresPool
    public let location: String
    private var depth = 0
    private var dirty = false
    private var lockedLayers: Set<String> = []
    /// `addLaterTables` ran in this store's committed (or current) transaction.
    private var laterTablesChecked = false
    /// An import was logged in the current transaction: its derived layers are written before it commits.
    var derivationPending = false

    /// Opens the store in the database at `location` (a `postgresql://` URL). `create` makes Portrait's tables
    /// when they are missing; otherwise a database without them is `StoreError.missing` (unavailable).
    /// `schemaInWrite`: when the tables are missing they are not made here but by `createSchemaIfMissing`, inside the
    /// caller's write transaction (`Stores.writing`), so that a first write that does not finish leaves the database
    /// exactly as it was (PostgreSQL's DDL is transactional).
    public init(_ location: String, create: Bool = false, schemaInWrite: Bool = false) throws {
        let l = try PostgresLocation(location)
        pool = PostgresPool.shared(l)
        self.location = l.description
        session = try pool.lease()
        do {
            if try !Self.schemaExists(session) {
                guard create else { throw StoreError.missing(l.description) }
                if !schemaInWrite { try createSchema() }
            }
        } catch {
            pool.release(session)
            throw error
        }
    }

    deinit {
        if depth > 0 { _ = try? session.run("ROLLBACK") }
        pool.release(session)
    }

    // MARK: Schema

    static func schemaExists(_ s: PostgresSession) throws(StoreError) -> Bool {
        try s.scalar("SELECT to_regclass('portrait_stamp') IS NOT NULL")?.int == 1
    }

    /// True when Portrait's tables exist in the database at `location`.
    public static func exists(_ location: String) throws -> Bool {
        let pool = PostgresPool.shared(try PostgresLocation(location))
        let s = try pool.lease()
        defer { pool.release(s) }
        return try schemaExists(s)
    }

    static let featureLayers: [(table: String, geometryType: String, columns: String, description: String)] = [
        ("regions", "MULTIPOLYGON", "code text NOT NULL UNIQUE, name text NOT NULL, area_km2 double precision, class text, import_id bigint",
         "Portrait : régions"),
        ("mrc", "MULTIPOLYGON", "code text NOT NULL UNIQUE, name text NOT NULL, region_code text, area_km2 double precision, class text, import_id bigint",
         "Portrait : MRC"),
        ("municipalities", "MULTIPOLYGON", """
            code text NOT NULL UNIQUE, name text NOT NULL, designation text, mrc_code text, region_code text,
            area_km2 double precision, class text, aquatic integer NOT NULL DEFAULT 0, import_id bigint
            """, "Portrait : municipalités"),
        ("coastline", "MULTILINESTRING", "source text, import_id bigint", "Portrait : trait de côte"),
        ("services", "POINT", """
            category text NOT NULL, name text NOT NULL, address text, municipality_code text, capacity double precision,
            source text, vintage bigint, import_id bigint
            """, "Portrait : services (écoles, CLSC, …)"),
        ("places", "POINT", "name text NOT NULL, municipality_code text, source text, import_id bigint",
         "Portrait : lieux habités (points de population)"),
    ]

    static let attributeTables: [(table: String, columns: String)] = [
        ("mobilisations", """
            mobilisation_id text NOT NULL UNIQUE, name text NOT NULL, acronym text, scale text, territory_type text NOT NULL,
            territory_code text NOT NULL, region_code text, start_year bigint, end_year bigint, leadership text, enjeux text,
            budget_cad double precision, source text, import_id bigint
            """),
        ("custom_territories", "territory_id text NOT NULL UNIQUE, name text NOT NULL, codes text NOT NULL, source text, import_id bigint"),
        ("indicators", "name text NOT NULL UNIQUE, kind text NOT NULL, unit text, label_fr text, label_en text, definition text"),
        ("indicator_values", """
            territory_code text NOT NULL, level text NOT NULL, indicator text NOT NULL, vintage bigint NOT NULL,
            value double precision, status text NOT NULL, unit text, source text, import_id bigint
            """),
        ("join_reports", "import_id bigint NOT NULL, report text NOT NULL"),
        ("imports", """
            kind text NOT NULL, level text, source_file text, sha256 text, imported_at text NOT NULL, features_read bigint,
            units bigint, inserted bigint, replaced bigint, repaired bigint, dissolved bigint, warnings text, parameters text
            """),
    ] + (PlanSQL.tables + RoadSQL.tables).map { t in (t.name, t.columns.map { "\($0.0) \($0.2)" }.joined(separator: ", ")) }

    /// Portrait's tables made in the current transaction when they are missing (see `schemaInWrite`).
    func createSchemaIfMissing() throws {
        if try !Self.schemaExists(session) { try createSchema() }
    }

    /// The tables added after a database's schema was made (`laterTables`), created in the first write's
    /// transaction of this store when missing (under the schema's advisory lock).
    func addLaterTables() throws {
        guard !laterTablesChecked else { return }
        for t in Self.attributeTables where Self.laterTables.contains(t.table) {
            guard try session.scalar("SELECT to_regclass($1) IS NULL", [.text(t.table)])?.int == 1 else { continue }
            try session.run("SELECT pg_advisory_xact_lock(hashtext('portrait:schema'))")
            guard try session.scalar("SELECT to_regclass($1) IS NULL", [.text(t.table)])?.int == 1 else { continue }
            try session.run("CREATE TABLE \(t.table) (id bigserial PRIMARY KEY, \(t.columns))")
            try session.run("INSERT INTO portrait_layers (name, kind) VALUES ($1, 'attributes') ON CONFLICT DO NOTHING", [.text(t.table)])
        }
        laterTablesChecked = true
    }

    /// Tables a database made by an earlier version may lack.
    static let laterTables: Set<String> = ["custom_territories", "plans", "plan_targets", "plan_measurements", "road_networks", "road_nodes", "road_edges"]

    /// Creates PostGIS (when absent) and every table, index and the stamp row, in one transaction, once
    /// (other processes creating it at the same moment wait on an advisory lock, then find it made).
    private func createSchema() throws {
        try transaction {
            try session.run("SELECT pg_advisory_xact_lock(hashtext('portrait:schema'))")
            guard try !Self.schemaExists(session) else { return }
            if try session.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")?.int == 0 {
                try session.run("CREATE EXTENSION postgis")
            }
            try session.run("""
                CREATE TABLE portrait_layers (name text PRIMARY KEY, kind text NOT NULL, geometry_type text, description text,
                  min_x double precision, min_y double precision, max_x double precision, max_y double precision)
                """)
            for l in Self.featureLayers {
                let pgType = l.geometryType == "MULTIPOLYGON" ? "MultiPolygon" : l.geometryType == "POINT" ? "Point" : "MultiLineString"
                try session.run("""
                    CREATE TABLE \(l.table) (fid bigserial PRIMARY KEY, geom geometry(\(pgType), 4326), \(l.columns),
                      bbox_minx real, bbox_miny real, bbox_maxx real, bbox_maxy real)
                    """)
                try session.run("CREATE INDEX \(l.table)_geom_gist ON \(l.table) USING gist (geom)")
                try session.run("INSERT INTO portrait_layers (name, kind, geometry_type, description) VALUES ($1, 'features', $2, $3)",
                                [.text(l.table), .text(l.geometryType), .text(l.description)])
            }
            for t in Self.attributeTables {
                try session.run("CREATE TABLE \(t.table) (id bigserial PRIMARY KEY, \(t.columns))")
                try session.run("INSERT INTO portrait_layers (name, kind) VALUES ($1, 'attributes')", [.text(t.table)])
            }
            try session.run("CREATE UNIQUE INDEX indicator_values_key ON indicator_values (level, territory_code, indicator, vintage)")
            try session.run("CREATE INDEX services_category ON services (category)")
            try session.run("CREATE INDEX municipalities_mrc ON municipalities (mrc_code)")
            try session.run("CREATE INDEX municipalities_region ON municipalities (region_code)")
            try session.run("""
                CREATE TABLE portrait_stamp (id integer PRIMARY KEY CHECK (id = 1), instance text NOT NULL, counter bigint NOT NULL,
                  schema_version integer NOT NULL)
                """)
            try session.run("INSERT INTO portrait_stamp VALUES (1, md5(random()::text || clock_timestamp()::text), 0, 1)")
            dirty = true
        }
    }

    // MARK: Transactions and the stamp

    public func transaction<R>(_ body: () throws -> R) throws -> R {
        try session.run(depth == 0 ? "BEGIN" : "SAVEPOINT portrait_\(depth)")
        depth += 1
        do {
            let r = try body()
            // The outermost transaction writes, before it commits, the layers derived from an import it logged
            // (`ImportWriter.deriving`): once, after every write of the import (its coast classification included).
            if depth == 1, derivationPending {
                derivationPending = false
                try ImportWriter.derive(self)
            }
            depth -= 1
            if depth == 0 {
                var stamp: String?
                if dirty { stamp = try advanceStamp() }
                try session.run("COMMIT")
                dirty = false; lockedLayers = []
                if let stamp { PostgresStampWatcher.existing(pool.location)?.advance(to: stamp) }
            } else {
                try session.run("RELEASE SAVEPOINT portrait_\(depth)")
            }
            return r
        } catch {
            depth -= 1
            if depth == 0 {
                _ = try? session.run("ROLLBACK")
                dirty = false; lockedLayers = []; laterTablesChecked = false; derivationPending = false
            } else {
                _ = try? session.run("ROLLBACK TO SAVEPOINT portrait_\(depth)")
                _ = try? session.run("RELEASE SAVEPOINT portrait_\(depth)")
            }
            throw error
        }
    }

    /// Runs a write on `layers`: inside the current transaction, or in one of its own. Takes each layer's
    /// advisory lock once per transaction (`pg_advisory_xact_lock(hashtext('portrait:LAYER'))`).
    @discardableResult
    func write<R>(_ layers: String..., body: () throws -> R) throws -> R { try write(layers, body: body) }

    @discardableResult
    func write<R>(_ layers: [String], body: () throws -> R) throws -> R {
        if depth == 0 { return try transaction { try write(layers: layers, body) } }
        return try write(layers: layers, body)
    }

    private func write<R>(layers: [String], _ body: () throws -> R) throws -> R {
        try addLaterTables()
        for layer in layers.sorted() where !lockedLayers.contains(layer) {
            try session.run("SELECT pg_advisory_xact_lock(hashtext($1))", [.text("portrait:" + layer)])
            lockedLayers.insert(layer)
        }
        dirty = true
        return try body()
    }

    /// Advances the counter and queues the notification (sent by PostgreSQL at commit). Returns the new stamp.
    private func advanceStamp() throws -> String {
        guard let r = try session.query("UPDATE portrait_stamp SET counter = counter + 1 RETURNING instance, counter").first else {
            throw StoreError(path: location, function: "stamp", message: "ligne portrait_stamp absente", library: "PostgreSQL")
        }
        let stamp = "pg:\(r[0].text ?? ""):\(r[1].int ?? 0)"
        try session.run("SELECT pg_notify('\(PostgresStampWatcher.channel)', $1)", [.text(stamp)])
        return stamp
    }

    static func readStamp(_ s: PostgresSession) throws(StoreError) -> String {
        guard try schemaExists(s), let r = try s.query("SELECT instance, counter FROM portrait_stamp").first else {
            throw StoreError.missing(s.location.description)
        }
        return "pg:\(r[0].text ?? ""):\(r[1].int ?? 0)"
    }

    /// The stamp of the last committed write: from memory when this process watches the database, else read.
    public func changeStamp() throws -> String {
        if let w = PostgresStampWatcher.existing(pool.location) { return try w.stamp() }
        return try Self.readStamp(session)
    }

    /// The stamp of the database at `location` without opening a store: the watcher's (no query) when one
    /// runs in this process, else read through the pool.
    public static func changeStamp(_ location: String) throws -> String {
        if let w = PostgresStampWatcher.existing(url: location) { return try w.stamp() }
        let l = try PostgresLocation(location)
        if let w = PostgresStampWatcher.existing(l) { return try w.stamp() }
        let pool = PostgresPool.shared(l)
        let s = try pool.lease()
        defer { pool.release(s) }
        return try readStamp(s)
    }

    /// Starts following the stamp of `location` from memory (the server does it once at start): waits a few
    /// seconds for the first answer; a database down then is retried in the background.
    public static func watch(_ location: String) throws {
        PostgresStampWatcher.start(try PostgresLocation(location), url: location)
    }

    // MARK: Envelopes as SQLite's R-tree keeps them

    /// SQLite's `rtreeValueDown`: the nearest single-precision value, moved down when it rounded up.
    static func floatDown(_ d: Double) -> Double {
        var f = Float(d)
        if Double(f) > d { f = Float(d * (d < 0 ? 1 + 1.0 / 8_388_608 : 1 - 1.0 / 8_388_608)) }
        return Double(f)
    }

    /// SQLite's `rtreeValueUp`.
    static func floatUp(_ d: Double) -> Double {
        var f = Float(d)
        if Double(f) < d { f = Float(d * (d < 0 ? 1 - 1.0 / 8_388_608 : 1 + 1.0 / 8_388_608)) }
        return Double(f)
    }

    /// The envelope columns of a geometry (NULL when empty, as the R-tree skips empty geometries).
    static func envelope(_ g: Geometry) -> [SQLValue] {
        guard !g.isEmpty, let b = g.bbox else { return [.null, .null, .null, .null] }
        return [.double(floatDown(b.minX)), .double(floatDown(b.minY)), .double(floatUp(b.maxX)), .double(floatUp(b.maxY))]
    }

    static let envelopeColumns = "bbox_minx, bbox_miny, bbox_maxx, bbox_maxy"

    /// A geometry as COPY text wants it: hexadecimal EWKB with SRID 4326.
    static func ewkb(_ g: Geometry) -> SQLValue {
        var wkb = g.wkb
        // Set the SRID flag on the type and insert the SRID after it (little-endian WKB as written by PortraitGeometry).
        guard wkb.count >= 5, wkb[0] == 1 else { return .blob(wkb) }
        wkb[4] |= 0x20
        wkb.insert(contentsOf: withUnsafeBytes(of: Int32(4326).littleEndian, Array.init), at: 5)
        return .blob(wkb)
    }

    /// The condition "the row's envelope meets `box`", with the GiST index doing the first cut.
    static func meets(_ box: BBox) -> (sql: String, bindings: [SQLValue]) {
        ("geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND bbox_minx <= $3 AND bbox_maxx >= $1 AND bbox_miny <= $4 AND bbox_maxy >= $2",
         [.double(box.minX), .double(box.minY), .double(box.maxX), .double(box.maxY)])
    }

    static func geometry(_ v: SQLValue) throws -> Geometry? {
        guard let b = v.blob, !b.isEmpty else { return nil }
        return try Geometry(wkb: b)
    }
}
