import Foundation
import Testing
@testable import PortraitSpatial

/// A seeded generator (SplitMix64), so that a failing case can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct GridIndexTests {
    /// Point sets of several shapes: spread, clustered (Quebec's services sit in the south), on one line, repeated.
    static func pointSet(_ kind: Int, _ n: Int, _ g: inout SplitMix) -> (x: [Double], y: [Double]) {
        var x: [Double] = [], y: [Double] = []
        for i in 0..<n {
            switch kind {
            case 0: x.append(.random(in: -1e6...1e6, using: &g)); y.append(.random(in: 0...2e6, using: &g))
            case 1:
                let c = Double(i % 3) * 300_000
                x.append(c + .random(in: -5_000...5_000, using: &g)); y.append(c + .random(in: -5_000...5_000, using: &g))
            case 2: x.append(.random(in: 0...1e5, using: &g)); y.append(42)
            default: x.append(Double(i % 4) * 1000); y.append(Double(i % 2) * 1000)
            }
        }
        return (x, y)
    }

    @Test(arguments: 0..<4) func nearestIsTheBruteForceNearestWithTheLowestIndexOnTies(kind: Int) {
        var g = SplitMix(state: UInt64(36 + kind))
        for n in [1, 2, 7, 150, 1_534] {
            let (xs, ys) = Self.pointSet(kind, n, &g)
            let index = NearestPoints(x: xs, y: ys)
            for q in 0..<400 {
                // Queries inside, around and far outside the points' extent (north of every service, or across the world).
                let spread = q % 4 == 0 ? 5e7 : 3e6
                let qx = Double.random(in: -spread...spread, using: &g), qy = Double.random(in: -spread...spread, using: &g)
                let d = zip(xs, ys).map { (($0 - qx) * ($0 - qx) + ($1 - qy) * ($1 - qy)).squareRoot() }
                let best = d.min()!
                let found = index.nearest(qx, qy)
                #expect(found?.distance == best, "kind \(kind), n \(n), query (\(qx), \(qy))")
                #expect(found?.index == d.firstIndex(of: best), "kind \(kind), n \(n): ties go to the lowest index")
            }
        }
    }

    @Test(arguments: 0..<4) func withinIsTheBruteForceSet(kind: Int) {
        var g = SplitMix(state: UInt64(100 + kind))
        let (xs, ys) = Self.pointSet(kind, 500, &g)
        let index = NearestPoints(x: xs, y: ys)
        for _ in 0..<200 {
            let qx = Double.random(in: -2e6...2e6, using: &g), qy = Double.random(in: -1e6...3e6, using: &g)
            let r = Double.random(in: 0...600_000, using: &g)
            let expected = xs.indices.filter { hypot(xs[$0] - qx, ys[$0] - qy) <= r }
            #expect(index.within(r, of: qx, qy) == expected)
        }
        // A radius that ends exactly on a point includes it.
        #expect(index.within(hypot(xs[3] - xs[4], ys[3] - ys[4]), of: xs[4], ys[4]).contains(3))
    }

    @Test func emptyIndexAnswersNothing() {
        let index = NearestPoints(x: [], y: [])
        #expect(index.nearest(0, 0) == nil)
        #expect(index.within(1e9, of: 0, 0).isEmpty)
    }

    @Test func widestExtentsStayWithinTheCellLimit() {
        // Two points a world apart with a tiny requested cell: the grid widens its cells rather than allocate billions.
        let g = GridIndex([.init(point: 0, 0), .init(point: 4e7, 4e7)], cell: 0.001)
        #expect(g.cell > 0.001)
        #expect(Double(Int(4e7 / g.cell) + 1) * Double(Int(4e7 / g.cell) + 1) <= Double(GridIndex.maxCells))
        #expect(g.nearest(x: 4e7 - 1, y: 4e7) { $0 == 0 ? hypot(4e7 - 1, 4e7) : 1 }?.item == 1)
    }

    @Test func boxesSpanningCellsAreFoundFromEveryCell() {
        // One long horizontal box over many cells, and a point far from it: from anywhere along the box, the box is nearer.
        let g = GridIndex([.init(minX: 0, minY: 0, maxX: 100, maxY: 0), .init(point: 50, 40)], cell: 1)
        for x in stride(from: 0.0, through: 100, by: 7) {
            let found = g.nearest(x: x, y: 3) { $0 == 0 ? 3 : hypot(50 - x, 37) }
            #expect(found?.item == 0 && found?.distance == 3)
        }
    }
}
