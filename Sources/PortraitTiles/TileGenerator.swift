import Foundation
import PortraitGeometry
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// The layers served as vector tiles.
public enum TileLayer: String, CaseIterable, Sendable {
    case municipalities, mrc, regions, coastline, services, gaps, mobilisations

    var table: String {
        switch self {
        case .municipalities, .mobilisations, .gaps: "municipalities"
        case .mrc: "mrc"
        case .regions: "regions"
        case .coastline: "coastline"
        case .services: "services"
        }
    }

    /// Attribute names and types, for TileJSON's `vector_layers`.
    public var fields: [String: String] {
        switch self {
        case .municipalities: ["code": "String", "name": "String", "mrc_code": "String", "class": "String", "population": "Number"]
        case .mrc: ["code": "String", "name": "String", "region_code": "String", "class": "String"]
        case .regions: ["code": "String", "name": "String", "class": "String"]
        case .coastline: [:]
        case .services: ["category": "String", "name": "String", "municipality_code": "String"]
        case .mobilisations: ["code": "String", "name": "String", "table_count": "Number", "enjeux_without_table": "Number"]
        case .gaps: ["code": "String", "name": "String", "nearest_<category>_km": "Number", "beyond_<category>": "Boolean"]
        }
    }
}

/// Builds one vector tile from the store: the features whose R-tree box meets
/// the tile, projected to Web Mercator, clipped to the tile with a buffer,
/// simplified at one tile unit, in integer coordinates (extent 4096).
/// Not Sendable (it owns a store connection): one per request or per seeding task.
public final class TileGenerator {
    public static let extent = 4096.0
    public static let buffer = 64.0
    let store: TerritoryStore
    private var indicatorValues: [(String, [String: CellValue])]?
    private var coverage: [String: MobilisationCoverage]?

    public init(storePath: String) throws {
        store = try TerritoryStore(openExisting: storePath)
    }

    public func tile(_ layer: TileLayer, _ id: TileID) throws -> [UInt8] {
        MVTEncoder.encode([MVTLayer(name: layer.rawValue, features: try features(layer, id))])
    }

    func features(_ layer: TileLayer, _ id: TileID) throws -> [MVTLayer.Feature] {
        let b = id.bounds
        let size = b.width
        let pad = size * Self.buffer / Self.extent
        let wgs = BBox(minX: Self.lon(b.minX - pad), minY: Self.lat(b.minY - pad), maxX: Self.lon(b.maxX + pad), maxY: Self.lat(b.maxY + pad))
        guard try store.package.db.tableExists(layer.table) else { return [] }
        let ids = try store.package.ids(in: layer.table, intersecting: wgs)
        guard !ids.isEmpty else { return [] }
        let columns: String = switch layer {
        case .municipalities, .mobilisations, .gaps: "fid, geom, code, name, mrc_code, class, aquatic"
        case .mrc: "fid, geom, code, name, region_code, class, 0"
        case .regions: "fid, geom, code, name, NULL, class, 0"
        case .coastline: "fid, geom, NULL, NULL, NULL, NULL, 0"
        case .services: "fid, geom, category, name, municipality_code, NULL, 0"
        }
        let rows = try store.package.db.query("SELECT \(columns) FROM \"\(layer.table)\" WHERE fid IN (\(ids.map(String.init).joined(separator: ",")))")
        let clip = Geometry.polygon(Polygon(exterior: [
            Position(-Self.buffer, -Self.buffer), Position(Self.extent + Self.buffer, -Self.buffer),
            Position(Self.extent + Self.buffer, Self.extent + Self.buffer), Position(-Self.buffer, Self.extent + Self.buffer),
            Position(-Self.buffer, -Self.buffer)]))
        var out: [MVTLayer.Feature] = []
        for r in rows {
            guard let g = try GeoPackage.geometry(r[1]) else { continue }
            if r[6].int == 1 && layer.table == "municipalities" { continue }   // aquatic units
            // Web Mercator, then tile units.
            let t = g.mapPositions { p in
                Position((Self.mercatorX(p.x) - b.minX) / size * Self.extent, (b.maxY - Self.mercatorY(p.y)) / size * Self.extent)
            }
            var clipped: Geometry
            if case .point(let p) = t {
                guard p.position.x >= 0, p.position.x < Self.extent, p.position.y >= 0, p.position.y < Self.extent else { continue }
                clipped = t
            } else {
                clipped = try t.intersection(clip)
                if clipped.isEmpty { continue }
                clipped = try clipped.simplifyPreservingTopology(tolerance: 1)
            }
            // Integer tile coordinates, kept valid (a plain rounding can make rings cross at low zoom).
            let rounded: Geometry
            if case .point(let p) = clipped { rounded = .point(Point(Position(p.position.x.rounded(), p.position.y.rounded()))) }
            else { rounded = try clipped.snappedToGrid(1) }
            if rounded.isEmpty { continue }
            let fid = UInt64(r[0].int ?? 0)
            out.append(MVTLayer.Feature(id: fid, geometry: g.isPolygonal ? .multiPolygon(rounded.asMultiPolygon) : rounded,
                                        properties: try properties(layer, r)))
        }
        return out
    }

    func properties(_ layer: TileLayer, _ r: [SQLValue]) throws -> [(key: String, value: PropertyValue)] {
        func s(_ v: SQLValue) -> PropertyValue { v.text.map(PropertyValue.string) ?? .null }
        switch layer {
        case .municipalities:
            var p: [(key: String, value: PropertyValue)] = [("code", s(r[2])), ("name", s(r[3])), ("mrc_code", s(r[4])), ("class", s(r[5]))]
            for (name, values) in try indicators() {
                if let v = values[r[2].text ?? ""]?.number { p.append((name, .double(v))) }
            }
            return p
        case .mrc: return [("code", s(r[2])), ("name", s(r[3])), ("region_code", s(r[4])), ("class", s(r[5]))]
        case .regions: return [("code", s(r[2])), ("name", s(r[3])), ("class", s(r[5]))]
        case .coastline: return []
        case .services: return [("category", s(r[2])), ("name", s(r[3])), ("municipality_code", s(r[4]))]
        case .gaps:
            var p: [(key: String, value: PropertyValue)] = [("code", s(r[2])), ("name", s(r[3]))]
            for (category, distances) in try nearest() {
                if let d = distances[r[2].text ?? ""] {
                    p.append(("nearest_\(category)_km", .double((d * 10).rounded() / 10)))
                    p.append(("beyond_\(category)", .bool(d > Self.gapKm)))
                }
            }
            return p
        case .mobilisations:
            let c = try mobilisationCoverage()[r[2].text ?? ""]
            return [("code", s(r[2])), ("name", s(r[3])), ("table_count", .int(c?.tableCount ?? 0)),
                    ("enjeux_without_table", .int(c?.enjeuxWithoutTable.count ?? 0))]
        }
    }

    /// Latest vintage of every indicator (population included), loaded once per generator.
    func indicators() throws -> [(String, [String: CellValue])] {
        if let indicatorValues { return indicatorValues }
        var out: [(String, [String: CellValue])] = []
        for d in try store.indicatorDefinitions() {
            if let v = try store.vintages(d.name).first { out.append((d.name, try store.indicatorValues(d.name, vintage: v))) }
        }
        indicatorValues = out
        return out
    }

    /// Distance beyond which a municipality is in a gap, in the `gaps` tiles.
    public static let gapKm = 15.0
    private var nearestByCategory: [(String, [String: Double])]?

    /// For each service category, each municipality's distance (km) to the nearest service.
    func nearest() throws -> [(String, [String: Double])] {
        if let nearestByCategory { return nearestByCategory }
        let units = try store.units(.municipality).filter { !$0.isAquatic }
        let places = try store.representativePoints(units)
        var out: [(String, [String: Double])] = []
        for c in try store.serviceCategories() {
            let d = try Access.nearestKm(from: places, to: try store.services(category: c).map(\.position))
            out.append((c, Dictionary(uniqueKeysWithValues: zip(units.map(\.code), d).compactMap { k, v in v.map { (k, $0) } })))
        }
        nearestByCategory = out
        return out
    }

    func mobilisationCoverage() throws -> [String: MobilisationCoverage] {
        if let coverage { return coverage }
        var all: [String: MobilisationCoverage] = [:]
        for region in Set(try store.units(.municipality, withGeometry: false).compactMap(\.regionCode)) {
            for c in try MobilisationImporter.coverage(storePath: store.path, level: .region, code: region) { all[c.code] = c }
        }
        coverage = all
        return all
    }

    // Spherical Web Mercator (EPSG:3857).
    static let radius = 6_378_137.0
    static func mercatorX(_ lon: Double) -> Double { radius * lon * .pi / 180 }
    static func mercatorY(_ lat: Double) -> Double {
        let l = min(max(lat, -85.05112878), 85.05112878)
        return radius * log(tan(.pi / 4 + l * .pi / 360))
    }
    static func lon(_ x: Double) -> Double { x / radius * 180 / .pi }
    static func lat(_ y: Double) -> Double { (2 * atan(exp(y / radius)) - .pi / 2) * 180 / .pi }
}
