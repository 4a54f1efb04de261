import PortraitGeometry
@testable import PortraitRender
import Testing

/// The maps of one report share their simplified boundaries: equal input and parameter → the remembered result;
/// anything else → computed; only the last few kept.
struct CoverageMemoTests {
    @Test func rememberedForEqualInputOnly() throws {
        let memo = CoverageMemo(capacity: 4)
        nonisolated(unsafe) var runs = 0
        let a = [Geometry.point(Point(x: 1, y: 2))], b = [Geometry.point(Point(x: 1, y: 3))]
        func ask(_ op: String, _ input: [Geometry], _ p: Double) -> [Geometry] {
            memo.remember(op, input, p) { runs += 1; return input.reversed() }
        }
        _ = ask("test-memo", a, 1); _ = ask("test-memo", a, 1)
        #expect(runs == 1)
        _ = ask("test-memo", b, 1); _ = ask("test-memo", a, 2); _ = ask("other-memo", a, 1)
        #expect(runs == 4)
        // Past the capacity, the oldest is computed again.
        for k in 0..<memo.capacity { _ = ask("filler-memo", a, Double(k)) }
        _ = ask("test-memo", a, 1)
        #expect(runs == 5 + memo.capacity)
    }
}
