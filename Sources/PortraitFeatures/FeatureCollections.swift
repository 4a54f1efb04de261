import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// The collections Portrait serves through OGC API – Features, each built from the store by the same functions as
/// the GeoJSON export (so an item is the exported feature, value for value): regions, MRC, municipalities with every
/// indicator's latest value, services (one collection, `category` a queryable), mobilisations and their coverage,
/// the shoreline, the gaps of each service category at a radius given by `radius_km`, and with a road network the
/// service areas of each category (10, 20 and 30 minutes).
public enum FeatureCollections {
    public struct Collection: Sendable, Hashable {
        public var id: String
        public var title: String
        public var description: String
        /// The store layer whose extent is the collection's.
        public var layer: StoreLayer
        /// For `gaps-CATEGORY`: the category.
        public var category: String?

        public init(id: String, title: String, description: String, layer: StoreLayer, category: String? = nil) {
            self.id = id; self.title = title; self.description = description; self.layer = layer; self.category = category
        }
    }

    /// Every collection of the store, in a fixed order.
    public static func list(store: any TerritoryStore) throws -> [Collection] {
        var out: [Collection] = [
            .init(id: "regions", title: "Régions administratives", description: "Les régions administratives du Québec (MRNF, SDA), leur code et leur nom.", layer: .regions),
            .init(id: "mrc", title: "MRC", description: "Les MRC et territoires équivalents, leur région et leur classe littoral ou intérieur.", layer: .mrc),
            .init(id: "municipalities", title: "Municipalités", description: "Les unités municipales (sans les TNO aquatiques), leur classe littoral ou intérieur, la dernière valeur de chaque indicateur importé et le nombre de services de chaque catégorie à moins de radius_km (15 par défaut).", layer: .municipalities),
            .init(id: "services", title: "Services", description: "Écoles, établissements de santé et autres services importés, un point chacun ; catégorie dans la propriété category (queryable).", layer: .services),
            .init(id: "mobilisations", title: "Mobilisations", description: "Le territoire de chaque mobilisation (table de concertation, démarche régionale) : l'union de ses municipalités, ses enjeux, ses années.", layer: .municipalities),
            .init(id: "mobilisation-coverage", title: "Couverture des mobilisations", description: "Chaque municipalité : le nombre de tables de concertation qui la couvrent, lesquelles, leurs enjeux et les enjeux travaillés ailleurs dans la région qu'aucune table ne couvre ici.", layer: .municipalities),
            .init(id: "coastline", title: "Trait de côte", description: "Le trait de côte importé (lignes).", layer: .coastline),
        ]
        for c in try store.serviceCategories() {
            out.append(.init(id: "gaps-\(c)", title: "Lacunes : \(c)",
                             description: "Les municipalités dont le service « \(c) » le plus proche est à plus de radius_km (15 par défaut), classées par priorité, et la zone hors de portée de tout service « \(c) ».",
                             layer: .municipalities, category: c))
        }
        // With a road network: the land within 10, 20 and 30 minutes of each category's nearest service.
        if let network = try store.roadNetworkName() {
            for c in try store.serviceCategories() {
                out.append(.init(id: "service-areas-\(c)", title: "Aires de service : \(c)",
                                 description: "Le territoire à 10, 20 et 30 minutes ou moins par la route du service « \(c) » le plus proche (réseau : \(network)), et au-delà ; la règle de mesure des municipalités, sur une grille.",
                                 layer: .municipalities, category: c))
            }
        }
        return out
    }

    public static func collection(_ id: String, store: any TerritoryStore) throws -> Collection {
        let all = try list(store: store)
        guard let c = all.first(where: { $0.id == id }) else {
            throw FeaturesError(.notFound, "collection « \(id) » inconnue ; collections : \(all.map(\.id).joined(separator: ", "))")
        }
        return c
    }

    /// Every feature of a collection, in its stable order (by id), each with an id; in CRS84.
    public static func features(_ c: Collection, store: any TerritoryStore, radiusKm: Double) throws -> [Feature] {
        let all = Territory.all
        func export(_ layer: GeoJSONExport.Layer, category: String? = nil) throws -> [Feature] {
            try GeoJSONExport.export(layer, store: store, options: .init(territory: all, radiusKm: radiusKm, category: category)).features
        }
        var features: [Feature]
        switch c.id {
        case "regions", "mrc":
            let level: Level = c.id == "regions" ? .region : .mrc
            features = try store.units(level, withGeometry: true).map { u in
                var p: [(key: String, value: PropertyValue)] = [("code", .string(u.code)), ("name", .string(u.name))]
                if level == .mrc { p.append(("region_code", u.regionCode.map(PropertyValue.string) ?? .null)) }
                p.append(("class", u.coastClass.map { .string($0.rawValue) } ?? .null))
                p.append(("area_km2", .double((u.areaKm2 * 100).rounded() / 100)))
                return Feature(id: u.code, geometry: .multiPolygon(u.geometry), properties: p)
            }
        case "municipalities": features = try export(.municipalities)
        case "mobilisations", "mobilisation-coverage":
            // One layer, one schema: the mobilisations' territories apart from the municipalities' coverage.
            let kind = c.id == "mobilisations" ? "mobilisation" : "couverture"
            features = try export(.mobilisations).filter { $0["kind"] == .string(kind) }
        case "services":
            // Services have no stored id: a digest of what identifies one (category, name, position), numbered when two agree.
            var seen: [String: Int] = [:]
            // Every stored service, inside the store's municipalities or not (as `portrait info` counts them).
            features = try store.services(category: nil).map(GeoJSONExport.serviceFeature).map { f in
                var f = f
                var key = [f["category"]?.stringValue ?? "", f["name"]?.stringValue ?? ""].joined(separator: "|")
                if case .point(let p)? = f.geometry { key += "|\(NumberFormat.shortest(p.position.x))|\(NumberFormat.shortest(p.position.y))" }
                let base = (f["category"]?.stringValue ?? "service") + "-" + Self.digest(key)
                let n = seen[base, default: 0] + 1
                seen[base] = n
                f.id = n == 1 ? base : "\(base)-\(n)"
                return f
            }
        case "coastline":
            features = try store.coastline().enumerated().map { i, l in
                Feature(id: String(format: "trait-%05d", i + 1), geometry: .lineString(l), properties: [("kind", .string("trait_de_cote"))])
            }
        case let id where id.hasPrefix("service-areas-"):
            features = try export(.serviceAreas, category: c.category)
        default:
            features = try export(.gaps, category: c.category)
        }
        return uniform(features.sorted { ($0.id ?? "") < ($1.id ?? "") })
    }

    /// Every feature with every property of the collection, in one order, null where it has none: a GIS layer has
    /// one schema, and a client that reads it from the first page (GDAL) then misses no field of the later ones.
    static func uniform(_ features: [Feature]) -> [Feature] {
        var keys: [String] = []
        var known = Set<String>()
        for f in features { for (k, _) in f.properties where known.insert(k).inserted { keys.append(k) } }
        return features.map { f in
            guard f.properties.count != keys.count || !zip(f.properties.map(\.key), keys).allSatisfy({ $0 == $1 }) else { return f }
            let values = Dictionary(f.properties.map { ($0.key, $0.value) }) { a, _ in a }
            var g = f
            g.properties = keys.map { ($0, values[$0] ?? .null) }
            return g
        }
    }

    /// FNV-1a, 64 bits, in 12 hexadecimal digits: stable across runs and machines.
    static func digest(_ s: String) -> String { String(String(StableHash.fnv1a(s), radix: 16).suffix(12)).leftPadded(to: 12) }

    /// The queryables of a collection: each property of its features with its JSON type (the first non-null value's).
    public static func queryables(_ features: [Feature]) -> [(name: String, type: String)] {
        var order: [String] = []
        var types: [String: String] = [:]
        for f in features {
            for (k, v) in f.properties {
                if !order.contains(k) { order.append(k) }
                guard types[k] == nil else { continue }
                switch v {
                case .string: types[k] = "string"
                case .int: types[k] = "integer"
                case .double: types[k] = "number"
                case .bool: types[k] = "boolean"
                case .null: break
                }
            }
        }
        return order.map { ($0, types[$0] ?? "string") }
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// An OGC API request Portrait cannot answer: an unknown collection or item, a bad parameter.
public struct FeaturesError: PortraitError {
    public var kind: ErrorKind
    public var message: String
    public var description: String { message }
    public init(_ kind: ErrorKind, _ message: String) { self.kind = kind; self.message = message }
}

extension FeatureCollections {
    /// The features of the collections recently asked for, for one stamp of the store: a client paging through a
    /// collection (GDAL by ten, QGIS by a thousand) has it built once. Bounded; a new stamp empties it.
    public final class Cache: Sendable {
        public struct Entry: Sendable {
            public var features: [Feature]
            public var queryables: [(name: String, type: String)]
        }
        private let entries = Protected<(stamp: String, items: [String: Entry], order: [String])>(("", [:], []))
        private let capacity: Int

        public init(capacity: Int = 12) { self.capacity = capacity }

        public func features(_ c: Collection, radiusKm: Double, stamp: String, store: () throws -> any TerritoryStore) throws -> Entry {
            let key = "\(c.id)|\(NumberFormat.shortest(radiusKm))"
            if let hit = entries.withLock({ $0.stamp == stamp ? $0.items[key] : nil }) { return hit }
            let features = try FeatureCollections.features(c, store: try store(), radiusKm: radiusKm)
            let entry = Entry(features: features, queryables: FeatureCollections.queryables(features))
            entries.withLock { e in
                if e.stamp != stamp { e = (stamp, [:], []) }
                if e.items[key] == nil { e.order.append(key) }
                e.items[key] = entry
                while e.order.count > capacity { e.items[e.order.removeFirst()] = nil }
            }
            return entry
        }
    }
}
