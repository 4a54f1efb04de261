/// A geometry that breaks a structural rule of simple features.
public enum GeometryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A ring whose first and last positions differ.
    case unclosedRing(polygon: Int, ring: Int)
    /// A ring with fewer than four positions.
    case ringTooShort(polygon: Int, ring: Int, count: Int)
    /// A line string with fewer than two positions.
    case lineTooShort(line: Int, count: Int)
    /// A coordinate that is NaN or infinite.
    case nonFiniteCoordinate
    /// WKB that cannot be decoded.
    case malformedWKB(String)

    public var description: String {
        switch self {
        case .unclosedRing(let p, let r):
            "anneau non fermé (polygone \(p + 1), anneau \(r + 1) : le premier point diffère du dernier)"
        case .ringTooShort(let p, let r, let n):
            "anneau trop court (polygone \(p + 1), anneau \(r + 1) : \(n) points, il en faut au moins 4)"
        case .lineTooShort(let l, let n):
            "ligne trop courte (ligne \(l + 1) : \(n) point(s), il en faut au moins 2)"
        case .nonFiniteCoordinate:
            "coordonnée non finie (NaN ou infini)"
        case .malformedWKB(let why):
            "WKB illisible : \(why)"
        }
    }
}

extension Geometry {
    /// Checks the structural rules GEOS cannot repair: closed rings of at least
    /// four positions, lines of at least two, finite coordinates.
    public func checkStructure() throws(GeometryError) {
        var finite = true
        forEachPosition { if !$0.x.isFinite || !$0.y.isFinite { finite = false } }
        if !finite { throw .nonFiniteCoordinate }
        for (pi, polygon) in polygons.enumerated() {
            for (ri, ring) in polygon.rings.enumerated() {
                if ring.positions.count < 4 {
                    // A three-point ring that is closed is still too short; an open one
                    // of three points is reported as too short, the clearer problem.
                    throw .ringTooShort(polygon: pi, ring: ri, count: ring.positions.count)
                }
                if !ring.isClosed { throw .unclosedRing(polygon: pi, ring: ri) }
            }
        }
        for (li, line) in lineStrings.enumerated() where line.positions.count < 2 {
            throw .lineTooShort(line: li, count: line.positions.count)
        }
    }
}
