import Foundation
import PortraitModel

/// An MBTiles 1.3 file (SQLite): Portrait's own tile caches, or a file made
/// elsewhere (tippecanoe, GDAL) opened read-only. Rows are addressed in XYZ;
/// the file keeps TMS rows, as the specification says.
/// Not Sendable (SQLite connection): one per request or task.
public final class MBTilesFile {
    let db: SQLiteDatabase
    public var path: String { db.path }

    /// Opens an existing file read-only; `StoreError` (not found) when it is absent.
    public init(readingAt path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, function: "open", message: "MBTiles introuvable", kind: .notFound)
        }
        db = try SQLiteDatabase(path: path, readOnly: true)
    }

    /// Opens a cache file, or creates it with the `metadata` and `tiles` tables, `metadata`'s rows and the
    /// placeholder tile. A new file is made whole under a temporary name and linked into place (`link`, which never
    /// replaces a file another connection has open), so that `path` is either absent or a valid MBTiles: a process
    /// killed while creating it leaves no half-made file there.
    public init(cacheAt path: String, metadata: @autoclosure () -> [(String, String)] = []) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        if !FileManager.default.fileExists(atPath: path) {
            // Another process that made it first: its file is used.
            try NewFile.create(at: path, { temporary in
                let fresh = try SQLiteDatabase(path: temporary, create: true)
                try fresh.transaction { try Self.createSchema(fresh, metadata: metadata()) }
            }, raced: {})
        }
        db = try SQLiteDatabase(path: path, create: false)
        if try !db.tableExists("tiles") || !db.tableExists("metadata") {
            try db.transaction { try Self.createSchema(db, metadata: metadata()) }
        }
    }

    /// MBTiles readers (GDAL) need one tile at the file's maximum zoom to open it. A cache without tiles holds
    /// this one: 22/0/0 (XYZ), at the antimeridian near the pole, empty in every layer of Quebec (an empty MVT,
    /// zero bytes); `tile` never returns it, `count` leaves it out, and the first real tile removes it.
    static let placeholderRow = Int64((1 << 22) - 1)
    static let isPlaceholder = "zoom_level = 22 AND tile_column = 0 AND tile_row = \((1 << 22) - 1) AND length(tile_data) = 0"

    static func createSchema(_ db: SQLiteDatabase, metadata: [(String, String)]) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
              PRIMARY KEY (zoom_level, tile_column, tile_row));
            """)
        try fill(db, metadata: metadata)
    }

    /// Empties the tiles, writes `metadata` and the placeholder tile (the zoom range then 22–22).
    static func fill(_ db: SQLiteDatabase, metadata: [(String, String)]) throws {
        try db.run("DELETE FROM tiles")
        for (k, v) in metadata { try db.run("INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", [.text(k), .text(v)]) }
        try db.run("INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (22, 0, ?, zeroblob(0))", [.int(placeholderRow)])
        try updateZoomRange(db)
    }

    /// `minzoom`/`maxzoom` to what the file holds, after removing the placeholder once a real tile is there.
    static func updateZoomRange(_ db: SQLiteDatabase) throws {
        try db.run("DELETE FROM tiles WHERE \(isPlaceholder) AND (SELECT count(*) FROM tiles) > 1")
        for (name, f) in [("minzoom", "min"), ("maxzoom", "max")] {
            try db.run("INSERT OR REPLACE INTO metadata (name, value) VALUES (?, (SELECT \(f)(zoom_level) FROM tiles))", [.text(name)])
        }
    }

    /// One metadata value.
    public func metadata(_ name: String) throws -> String? {
        try db.scalar("SELECT value FROM metadata WHERE name = ?", [.text(name)])?.text
    }

    /// Empties the tiles and writes the metadata, in one transaction (the file stays a valid MBTiles: placeholder tile).
    public func reset(metadata: [(String, String)]) throws {
        try db.transaction { try Self.fill(db, metadata: metadata) }
    }

    /// The tile's bytes as stored (often gzip-compressed elsewhere), or nil when the file has none there.
    public func tile(z: Int, x: Int, y: Int) throws -> [UInt8]? {
        try db.scalar("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ? AND NOT (\(Self.isPlaceholder))",
                      [.int(Int64(z)), .int(Int64(x)), .int(Int64(Self.tmsRow(z: z, y: y)))])?.blob
    }

    /// Stores a tile and keeps `minzoom`/`maxzoom` to what the file holds (readers such as GDAL take the range from there).
    public func put(z: Int, x: Int, y: Int, _ data: [UInt8]) throws {
        try put([(z, x, y, data)])
    }

    /// Stores many tiles in one transaction (a seed writes a zoom at a time), then the zoom range once.
    public func put(_ tiles: [(z: Int, x: Int, y: Int, data: [UInt8])]) throws {
        guard !tiles.isEmpty else { return }
        try db.transaction {
            let st = try db.prepare("INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?,?,?,?)")
            for t in tiles {
                try st.run([.int(Int64(t.z)), .int(Int64(t.x)), .int(Int64(Self.tmsRow(z: t.z, y: t.y))), .blob(t.data)])
            }
            try Self.updateZoomRange(db)
        }
    }

    /// Number of tiles stored (the placeholder left out).
    public func count() throws -> Int { Int(try db.scalar("SELECT count(*) FROM tiles WHERE NOT (\(Self.isPlaceholder))")?.int ?? 0) }

    /// XYZ row → TMS row.
    static func tmsRow(z: Int, y: Int) -> Int { (1 << z) - 1 - y }
}
