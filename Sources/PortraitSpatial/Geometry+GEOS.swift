import CGEOS
import PortraitGeometry

// Each operation creates its own GEOS context: cheap (well under a microsecond),
// and no handle is ever shared between tasks. Batch work uses `SpatialBatch`.

extension Geometry {
    /// `GEOSisValid_r`.
    public func isValid() throws -> Bool {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.predicate(GEOSisValid_r(c.handle, g.ptr), "GEOSisValid_r")
    }

    /// Why the geometry is invalid (`GEOSisValidReason_r`), "Valid Geometry" otherwise.
    public func validityReason() throws -> String {
        let c = GEOSContext()
        let g = try c.make(self)
        guard let s = GEOSisValidReason_r(c.handle, g.ptr) else { throw c.failure("GEOSisValidReason_r") }
        defer { GEOSFree_r(c.handle, s) }
        return String(cString: s)
    }

    /// A valid geometry covering the same points (`GEOSMakeValid_r`).
    public func makeValid() throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.value(c.wrap(GEOSMakeValid_r(c.handle, g.ptr), "GEOSMakeValid_r"))
    }

    /// Union of this geometry's parts (`GEOSUnaryUnion_r`).
    public func unaryUnion() throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.value(c.wrap(GEOSUnaryUnion_r(c.handle, g.ptr), "GEOSUnaryUnion_r"))
    }

    /// Union of many geometries at once (`GEOSUnaryUnion_r` on a collection): the dissolve.
    public static func union(_ geometries: [Geometry]) throws -> Geometry {
        try Geometry.geometryCollection(geometries).unaryUnion()
    }

    public func union(_ other: Geometry) throws -> Geometry {
        try binary(other, GEOSUnion_r, "GEOSUnion_r")
    }

    /// `GEOSIntersection_r`.
    public func intersection(_ other: Geometry) throws -> Geometry {
        try binary(other, GEOSIntersection_r, "GEOSIntersection_r")
    }

    /// `GEOSDifference_r`.
    public func difference(_ other: Geometry) throws -> Geometry {
        try binary(other, GEOSDifference_r, "GEOSDifference_r")
    }

    /// Buffer by `distance` in the geometry's units (`GEOSBuffer_r`, 8 segments a quadrant).
    public func buffer(_ distance: Double, quadrantSegments: Int32 = 8) throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.value(c.wrap(GEOSBuffer_r(c.handle, g.ptr, distance, quadrantSegments), "GEOSBuffer_r"))
    }

    /// Minimum planar distance (`GEOSDistance_r`), in the geometry's units.
    public func distance(to other: Geometry) throws -> Double {
        let c = GEOSContext()
        let a = try c.make(self), b = try c.make(other)
        var d = 0.0
        guard GEOSDistance_r(c.handle, a.ptr, b.ptr, &d) == 1 else { throw c.failure("GEOSDistance_r") }
        return d
    }

    /// `GEOSIntersects_r`.
    public func intersects(_ other: Geometry) throws -> Bool {
        let c = GEOSContext()
        let a = try c.make(self), b = try c.make(other)
        return try c.predicate(GEOSIntersects_r(c.handle, a.ptr, b.ptr), "GEOSIntersects_r")
    }

    /// `GEOSContains_r`.
    public func contains(_ other: Geometry) throws -> Bool {
        let c = GEOSContext()
        let a = try c.make(self), b = try c.make(other)
        return try c.predicate(GEOSContains_r(c.handle, a.ptr, b.ptr), "GEOSContains_r")
    }

    /// A point guaranteed to lie inside the geometry (`GEOSPointOnSurface_r`).
    public func pointOnSurface() throws -> Position {
        let c = GEOSContext()
        let g = try c.make(self)
        let r = try c.value(c.wrap(GEOSPointOnSurface_r(c.handle, g.ptr), "GEOSPointOnSurface_r"))
        guard case .point(let p) = r else {
            throw SpatialLibraryError(library: "GEOS", function: "GEOSPointOnSurface_r", message: "géométrie vide")
        }
        return p.position
    }

    /// Planar area in the geometry's units squared (`GEOSArea_r`).
    public func planarArea() throws -> Double {
        let c = GEOSContext()
        let g = try c.make(self)
        var a = 0.0
        guard GEOSArea_r(c.handle, g.ptr, &a) == 1 else { throw c.failure("GEOSArea_r") }
        return a
    }

    /// Planar length in the geometry's units (`GEOSLength_r`).
    public func planarLength() throws -> Double {
        let c = GEOSContext()
        let g = try c.make(self)
        var l = 0.0
        guard GEOSLength_r(c.handle, g.ptr, &l) == 1 else { throw c.failure("GEOSLength_r") }
        return l
    }

    /// Douglas-Peucker simplification that keeps the topology of each geometry
    /// (`GEOSTopologyPreserveSimplify_r`).
    public func simplifyPreservingTopology(tolerance: Double) throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.value(c.wrap(GEOSTopologyPreserveSimplify_r(c.handle, g.ptr, tolerance), "GEOSTopologyPreserveSimplify_r"))
    }

    private func binary(
        _ other: Geometry,
        _ op: (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> OpaquePointer?,
        _ name: String
    ) throws -> Geometry {
        let c = GEOSContext()
        let a = try c.make(self), b = try c.make(other)
        return try c.value(c.wrap(op(c.handle, a.ptr, b.ptr), name))
    }
}

extension Geometry {
    /// Simplified (`GEOSTopologyPreserveSimplify_r`) then put on a grid (`GEOSGeom_setPrecision_r`) in one GEOS
    /// context: one conversion in and out, as a tile seeder does once per feature and zoom.
    public func simplifiedAndSnapped(tolerance: Double, gridSize: Double) throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        var simple = try c.wrap(GEOSTopologyPreserveSimplify_r(c.handle, g.ptr, tolerance), "GEOSTopologyPreserveSimplify_r")
        // The simplifier keeps each ring's topology, not always the parts' of a multipolygon: repaired when needed
        // (`GEOSMakeValid_r`), before the grid and after it.
        if GEOSisValid_r(c.handle, simple.ptr) != 1 {
            simple = try c.wrap(GEOSMakeValid_r(c.handle, simple.ptr), "GEOSMakeValid_r")
        }
        let snapped = try c.wrap(GEOSGeom_setPrecision_r(c.handle, simple.ptr, gridSize, 0), "GEOSGeom_setPrecision_r")
        if GEOSisValid_r(c.handle, snapped.ptr) == 1 { return try c.value(snapped) }
        let repaired = try c.wrap(GEOSMakeValid_r(c.handle, snapped.ptr), "GEOSMakeValid_r")
        return try c.value(c.wrap(GEOSGeom_setPrecision_r(c.handle, repaired.ptr, gridSize, 0), "GEOSGeom_setPrecision_r"))
    }

    /// The parts of this geometry in each rectangle (`GEOSClipByRect_r`, a linear-time rectangle clip), each put
    /// back on a grid of `gridSize` (`GEOSGeom_setPrecision_r`) so that it stays valid, all in one GEOS context (one
    /// conversion for every tile a feature crosses); nil for a part GEOS cannot snap (the caller takes a robust path).
    public func clippedAndSnapped(to rectangles: [BBox], gridSize: Double) throws -> [Geometry?] {
        let c = GEOSContext()
        let g = try c.make(self)
        return try rectangles.map { r in
            let clip = try c.wrap(GEOSClipByRect_r(c.handle, g.ptr, r.minX, r.minY, r.maxX, r.maxY), "GEOSClipByRect_r")
            guard let snapped = GEOSGeom_setPrecision_r(c.handle, clip.ptr, gridSize, 0) else { return nil }
            return try c.value(c.wrap(snapped, "GEOSGeom_setPrecision_r"))
        }
    }

    /// The geometry on a grid of `gridSize` (`GEOSGeom_setPrecision_r`): coordinates rounded to the
    /// grid and the result kept valid (collapsed parts removed), as vector tiles need.
    public func snappedToGrid(_ gridSize: Double) throws -> Geometry {
        let c = GEOSContext()
        let g = try c.make(self)
        return try c.value(c.wrap(GEOSGeom_setPrecision_r(c.handle, g.ptr, gridSize, 0), "GEOSGeom_setPrecision_r"))
    }
}
