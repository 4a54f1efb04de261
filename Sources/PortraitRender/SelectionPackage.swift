import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore
import PortraitTerritory

/// A territory's selection as a GeoPackage of its own, for GIS staff: its municipalities (and their MRC and
/// region) with every indicator, the services within the gap distance of it, the mobilisations covering it,
/// the gaps of each service category as layers (`lacunes_CATEGORY`), with a road network the service areas of each
/// category (`aires_CATEGORY`: 10, 20 and 30 minutes by road, and beyond), and the layer and styles QGIS opens
/// (`GISLayers`). A Portrait store too: `portrait` commands read it as they read the original.
public enum SelectionPackage {
    public struct Summary: Sendable {
        public var municipalities: Int
        public var services: Int
        public var gapLayers: [String]
        public var serviceAreaLayers: [String] = []
    }

    public static func write(from source: any TerritoryStore, territory: Territory, to path: String, stylesDirectory: String,
                             maxKm: Double = 15) throws -> Summary {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StyleError(.invalidInput, "\(path) existe déjà : donnez un nouveau fichier")
        }
        let units = try source.municipalities(in: territory, withGeometry: true)
        guard !units.isEmpty else { throw StyleError(.notFound, "\(territory) : aucune municipalité") }
        let codes = Set(units.map(\.code))
        let mrcCodes = Set(units.compactMap(\.mrcCode)), regionCodes = Set(units.compactMap(\.regionCode))
        let box = units.compactMap { Geometry.multiPolygon($0.geometry).bbox }.reduce(nil as BBox?) { $0?.union($1) ?? $1 }!
        // Services within the gap distance of the territory's box (a degree of latitude is about 111 km).
        let pad = maxKm / 111 * 1.5
        let near = BBox(minX: box.minX - pad * 1.6, minY: box.minY - pad, maxX: box.maxX + pad * 1.6, maxY: box.maxY + pad)
        let services = try source.services(intersecting: near).map(\.value)
        let categories = try source.serviceCategories()
        var gaps: [(String, [Feature])] = []
        for c in categories {
            let fc = try GeoJSONExport.export(.gaps, store: source, options: .init(territory: territory, radiusKm: maxKm, category: c))
            gaps.append(("lacunes_\(c)", fc.features))
        }
        // With a road network: the service areas of each category (the selection carries no network of its own).
        var areas: [(String, [Feature])] = []
        if try source.roadNetworkName() != nil {
            for c in categories {
                areas.append(("aires_\(c)", try GeoJSONExport.export(.serviceAreas, store: source, options: .init(territory: territory, category: c)).features))
            }
        }
        let definitions = try source.indicatorDefinitions()
        let mobilisations = try source.mobilisations().filter { m in units.contains { m.covers($0) } }
        let coastline = try source.coastline(intersecting: near).map(\.value)
        try Stores.writing(to: path) { store in
            let id = try store.logImport(ImportLogEntry(kind: "selection", sourceFile: "\(territory)", featuresRead: units.count, units: units.count,
                                                        warnings: [], parameters: ["territory": "\(territory.kind.rawValue):\(territory.code)"]))
            for u in units { try store.upsert(u, importID: id) }
            for u in try source.units(.mrc, withGeometry: true) where mrcCodes.contains(u.code) { try store.upsert(u, importID: id) }
            for u in try source.units(.region, withGeometry: true) where regionCodes.contains(u.code) { try store.upsert(u, importID: id) }
            if !coastline.isEmpty { _ = try store.replaceCoastline(coastline, source: "sélection", importID: id) }
            for d in definitions {
                for v in try source.vintages(d.name) {
                    let values = try source.indicatorValues(d.name, vintage: v, level: .municipality).filter { codes.contains($0.key) }
                    guard !values.isEmpty else { continue }
                    let src = (try source.indicatorSources(d.name, vintage: v)).first ?? "sélection"
                    try store.replaceIndicatorValues(d, vintage: v, level: .municipality, values: values.keys.sorted().map { ($0, values[$0]!) },
                                                     source: src, importID: id)
                }
            }
            for c in categories { try store.replaceServices(category: c, services.filter { $0.category == c }, importID: id) }
            if !mobilisations.isEmpty { try store.saveMobilisations(mobilisations, importID: id) }
            try store.refreshExtents()
            for (name, features) in gaps {
                let polygons = features.filter { $0.geometry != nil }
                try store.replaceGISLayer(GISLayer(
                    name: name, geometryType: "MULTIPOLYGON", description: "Lacunes : municipalités au-delà de \(NumberFormat.shortest(maxKm)) km, et la zone hors de portée",
                    columns: [("code", .text), ("name", .text), ("kind", .text), ("nearest_km", .real), ("priority", .real), ("rank", .integer), ("area_km2", .real)],
                    rows: polygons.map { f in
                        let g: Geometry = if case .polygon(let p)? = f.geometry { .multiPolygon(MultiPolygon([p])) } else { f.geometry! }
                        return (g, ["code", "name", "kind", "nearest_km", "priority", "rank", "area_km2"].map { f[$0] ?? .null })
                    }))
            }
            let areaColumns = ["kind", "category", "from_minutes", "to_minutes", "area_km2", "label", "measure", "cell_m"]
            for (name, features) in areas {
                try store.replaceGISLayer(GISLayer(
                    name: name, geometryType: "MULTIPOLYGON", description: "Aires de service : le territoire à 10, 20 et 30 minutes ou moins par la route, et au-delà",
                    columns: [("kind", .text), ("category", .text), ("from_minutes", .real), ("to_minutes", .real), ("area_km2", .real), ("label", .text),
                              ("measure", .text), ("cell_m", .real)],
                    rows: features.compactMap { f in
                        guard let g = f.geometry else { return nil }
                        let multi: Geometry = if case .polygon(let p) = g { .multiPolygon(MultiPolygon([p])) } else { g }
                        return (multi, areaColumns.map { f[$0] ?? .null })
                    }))
            }
            try GISLayers.refresh(store: store, stylesDirectory: stylesDirectory)
        }
        return Summary(municipalities: units.count, services: services.count, gapLayers: gaps.map(\.0), serviceAreaLayers: areas.map(\.0))
    }
}
