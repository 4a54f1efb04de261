import Foundation
import PortraitStore

/// A read-only MBTiles file made elsewhere (tippecanoe, GDAL…), served as it is.
/// Not Sendable (SQLite connection): open one per request.
public final class MBTilesSource {
    let file: MBTilesFile

    public init(path: String) throws {
        file = try MBTilesFile(readingAt: path)
    }

    /// The tile's bytes as stored (often gzip-compressed), or nil when the file has none there.
    public func tile(_ id: TileID) throws -> [UInt8]? { try file.tile(z: id.z, x: id.x, y: id.y) }

    /// True for gzip data (magic 1f 8b): served with `Content-Encoding: gzip`.
    public static func isGzip(_ data: [UInt8]) -> Bool { data.count > 2 && data[0] == 0x1F && data[1] == 0x8B }
}
