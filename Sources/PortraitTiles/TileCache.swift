import Foundation
import PortraitStore
import PortraitTerritory

/// Generated tiles kept in one MBTiles file per layer (`tiles/{layer}.mbtiles`),
/// apart from the sources. The cache remembers which state of the store it
/// was made from (the imports log) and empties itself when an import changes it.
/// Not Sendable: one per request or task (SQLite connections).
public final class TileCache {
    public let directory: String
    let storePath: String

    public init(directory: String, storePath: String) {
        self.directory = directory; self.storePath = storePath
    }

    public func path(_ layer: TileLayer) -> String { (directory as NSString).appendingPathComponent("\(layer.rawValue).mbtiles") }

    /// The store's state: its path, size and modification time (every import writes the file).
    /// A `stat`, not a query: cheap enough to check on every tile request.
    func stamp() throws -> String {
        let a = try FileManager.default.attributesOfItem(atPath: storePath)
        let modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(storePath)#\(a[.size] as? Int ?? 0)@\(modified)"
    }

    func open(_ layer: TileLayer, stamp: String) throws -> SQLiteDatabase {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let db = try SQLiteDatabase(path: path(layer), create: true)
        if try !db.tableExists("tiles") {
            try db.execute("""
                CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
                  PRIMARY KEY (zoom_level, tile_column, tile_row));
                """)
        }
        if try db.scalar("SELECT value FROM metadata WHERE name = 'portrait_store_stamp'")?.text != stamp {
            try db.transaction {
                try db.run("DELETE FROM tiles")
                let fields = layer.fields.map { "\"\($0.key)\":\"\($0.value)\"" }.sorted().joined(separator: ",")
                for (k, v) in [("name", "Portrait \(layer.rawValue)"), ("format", "pbf"), ("type", "overlay"), ("version", "1"),
                               ("minzoom", "0"), ("maxzoom", "14"), ("description", "Portrait : couche \(layer.rawValue)"),
                               ("json", "{\"vector_layers\":[{\"id\":\"\(layer.rawValue)\",\"fields\":{\(fields)}}]}"),
                               ("portrait_store_stamp", stamp)] {
                    try db.run("INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)", [.text(k), .text(v)])
                }
            }
        }
        return db
    }

    /// The tile, from the cache or generated and stored. `cached` says which.
    public func tile(_ layer: TileLayer, _ id: TileID, generator: TileGenerator? = nil) throws -> (data: [UInt8], cached: Bool) {
        let db = try open(layer, stamp: try stamp())
        if let hit = try db.scalar("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                                   [.int(Int64(id.z)), .int(Int64(id.x)), .int(Int64(id.tmsRow))])?.blob {
            return (hit, true)
        }
        let data = try (generator ?? TileGenerator(storePath: storePath)).tile(layer, id)
        try db.transaction {
            try db.run("INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?,?,?,?)",
                       [.int(Int64(id.z)), .int(Int64(id.x)), .int(Int64(id.tmsRow)), .blob(data)])
            // Readers (GDAL) take the zoom range from the metadata: keep it to what the cache holds.
            try db.run("UPDATE metadata SET value = (SELECT min(zoom_level) FROM tiles) WHERE name = 'minzoom'")
            try db.run("UPDATE metadata SET value = (SELECT max(zoom_level) FROM tiles) WHERE name = 'maxzoom'")
        }
        return (data, false)
    }

    /// Pre-renders every tile of `layer` over the store's extent from `minZoom` to `maxZoom`; returns the count.
    public func seed(_ layer: TileLayer, minZoom: Int, maxZoom: Int, bbox: PortraitGeometry.BBox) throws -> Int {
        let generator = try TileGenerator(storePath: storePath)
        var n = 0
        for z in minZoom...maxZoom {
            for id in TileID.covering(bbox, zoom: z) { _ = try tile(layer, id, generator: generator); n += 1 }
        }
        return n
    }
}

import PortraitGeometry
