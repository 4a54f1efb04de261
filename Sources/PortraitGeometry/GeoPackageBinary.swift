/// The GeoPackage geometry blob (GeoPackage 1.3, §2.1.3): a header with the
/// magic "GP", version, flags, SRS id and an optional envelope, followed by WKB.
public enum GeoPackageBinary {
    /// Encodes `geometry` with an XY envelope (none for points, as the spec allows).
    public static func encode(_ geometry: Geometry, srsID: Int32) -> [UInt8] {
        var out: [UInt8] = [0x47, 0x50, 0]
        let empty = geometry.isEmpty
        let box: BBox? = {
            if case .point = geometry { return nil }
            return empty ? nil : geometry.bbox
        }()
        // flags: bit0 little-endian, bits 1-3 envelope (1 = xy), bit 4 empty.
        var flags: UInt8 = 1
        if box != nil { flags |= 1 << 1 }
        if empty { flags |= 1 << 4 }
        out.append(flags)
        withUnsafeBytes(of: srsID.littleEndian) { out.append(contentsOf: $0) }
        if let b = box {
            for v in [b.minX, b.maxX, b.minY, b.maxY] {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        out.append(contentsOf: geometry.wkb)
        return out
    }

    /// The header of a blob: SRS id, envelope if any, and where the WKB starts.
    public struct Header: Sendable {
        public var srsID: Int32
        public var envelope: BBox?
        public var isEmpty: Bool
        public var wkbOffset: Int
    }

    public static func header(_ blob: UnsafeRawBufferPointer) throws(GeometryError) -> Header {
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else {
            throw .malformedWKB("en-tête GeoPackage absent")
        }
        let flags = blob[3]
        let little = flags & 1 == 1
        func u32(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(blob[at + i]) << (8 * UInt32(i)) }
            return little ? v : v.byteSwapped
        }
        func f64(_ at: Int) -> Double {
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(blob[at + i]) << (8 * UInt64(i)) }
            return Double(bitPattern: little ? v : v.byteSwapped)
        }
        let srs = Int32(bitPattern: u32(4))
        let envelopeKind = (flags >> 1) & 0x7
        let doubles: Int
        switch envelopeKind {
        case 0: doubles = 0
        case 1: doubles = 4
        case 2, 3: doubles = 6
        case 4: doubles = 8
        default: throw .malformedWKB("enveloppe GeoPackage inconnue (\(envelopeKind))")
        }
        guard blob.count >= 8 + doubles * 8 else { throw .malformedWKB("en-tête GeoPackage tronqué") }
        var env: BBox?
        if doubles > 0 {
            env = BBox(minX: f64(8), minY: f64(24), maxX: f64(16), maxY: f64(32))
        }
        return Header(srsID: srs, envelope: env, isEmpty: flags & (1 << 4) != 0, wkbOffset: 8 + doubles * 8)
    }

    /// Decodes a blob to its geometry and SRS id.
    public static func decode(_ blob: [UInt8]) throws(GeometryError) -> (geometry: Geometry, srsID: Int32) {
        let h: Header
        do { h = try blob.withUnsafeBytes { try header($0) } } catch let e as GeometryError { throw e } catch {
            throw .malformedWKB("\(error)")
        }
        return (try Geometry(wkb: blob[h.wkbOffset...]), h.srsID)
    }
}
