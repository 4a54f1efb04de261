import Foundation
import PortraitStore

/// A read-only MBTiles file made elsewhere (tippecanoe, GDAL…), served as it is.
/// Not Sendable (SQLite connection): open one per request.
public final class MBTilesSource {
    let db: SQLiteDatabase

    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(path: path, function: "open", message: "MBTiles introuvable")
        }
        db = try SQLiteDatabase(path: path, readOnly: true)
    }

    /// The tile's bytes as stored (often gzip-compressed), or nil when the file has none there.
    public func tile(_ id: TileID) throws -> [UInt8]? {
        try db.scalar("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                      [.int(Int64(id.z)), .int(Int64(id.x)), .int(Int64(id.tmsRow))])?.blob
    }

    /// True for gzip data (magic 1f 8b): served with `Content-Encoding: gzip`.
    public static func isGzip(_ data: [UInt8]) -> Bool { data.count > 2 && data[0] == 0x1F && data[1] == 0x8B }
}
