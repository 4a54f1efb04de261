import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// RFC 7946 GeoJSON of every layer and analysis, with properties a web map
/// can style directly (class, values, labels).
public enum GeoJSONExport {
    public enum Layer: String, CaseIterable, Sendable {
        case municipalities, services, gaps, mobilisations
        /// The land within 10, 20 and 30 minutes by road of the nearest service of a category (`ServiceAreas`), and
        /// the land beyond; needs an imported road network.
        case serviceAreas = "service_areas"
        /// What surrounds the territory on a map: the other regions (grey), the territory's water
        /// (aquatic TNO), the shoreline, and the towns of 5,000 inhabitants or more as labelled points.
        case context
    }

    public struct Options: Sendable {
        public var territory: Territory
        /// Keep features meeting this WGS84 box.
        public var bbox: BBox?
        /// Simplify polygons by this many metres (coverage-preserving).
        public var simplifyMetres: Double?
        /// Radius for `count_<category>_within_<r>km` and for gaps.
        public var radiusKm: Double
        /// For gaps: the category and the need indicator.
        public var category: String?
        public var need: String?
        /// Municipalities: the change of every indicator since this vintage (`<name>_<vintage>`, `<name>_variation`,
        /// `<name>_variation_pct`, `<name>_taux_annuel`).
        public var compare: Int?
        /// Service areas: the limits, in minutes.
        public var minutes: [Double]
        /// Gaps: measured in minutes by road over the store's network, beyond this many minutes.
        public var maxMinutes: Double?

        public init(territory: Territory, bbox: BBox? = nil, simplifyMetres: Double? = nil, radiusKm: Double = 15,
                    category: String? = nil, need: String? = nil, compare: Int? = nil, minutes: [Double] = ServiceAreas.defaultLimits,
                    maxMinutes: Double? = nil) {
            self.territory = territory; self.bbox = bbox; self.simplifyMetres = simplifyMetres
            self.radiusKm = radiusKm; self.category = category; self.need = need; self.compare = compare; self.minutes = minutes; self.maxMinutes = maxMinutes
        }
    }

    public static func export(_ layer: Layer, storePath: String, options o: Options) throws -> FeatureCollection {
        try export(layer, store: try Stores.open(storePath), options: o)
    }

    public static func export(_ layer: Layer, store: any TerritoryStore, options o: Options) throws -> FeatureCollection {
        let t = o.territory
        let units = try store.municipalities(in: t, withGeometry: true).filter { !$0.isAquatic }
        guard !units.isEmpty else { throw TerritoryError.notFound("\(t) : aucune municipalité") }
        let fictional = try store.isDemo()
        let geometries = try simplified(units.map { Geometry.multiPolygon($0.geometry) }, metres: o.simplifyMetres)
        func keep(_ g: Geometry) -> Bool { o.bbox.map { b in g.bbox.map { $0.intersects(b) } ?? false } ?? true }
        let pop = try store.latestValues("population")?.values ?? [:]
        var meta: [(key: String, value: PropertyValue)] = [("name", .string("Portrait : \(layer.rawValue) \(t.kind.rawValue) \(t.code)"))]
        if fictional { meta.append(("fictif", .bool(true))) }
        func base(_ u: TerritorialUnit) -> [(key: String, value: PropertyValue)] {
            [("code", .string(u.code)), ("name", .string(u.name)), ("label", .string(u.name)),
             ("designation", u.designation.map(PropertyValue.string) ?? .null), ("mrc_code", u.mrcCode.map(PropertyValue.string) ?? .null),
             ("region_code", u.regionCode.map(PropertyValue.string) ?? .null), ("class", u.coastClass.map { .string($0.rawValue) } ?? .null),
             ("area_km2", .double((u.areaKm2 * 100).rounded() / 100)), ("population", pop[u.code]?.number.map(PropertyValue.double) ?? .null)]
        }
        switch layer {
        case .context:
            return FeatureCollection(try context(store: store, territory: t, units: units, population: pop, options: o), metadata: meta)
        case .municipalities:
            let categories = try store.serviceCategories()
            let places = try Access.representativePoints(units, store: store)
            var extra = [[(key: String, value: PropertyValue)]](repeating: [], count: units.count)
            let r = NumberFormat.shortest(o.radiusKm)
            // Every indicator's latest vintage (a null value: missing or suppressed, named in `confidentiel`).
            var suppressedNames = [[String]](repeating: [], count: units.count)
            for d in try store.indicatorDefinitions() where d.name != "population" {
                guard let latest = try store.latestValues(d.name) else { continue }
                for i in units.indices {
                    let cell = latest.values[units[i].code]
                    extra[i].append((d.name, cell?.number.map(PropertyValue.double) ?? .null))
                    if cell == .suppressed { suppressedNames[i].append(d.name) }
                }
            }
            if let from = o.compare {
                let population = try store.latestValues("population")?.vintage
                func round(_ v: Double?, _ d: Double = 100) -> PropertyValue { v.map { .double(($0 * d).rounded() / d) } ?? .null }
                for (d, _, to, old, new) in try PortraitBuilder.changes(store: store, from: from, populationVintage: population, codeChanges: .builtIn) {
                    for i in units.indices {
                        let code = units[i].code
                        let change = old[code]?.number.flatMap { a in new[code]?.number.map { IndicatorChange(from: a, to: $0, years: to - from, kind: d.kind) } }
                        extra[i].append(("\(d.name)_\(from)", old[code]?.number.map(PropertyValue.double) ?? .null))
                        extra[i].append(("\(d.name)_variation", round(change?.absolute, 10_000)))
                        extra[i].append(("\(d.name)_variation_pct", round(change?.percent)))
                        extra[i].append(("\(d.name)_taux_annuel", round(change?.annualRate, 1_000)))
                    }
                }
            }
            for i in units.indices {
                extra[i].append(("confidentiel", suppressedNames[i].isEmpty ? .null : .string(suppressedNames[i].joined(separator: ","))))
            }
            for c in categories {
                let s = try store.services(category: c).map(\.position)
                let near = try Access.nearestKm(from: places, to: s)
                let count = try Access.countWithin(o.radiusKm, from: places, to: s)
                for i in units.indices {
                    extra[i].append(("nearest_\(c)_km", near[i].map { .double(($0 * 100).rounded() / 100) } ?? .null))
                    extra[i].append(("count_\(c)_within_\(r)km", .int(count[i])))
                }
            }
            let features = units.indices.filter { keep(geometries[$0]) }.map {
                Feature(id: units[$0].code, geometry: geometries[$0], properties: base(units[$0]) + extra[$0])
            }
            return FeatureCollection(features, metadata: meta)
        case .services:
            let features = try store.services(category: nil, in: t).filter { keep(.point(Point($0.position))) }.map(serviceFeature)
            return FeatureCollection(features, metadata: meta)
        case .gaps:
            guard let category = o.category else {
                throw TerritoryError.invalid("--category est requis pour l'export des lacunes ; catégories : \(try store.serviceCategories().joined(separator: ", "))")
            }
            let g = try GapAnalysis.run(store: store, territory: t, category: category, maxKm: o.radiusKm, need: o.need, maxMinutes: o.maxMinutes)
            let byCode = Dictionary(uniqueKeysWithValues: units.indices.map { (units[$0].code, $0) })
            var features: [Feature] = []
            for (rank, row) in g.gaps.enumerated() {
                guard let i = byCode[row.code], keep(geometries[i]) else { continue }
                features.append(Feature(id: row.code, geometry: geometries[i], properties: base(units[i]) + [
                    ("kind", .string("municipalite_eloignee")), ("category", .string(category)),
                    ("nearest_km", row.nearestKm.map(PropertyValue.double) ?? .null), ("max_km", .double(o.radiusKm)),
                    ("nearest_minutes", row.nearestMinutes.map(PropertyValue.double) ?? .null), ("max_minutes", g.maxMinutes.map(PropertyValue.double) ?? .null),
                    ("measure", .string(g.measure)),
                    ("high_need", row.highNeed.map(PropertyValue.bool) ?? .null),
                    ("priority", row.priority.map { .double(($0 * 1000).rounded() / 1000) } ?? .null), ("rank", .int(rank + 1)),
                    ("two_step_score", row.twoStepScore.map(PropertyValue.double) ?? .null)]))
            }
            if let area = g.gapArea {
                let simple = try simplified([area], metres: o.simplifyMetres)[0]
                features.append(Feature(id: "zone", geometry: simple, properties: [
                    ("kind", .string("zone_sans_service")), ("category", .string(category)), ("max_km", .double(o.radiusKm)),
                    ("max_minutes", g.maxMinutes.map(PropertyValue.double) ?? .null), ("measure", .string(g.measure)),
                    ("area_km2", g.gapAreaKm2.map(PropertyValue.double) ?? .null),
                    ("label", .string(g.maxMinutes.map { "Plus de \(NumberFormat.shortest($0)) min par la route de tout service « \(category) »" }
                        ?? "Hors de \(NumberFormat.shortest(o.radiusKm)) km de tout service « \(category) »"))]))
            }
            return FeatureCollection(features, metadata: meta + [("population_concerned", .double(g.populationConcerned))])
        case .serviceAreas:
            guard let category = o.category else {
                throw TerritoryError.invalid("--category est requis pour les aires de service ; catégories : \(try store.serviceCategories().joined(separator: ", "))")
            }
            let (areas, network) = try ServiceAreas.run(store: store, territory: t, category: category, limits: o.minutes)
            var features: [Feature] = []
            func add(_ id: String, _ g: Geometry?, from: Double, to: Double?, km2: Double, label: String) throws {
                guard let g else { return }
                let simple = try simplified([g], metres: o.simplifyMetres)[0]
                guard keep(simple) else { return }
                features.append(Feature(id: id, geometry: simple, properties: [
                    ("kind", .string(to == nil ? "au_dela" : "aire_de_service")), ("category", .string(category)),
                    ("from_minutes", .double(from)), ("to_minutes", to.map(PropertyValue.double) ?? .null),
                    ("area_km2", .double(km2)), ("label", .string(label)),
                    ("measure", .string("temps de parcours par la route (réseau : \(network))")), ("cell_m", .double(areas.cellMetres))]))
            }
            for b in areas.bands {
                let from = NumberFormat.shortest(b.fromMinutes), to = NumberFormat.shortest(b.toMinutes)
                try add("\(to)min", b.geometry, from: b.fromMinutes, to: b.toMinutes, km2: b.areaKm2,
                        label: b.fromMinutes == 0 ? "\(to) min ou moins d'un service « \(category) »" : "De \(from) à \(to) min d'un service « \(category) »")
            }
            let last = NumberFormat.shortest(areas.bands.last?.toMinutes ?? 0)
            try add("au-dela", areas.beyond, from: areas.bands.last?.toMinutes ?? 0, to: nil, km2: areas.beyondKm2,
                    label: "Plus de \(last) min de tout service « \(category) », ou hors d'atteinte par la route")
            return FeatureCollection(features, metadata: meta + [("network", .string(network))])
        case .mobilisations:
            let coverage = MobilisationCoverage.indexed(MobilisationCoverage.compute(units: units, mobilisations: try store.mobilisations()))
            var features: [Feature] = []
            for (i, u) in units.enumerated() where keep(geometries[i]) {
                let c = coverage[u.code]
                features.append(Feature(id: u.code, geometry: geometries[i], properties: base(u) + [
                    ("kind", .string("couverture")), ("table_count", .int(c?.tableCount ?? 0)),
                    ("mobilisations", .string((c?.mobilisations ?? []).joined(separator: "|"))),
                    ("enjeux", .string((c?.enjeux ?? []).joined(separator: "|"))),
                    ("enjeux_without_table", .string((c?.enjeuxWithoutTable ?? []).joined(separator: "|"))),
                    ("enjeux_without_table_count", .int(c?.enjeuxWithoutTable.count ?? 0))]))
            }
            // Each mobilisation with its territory's geometry (the union of its municipalities).
            for m in try store.mobilisations() {
                let members = units.indices.filter { m.covers(units[$0]) }
                guard !members.isEmpty else { continue }
                let g = try Geometry.union(members.map { geometries[$0] })
                guard keep(g) else { continue }
                features.append(Feature(id: m.id, geometry: .multiPolygon(g.asMultiPolygon), properties: [
                    ("kind", .string("mobilisation")), ("mobilisation_id", .string(m.id)), ("name", .string(m.name)),
                    ("label", .string(m.acronym ?? m.name)), ("territory_type", .string(m.territoryType.rawValue)),
                    ("territory_code", .string(m.territoryCode)), ("start", m.start.map(PropertyValue.int) ?? .null),
                    ("end", m.end.map(PropertyValue.int) ?? .null), ("enjeux", .string(m.enjeux.joined(separator: "|")))]))
            }
            return FeatureCollection(features, metadata: meta)
        }
    }

    /// A service as a GeoJSON point with its properties (the services export, the OGC API collection).
    public static func serviceFeature(_ s: Service) -> Feature {
        Feature(geometry: .point(Point(s.position)), properties: [
            ("category", .string(s.category)), ("name", .string(s.name)), ("label", .string(s.name)),
            ("address", s.address.map(PropertyValue.string) ?? .null),
            ("municipality_code", s.municipalityCode.map(PropertyValue.string) ?? .null),
            ("capacity", s.capacity.map(PropertyValue.double) ?? .null), ("source", .string(s.source)),
            ("vintage", s.vintage.map(PropertyValue.int) ?? .null)])
    }

    /// The context layer's features (kind: `region`, `eau`, `trait_de_cote`, `ville`).
    static func context(store: any TerritoryStore, territory t: Territory, units: [TerritorialUnit], population pop: [String: CellValue],
                        options o: Options) throws -> [Feature] {
        var out: [Feature] = []
        let box = units.compactMap { Geometry.multiPolygon($0.geometry).bbox }.reduce(nil as BBox?) { $0?.union($1) ?? $1 }
        let regionCodes = Set(units.compactMap(\.regionCode))
        let regionCode = t.kind == .region ? t.code : regionCodes.count == 1 ? regionCodes.first : nil
        for r in try store.units(.region, withGeometry: true) where r.code != regionCode && (t.kind != .all && t.kind != .custom || !regionCodes.contains(r.code)) {
            let g = try simplified([.multiPolygon(r.geometry)], metres: max(o.simplifyMetres ?? 0, 500))[0]
            out.append(Feature(id: "region-\(r.code)", geometry: g, properties: [("kind", .string("region")), ("code", .string(r.code)),
                                                                                  ("name", .string(r.name))]))
        }
        let water = try store.municipalities(in: t, withGeometry: true).filter(\.isAquatic)
        for w in water {
            let g = try simplified([.multiPolygon(w.geometry)], metres: o.simplifyMetres)[0]
            out.append(Feature(id: w.code, geometry: g, properties: [("kind", .string("eau")), ("code", .string(w.code)), ("name", .string(w.name))]))
        }
        if let box {
            let pad = 0.5
            let view = BBox(minX: box.minX - pad, minY: box.minY - pad, maxX: box.maxX + pad, maxY: box.maxY + pad)
            let lines = try store.coastline(intersecting: view).map(\.value)
            if !lines.isEmpty {
                let frame = Geometry.polygon(Polygon(exterior: [Position(view.minX, view.minY), Position(view.maxX, view.minY),
                                                                Position(view.maxX, view.maxY), Position(view.minX, view.maxY),
                                                                Position(view.minX, view.minY)]))
                let clipped = try Geometry.multiLineString(MultiLineString(lines)).intersection(frame)
                if !clipped.isEmpty {
                    out.append(Feature(id: "trait-de-cote", geometry: .multiLineString(MultiLineString(clipped.lineStrings)),
                                       properties: [("kind", .string("trait_de_cote"))]))
                }
            }
        }
        let towns = units.filter { (pop[$0.code]?.number ?? 0) >= PortraitBuilder.townThreshold && Designation.isMunicipality($0.designation) }
        let points = try Access.representativePoints(towns, store: store)
        for (u, p) in zip(towns, points) {
            out.append(Feature(id: "ville-\(u.code)", geometry: .point(Point(p)), properties: [
                ("kind", .string("ville")), ("code", .string(u.code)), ("name", .string(u.name)),
                ("population", pop[u.code]?.number.map(PropertyValue.double) ?? .null)]))
        }
        return out
    }

    /// Coverage simplification by `metres` in Québec Lambert, back to WGS84.
    static func simplified(_ gs: [Geometry], metres: Double?) throws -> [Geometry] {
        guard let metres, metres > 0 else { return gs }
        let projected = try Projection.toQuebecLambert(gs)
        return try Projection.fromQuebecLambert(try Coverage.simplify(projected, tolerance: metres))
    }
}

