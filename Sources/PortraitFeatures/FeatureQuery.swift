import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial

/// The CRS an OGC API client may ask for (Part 2): CRS84 (longitude, latitude; the storage CRS) and Québec
/// Lambert (EPSG:32198, easting, northing in metres).
public enum FeatureCRS: String, CaseIterable, Sendable {
    case crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    case quebecLambert = "http://www.opengis.net/def/crs/EPSG/0/32198"

    /// A URI, or a short form (`CRS84`, `EPSG:32198`, `OGC:CRS84`).
    public init(parsing raw: String, parameter: String) throws {
        let t = raw.trimmingCharacters(in: CharacterSet(charactersIn: "[]<> "))
        switch t.uppercased() {
        case FeatureCRS.crs84.rawValue.uppercased(), "CRS84", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84": self = .crs84
        case FeatureCRS.quebecLambert.rawValue.uppercased(), "EPSG:32198", "URN:OGC:DEF:CRS:EPSG::32198": self = .quebecLambert
        default:
            throw FeaturesError(.invalidInput, "\(parameter) : SCR « \(raw) » non servi ; SCR possibles : \(FeatureCRS.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var crs: CRS { self == .crs84 ? .wgs84 : .quebecLambert }
    /// Decimals of the coordinates written: 9 in degrees (0.1 mm), 4 in metres.
    public var precision: Int { self == .crs84 ? 9 : 4 }
}

/// The parameters of `/collections/{id}/items`, parsed once, and the page they select.
public struct FeatureQuery: Sendable {
    public static let defaultLimit = 1_000
    public static let maximumLimit = 10_000
    /// The largest offset taken (no collection comes near it); beyond it a 400, so that no page arithmetic can overflow.
    public static let maximumOffset = 1_000_000_000
    /// Parameters of the items request that are not property filters.
    public static let reserved: Set<String> = ["limit", "offset", "bbox", "bbox-crs", "crs", "f", "datetime", "radius_km"]

    public var limit = FeatureQuery.defaultLimit
    public var offset = 0
    /// In CRS84.
    public var bbox: BBox?
    public var crs: FeatureCRS = .crs84
    public var radiusKm = 15.0
    /// Property → wanted value (equality; numbers compared as numbers).
    public var filters: [(property: String, value: String)] = []

    /// Shorthands accepted for the properties of the units.
    public static let aliases = ["mrc": "mrc_code", "region": "region_code", "municipality": "municipality_code"]

    /// - Parameters: `parameters`, every query parameter in order; `queryables`, the collection's property names.
    public init(_ parameters: [(String, String)], queryables: Set<String>) throws {
        var bboxCRS = FeatureCRS.crs84
        var rawBBox: String?
        var hasBBoxCRS = false
        for (k, v) in parameters {
            switch k {
            case "limit":
                guard let n = Self.digits(v), n >= 1 else { throw FeaturesError(.invalidInput, "limit : entier de 1 à \(Self.maximumLimit) attendu, reçu « \(v.prefix(40)) »") }
                // Beyond the maximum, the maximum (as OGC API – Features asks), never an error.
                limit = min(n, Self.maximumLimit)
            case "offset":
                guard let n = Self.digits(v), n <= Self.maximumOffset else {
                    throw FeaturesError(.invalidInput, "offset : entier de 0 à \(Self.maximumOffset) attendu, reçu « \(v.prefix(40)) »")
                }
                offset = n
            case "bbox": rawBBox = v
            case "bbox-crs": bboxCRS = try FeatureCRS(parsing: v, parameter: "bbox-crs"); hasBBoxCRS = true
            case "crs": crs = try FeatureCRS(parsing: v, parameter: "crs")
            case "radius_km":
                guard let r = Double(v), (0.1...500).contains(r) else { throw FeaturesError(.invalidInput, "radius_km : nombre de 0,1 à 500 attendu, reçu « \(v.prefix(40)) »") }
                radiusKm = r
            case "f":
                guard ["json", "geojson"].contains(v.lowercased()) else { throw FeaturesError(.invalidInput, "f : json ou geojson (reçu « \(v) »)") }
            case "datetime":
                // No collection has a temporal extent: every feature matches (Part 1, when features have no time), but
                // the value must still be an instant or an interval of RFC 3339 (Part 1, 7.15.4).
                guard Self.isDateTime(v) else {
                    throw FeaturesError(.invalidInput, "datetime : instant ou intervalle RFC 3339 attendu (ex. 2021-05-11T00:00:00Z, 2021-01-01T00:00:00Z/.., 2021-05-11), reçu « \(v.prefix(60)) »")
                }
            default:
                let p = Self.aliases[k].flatMap { queryables.contains($0) ? $0 : nil } ?? k
                guard queryables.contains(p) else {
                    throw FeaturesError(.invalidInput, "paramètre « \(k) » inconnu ; paramètres : \(Self.reserved.sorted().joined(separator: ", ")) et les propriétés filtrables (queryables) : \(queryables.sorted().joined(separator: ", "))")
                }
                filters.append((p, v))
            }
        }
        if hasBBoxCRS, rawBBox == nil { throw FeaturesError(.invalidInput, "bbox-crs sans bbox : donnez aussi bbox=minx,miny,maxx,maxy") }
        if let rawBBox { bbox = try Self.parseBBox(rawBBox, crs: bboxCRS) }
    }

    /// A count in decimal digits only (no sign, no hex, no blank), nil beyond 18 digits: never a trap, never a surprise.
    static func digits(_ v: String) -> Int? {
        guard !v.isEmpty, v.count <= 18, v.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(v)
    }

    /// An RFC 3339 date-time (`2021-05-11T10:00:00Z`, with fraction or offset), a full date (`2021-05-11`), or an
    /// interval of them with `..` for an open end (OGC API – Features Part 1, `datetime`). Dates must exist.
    static func isDateTime(_ v: String) -> Bool {
        let parts = v.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return isInstant(parts[0])
        case 2:
            let open = parts.map { $0.isEmpty || $0 == ".." }
            if open[0] && open[1] { return false }
            return (open[0] || isInstant(parts[0])) && (open[1] || isInstant(parts[1]))
        default: return false
        }
    }

    static func isInstant(_ v: String) -> Bool {
        let m = v.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2})))?/)
        guard let m, let y = Int(m.1), let mo = Int(m.2), let d = Int(m.3), (1...12).contains(mo), d >= 1 else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        guard d <= days else { return false }
        if let h = m.4.flatMap({ Int($0) }), let mi = m.5.flatMap({ Int($0) }), let s = m.6.flatMap({ Int($0) }) {
            guard h <= 23, mi <= 59, s <= 60 else { return false }
            if let oh = m.7.flatMap({ Int($0) }), let om = m.8.flatMap({ Int($0) }) { guard oh <= 23, om <= 59 else { return false } }
        }
        return true
    }

    static func parseBBox(_ raw: String, crs: FeatureCRS) throws -> BBox {
        let n = raw.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        // Four (or six) finite numbers: `inf`, `nan` and `1e400` (which reads as infinity) are refused.
        guard n.count == 4 || n.count == 6, n.allSatisfy({ $0?.isFinite == true }) else {
            throw FeaturesError(.invalidInput, "bbox : quatre nombres finis minx,miny,maxx,maxy attendus, reçu « \(raw.prefix(80)) »")
        }
        let v = n.map { $0! }
        let (x0, y0, x1, y1) = v.count == 4 ? (v[0], v[1], v[2], v[3]) : (v[0], v[1], v[3], v[4])
        guard x0 <= x1, y0 <= y1 else { throw FeaturesError(.invalidInput, "bbox : minimum au-delà du maximum (« \(raw.prefix(80)) »)") }
        guard crs == .quebecLambert else {
            guard x0 >= -180, x1 <= 180, y0 >= -90, y1 <= 90 else {
                throw FeaturesError(.invalidInput, "bbox : longitudes de −180 à 180 et latitudes de −90 à 90 attendues en CRS84, reçu « \(raw.prefix(80)) »")
            }
            return BBox(minX: x0, minY: y0, maxX: x1, maxY: y1)
        }
        // Québec Lambert's domain, generously: the province and well beyond (metres).
        guard x0 >= -2_000_000, x1 <= 2_000_000, y0 >= -2_000_000, y1 <= 3_000_000 else {
            throw FeaturesError(.invalidInput, "bbox : coordonnées hors du domaine d'EPSG:32198 (±2 000 km), reçu « \(raw.prefix(80)) »")
        }
        // A box in Québec Lambert: its edges, densified, carried to CRS84 and enveloped.
        var edge: [Position] = []
        for i in 0...16 {
            let t = Double(i) / 16
            edge += [Position(x0 + (x1 - x0) * t, y0), Position(x0 + (x1 - x0) * t, y1), Position(x0, y0 + (y1 - y0) * t), Position(x1, y0 + (y1 - y0) * t)]
        }
        let back = try Projection.fromQuebecLambert(edge)
        return BBox(minX: back.map(\.x).min()!, minY: back.map(\.y).min()!, maxX: back.map(\.x).max()!, maxY: back.map(\.y).max()!)
    }

    /// The features matching the filters and the box, in their order.
    public func matching(_ features: [Feature]) throws -> [Feature] {
        var out: [Feature] = []
        let frame = bbox.map { b in
            Geometry.polygon(Polygon(exterior: [Position(b.minX, b.minY), Position(b.maxX, b.minY), Position(b.maxX, b.maxY),
                                                Position(b.minX, b.maxY), Position(b.minX, b.minY)]))
        }
        let prepared = try frame.map { try PreparedGeometry($0) }
        for f in features {
            guard filters.allSatisfy({ Self.equal(f[$0.property], $0.value) }) else { continue }
            if let b = bbox, let prepared {
                guard let g = f.geometry, let gb = g.bbox, gb.intersects(b) else { continue }
                // The envelope meets the box: the geometry itself must.
                let inside = gb.minX >= b.minX && gb.maxX <= b.maxX && gb.minY >= b.minY && gb.maxY <= b.maxY
                if !inside, !(try prepared.intersects(g)) { continue }
            }
            out.append(f)
        }
        return out
    }

    static func equal(_ v: PropertyValue?, _ wanted: String) -> Bool {
        switch v {
        case .string(let s)?: s == wanted
        case .int(let i)?: Double(wanted) == Double(i)
        case .double(let d)?: Double(wanted) == d
        case .bool(let b)?: wanted.lowercased() == String(b)
        default: wanted.isEmpty || wanted.lowercased() == "null"
        }
    }

    /// One page: the matching features from `offset`, at most `limit`, in the requested CRS.
    public func page(_ features: [Feature]) throws -> (features: [Feature], matched: Int) {
        let m = try matching(features)
        let slice = offset >= m.count ? [] : Array(m[offset..<min(m.count, offset + limit)])
        return (try Self.transform(slice, to: crs), m.count)
    }

    public static func transform(_ features: [Feature], to crs: FeatureCRS) throws -> [Feature] {
        guard crs != .crs84 else { return features }
        let project = Projection(from: .wgs84, to: crs.crs)
        return try features.map { f in
            var f = f
            if let g = f.geometry { f.geometry = try project(g) }
            return f
        }
    }
}
