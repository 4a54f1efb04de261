import Dispatch
import Foundation
import PortraitGeometry
import PortraitModel
import Synchronization
import PortraitSpatial
import PortraitStore

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
        // The work is handed out heaviest first, so that the last large features do not leave the other cores idle.
        let heaviestFirst = sources.indices.sorted { sources[$0].mercator.positionCount > sources[$1].mercator.positionCount }
        var total = 0
        // From the highest zoom down: each zoom simplifies the previous one's geometry (halved), not the full resolution.
        var previous: [Geometry]? = nil
        for z in (minZoom...maxZoom).reversed() {
            let (tiles, simplified) = try zoom(z, layer: layer, sources: sources, finer: previous, order: heaviestFirst, progress: progress)
            try file.put(tiles.map { (z: z, x: $0.x, y: $0.y, data: $0.data) })
            total += tiles.count
            previous = simplified
        }
        return Report(tiles: total, features: sources.count, seconds: Date().timeIntervalSince(start))
    }

    /// The non-empty tiles of zoom `z`, built in parallel. Each geometry is taken once to the zoom's global
    /// pixel grid (2^z × 4096 units), simplified at one unit and snapped to integers there (valid, neighbours'
    /// shared borders kept); a tile then only translates the features inside it, and clips those that cross it.
    /// `finer`: the features on the next zoom's grid (nil for the highest zoom, taken from full resolution); returned
    /// on this zoom's grid, for the next one down.
    static func zoom(_ z: Int, layer: TileLayer, sources: [Source], finer: [Geometry]?, order: [Int]? = nil, progress: Progress?) throws
        -> (tiles: [(x: Int, y: Int, data: [UInt8])], simplified: [Geometry]) {
        let world = 2 * Double.pi * TileGenerator.radius
        let e = TileGenerator.extent, pad = TileGenerator.buffer
        let scale = Double(1 << z) * e / world
        let n = 1 << z
        @Sendable func full(_ i: Int) -> Geometry {
            sources[i].mercator.mapPositions { Position(($0.x + world / 2) * scale, (world / 2 - $0.y) * scale) }
        }
        let global = try parallelMap(count: sources.count, order: order) { i -> Geometry in
            if case .point = sources[i].mercator { return full(i).mapPositions { Position($0.x.rounded(), $0.y.rounded()) } }
            // The next zoom's geometry halved (this zoom's pixels); should GEOS fail on it, the full resolution.
            if let finer {
                // The next zoom's geometry halved (this zoom's pixels); should GEOS fail on it, the full resolution.
                if let g = try? onGrid(finer[i].mapPositions { Position($0.x / 2, $0.y / 2) }) { return g }
            }
            return try onGrid(full(i))
        }
        // Which tiles each feature's box (with the buffer) meets.
        var byTile: [Int: [Int]] = [:]
        for (i, g) in global.enumerated() {
            guard let b = g.bbox else { continue }
            func t(_ v: Double) -> Int { min(n - 1, max(0, Int((v / e).rounded(.down)))) }
            for x in t(b.minX - pad)...t(b.maxX + pad) {
                for y in t(b.minY - pad)...t(b.maxY + pad) { byTile[x * n + y, default: []].append(i) }
            }
        }
        // Per feature, on every core: its part in each tile it meets, one GEOS conversion for all its tiles.
        var tilesOfFeature = [[Int]](repeating: [], count: global.count)
        for (key, list) in byTile { for i in list { tilesOfFeature[i].append(key) } }
        let tilesOf = tilesOfFeature
        let pieces = try parallelMap(count: global.count, order: order) { i -> [(key: Int, geometry: Geometry)] in
            guard let b = global[i].bbox else { return [] }
            var out: [(key: Int, geometry: Geometry)] = []
            var crossing: [(key: Int, origin: Position)] = []
            for key in tilesOf[i] {
                let origin = Position(Double(key / n) * e, Double(key % n) * e)
                switch placement(global[i], box: b, originX: origin.x, originY: origin.y) {
                case .outside: continue
                case .inside(let g): out.append((key, g))
                case .crossing: crossing.append((key, origin))
                }
            }
            guard !crossing.isEmpty else { return out }
            let rects = crossing.map { BBox(minX: $0.origin.x - pad, minY: $0.origin.y - pad, maxX: $0.origin.x + e + pad, maxY: $0.origin.y + e + pad) }
            for (c, g) in zip(crossing, try clip(global[i], to: rects)) where !g.isEmpty {
                out.append((c.key, g.mapPositions { Position($0.x - c.origin.x, $0.y - c.origin.y) }))
            }
            return out
        }
        var inTile: [Int: [(feature: Int, geometry: Geometry)]] = [:]
        for (i, list) in pieces.enumerated() { for p in list { inTile[p.key, default: []].append((i, p.geometry)) } }
        let keys = inTile.keys.sorted()
        let contents = inTile
        let done = Atomic<Int>(0)
        let built = try parallelMap(keys) { key -> (x: Int, y: Int, data: [UInt8])? in
            let features = contents[key]!.sorted { $0.feature < $1.feature }.map { f in
                MVTLayer.Feature(id: sources[f.feature].id, geometry: sources[f.feature].polygonal ? .multiPolygon(f.geometry.asMultiPolygon) : f.geometry,
                                 properties: sources[f.feature].properties)
            }
            let count = done.add(1, ordering: .relaxed).newValue
            if let progress, count % 256 == 0 || count == keys.count { progress(z, count, keys.count) }
            // A tile whose features all lie in its buffer (drawn by the neighbours) shows nothing: not written.
            let visible = features.contains { f in
                guard let b = f.geometry.bbox else { return false }
                return b.maxX >= 0 && b.minX < e && b.maxY >= 0 && b.minY < e
                    && (b.maxX > 0 || b.minX == b.maxX) && (b.maxY > 0 || b.minY == b.maxY)
            }
            return visible ? (key / n, key % n, MVTEncoder.encode([MVTLayer(name: layer.rawValue, features: features)])) : nil
        }
        return (built.compactMap { $0 }, global)
    }

    /// `g` (in pixel units) simplified at one pixel and on the integer grid, valid: in plain Swift when the result
    /// is provably valid, else through GEOS (topology-preserving simplification, snap rounding).
    static func onGrid(_ g: Geometry) throws -> Geometry {
        try g.simplifiedOnPixelGrid(tolerance: 1) ?? g.simplifiedAndSnapped(tolerance: 1, gridSize: 1)
    }

    /// The parts of `g` (on the grid, valid) in each rectangle, on the grid and valid (empty when nothing is left):
    /// in plain Swift when provably valid; the others through GEOS, one conversion for all of them, and an overlay
    /// (always valid) for a part GEOS cannot snap.
    static func clip(_ g: Geometry, to rects: [BBox]) throws -> [Geometry] {
        var parts = rects.map { g.clippedOnPixelGrid(to: $0) }
        let viaGEOS = parts.indices.filter { parts[$0] == nil }
        guard !viaGEOS.isEmpty else { return parts.map { $0! } }
        for (k, part) in zip(viaGEOS, try g.clippedAndSnapped(to: viaGEOS.map { rects[$0] }, gridSize: 1)) {
            let r = rects[k]
            parts[k] = try part ?? g.intersection(.polygon(Polygon(exterior: [
                Position(r.minX, r.minY), Position(r.maxX, r.minY), Position(r.maxX, r.maxY),
                Position(r.minX, r.maxY), Position(r.minX, r.minY)]))).snappedToGrid(1)
        }
        return parts.map { $0! }
    }

    enum Placement { case outside, inside(Geometry), crossing }

    /// Where a feature (on the zoom's integer grid) stands against the tile whose corner is (`originX`, `originY`):
    /// outside it and its buffer, inside (then translated: still on the grid, still valid), or crossing its edge.
    static func placement(_ g: Geometry, box b: BBox, originX ox: Double, originY oy: Double) -> Placement {
        let e = TileGenerator.extent, pad = TileGenerator.buffer
        let lo = -pad, hi = e + pad
        let minX = b.minX - ox, maxX = b.maxX - ox, minY = b.minY - oy, maxY = b.maxY - oy
        if case .point = g {
            guard minX >= 0, minX < e, minY >= 0, minY < e else { return .outside }
            return .inside(g.mapPositions { Position($0.x - ox, $0.y - oy) })
        }
        guard maxX >= lo, minX <= hi, maxY >= lo, minY <= hi else { return .outside }
        if minX >= lo, maxX <= hi, minY >= lo, maxY <= hi { return .inside(g.mapPositions { Position($0.x - ox, $0.y - oy) }) }
        return .crossing
    }

    /// `transform` of every index below `count` on every core, results by index; `order`, when given, is the
    /// order the indices are handed out in.
    static func parallelMap<R: Sendable>(count: Int, order: [Int]?, _ transform: @Sendable (Int) throws -> R) throws -> [R] {
        let sequence = order ?? Array(0..<count)
        let results = try parallelMap(sequence, transform)
        var byIndex = [R?](repeating: nil, count: count)
        for (k, i) in sequence.enumerated() { byIndex[i] = results[k] }
        return byIndex.map { $0! }
    }

    /// `transform` over `items` on every core, results in order; the first error wins.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) throws -> R) throws -> [R] {
        let results = Protected<[R?]>([R?](repeating: nil, count: items.count))
        let failure = Protected<(any Error)?>(nil)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Small chunks, taken as threads free up: a few large features must not leave the other cores idle.
        let chunk = max(1, items.count / (workers * 64))
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
