import Testing
import PortraitGeometry
@testable import PortraitSpatial

struct ProjectionTests {
    @Test func rimouskiInQuebecLambert() throws {
        // Checked value from the PROJ notes: Rimouski (48.45 N, 68.52 W).
        let p = try Projection.toQuebecLambert(Position(-68.52, 48.45))
        #expect(abs(p.x - -1473.3) < 1)
        #expect(abs(p.y - 494530.2) < 1)
        let back = try Projection.fromQuebecLambert(p)
        #expect(abs(back.x - -68.52) < 1e-9 && abs(back.y - 48.45) < 1e-9)
    }

    @Test func areaInSquareMetres() throws {
        // A 0.01° × 0.01° cell at 48.45 N: ≈ 1112 m × 739 m.
        let cell = square(-68.52, 48.45, 0.01)
        let a = try cell.areaSquareMetres()
        #expect(abs(a - 821_900) / 821_900 < 0.01)
    }

    @Test func unknownCRSCarriesPROJMessage() {
        do {
            _ = try Projection(from: CRS("EPSG:999999"), to: .wgs84)(Position(0, 0))
            Issue.record("expected a PROJ failure")
        } catch let e as SpatialLibraryError {
            #expect(e.library == "PROJ")
            #expect(e.function == "proj_create_crs_to_crs")
            #expect(!e.message.isEmpty)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func wkt1ForTheGeoPackage() throws {
        let wkt = try CRS.wgs84.wkt1()
        #expect(wkt.hasPrefix("GEOGCS[\"WGS 84\""))
        #expect(CRS("EPSG:32198").isKnownToPROJ)
        #expect(!CRS("not a crs").isKnownToPROJ)
    }
}

/// GEOS and PROJ wrappers used from many tasks at once must give the same
/// answers as serial use: contexts are per call or per task, never shared.
struct ConcurrencyTests {
    static func work(_ i: Int) throws -> [Double] {
        let lon = -70 + Double(i % 40) * 0.1, lat = 46 + Double(i % 17) * 0.1
        let cell = square(lon, lat, 0.05)
        let projected = try Projection.toQuebecLambert(cell)
        let buffered = try projected.buffer(250)
        let union = try Geometry.union([projected, try Projection.toQuebecLambert(square(lon + 0.05, lat, 0.05))])
        let index = try SpatialIndex([projected, buffered])
        let nearest = try index.nearest(.point(Point(x: 0, y: 0))) ?? -1
        return [try projected.planarArea(), try buffered.planarArea(), try union.planarArea(), Double(nearest)]
    }

    @Test func manyTasksAtOnce() async throws {
        let n = 200
        let serial = try (0..<n).map(Self.work)
        let parallel = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for i in 0..<n { group.addTask { (i, try Self.work(i)) } }
            var out = [[Double]](repeating: [], count: n)
            for try await (i, r) in group { out[i] = r }
            return out
        }
        #expect(parallel == serial)
    }

    @Test func manyThreadsOnTheTransformerPool() async throws {
        let positions = (0..<1000).map { Position(-68 - Double($0) * 0.001, 48 + Double($0) * 0.001) }
        let expected = try Projection.toQuebecLambert(positions)
        try await withThrowingTaskGroup(of: [Position].self) { group in
            for _ in 0..<32 { group.addTask { try Projection.toQuebecLambert(positions) } }
            for try await r in group { #expect(r == expected) }
        }
    }
}
