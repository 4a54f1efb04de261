import PortraitGeometry

/// Encodes Mapbox Vector Tile 2.1 (protobuf written by hand: it is five messages).
/// Geometries come in tile coordinates (integers, y down, extent 4096).
public struct MVTLayer: Sendable {
    public struct Feature: Sendable {
        public var id: UInt64?
        public var geometry: Geometry
        public var properties: [(key: String, value: PropertyValue)]
        public init(id: UInt64? = nil, geometry: Geometry, properties: [(key: String, value: PropertyValue)]) {
            self.id = id; self.geometry = geometry; self.properties = properties
        }
    }
    public var name: String
    public var extent: UInt32 = 4096
    public var features: [Feature]
    public init(name: String, features: [Feature]) { self.name = name; self.features = features }
}

public enum MVTEncoder {
    public static func encode(_ layers: [MVTLayer]) -> [UInt8] {
        var tile = ProtoWriter()
        for l in layers where !l.features.isEmpty { tile.message(3, layer(l)) }
        return tile.bytes
    }

    static func layer(_ l: MVTLayer) -> [UInt8] {
        var w = ProtoWriter()
        w.varintField(15, 2)
        w.string(1, l.name)
        var keys: [String] = [], keyIndex: [String: Int] = [:]
        var values: [PropertyValue] = [], valueIndex: [PropertyValue: Int] = [:]
        var encodedFeatures: [[UInt8]] = []
        for f in l.features {
            let (type, commands) = geometry(f.geometry)
            guard !commands.isEmpty else { continue }
            var tags: [UInt64] = []
            for (k, v) in f.properties where v != .null {
                let ki = keyIndex[k] ?? { keys.append(k); keyIndex[k] = keys.count - 1; return keys.count - 1 }()
                let vi = valueIndex[v] ?? { values.append(v); valueIndex[v] = values.count - 1; return values.count - 1 }()
                tags += [UInt64(ki), UInt64(vi)]
            }
            var fw = ProtoWriter()
            if let id = f.id { fw.varintField(1, id) }
            fw.packed(2, tags)
            fw.varintField(3, UInt64(type))
            fw.packed(4, commands.map { UInt64($0) })
            encodedFeatures.append(fw.bytes)
        }
        for f in encodedFeatures { w.message(2, f) }
        for k in keys { w.string(3, k) }
        for v in values { w.message(4, value(v)) }
        w.varintField(5, UInt64(l.extent))
        return w.bytes
    }

    static func value(_ v: PropertyValue) -> [UInt8] {
        var w = ProtoWriter()
        switch v {
        case .string(let s): w.string(1, s)
        case .double(let d): w.double(3, d)
        case .int(let i): if i >= 0 { w.varintField(5, UInt64(i)) } else { w.varintField(6, zigzag64(Int64(i))) }
        case .bool(let b): w.varintField(7, b ? 1 : 0)
        case .null: break
        }
        return w.bytes
    }

    static func zigzag(_ n: Int32) -> UInt32 { UInt32(bitPattern: (n << 1) ^ (n >> 31)) }
    static func zigzag64(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }
    static func command(_ id: UInt32, _ count: Int) -> UInt32 { (id & 0x7) | (UInt32(count) << 3) }

    /// Geometry type (1 point, 2 line, 3 polygon) and its command stream. Rings are wound as MVT 2.1
    /// wants: exterior positive area in tile coordinates (clockwise on screen), holes negative.
    static func geometry(_ g: Geometry) -> (Int, [UInt32]) {
        var cmds: [UInt32] = []
        var cx: Int32 = 0, cy: Int32 = 0
        func moveTo(_ p: Position) {
            cmds.append(command(1, 1))
            let x = Int32(p.x), y = Int32(p.y)
            cmds += [zigzag(x - cx), zigzag(y - cy)]; cx = x; cy = y
        }
        func lineTo(_ ps: ArraySlice<Position>) {
            cmds.append(command(2, ps.count))
            for p in ps { let x = Int32(p.x), y = Int32(p.y); cmds += [zigzag(x - cx), zigzag(y - cy)]; cx = x; cy = y }
        }
        switch g {
        case .point, .multiPoint:
            var pts: [Position] = []
            g.forEachPosition { pts.append($0) }
            guard !pts.isEmpty else { return (1, []) }
            cmds.append(command(1, pts.count))
            for p in pts { let x = Int32(p.x), y = Int32(p.y); cmds += [zigzag(x - cx), zigzag(y - cy)]; cx = x; cy = y }
            return (1, cmds)
        case .lineString, .multiLineString:
            for l in g.lineStrings {
                let ps = dedupe(l.positions)
                guard ps.count >= 2 else { continue }
                moveTo(ps[0]); lineTo(ps[1...])
            }
            return (2, cmds)
        default:
            for poly in g.polygons {
                for (i, r) in poly.rings.enumerated() {
                    var ps = dedupe(r.positions)
                    if ps.count > 1, ps.first == ps.last { ps.removeLast() }
                    guard ps.count >= 3 else { if i == 0 { break } else { continue } }
                    let area = LinearRing(ps + [ps[0]]).signedDoubleArea
                    guard area != 0 else { continue }
                    if (i == 0) != (area > 0) { ps.reverse() }
                    moveTo(ps[0]); lineTo(ps[1...]); cmds.append(command(7, 1))
                }
            }
            return (3, cmds)
        }
    }

    static func dedupe(_ ps: [Position]) -> [Position] {
        var out: [Position] = []
        for p in ps where out.last != p { out.append(p) }
        return out
    }
}

/// Minimal protobuf writer: varints, length-delimited fields, packed varints, doubles.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func varintField(_ field: Int, _ v: UInt64) { key(field, 0); varint(v) }
    mutating func message(_ field: Int, _ body: [UInt8]) { key(field, 2); varint(UInt64(body.count)); bytes += body }
    mutating func string(_ field: Int, _ s: String) { message(field, Array(s.utf8)) }
    mutating func packed(_ field: Int, _ vs: [UInt64]) {
        guard !vs.isEmpty else { return }
        var inner = ProtoWriter()
        for v in vs { inner.varint(v) }
        message(field, inner.bytes)
    }
    mutating func double(_ field: Int, _ d: Double) {
        key(field, 1)
        withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes += $0 }
    }
}
