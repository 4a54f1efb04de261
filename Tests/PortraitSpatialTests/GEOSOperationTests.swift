import Testing
import PortraitGeometry
@testable import PortraitSpatial

func square(_ x: Double, _ y: Double, _ s: Double) -> Geometry {
    .polygon(Polygon(exterior: [Position(x, y), Position(x + s, y), Position(x + s, y + s), Position(x, y + s), Position(x, y)]))
}

struct GEOSOperationTests {
    @Test func makeValidRepairsABowTie() throws {
        let bowtie = Geometry.polygon(Polygon(exterior: [Position(0, 0), Position(2, 2), Position(2, 0), Position(0, 2), Position(0, 0)]))
        #expect(try bowtie.isValid() == false)
        #expect(try bowtie.validityReason().contains("Self-intersection"))
        let fixed = try bowtie.makeValid()
        #expect(try fixed.isValid())
        #expect(abs(try fixed.planarArea() - 2.0) < 1e-9)
    }

    @Test func unionDissolvesNeighbours() throws {
        let u = try Geometry.union([square(0, 0, 1), square(1, 0, 1)])
        #expect(u.polygons.count == 1)
        #expect(abs(try u.planarArea() - 2) < 1e-12)
    }

    @Test func intersectionDifferenceBuffer() throws {
        let a = square(0, 0, 2), b = square(1, 1, 2)
        #expect(abs(try a.intersection(b).planarArea() - 1) < 1e-12)
        #expect(abs(try a.difference(b).planarArea() - 3) < 1e-12)
        let disc = try Geometry.point(Point(x: 0, y: 0)).buffer(1, quadrantSegments: 64)
        #expect(abs(try disc.planarArea() - Double.pi) < 0.01)
    }

    @Test func distancePointOnSurfaceLength() throws {
        #expect(try square(0, 0, 1).distance(to: square(3, 0, 1)) == 2)
        let p = try square(0, 0, 1).pointOnSurface()
        #expect(BBox(minX: 0, minY: 0, maxX: 1, maxY: 1).contains(p))
        #expect(try Geometry.lineString(LineString([Position(0, 0), Position(3, 4)])).planarLength() == 5)
        #expect(try square(0, 0, 2).contains(.point(Point(x: 1, y: 1))))
        #expect(try square(0, 0, 2).intersects(square(1.5, 1.5, 1)))
    }

    @Test func topologyPreservingSimplifyKeepsSharedBorders() throws {
        var zig: [Position] = [Position(0, 0)]
        for i in 1..<100 { zig.append(Position(Double(i) / 100, i % 2 == 0 ? 0.001 : -0.001)) }
        zig.append(Position(1, 0))
        let poly = Geometry.polygon(Polygon(exterior: zig + [Position(1, 1), Position(0, 1), Position(0, 0)]))
        let s = try poly.simplifyPreservingTopology(tolerance: 0.01)
        #expect(s.positionCount < 10)
        #expect(try s.isValid())
    }

    @Test func preparedGeometryAndIndex() throws {
        let line = Geometry.lineString(LineString([Position(0, 0), Position(10, 0)]))
        let prepared = try PreparedGeometry(line)
        #expect(try prepared.isWithinDistance(square(2, 0.5, 1), 0.5))
        #expect(try !prepared.isWithinDistance(square(2, 0.5, 1), 0.4))
        #expect(try prepared.intersects(square(2, -0.5, 1)))
        let idx = try SpatialIndex((0..<50).map { square(Double($0) * 2, 0, 1) })
        #expect(try idx.query(square(10.5, 0.2, 0.1)) == [5])
        #expect(try idx.nearest(.point(Point(x: 21.2, y: 5))) == 10)
    }
}
