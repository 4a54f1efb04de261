// Well-Known Binary (OGC SFA / ISO 13249), two dimensions. Z and M values are
// read and dropped; output is little-endian 2D.

extension Geometry {
    /// Little-endian 2D WKB.
    public var wkb: [UInt8] {
        var w = WKBWriter()
        w.write(self)
        return w.bytes
    }

    /// Decodes WKB (either byte order, ISO or EWKB-style Z/M flags; Z and M dropped).
    public init(wkb: some Collection<UInt8>) throws(GeometryError) {
        var r = WKBReader(bytes: Array(wkb))
        self = try r.readGeometry()
        if r.offset != r.bytes.count {
            throw .malformedWKB("\(r.bytes.count - r.offset) octets en trop")
        }
    }
}

struct WKBWriter {
    var bytes: [UInt8] = []

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func header(_ type: UInt32) { bytes.append(1); u32(type) }
    mutating func positions(_ ps: [Position]) {
        u32(UInt32(ps.count))
        #if _endian(little)
        // A Position is two Doubles, x then y: on a little-endian machine its bytes are already WKB's.
        if MemoryLayout<Position>.size == 16, MemoryLayout<Position>.offset(of: \Position.y) == 8 {
            ps.withUnsafeBytes { bytes.append(contentsOf: $0) }
            return
        }
        #endif
        for p in ps { f64(p.x); f64(p.y) }
    }
    mutating func polygon(_ p: Polygon) {
        header(3); u32(UInt32(p.rings.count)); for r in p.rings { positions(r.positions) }
    }

    mutating func write(_ g: Geometry) {
        switch g {
        case .point(let p): header(1); f64(p.position.x); f64(p.position.y)
        case .lineString(let l): header(2); positions(l.positions)
        case .polygon(let p): polygon(p)
        case .multiPoint(let m):
            header(4); u32(UInt32(m.points.count))
            for p in m.points { header(1); f64(p.x); f64(p.y) }
        case .multiLineString(let m):
            header(5); u32(UInt32(m.lineStrings.count))
            for l in m.lineStrings { header(2); positions(l.positions) }
        case .multiPolygon(let m):
            header(6); u32(UInt32(m.polygons.count)); for p in m.polygons { polygon(p) }
        case .geometryCollection(let gs):
            header(7); u32(UInt32(gs.count)); for g in gs { write(g) }
        }
    }
}

struct WKBReader {
    let bytes: [UInt8]
    var offset = 0
    var little = true
    var dims = 2

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func need(_ n: Int) throws(GeometryError) {
        if offset + n > bytes.count { throw .malformedWKB("fin inattendue à l'octet \(offset)") }
    }

    mutating func u32() throws(GeometryError) -> UInt32 {
        try need(4)
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return little ? v : v.byteSwapped
    }

    mutating func f64() throws(GeometryError) -> Double {
        try need(8)
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return Double(bitPattern: little ? v : v.byteSwapped)
    }

    mutating func position() throws(GeometryError) -> Position {
        let x = try f64(), y = try f64()
        for _ in 2..<dims { _ = try f64() }
        return Position(x, y)
    }

    mutating func positions() throws(GeometryError) -> [Position] {
        let n = Int(try u32())
        guard n <= (bytes.count - offset) / 16 else { throw .malformedWKB("nombre de points invalide (\(n))") }
        var out: [Position] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try position()) }
        return out
    }

    /// Reads the byte-order mark and type; returns the base type (1…7).
    mutating func header() throws(GeometryError) -> UInt32 {
        try need(1)
        switch bytes[offset] {
        case 0: little = false
        case 1: little = true
        default: throw .malformedWKB("ordre d'octets inconnu \(bytes[offset])")
        }
        offset += 1
        var type = try u32()
        var hasZ = false, hasM = false
        // EWKB flags.
        if type & 0x8000_0000 != 0 { hasZ = true }
        if type & 0x4000_0000 != 0 { hasM = true }
        if type & 0x2000_0000 != 0 { offset += 4 } // SRID
        type &= 0x0FFF_FFFF
        // ISO flags: 1000s Z, 2000s M, 3000s ZM.
        switch type / 1000 {
        case 1: hasZ = true
        case 2: hasM = true
        case 3: hasZ = true; hasM = true
        default: break
        }
        type %= 1000
        dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0)
        return type
    }

    mutating func polygonBody() throws(GeometryError) -> Polygon {
        let n = Int(try u32())
        var rings: [LinearRing] = []
        for _ in 0..<n { rings.append(LinearRing(try positions())) }
        return Polygon(rings)
    }

    mutating func readGeometry() throws(GeometryError) -> Geometry {
        let type = try header()
        switch type {
        case 1:
            return .point(Point(try position()))
        case 2:
            return .lineString(LineString(try positions()))
        case 3:
            return .polygon(try polygonBody())
        case 4, 5, 6, 7:
            let n = Int(try u32())
            var parts: [Geometry] = []
            for _ in 0..<n { parts.append(try readGeometry()) }
            switch type {
            case 4:
                return .multiPoint(MultiPoint(try parts.map { g throws(GeometryError) in
                    guard case .point(let p) = g else { throw .malformedWKB("MultiPoint contenant \(g.typeName)") }
                    return p.position
                }))
            case 5:
                return .multiLineString(MultiLineString(try parts.map { g throws(GeometryError) in
                    guard case .lineString(let l) = g else { throw .malformedWKB("MultiLineString contenant \(g.typeName)") }
                    return l
                }))
            case 6:
                return .multiPolygon(MultiPolygon(try parts.map { g throws(GeometryError) in
                    guard case .polygon(let p) = g else { throw .malformedWKB("MultiPolygon contenant \(g.typeName)") }
                    return p
                }))
            default:
                return .geometryCollection(parts)
            }
        default:
            throw .malformedWKB("type de géométrie non pris en charge (\(type))")
        }
    }
}
