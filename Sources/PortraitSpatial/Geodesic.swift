import CPROJ
import PortraitGeometry

/// Distances on the WGS84 ellipsoid (Karney's algorithm, PROJ's `geod_inverse`), exact to the nanometre, anywhere on
/// the globe: a road network outside Quebec measures right. The ellipsoid is read-only once made, so one is shared.
public enum Geodesic {
    nonisolated(unsafe) private static let wgs84: geod_geodesic = {
        var g = geod_geodesic()
        geod_init(&g, 6_378_137, 1 / 298.257223563)
        return g
    }()

    /// Metres between two longitude/latitude positions.
    public static func distance(_ a: Position, _ b: Position) -> Double {
        var s12 = 0.0
        withUnsafePointer(to: wgs84) { g in
            geod_inverse(g, a.y, a.x, b.y, b.x, &s12, nil, nil)
        }
        return s12
    }

    /// Metres along a line of longitude/latitude positions.
    public static func length(_ points: [Position]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        for i in 1..<points.count { total += distance(points[i - 1], points[i]) }
        return total
    }
}
