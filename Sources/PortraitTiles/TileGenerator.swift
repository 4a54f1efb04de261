import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// The layers served as vector tiles.
public enum TileLayer: String, CaseIterable, Sendable {
    case municipalities, mrc, regions, coastline, services, gaps, mobilisations

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
    let store: any TerritoryStore
    private var indicatorValues: [(String, [String: CellValue])]?
    private var coverage: [String: MobilisationCoverage]?

    public init(storePath: String) throws {
        store = try Stores.open(storePath)
    }

    public init(store: any TerritoryStore) { self.store = store }

    public func tile(_ layer: TileLayer, _ id: TileID) throws -> [UInt8] {
        MVTEncoder.encode([MVTLayer(name: layer.rawValue, features: try features(layer, id))])
    }

    func features(_ layer: TileLayer, _ id: TileID) throws -> [MVTLayer.Feature] {
        let b = id.bounds
        let size = b.width
        let pad = size * Self.buffer / Self.extent
        let wgs = BBox(minX: Self.lon(b.minX - pad), minY: Self.lat(b.minY - pad), maxX: Self.lon(b.maxX + pad), maxY: Self.lat(b.maxY + pad))
        let sources = try sourceFeatures(layer, wgs)
        guard !sources.isEmpty else { return [] }
        let tile = BBox(minX: -Self.buffer, minY: -Self.buffer, maxX: Self.extent + Self.buffer, maxY: Self.extent + Self.buffer)
        var out: [MVTLayer.Feature] = []
        for source in sources {
            let g = source.geometry
            // Web Mercator, then tile units.
            let t = g.mapPositions { p in
                Position((Self.mercatorX(p.x) - b.minX) / size * Self.extent, (b.maxY - Self.mercatorY(p.y)) / size * Self.extent)
            }
            // The seeder's path: the whole feature on the pixel grid, then its part in the tile and its buffer.
            let rounded: Geometry
            if case .point(let p) = t {
                guard p.position.x >= 0, p.position.x < Self.extent, p.position.y >= 0, p.position.y < Self.extent else { continue }
                rounded = .point(Point(Position(p.position.x.rounded(), p.position.y.rounded())))
            } else {
                rounded = try TileSeeder.clip(try TileSeeder.onGrid(t), to: [tile])[0]
            }
            if rounded.isEmpty { continue }
            out.append(MVTLayer.Feature(id: UInt64(source.id), geometry: g.isPolygonal ? .multiPolygon(rounded.asMultiPolygon) : rounded,
                                        properties: try source.properties()))
        }
        return out
    }

    /// A feature of the store met by the tile, with its attributes for the layer.
    struct SourceFeature {
        var id: Int64
        var geometry: Geometry
        var properties: () throws -> [(key: String, value: PropertyValue)]
    }

    /// The store's features whose envelope meets `box` (aquatic units left out), with the layer's attributes.
    func sourceFeatures(_ layer: TileLayer, _ box: BBox) throws -> [SourceFeature] {
        func s(_ v: String?) -> PropertyValue { v.map(PropertyValue.string) ?? .null }
        switch layer {
        case .municipalities, .gaps, .mobilisations:
            return try store.units(.municipality, intersecting: box).filter { !$0.value.isAquatic }.map { f in
                let u = f.value
                return SourceFeature(id: f.id, geometry: .multiPolygon(u.geometry)) { [self] in try unitProperties(layer, u) }
            }
        case .mrc, .regions:
            return try store.units(layer == .mrc ? .mrc : .region, intersecting: box).map { f in
                let u = f.value
                let p: [(key: String, value: PropertyValue)] = layer == .mrc
                    ? [("code", s(u.code)), ("name", s(u.name)), ("region_code", s(u.regionCode)), ("class", s(u.coastClass?.rawValue))]
                    : [("code", s(u.code)), ("name", s(u.name)), ("class", s(u.coastClass?.rawValue))]
                return SourceFeature(id: f.id, geometry: .multiPolygon(u.geometry)) { p }
            }
        case .coastline:
            return try store.coastline(intersecting: box).map { f in
                SourceFeature(id: f.id, geometry: .multiLineString(MultiLineString([f.value]))) { [] }
            }
        case .services:
            return try store.services(intersecting: box).map { f in
                let v = f.value
                return SourceFeature(id: f.id, geometry: .point(Point(v.position))) {
                    [("category", s(v.category)), ("name", s(v.name)), ("municipality_code", s(v.municipalityCode))]
                }
            }
        }
    }

    func unitProperties(_ layer: TileLayer, _ u: TerritorialUnit) throws -> [(key: String, value: PropertyValue)] {
        func s(_ v: String?) -> PropertyValue { v.map(PropertyValue.string) ?? .null }
        switch layer {
        case .gaps:
            var p: [(key: String, value: PropertyValue)] = [("code", s(u.code)), ("name", s(u.name))]
            for (category, distances) in try nearest() {
                if let d = distances[u.code] {
                    p.append(("nearest_\(category)_km", .double((d * 10).rounded() / 10)))
                    p.append(("beyond_\(category)", .bool(d > Self.gapKm)))
                }
            }
            return p
        case .mobilisations:
            let c = try mobilisationCoverage()[u.code]
            return [("code", s(u.code)), ("name", s(u.name)), ("table_count", .int(c?.tableCount ?? 0)),
                    ("enjeux_without_table", .int(c?.enjeuxWithoutTable.count ?? 0))]
        default:
            var p: [(key: String, value: PropertyValue)] = [("code", s(u.code)), ("name", s(u.name)), ("mrc_code", s(u.mrcCode)),
                                                            ("class", s(u.coastClass?.rawValue))]
            for (name, values) in try indicators() {
                if let v = values[u.code]?.number { p.append((name, .double(v))) }
            }
            return p
        }
    }

    /// Latest vintage of every indicator (population included), loaded once per generator.
    func indicators() throws -> [(String, [String: CellValue])] {
        if let indicatorValues { return indicatorValues }
        var out: [(String, [String: CellValue])] = []
        for d in try store.indicatorDefinitions() {
            if let latest = try store.latestValues(d.name) { out.append((d.name, latest.values)) }
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
        let units = try store.units(.municipality, withGeometry: true).filter { !$0.isAquatic }
        let places = try Access.representativePoints(units, store: store)
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
            for c in try MobilisationCoverage.compute(store: store, territory: try .region(region)) { all[c.code] = c }
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
