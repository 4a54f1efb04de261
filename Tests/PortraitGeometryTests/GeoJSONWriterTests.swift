import Testing
@testable import PortraitGeometry

struct GeoJSONWriterTests {
    @Test func exteriorIsRewoundCounterClockwise() {
        // Clockwise exterior in, counter-clockwise out (RFC 7946 §3.1.6).
        let cw = Polygon(exterior: [Position(0, 0), Position(0, 1), Position(1, 1), Position(1, 0), Position(0, 0)])
        let s = GeoJSONWriter().string(Geometry.polygon(cw))
        #expect(s == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#)
    }

    @Test func holesAreClockwise() {
        let outer = [Position(0, 0), Position(4, 0), Position(4, 4), Position(0, 4), Position(0, 0)]
        let holeCCW = [Position(1, 1), Position(2, 1), Position(2, 2), Position(1, 2), Position(1, 1)]
        let s = GeoJSONWriter().string(Geometry.polygon(Polygon(exterior: outer, holes: [holeCCW])))
        #expect(s.contains("[[1,1],[1,2],[2,2],[2,1],[1,1]]"))
    }

    @Test func coordinatesAreRoundedToPrecision() {
        let p = Geometry.point(Point(x: -68.523456789, y: 48.4500001))
        #expect(GeoJSONWriter(precision: 6).string(p) == #"{"type":"Point","coordinates":[-68.523457,48.45]}"#)
        #expect(GeoJSONWriter(precision: 2).string(p) == #"{"type":"Point","coordinates":[-68.52,48.45]}"#)
    }

    @Test func propertiesKeepOrderAndEscape() {
        let f = Feature(geometry: nil, properties: [("nom", .string("L'Isle-Verte \"centre\"\n")), ("pop", .int(1300)),
                                                    ("part", .double(0.25)), ("ok", .bool(true)), ("vide", .null)])
        #expect(GeoJSONWriter().string(f)
                == #"{"type":"Feature","properties":{"nom":"L'Isle-Verte \"centre\"\n","pop":1300,"part":0.25,"ok":true,"vide":null},"geometry":null}"#)
    }

    @Test func identicalInputGivesIdenticalBytes() {
        let c = FeatureCollection([Feature(geometry: .point(Point(x: 1.0000004, y: 2)), properties: [("a", .int(1))])])
        #expect(GeoJSONWriter().string(c) == GeoJSONWriter().string(c))
    }

    @Test(arguments: [(0.1 + 0.2, 6, "0.3"), (-0.0000004, 6, "0"), (12.5, 0, "13"), (-1473.25, 1, "-1473.3"),
                      (1e-7, 6, "0"), (123456.000001, 6, "123456.000001")])
    func fixedFormatting(_ v: Double, _ d: Int, _ expected: String) {
        #expect(NumberFormat.fixed(v, d) == expected)
    }
}
