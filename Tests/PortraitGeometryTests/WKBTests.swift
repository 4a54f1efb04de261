import Testing
@testable import PortraitGeometry

struct WKBTests {
    static let square = Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1), Position(0, 0)])

    @Test(arguments: [
        Geometry.point(Point(x: -68.52, y: 48.45)),
        .lineString(LineString([Position(0, 0), Position(2, 1)])),
        .polygon(square),
        .multiPoint(MultiPoint([Position(1, 2), Position(3, 4)])),
        .multiLineString(MultiLineString([LineString([Position(0, 0), Position(1, 1)])])),
        .multiPolygon(MultiPolygon([square, square])),
        .geometryCollection([.point(Point(x: 1, y: 1)), .polygon(square)]),
    ])
    func roundTrip(_ g: Geometry) throws {
        #expect(try Geometry(wkb: g.wkb) == g)
    }

    @Test func littleEndianPointBytes() {
        let bytes = Geometry.point(Point(x: 1, y: 2)).wkb
        #expect(bytes.count == 21)
        #expect(bytes[0] == 1)
        #expect(Array(bytes[1..<5]) == [1, 0, 0, 0])
    }

    @Test func readsBigEndianAndDropsZ() throws {
        // Big-endian ISO PointZ (type 1001): x=1, y=2, z=3.
        var b: [UInt8] = [0, 0, 0, 0x03, 0xE9]
        for v in [1.0, 2.0, 3.0] { withUnsafeBytes(of: v.bitPattern.bigEndian) { b.append(contentsOf: $0) } }
        #expect(try Geometry(wkb: b) == .point(Point(x: 1, y: 2)))
    }

    @Test func rejectsTruncatedWKB() {
        let bytes = Array(Geometry.polygon(Self.square).wkb.dropLast(3))
        #expect(throws: GeometryError.self) { try Geometry(wkb: bytes) }
    }

    @Test func geoPackageBlobCarriesEnvelope() throws {
        let g = Geometry.polygon(Self.square)
        let blob = GeoPackageBinary.encode(g, srsID: 4326)
        #expect(blob[0] == 0x47 && blob[1] == 0x50)
        let h = try blob.withUnsafeBytes { try GeoPackageBinary.header($0) }
        #expect(h.srsID == 4326)
        #expect(h.envelope == BBox(minX: 0, minY: 0, maxX: 1, maxY: 1))
        #expect(h.wkbOffset == 40)
        #expect(try GeoPackageBinary.decode(blob).geometry == g)
    }
}

struct StructureTests {
    @Test func unclosedRingIsReported() {
        let g = Geometry.polygon(Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1)]))
        #expect(throws: GeometryError.unclosedRing(polygon: 0, ring: 0)) { try g.checkStructure() }
    }

    @Test func shortRingIsReported() {
        let g = Geometry.multiPolygon(MultiPolygon([
            WKBTests.square,
            Polygon(exterior: [Position(0, 0), Position(1, 0), Position(0, 0)]),
        ]))
        #expect(throws: GeometryError.ringTooShort(polygon: 1, ring: 0, count: 3)) { try g.checkStructure() }
    }

    @Test func nonFiniteCoordinateIsReported() {
        let g = Geometry.lineString(LineString([Position(0, 0), Position(.nan, 1)]))
        #expect(throws: GeometryError.nonFiniteCoordinate) { try g.checkStructure() }
    }

    @Test func soundPolygonPasses() throws {
        try Geometry.polygon(WKBTests.square).checkStructure()
    }
}
