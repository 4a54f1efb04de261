import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// Generated tiles kept in one MBTiles file per layer (`{directory}/{layer}.mbtiles`),
/// apart from the sources. The cache remembers which state of the store it
/// was made from (the store's change stamp) and empties itself when an import changes it.
/// Not Sendable: one per request or task (SQLite connections).
public final class TileCache {
    public let directory: String
    let storePath: String

    public init(directory: String, storePath: String) {
        self.directory = directory; self.storePath = storePath
    }

    public func path(_ layer: TileLayer) -> String { (directory as NSString).appendingPathComponent("\(layer.rawValue).mbtiles") }

    func open(_ layer: TileLayer, stamp: String) throws -> MBTilesFile {
        // Built only when the file is made or emptied, not for every tile.
        func metadata() -> [(String, String)] {
            let fields = layer.fields.map { "\"\($0.key)\":\"\($0.value)\"" }.sorted().joined(separator: ",")
            return [
                ("name", "Portrait \(layer.rawValue)"), ("format", "pbf"), ("type", "overlay"), ("version", "1"),
                ("description", "Portrait : couche \(layer.rawValue)"),
                ("json", "{\"vector_layers\":[{\"id\":\"\(layer.rawValue)\",\"fields\":{\(fields)}}]}"),
                ("portrait_store_stamp", stamp)]
        }
        let file = try MBTilesFile(cacheAt: path(layer), metadata: metadata())
        if try file.metadata("portrait_store_stamp") != stamp { try file.reset(metadata: metadata()) }
        return file
    }

    /// The tile, from the cache or generated and stored. `cached` says which.
    public func tile(_ layer: TileLayer, _ id: TileID, generator: TileGenerator? = nil) throws -> (data: [UInt8], cached: Bool) {
        let file = try open(layer, stamp: try Stores.changeStamp(storePath))
        if let hit = try file.tile(z: id.z, x: id.x, y: id.y) { return (hit, true) }
        let data = try (generator ?? TileGenerator(storePath: storePath)).tile(layer, id)
        try file.put(z: id.z, x: id.x, y: id.y, data)
        return (data, false)
    }

    /// Pre-renders `layer` over the store's extent from `minZoom` to `maxZoom` (`TileSeeder`: once per zoom,
    /// every core, no empty tile); returns the number of tiles written.
    @discardableResult
    public func seed(_ layer: TileLayer, minZoom: Int, maxZoom: Int, bbox: BBox, progress: TileSeeder.Progress? = nil) throws -> Int {
        try seedReport(layer, minZoom: minZoom, maxZoom: maxZoom, bbox: bbox, progress: progress).tiles
    }

    public func seedReport(_ layer: TileLayer, minZoom: Int, maxZoom: Int, bbox: BBox, progress: TileSeeder.Progress? = nil) throws -> TileSeeder.Report {
        let file = try open(layer, stamp: try Stores.changeStamp(storePath))
        return try TileSeeder.seed(layer, store: try Stores.open(storePath), into: file, minZoom: minZoom, maxZoom: maxZoom, bbox: bbox,
                                   progress: progress)
    }
}
