/// Exact fast paths for polygons on an integer grid (a vector tile's pixel grid), in plain Swift.
///
/// Vector tiles take each polygon to whole pixel units, simplified at one unit, and clipped to tiles; GEOS does it
/// robustly (topology-preserving simplification, snap rounding), but at a cost per call that dominates tile
/// building. Most polygons are simple single rings that need none of that robustness: these functions do the
/// work directly (Douglas–Peucker, Sutherland–Hodgman, rounding) and then prove the result valid with exact
/// integer arithmetic. When they cannot prove it (holes, parts whose boxes meet, a ring that crosses itself or
/// collapses, more vertices than the exact check takes), they answer nil and the caller takes the GEOS path.
extension Geometry {
    /// The most vertices per ring the exact check takes (it is quadratic).
    public static let pixelGridCheckLimit = 400

    /// This polygonal geometry simplified by Douglas–Peucker at `tolerance` and rounded to integers, when the
    /// result is provably valid; nil otherwise (or for a geometry that is not polygonal).
    public func simplifiedOnPixelGrid(tolerance: Double) -> Geometry? {
        guard isPolygonal else { return nil }
        var parts: [Polygon] = []
        for polygon in polygons {
            guard polygon.rings.count == 1 else { return nil }
            let simplified = Self.douglasPeucker(polygon.rings[0].positions, tolerance: tolerance)
            guard let ring = Self.validRing(simplified) else { return nil }
            parts.append(Polygon([ring]))
        }
        return Self.assemble(parts, as: self)
    }

    /// The part of this polygonal geometry (on the integer grid) inside `rect` (integer bounds), on the grid,
    /// when provably valid: an empty MultiPolygon when nothing is left; nil when the caller must clip otherwise.
    public func clippedOnPixelGrid(to rect: BBox) -> Geometry? {
        guard isPolygonal else { return nil }
        var parts: [Polygon] = []
        for polygon in polygons {
            guard polygon.rings.count == 1 else { return nil }
            let clipped = Self.sutherlandHodgman(polygon.rings[0].positions, rect)
            if clipped.count < 3 { continue }
            let rounded = clipped.map { Position($0.x.rounded(), $0.y.rounded()) }
            if Self.deduplicated(rounded + [rounded[0]]).count < 4 { continue }
            guard let ring = Self.validRing(rounded + [rounded[0]]) else {
                // Nothing left but a line or a point: dropped, as snap rounding drops collapsed parts.
                if Self.twiceArea(Self.deduplicated(rounded + [rounded[0]])) == 0 { continue }
                return nil
            }
            parts.append(Polygon([ring]))
        }
        return Self.assemble(parts, as: self)
    }

    /// Parts whose boxes are pairwise disjoint cannot touch: a valid (multi)polygon of the input's kind.
    static func assemble(_ parts: [Polygon], as original: Geometry) -> Geometry? {
        let boxes = parts.map { Geometry.polygon($0).bbox! }
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                let a = boxes[i], b = boxes[j]
                if a.minX <= b.maxX && b.minX <= a.maxX && a.minY <= b.maxY && b.minY <= a.maxY { return nil }
            }
        }
        if case .polygon = original, parts.count == 1 { return .polygon(parts[0]) }
        return .multiPolygon(MultiPolygon(parts))
    }

    /// Douglas–Peucker on a closed ring: the first position anchored, the farthest from it splitting the ring
    /// in two halves, each simplified on its own (iteratively).
    static func douglasPeucker(_ ring: [Position], tolerance: Double) -> [Position] {
        let n = ring.count
        guard n > 4 else { return ring }
        var keep = [Bool](repeating: false, count: n)
        keep[0] = true; keep[n - 1] = true
        var far = 0, farDistance = -1.0
        for k in 1..<(n - 1) {
            let d = squaredDistance(ring[k], ring[0])
            if d > farDistance { farDistance = d; far = k }
        }
        guard far > 0 else { return ring }
        keep[far] = true
        var stack = [(0, far), (far, n - 1)]
        let t2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            var best = a, bestDistance = -1.0
            for k in (a + 1)..<b {
                let d = squaredSegmentDistance(ring[k], ring[a], ring[b])
                if d > bestDistance { bestDistance = d; best = k }
            }
            if bestDistance > t2 {
                keep[best] = true
                stack.append((a, best)); stack.append((best, b))
            }
        }
        return ring.indices.compactMap { keep[$0] ? ring[$0] : nil }
    }

    static func squaredDistance(_ p: Position, _ q: Position) -> Double {
        (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)
    }

    static func squaredSegmentDistance(_ p: Position, _ a: Position, _ b: Position) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let l2 = dx * dx + dy * dy
        guard l2 > 0 else { return squaredDistance(p, a) }
        let t = max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2))
        return squaredDistance(p, Position(a.x + t * dx, a.y + t * dy))
    }

    /// The ring clipped to `rect` (Sutherland–Hodgman), open (first position not repeated).
    static func sutherlandHodgman(_ ring: [Position], _ r: BBox) -> [Position] {
        var points = Array(ring.dropLast())
        func clip(_ inside: (Position) -> Bool, _ cross: (Position, Position) -> Position) {
            guard !points.isEmpty else { return }
            var out: [Position] = []
            out.reserveCapacity(points.count + 4)
            var previous = points[points.count - 1]
            var previousIn = inside(previous)
            for p in points {
                let pIn = inside(p)
                if pIn != previousIn { out.append(cross(previous, p)) }
                if pIn { out.append(p) }
                previous = p; previousIn = pIn
            }
            points = out
        }
        func atX(_ a: Position, _ b: Position, _ x: Double) -> Position { Position(x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)) }
        func atY(_ a: Position, _ b: Position, _ y: Double) -> Position { Position(a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y) }
        clip({ $0.x >= r.minX }) { atX($0, $1, r.minX) }
        clip({ $0.x <= r.maxX }) { atX($0, $1, r.maxX) }
        clip({ $0.y >= r.minY }) { atY($0, $1, r.minY) }
        clip({ $0.y <= r.maxY }) { atY($0, $1, r.maxY) }
        return points
    }

    /// Consecutive repeated positions removed.
    static func deduplicated(_ ring: [Position]) -> [Position] {
        var out: [Position] = []
        out.reserveCapacity(ring.count)
        for p in ring where out.last != p { out.append(p) }
        return out
    }

    /// Twice the signed area of a closed ring on the integer grid, exactly.
    static func twiceArea(_ ring: [Position]) -> Int64 {
        guard ring.count > 3 else { return 0 }
        var sum: Int64 = 0
        for k in 0..<(ring.count - 1) {
            sum += Int64(ring[k].x) * Int64(ring[k + 1].y) - Int64(ring[k + 1].x) * Int64(ring[k].y)
        }
        return sum
    }

    /// The closed ring rounded to integers, without repeated positions, when it is a valid simple ring
    /// (at least three distinct corners, non-zero area, no two edges meeting except consecutive ones at their
    /// shared corner, no spike): checked exactly in 64-bit integers. Nil otherwise.
    static func validRing(_ positions: [Position]) -> LinearRing? {
        guard positions.count >= 4, positions.count <= pixelGridCheckLimit + 1,
              positions.allSatisfy({ abs($0.x) < 1e9 && abs($0.y) < 1e9 }) else { return nil }
        var ring = deduplicated(positions.map { Position($0.x.rounded(), $0.y.rounded()) })
        if ring.first != ring.last { ring.append(ring[0]) }
        guard ring.count >= 4, twiceArea(ring) != 0 else { return nil }
        let xs = ring.map { Int64($0.x) }, ys = ring.map { Int64($0.y) }
        let edges = ring.count - 1
        func orient(_ a: Int, _ b: Int, _ c: Int) -> Int64 {
            let v = (xs[b] - xs[a]) * (ys[c] - ys[a]) - (ys[b] - ys[a]) * (xs[c] - xs[a])
            return v > 0 ? 1 : v < 0 ? -1 : 0
        }
        func onSegment(_ a: Int, _ b: Int, _ p: Int) -> Bool {
            min(xs[a], xs[b]) <= xs[p] && xs[p] <= max(xs[a], xs[b]) && min(ys[a], ys[b]) <= ys[p] && ys[p] <= max(ys[a], ys[b])
        }
        // Consecutive edges: no spike (the next edge folding back along this one).
        for e in 0..<edges {
            let a = e, b = e + 1, c = (e + 2) > edges ? 1 : e + 2
            if orient(a, b, c) == 0 {
                let dot = (xs[b] - xs[a]) * (xs[c] - xs[b]) + (ys[b] - ys[a]) * (ys[c] - ys[b])
                if dot < 0 { return nil }
            }
        }
        // Other pairs: no contact at all.
        for i in 0..<edges {
            let a = i, b = i + 1
            let minX = min(xs[a], xs[b]), maxX = max(xs[a], xs[b]), minY = min(ys[a], ys[b]), maxY = max(ys[a], ys[b])
            for j in (i + 2)..<max(i + 2, edges) {
                if i == 0 && j == edges - 1 { continue }   // the last edge meets the first at the closing corner
                let c = j, d = j + 1
                if max(xs[c], xs[d]) < minX || min(xs[c], xs[d]) > maxX || max(ys[c], ys[d]) < minY || min(ys[c], ys[d]) > maxY { continue }
                let o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b)
                if o1 != o2 && o3 != o4 { return nil }
                if o1 == 0 && onSegment(a, b, c) || o2 == 0 && onSegment(a, b, d) || o3 == 0 && onSegment(c, d, a) || o4 == 0 && onSegment(c, d, b) {
                    return nil
                }
            }
        }
        return LinearRing(ring)
    }
}
