import PortraitGeometry
import PortraitSpatial
import Testing

/// The plain-Swift pixel-grid paths of tile building answer only when their result is valid: checked against
/// GEOS's own validity test (`GEOSisValid_r`) on hand-made rings and on thousands of random ones.
struct PixelGridTests {
    static func ring(_ xy: [(Double, Double)]) -> Geometry {
        .polygon(Polygon(exterior: (xy + [xy[0]]).map { Position($0.0, $0.1) }))
    }

    @Test func simpleRingsPassAndBrokenOnesAreLeftToGEOS() throws {
        let square = Self.ring([(0, 0), (10, 0), (10, 10), (0, 10)])
        #expect(square.simplifiedOnPixelGrid(tolerance: 1) == square)
        // A point one pixel off a straight edge goes; the shape stays.
        let bumped = Self.ring([(0, 0), (5, 0.4), (10, 0), (10, 10), (0, 10)])
        #expect(bumped.simplifiedOnPixelGrid(tolerance: 1) == square)
        // A hole inside its shell is kept.
        let shell = [Position(0, 0), Position(10, 0), Position(10, 10), Position(0, 10), Position(0, 0)]
        let holed = Geometry.polygon(Polygon(exterior: shell, holes: [[Position(2, 2), Position(4, 2), Position(4, 4), Position(2, 2)]]))
        #expect(holed.simplifiedOnPixelGrid(tolerance: 1) == holed)
        // A spike is folded away (it has no area), at the start of the ring too.
        #expect(Self.ring([(0, 0), (10, 0), (10, 10), (10, 20), (10, 10), (0, 10)]).simplifiedOnPixelGrid(tolerance: 0.1) == square)
        #expect(Self.ring([(0, 0), (-5, 0), (0, 0), (10, 0), (10, 10), (0, 10)]).simplifiedOnPixelGrid(tolerance: 0.1) == square)
        // A ring under a pixel is dropped, as snap rounding drops it.
        #expect(Self.ring([(0, 0), (0.2, 0.1), (0.4, 0.3)]).simplifiedOnPixelGrid(tolerance: 1)?.isEmpty == true)
        // A bow tie, a ring touching itself at a corner, a hole outside its shell,
        // a hole touching its shell, two holes crossing.
        let broken: [Geometry] = [
            Self.ring([(0, 0), (10, 10), (10, 0), (0, 10)]),
            Self.ring([(0, 0), (10, 0), (5, 5), (10, 10), (0, 10), (5, 5)]),
            .polygon(Polygon(exterior: shell, holes: [[Position(20, 2), Position(24, 2), Position(24, 4), Position(20, 2)]])),
            .polygon(Polygon(exterior: shell, holes: [[Position(0, 2), Position(4, 2), Position(4, 4), Position(0, 2)]])),
            .polygon(Polygon(exterior: shell, holes: [[Position(2, 2), Position(6, 2), Position(6, 6), Position(2, 2)],
                                                      [Position(5, 1), Position(8, 1), Position(5, 8), Position(5, 1)]])),
        ]
        for (k, g) in broken.enumerated() { #expect(g.simplifiedOnPixelGrid(tolerance: 1) == nil, "\(k): \(g)") }
        // Two parts sharing an edge: left to GEOS; apart: kept as a MultiPolygon; an island in a lake: kept; a part
        // inside another's shell but not in a hole: left to GEOS.
        let a = Polygon(exterior: [Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4), Position(0, 0)])
        let b = Polygon(exterior: [Position(4, 0), Position(8, 0), Position(8, 4), Position(4, 4), Position(4, 0)])
        let c = Polygon(exterior: [Position(9, 0), Position(12, 0), Position(12, 4), Position(9, 4), Position(9, 0)])
        #expect(Geometry.multiPolygon(MultiPolygon([a, b])).simplifiedOnPixelGrid(tolerance: 1) == nil)
        #expect(Geometry.multiPolygon(MultiPolygon([a, c])).simplifiedOnPixelGrid(tolerance: 1) == .multiPolygon(MultiPolygon([a, c])))
        let lake = Polygon(exterior: [Position(0, 0), Position(30, 0), Position(30, 30), Position(0, 30), Position(0, 0)],
                           holes: [[Position(5, 5), Position(25, 5), Position(25, 25), Position(5, 25), Position(5, 5)]])
        let island = Polygon(exterior: [Position(10, 10), Position(20, 10), Position(20, 20), Position(10, 20), Position(10, 10)])
        #expect(Geometry.multiPolygon(MultiPolygon([lake, island])).simplifiedOnPixelGrid(tolerance: 1) == .multiPolygon(MultiPolygon([lake, island])))
        let solid = Polygon(exterior: lake.rings[0].positions)
        #expect(Geometry.multiPolygon(MultiPolygon([solid, island])).simplifiedOnPixelGrid(tolerance: 1) == nil)
    }

    @Test func clippingAConvexRingIsExactAndAConcaveOneMayGoToGEOS() throws {
        let diamond = Self.ring([(0, -10), (10, 0), (0, 10), (-10, 0)])
        let clipped = try #require(diamond.clippedOnPixelGrid(to: BBox(minX: 0, minY: -20, maxX: 20, maxY: 20)))
        #expect(try clipped.isValid() && abs(try clipped.planarArea() - 100) < 1e-9)
        // Outside the rectangle: nothing left.
        #expect(diamond.clippedOnPixelGrid(to: BBox(minX: 50, minY: 50, maxX: 60, maxY: 60))?.isEmpty == true)
        // A U whose two arms cross the rectangle: Sutherland–Hodgman would join them along the edge, so GEOS clips it.
        let u = Self.ring([(0, 0), (30, 0), (30, 30), (20, 30), (20, 10), (10, 10), (10, 30), (0, 30)])
        #expect(u.clippedOnPixelGrid(to: BBox(minX: -5, minY: 20, maxX: 40, maxY: 40)) == nil)
    }

    /// Random rings of 4 to 12 corners on a small grid (many cross themselves): whatever the Swift check
    /// accepts, GEOS finds valid, and the clip keeps the area GEOS computes within the rounding. Then pairs of
    /// random rings as a shell and its hole, and as two parts.
    @Test func whatTheSwiftCheckAcceptsGEOSFindsValid() throws {
        var rng = SystemRandomNumberGenerator()
        func randomRing(_ size: Int) -> [Position] {
            let n = Int.random(in: 3...8, using: &rng)
            let xy = (0..<n).map { _ in Position(Double(Int.random(in: 0...size, using: &rng)), Double(Int.random(in: 0...size, using: &rng))) }
            return xy + [xy[0]]
        }
        var pairs = 0
        for _ in 0..<3_000 {
            // The second ring small and near the middle of the first's square, so that many pairs are valid.
            let a = randomRing(20), b = randomRing(6).map { Position($0.x + 7, $0.y + 7) }
            for g in [Geometry.polygon(Polygon(exterior: a, holes: [b])), .multiPolygon(MultiPolygon([Polygon(exterior: a), Polygon(exterior: b)]))] {
                if let s = g.simplifiedOnPixelGrid(tolerance: 0.5) {
                    pairs += 1
                    #expect(try s.isValid(), "accepted but invalid: \(s)")
                }
            }
        }
        #expect(pairs > 100)
        var accepted = 0, clippedCount = 0
        for _ in 0..<3_000 {
            let n = Int.random(in: 3...11, using: &rng)
            let xy = (0..<n).map { _ in (Double(Int.random(in: 0...20, using: &rng)), Double(Int.random(in: 0...20, using: &rng))) }
            let g = Self.ring(xy)
            if let s = g.simplifiedOnPixelGrid(tolerance: 0.5) {
                accepted += 1
                #expect(try s.isValid(), "accepted but invalid: \(s)")
            }
            guard try g.isValid() else { continue }
            let rect = BBox(minX: 5, minY: 3, maxX: 17, maxY: 14)
            if let c = g.clippedOnPixelGrid(to: rect) {
                clippedCount += 1
                let valid = c.isEmpty ? true : try c.isValid()
                #expect(valid, "clip accepted but invalid: \(c)")
                let exact = try g.intersection(Self.ring([(5, 3), (17, 3), (17, 14), (5, 14)])).planarArea()
                let area = c.isEmpty ? 0 : try c.planarArea()
                // Each corner moves by half a pixel at most.
                #expect(abs(area - exact) <= 2 * (12.0 + 11.0), "area \(exact) vs \(c)")
            }
        }
        #expect(accepted > 300 && clippedCount > 100)
    }
}
