import CGEOS
import PortraitGeometry

/// Simplification of a polygon coverage (municipalities that tile a
/// territory) that keeps shared borders shared: every border is simplified
/// once, as one edge, so that neighbours never show gaps or slivers.
///
/// The boundaries are noded and merged into edges (`GEOSUnaryUnion_r`,
/// `GEOSLineMerge_r`), the edges simplified together without crossing each
/// other (`GEOSTopologyPreserveSimplify_r`), and the faces rebuilt
/// (`GEOSPolygonize_r`) and handed back to the polygon each lies in.
public enum Coverage {
    /// Returns one simplified geometry per input polygon, in order. A polygon
    /// whose faces all vanish at this tolerance keeps its own simplified shape.
    public static func simplify(_ polygons: [Geometry], tolerance: Double) throws -> [Geometry] {
        guard tolerance > 0, !polygons.isEmpty else { return polygons }
        let c = GEOSContext()
        let rings = polygons.flatMap(\.boundaryLines)
        let lines = try c.make(.multiLineString(MultiLineString(rings)))
        let noded = try c.wrap(GEOSUnaryUnion_r(c.handle, lines.ptr), "GEOSUnaryUnion_r")
        let merged = try c.wrap(GEOSLineMerge_r(c.handle, noded.ptr), "GEOSLineMerge_r")
        let simple = try c.wrap(GEOSTopologyPreserveSimplify_r(c.handle, merged.ptr, tolerance), "GEOSTopologyPreserveSimplify_r")
        // Node again: simplified edges meet only at their kept end points, but be safe.
        let renoded = try c.wrap(GEOSUnaryUnion_r(c.handle, simple.ptr), "GEOSUnaryUnion_r")
        var input: [OpaquePointer?] = [renoded.ptr]
        let faces = try c.wrap(input.withUnsafeMutableBufferPointer { GEOSPolygonize_r(c.handle, $0.baseAddress, 1) }, "GEOSPolygonize_r")
        let faceList = try c.value(faces).polygons

        let index = try SpatialIndex(polygons)
        var parts = [[Polygon]](repeating: [], count: polygons.count)
        var prepared: [Int: PreparedGeometry] = [:]
        // Faces of small gaps between neighbours (boundaries that did not quite meet
        // in the source) go to the nearest polygon, so that the map shows no slivers.
        let sliverArea = (tolerance * 40) * (tolerance * 40)
        for face in faceList {
            let f = Geometry.polygon(face)
            // Degenerate faces (collapsed to a line by the simplification) are dropped.
            guard try f.planarArea() > tolerance * tolerance * 1e-6 else { continue }
            let p = Geometry.point(Point(try f.pointOnSurface()))
            let candidates = try index.query(f)
            var owner: Int?
            for i in candidates {
                if prepared[i] == nil { prepared[i] = try PreparedGeometry(polygons[i]) }
                if try prepared[i]!.contains(p) { owner = i; break }
            }
            if owner == nil, !candidates.isEmpty, try f.planarArea() < sliverArea {
                owner = try candidates.min { try prepared[$0]!.distance(to: p) < prepared[$1]!.distance(to: p) }
            }
            if let owner { parts[owner].append(face) }
        }
        return try polygons.enumerated().map { i, g in
            parts[i].isEmpty ? try g.simplifyPreservingTopology(tolerance: tolerance) : .multiPolygon(MultiPolygon(parts[i]))
        }.map { g in
            // Rings of zero area (a polygon's sliver collapsed onto its neighbour's border) go too.
            .multiPolygon(MultiPolygon(g.polygons.filter { $0.rings.first.map { abs($0.signedDoubleArea) > 0 } ?? false }))
        }
    }
}

extension Geometry {
    /// Centre and radius of the largest circle inside a polygonal geometry
    /// (`GEOSMaximumInscribedCircle_r`), within `tolerance`: where a label fits best.
    public func maximumInscribedCircle(tolerance: Double) throws -> (center: Position, radius: Double) {
        let c = GEOSContext()
        let g = try c.make(self)
        let line = try c.value(c.wrap(GEOSMaximumInscribedCircle_r(c.handle, g.ptr, tolerance), "GEOSMaximumInscribedCircle_r"))
        guard case .lineString(let l) = line, l.positions.count == 2 else {
            throw SpatialLibraryError(library: "GEOS", function: "GEOSMaximumInscribedCircle_r", message: "résultat inattendu")
        }
        let a = l.positions[0], b = l.positions[1]
        return (a, ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot())
    }
}
