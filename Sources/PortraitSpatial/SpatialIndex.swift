import CGEOS
import PortraitGeometry

/// A packed R-tree over geometries (`GEOSSTRtree_create_r`), answering
/// envelope queries and nearest-neighbour queries with item indices.
///
/// Owns its own GEOS context and the inserted geometries (GEOS needs them
/// alive as long as the tree); not Sendable.
public final class SpatialIndex {
    private let context: GEOSContext
    private let tree: OpaquePointer
    private var items: [GEOSHandle] = []
    /// Item ids are stored as pointer-sized integers offset by one (never NULL).
    private var built = false

    /// Builds the tree; `nodeCapacity` as in `GEOSSTRtree_create_r`.
    public init(_ geometries: [Geometry], nodeCapacity: Int = 10) throws {
        context = GEOSContext()
        guard let t = GEOSSTRtree_create_r(context.handle, nodeCapacity) else {
            throw context.failure("GEOSSTRtree_create_r")
        }
        tree = t
        items.reserveCapacity(geometries.count)
        for (i, g) in geometries.enumerated() {
            let h = try context.make(g)
            items.append(h)
            GEOSSTRtree_insert_r(context.handle, tree, h.ptr, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
    }

    deinit { GEOSSTRtree_destroy_r(context.handle, tree) }

    public var count: Int { items.count }

    /// Indices of the items whose envelope intersects `geometry`'s (`GEOSSTRtree_query_r`), sorted.
    public func query(_ geometry: Geometry) throws -> [Int] {
        let g = try context.make(geometry)
        final class Sink { var hits: [Int] = [] }
        let sink = Sink()
        let ud = Unmanaged.passUnretained(sink).toOpaque()
        GEOSSTRtree_query_r(context.handle, tree, g.ptr, { item, userdata in
            guard let userdata, let item else { return }
            Unmanaged<Sink>.fromOpaque(userdata).takeUnretainedValue().hits.append(Int(bitPattern: item) - 1)
        }, ud)
        return sink.hits.sorted()
    }

    /// Index of the item nearest to `geometry` (`GEOSSTRtree_nearest_generic_r`, exact distances).
    public func nearest(_ geometry: Geometry) throws -> Int? {
        guard !items.isEmpty else { return nil }
        let g = try context.make(geometry)
        // Items are ids 1…n; the query geometry travels as id n+1.
        final class Box { let ptrs: [OpaquePointer]; let ctx: GEOSContextHandle_t; init(_ p: [OpaquePointer], _ c: GEOSContextHandle_t) { ptrs = p; ctx = c } }
        let box = Box(items.map(\.ptr) + [g.ptr], context.handle)
        let ud = Unmanaged.passUnretained(box).toOpaque()
        let queryID = UnsafeRawPointer(bitPattern: items.count + 1)!
        let result = GEOSSTRtree_nearest_generic_r(
            context.handle, tree, queryID, g.ptr,
            { item1, item2, distance, userdata in
                guard let userdata, let item1, let item2, let distance else { return 0 }
                let box = Unmanaged<Box>.fromOpaque(userdata).takeUnretainedValue()
                let a = box.ptrs[Int(bitPattern: item1) - 1], b = box.ptrs[Int(bitPattern: item2) - 1]
                return GEOSDistance_r(box.ctx, a, b, distance)
            }, ud)
        guard let result else { throw context.failure("GEOSSTRtree_nearest_generic_r") }
        let i = Int(bitPattern: result) - 1
        return i >= 0 && i < items.count ? i : nil
    }
}
