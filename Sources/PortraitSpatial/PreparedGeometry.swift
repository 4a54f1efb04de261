import CGEOS
import PortraitGeometry

/// A geometry prepared for many repeated predicates (`GEOSPrepare_r`).
///
/// It owns its own GEOS context, so it is not Sendable: build it inside the
/// task that uses it.
public final class PreparedGeometry {
    private let context: GEOSContext
    private let base: GEOSHandle
    private let prepared: OpaquePointer

    public init(_ geometry: Geometry) throws {
        context = GEOSContext()
        base = try context.make(geometry)
        guard let p = GEOSPrepare_r(context.handle, base.ptr) else { throw context.failure("GEOSPrepare_r") }
        prepared = p
    }

    deinit { GEOSPreparedGeom_destroy_r(context.handle, prepared) }

    /// `GEOSPreparedIntersects_r`.
    public func intersects(_ other: Geometry) throws -> Bool {
        let g = try context.make(other)
        return try context.predicate(GEOSPreparedIntersects_r(context.handle, prepared, g.ptr), "GEOSPreparedIntersects_r")
    }

    /// `GEOSPreparedContains_r`.
    public func contains(_ other: Geometry) throws -> Bool {
        let g = try context.make(other)
        return try context.predicate(GEOSPreparedContains_r(context.handle, prepared, g.ptr), "GEOSPreparedContains_r")
    }

    /// True when `other` lies within `distance` (`GEOSPreparedDistanceWithin_r`).
    public func isWithinDistance(_ other: Geometry, _ distance: Double) throws -> Bool {
        let g = try context.make(other)
        return try context.predicate(
            GEOSPreparedDistanceWithin_r(context.handle, prepared, g.ptr, distance), "GEOSPreparedDistanceWithin_r")
    }

    /// `GEOSPreparedDistance_r`.
    public func distance(to other: Geometry) throws -> Double {
        let g = try context.make(other)
        var d = 0.0
        guard GEOSPreparedDistance_r(context.handle, prepared, g.ptr, &d) == 1 else {
            throw context.failure("GEOSPreparedDistance_r")
        }
        return d
    }
}
