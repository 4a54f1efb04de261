import Dispatch
import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore
import Synchronization

/// Pre-renders a layer from z `minZoom` to `maxZoom` the way a batch tiler does, rather than tile by tile:
/// the features are read and projected to Web Mercator once; at each zoom every geometry is simplified once
/// (one tile unit), then only the tiles its box meets get it, so no empty tile is made; the tiles of a zoom
/// are built on every core (GEOS contexts are per operation, never shared) and written in one transaction.
public enum TileSeeder {
    public struct Report: Sendable {
        public var tiles: Int
        public var features: Int
        public var seconds: Double
    }

    /// Called after each batch of tiles: (zoom, tiles done at this zoom, tiles of this zoom).
    public typealias Progress = @Sendable (Int, Int, Int) -> Void

    struct Source: Sendable {
        var id: UInt64
        var mercator: Geometry
        var polygonal: Bool
        var properties: [(key: String, value: PropertyValue)]
    }

    public static func seed(_ layer: TileLayer, store: any TerritoryStore, into file: MBTilesFile, minZoom: Int, maxZoom: Int, bbox: BBox,
                            progress: Progress? = nil) throws -> Report {
        let start = Date()
        let generator = TileGenerator(store: store)
        // Once: the features, their attributes, their Web Mercator geometry.
        let sources: [Source] = try generator.sourceFeatures(layer, bbox).map { f in
            Source(id: UInt64(f.id), mercator: f.geometry.mapPositions { Position(TileGenerator.mercatorX($0.x), TileGenerator.mercatorY($0.y)) },
                   polygonal: f.geometry.isPolygonal, properties: try f.properties())
        }
        var total = 0
        for z in minZoom...maxZoom {
            let tiles = try zoom(z, layer: layer, sources: sources, progress: progress)
            try file.put(tiles.map { (z: z, x: $0.x, y: $0.y, data: $0.data) })
            total += tiles.count
        }
        return Report(tiles: total, features: sources.count, seconds: Date().timeIntervalSince(start))
    }

    /// The non-empty tiles of zoom `z`, built in parallel.
    static func zoom(_ z: Int, layer: TileLayer, sources: [Source], progress: Progress?) throws -> [(x: Int, y: Int, data: [UInt8])] {
        let world = 2 * Double.pi * TileGenerator.radius
        let size = world / Double(1 << z)
        let unit = size / TileGenerator.extent
        let pad = TileGenerator.buffer * unit
        // Each geometry simplified once for this zoom (one tile unit), in parallel.
        let simplified = try parallelMap(sources) { s -> Geometry in
            { if case .point = s.mercator { return true } else { return false } }() ? s.mercator : try s.mercator.simplifyPreservingTopology(tolerance: unit)
        }
        // Which tiles each feature's box (with the buffer) meets.
        var byTile: [Int: [Int]] = [:]
        let n = 1 << z
        for (i, g) in simplified.enumerated() {
            guard let b = g.bbox else { continue }
            func tx(_ x: Double) -> Int { min(n - 1, max(0, Int(((x + world / 2) / size).rounded(.down)))) }
            func ty(_ y: Double) -> Int { min(n - 1, max(0, Int(((world / 2 - y) / size).rounded(.down)))) }
            for x in tx(b.minX - pad)...tx(b.maxX + pad) {
                for y in ty(b.maxY + pad)...ty(b.minY - pad) { byTile[x * n + y, default: []].append(i) }
            }
        }
        let keys = byTile.keys.sorted()
        let members = byTile
        let done = Atomic<Int>(0)
        let built = try parallelMap(keys) { key -> (x: Int, y: Int, data: [UInt8])? in
            let x = key / n, y = key % n
            let minX = Double(x) * size - world / 2, maxY = world / 2 - Double(y) * size
            var features: [MVTLayer.Feature] = []
            for i in members[key]! {
                if let g = try tileGeometry(simplified[i], minX: minX, maxY: maxY, size: size) {
                    features.append(MVTLayer.Feature(id: sources[i].id, geometry: sources[i].polygonal ? .multiPolygon(g.asMultiPolygon) : g,
                                                     properties: sources[i].properties))
                }
            }
            let count = done.add(1, ordering: .relaxed).newValue
            if let progress, count % 256 == 0 || count == keys.count { progress(z, count, keys.count) }
            return features.isEmpty ? nil : (x, y, MVTEncoder.encode([MVTLayer(name: layer.rawValue, features: features)]))
        }
        return built.compactMap { $0 }
    }

    /// One feature in tile units: clipped to the tile and its buffer only when it crosses them, snapped to the integer grid.
    static func tileGeometry(_ g: Geometry, minX: Double, maxY: Double, size: Double) throws -> Geometry? {
        let e = TileGenerator.extent, buffer = TileGenerator.buffer
        let t = g.mapPositions { p in Position((p.x - minX) / size * e, (maxY - p.y) / size * e) }
        if case .point(let p) = t {
            guard p.position.x >= 0, p.position.x < e, p.position.y >= 0, p.position.y < e else { return nil }
            return .point(Point(Position(p.position.x.rounded(), p.position.y.rounded())))
        }
        guard let b = t.bbox, b.maxX >= -buffer, b.minX <= e + buffer, b.maxY >= -buffer, b.minY <= e + buffer else { return nil }
        var clipped = t
        if b.minX < -buffer || b.minY < -buffer || b.maxX > e + buffer || b.maxY > e + buffer {
            clipped = try t.intersection(.polygon(Polygon(exterior: [
                Position(-buffer, -buffer), Position(e + buffer, -buffer), Position(e + buffer, e + buffer), Position(-buffer, e + buffer),
                Position(-buffer, -buffer)])))
            if clipped.isEmpty { return nil }
        }
        let rounded = try clipped.snappedToGrid(1)
        return rounded.isEmpty ? nil : rounded
    }

    /// `transform` over `items` on every core, results in order; the first error wins.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) throws -> R) throws -> [R] {
        let results = Mutex<[R?]>([R?](repeating: nil, count: items.count))
        let failure = Mutex<(any Error)?>(nil)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(1, (items.count + workers * 4 - 1) / (workers * 4))
        DispatchQueue.concurrentPerform(iterations: (items.count + chunk - 1) / chunk) { c in
            var local: [(Int, R)] = []
            for i in (c * chunk)..<min(items.count, (c + 1) * chunk) {
                if failure.withLock({ $0 != nil }) { return }
                do { local.append((i, try transform(items[i]))) } catch { failure.withLock { if $0 == nil { $0 = error } }; return }
            }
            results.withLock { r in for (i, v) in local { r[i] = v } }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return results.withLock { $0.map { $0! } }
    }
}
