/// Exact fast paths for polygons on an integer grid (a vector tile's pixel grid), in plain Swift.
///
/// Vector tiles take each polygon to whole pixel units, simplified at one unit, and clipped to tiles; GEOS does it
/// robustly (topology-preserving simplification, snap rounding), but at a cost per call that dominates tile
/// building. Most polygons are simple single rings that need none of that robustness: these functions do the
/// work directly (Douglas–Peucker, Sutherland–Hodgman, rounding) and then prove the result valid with exact
/// integer arithmetic: every ring closed with three corners or more and a non-zero area, no spike, no two edges
/// of any rings meeting except consecutive edges at their corner, every hole inside its shell and outside the
/// other holes, no part inside another except in one of its holes. This is stricter than OGC validity (rings
/// touching at one point are valid there and refused here). When they cannot prove it, they answer nil and the
/// caller takes the GEOS path.
extension Geometry {
    /// This polygonal geometry simplified by Douglas–Peucker at `tolerance` (each ring on its own) and rounded
    /// to integers, when the result is provably valid; nil otherwise (or for a geometry that is not polygonal).
    public func simplifiedOnPixelGrid(tolerance: Double) -> Geometry? {
        guard isPolygonal else { return nil }
        let parts = polygons.map { $0.rings.map { Self.douglasPeucker($0.positions, tolerance: tolerance) } }
        // A ring simplified to a line or a point is dropped (under a pixel: snap rounding would drop it too).
        guard let valid = Self.validPolygons(parts, dropCollapsed: true) else { return nil }
        return Self.assemble(valid, as: self)
    }

    /// The part of this polygonal geometry (on the integer grid) inside `rect` (integer bounds), on the grid,
    /// when provably valid: an empty MultiPolygon when nothing is left; nil when the caller must clip otherwise.
    public func clippedOnPixelGrid(to rect: BBox) -> Geometry? {
        guard isPolygonal else { return nil }
        let parts = polygons.map { polygon in
            polygon.rings.map { ring -> [Position] in
                let open = Self.sutherlandHodgman(ring.positions, rect)
                return open.isEmpty ? [] : open + [open[0]]
            }
        }
        // Rings reduced to a line or a point by the clip and the rounding are dropped, as snap rounding drops them.
        guard let valid = Self.validPolygons(parts, dropCollapsed: true) else { return nil }
        return valid.isEmpty ? .multiPolygon(MultiPolygon([])) : Self.assemble(valid, as: self)
    }

    static func assemble(_ parts: [Polygon], as original: Geometry) -> Geometry {
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

    /// A ring on the integer grid, in 64-bit integers, closed.
    struct GridRing {
        var xs: [Int64], ys: [Int64]
        var edges: Int { xs.count - 1 }
        var box: (minX: Int64, minY: Int64, maxX: Int64, maxY: Int64) {
            (xs.min()!, ys.min()!, xs.max()!, ys.max()!)
        }
        var positions: [Position] { zip(xs, ys).map { Position(Double($0), Double($1)) } }

        /// Rounded, repeated positions and spikes (an edge folding back along the previous one, no area)
        /// removed, closed; nil when it collapses (fewer than three corners left).
        init?(_ positions: [Position]) {
            var xs: [Int64] = [], ys: [Int64] = []
            xs.reserveCapacity(positions.count + 1); ys.reserveCapacity(positions.count + 1)
            /// Whether the corner (a, b, c) is a spike: collinear, c going back along a → b.
            func spike(_ a: Int, _ b: Int, _ cx: Int64, _ cy: Int64) -> Bool {
                let cross = (xs[b] - xs[a]) * (cy - ys[a]) - (ys[b] - ys[a]) * (cx - xs[a])
                return cross == 0 && (xs[b] - xs[a]) * (cx - xs[b]) + (ys[b] - ys[a]) * (cy - ys[b]) <= 0
            }
            let open = positions.count > 1 && positions.first == positions.last ? positions.dropLast() : positions[...]
            for p in open {
                guard abs(p.x) < 1e12, abs(p.y) < 1e12 else { return nil }
                let x = Int64(p.x.rounded()), y = Int64(p.y.rounded())
                if let lx = xs.last, let ly = ys.last, lx == x, ly == y { continue }
                // A new corner that folds back (or returns to the corner before): the fold removed.
                while xs.count >= 2 && spike(xs.count - 2, xs.count - 1, x, y) { xs.removeLast(); ys.removeLast() }
                if let lx = xs.last, let ly = ys.last, lx == x, ly == y { continue }
                xs.append(x); ys.append(y)
            }
            // The same where the ring closes, until the corners around the start are clean.
            var changed = true
            while changed && xs.count >= 3 {
                changed = false
                let n = xs.count
                if xs[0] == xs[n - 1] && ys[0] == ys[n - 1] { xs.removeLast(); ys.removeLast(); changed = true; continue }
                if spike(n - 2, n - 1, xs[0], ys[0]) { xs.removeLast(); ys.removeLast(); changed = true; continue }
                if spike(n - 1, 0, xs[1], ys[1]) { xs.removeFirst(); ys.removeFirst(); changed = true }
            }
            guard xs.count >= 3 else { return nil }
            xs.append(xs[0]); ys.append(ys[0])
            self.xs = xs; self.ys = ys
        }

        /// Twice the signed area, exactly (zero for a ring of three corners or more: it crosses itself).
        var twiceArea: Int64 {
            var area: Int64 = 0
            for k in 0..<edges { area += xs[k] * ys[k + 1] - xs[k + 1] * ys[k] }
            return area
        }

        /// Whether (x, y), on no edge of this ring, is inside it (crossing number, exact).
        func contains(_ x: Int64, _ y: Int64) -> Bool {
            var inside = false
            for k in 0..<edges {
                let x1 = xs[k], y1 = ys[k], x2 = xs[k + 1], y2 = ys[k + 1]
                if (y1 > y) != (y2 > y) {
                    // Is the crossing at the right of x? Compare (x - x1)(y2 - y1) with (y - y1)(x2 - x1) by the sign of y2 - y1.
                    let lhs = (x - x1) * (y2 - y1), rhs = (y - y1) * (x2 - x1)
                    if y2 > y1 ? lhs < rhs : lhs > rhs { inside.toggle() }
                }
            }
            return inside
        }
    }

    /// The polygons (each a list of rings, the first the shell) on the integer grid when provably valid, else nil.
    /// `dropCollapsed`: a ring that collapses is dropped (a shell with its holes) rather than making the answer nil.
    static func validPolygons(_ parts: [[[Position]]], dropCollapsed: Bool) -> [Polygon]? {
        var polygons: [[GridRing]] = []
        for rings in parts {
            var kept: [GridRing] = []
            for (k, positions) in rings.enumerated() {
                guard let ring = GridRing(positions) else {
                    guard dropCollapsed else { return nil }
                    if k == 0 { break } else { continue }
                }
                if ring.twiceArea == 0 { return nil }   // spikes are folded away by the initialiser
                kept.append(ring)
            }
            if !kept.isEmpty { polygons.append(kept) }
        }
        let all = polygons.flatMap { $0 }
        guard !all.isEmpty else { return [] }
        guard noContacts(all) else { return nil }
        // With no contacts, one corner tells where a whole ring lies.
        for rings in polygons {
            let shell = rings[0]
            for (h, hole) in rings.enumerated().dropFirst() {
                guard shell.contains(hole.xs[0], hole.ys[0]) else { return nil }
                for (o, other) in rings.enumerated().dropFirst() where o != h {
                    if other.contains(hole.xs[0], hole.ys[0]) { return nil }
                }
            }
        }
        let boxes = polygons.map { $0[0].box }
        for a in polygons.indices {
            for b in polygons.indices where b != a {
                let p = boxes[a], q = boxes[b]
                guard p.minX <= q.maxX && q.minX <= p.maxX && p.minY <= q.maxY && q.minY <= p.maxY else { continue }
                let x = polygons[a][0].xs[0], y = polygons[a][0].ys[0]
                // A part inside another must lie in one of its holes.
                if polygons[b][0].contains(x, y) && !polygons[b].dropFirst().contains(where: { $0.contains(x, y) }) { return nil }
            }
        }
        return polygons.map { rings in Polygon(rings.map { LinearRing($0.positions) }) }
    }

    /// No two edges of these rings meet, except consecutive edges of one ring at their shared corner:
    /// a sweep over x, each pair of edges whose boxes overlap tested exactly.
    static func noContacts(_ rings: [GridRing]) -> Bool {
        struct Edge { var ring: Int32; var index: Int32; var minX: Int64; var maxX: Int64; var minY: Int64; var maxY: Int64 }
        var edges: [Edge] = []
        edges.reserveCapacity(rings.reduce(0) { $0 + $1.edges })
        for (r, ring) in rings.enumerated() {
            for k in 0..<ring.edges {
                let x1 = ring.xs[k], x2 = ring.xs[k + 1], y1 = ring.ys[k], y2 = ring.ys[k + 1]
                edges.append(Edge(ring: Int32(r), index: Int32(k), minX: min(x1, x2), maxX: max(x1, x2), minY: min(y1, y2), maxY: max(y1, y2)))
            }
        }
        edges.sort { $0.minX < $1.minX }
        func orient(_ ax: Int64, _ ay: Int64, _ bx: Int64, _ by: Int64, _ cx: Int64, _ cy: Int64) -> Int {
            let v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
            return v > 0 ? 1 : v < 0 ? -1 : 0
        }
        var active: [Int] = []
        for i in edges.indices {
            let e = edges[i]
            active.removeAll { edges[$0].maxX < e.minX }
            let re = rings[Int(e.ring)], k = Int(e.index)
            let ax = re.xs[k], ay = re.ys[k], bx = re.xs[k + 1], by = re.ys[k + 1]
            for j in active {
                let f = edges[j]
                guard f.minY <= e.maxY && e.minY <= f.maxY else { continue }
                if f.ring == e.ring {
                    let d = abs(Int(f.index) - k), n = re.edges
                    if d == 1 || d == n - 1 { continue }   // consecutive: they share a corner (spikes are checked apart)
                }
                let rf = rings[Int(f.ring)], l = Int(f.index)
                let cx = rf.xs[l], cy = rf.ys[l], dx = rf.xs[l + 1], dy = rf.ys[l + 1]
                let o1 = orient(ax, ay, bx, by, cx, cy), o2 = orient(ax, ay, bx, by, dx, dy)
                let o3 = orient(cx, cy, dx, dy, ax, ay), o4 = orient(cx, cy, dx, dy, bx, by)
                if o1 != o2 && o3 != o4 { return false }
                func on(_ px: Int64, _ py: Int64, _ qx: Int64, _ qy: Int64, _ rx: Int64, _ ry: Int64) -> Bool {
                    min(px, qx) <= rx && rx <= max(px, qx) && min(py, qy) <= ry && ry <= max(py, qy)
                }
                if o1 == 0 && on(ax, ay, bx, by, cx, cy) || o2 == 0 && on(ax, ay, bx, by, dx, dy)
                    || o3 == 0 && on(cx, cy, dx, dy, ax, ay) || o4 == 0 && on(cx, cy, dx, dy, bx, by) { return false }
            }
            active.append(i)
        }
        return true
    }
}
