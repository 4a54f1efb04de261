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

    /// Opens or creates a cache file with the `metadata` and `tiles` tables.
    public init(cacheAt path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        db = try SQLiteDatabase(path: path, create: true)
        if try !db.tableExists("tiles") {
            try db.execute("""
                CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
                  PRIMARY KEY (zoom_level, tile_column, tile_row));
                """)
        }
    }

    /// One metadata value.
    public func metadata(_ name: String) throws -> String? {
        try db.scalar("SELECT value FROM metadata WHERE name = ?", [.text(name)])?.text
    }

    /// Empties the tiles and writes the metadata, in one transaction.
    public func reset(metadata: [(String, String)]) throws {
        try db.transaction {
            try db.run("DELETE FROM tiles")
            for (k, v) in metadata {
                try db.run("INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", [.text(k), .text(v)])
            }
        }
    }

    /// The tile's bytes as stored (often gzip-compressed elsewhere), or nil when the file has none there.
    public func tile(z: Int, x: Int, y: Int) throws -> [UInt8]? {
        try db.scalar("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                      [.int(Int64(z)), .int(Int64(x)), .int(Int64(Self.tmsRow(z: z, y: y)))])?.blob
    }

    /// Stores a tile and keeps `minzoom`/`maxzoom` to what the file holds (readers such as GDAL take the range from there).
    public func put(z: Int, x: Int, y: Int, _ data: [UInt8]) throws {
        try db.transaction {
            try db.run("INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?,?,?,?)",
                       [.int(Int64(z)), .int(Int64(x)), .int(Int64(Self.tmsRow(z: z, y: y))), .blob(data)])
            try db.run("UPDATE metadata SET value = (SELECT min(zoom_level) FROM tiles) WHERE name = 'minzoom'")
            try db.run("UPDATE metadata SET value = (SELECT max(zoom_level) FROM tiles) WHERE name = 'maxzoom'")
        }
    }

    /// Stores many tiles in one transaction (a seed writes a zoom at a time), then the zoom range once.
    public func put(_ tiles: [(z: Int, x: Int, y: Int, data: [UInt8])]) throws {
        guard !tiles.isEmpty else { return }
        try db.transaction {
            let st = try db.prepare("INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?,?,?,?)")
            for t in tiles {
                try st.run([.int(Int64(t.z)), .int(Int64(t.x)), .int(Int64(Self.tmsRow(z: t.z, y: t.y))), .blob(t.data)])
            }
            try db.run("UPDATE metadata SET value = (SELECT min(zoom_level) FROM tiles) WHERE name = 'minzoom'")
            try db.run("UPDATE metadata SET value = (SELECT max(zoom_level) FROM tiles) WHERE name = 'maxzoom'")
        }
    }

    /// Number of tiles stored.
    public func count() throws -> Int { Int(try db.scalar("SELECT count(*) FROM tiles")?.int ?? 0) }

    /// XYZ row → TMS row.
    static func tmsRow(z: Int, y: Int) -> Int { (1 << z) - 1 - y }
}
