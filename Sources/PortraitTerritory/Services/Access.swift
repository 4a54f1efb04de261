import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore

/// Distances from places to the nearest service, measured in Québec Lambert
/// (EPSG:32198), through an STRtree nearest-neighbour search (never all pairs).
public enum Access {
    /// For each place (WGS84), the distance in km to the nearest of `services` (WGS84), or nil when there is none.
    public static func nearestKm(from places: [Position], to services: [Position]) throws -> [Double?] {
        try nearest(from: places, to: services).map { $0?.km }
    }

    /// For each place (WGS84), the index of the nearest of `services` and its distance in km (EPSG:32198); nil when there is none.
    /// Points to points: a grid over the services' projected coordinates (`NearestPoints`), the places shared among the cores.
    public static func nearest(from places: [Position], to services: [Position]) throws -> [(index: Int, km: Double)?] {
        guard !services.isEmpty else { return places.map { _ in nil } }
        let p = try Projection.toQuebecLambert(places), s = try Projection.toQuebecLambert(services)
        let index = NearestPoints(x: s.map(\.x), y: s.map(\.y))
        var found = [(index: Int, km: Double)?](repeating: nil, count: p.count)
        found.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            let chunk = 16_384, chunks = (p.count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                for i in (c * chunk)..<min(p.count, (c + 1) * chunk) {
                    out[i] = index.nearest(p[i].x, p[i].y).map { ($0.index, $0.distance / 1000) }
                }
            }
        }
        return found
    }

    /// The nearest of `services` (WGS84) to `place` and its distance in km (EPSG:32198), or nil when there is none.
    public static func nearestService(from place: Position, to services: [Position]) throws -> (index: Int, km: Double)? {
        guard !services.isEmpty else { return nil }
        let p = try Projection.toQuebecLambert([place])[0], s = try Projection.toQuebecLambert(services)
        var best: (Int, Double)?
        for (i, q) in s.enumerated() {
            let d = hypot(q.x - p.x, q.y - p.y)
            if best == nil || d < best!.1 { best = (i, d) }
        }
        return best.map { ($0.0, $0.1 / 1000) }
    }

    /// For each place, how many services lie within `radiusKm`.
    public static func countWithin(_ radiusKm: Double, from places: [Position], to services: [Position]) throws -> [Int] {
        guard !services.isEmpty else { return places.map { _ in 0 } }
        let p = try Projection.toQuebecLambert(places), s = try Projection.toQuebecLambert(services)
        let index = NearestPoints(x: s.map(\.x), y: s.map(\.y))
        return p.map { index.within(radiusKm * 1000, of: $0.x, $0.y).count }
    }

    /// Two-step floating catchment area (Luo and Wang, 2003): each service's
    /// capacity is shared among the population within `radiusKm`; a place's
    /// score sums the shares of the services within `radiusKm` of it.
    /// Services without capacity count as 1. Scores are per 1,000 inhabitants.
    public static func twoStepFloatingCatchment(places: [Position], population: [Double], services: [Position],
                                                capacity: [Double?], radiusKm: Double) throws -> [Double] {
        let p = try Projection.toQuebecLambert(places), s = try Projection.toQuebecLambert(services)
        let r = radiusKm * 1000
        let placeIndex = NearestPoints(x: p.map(\.x), y: p.map(\.y)), serviceIndex = NearestPoints(x: s.map(\.x), y: s.map(\.y))
        let ratio = s.indices.map { j in
            let demand = placeIndex.within(r, of: s[j].x, s[j].y).map { population[$0] }.reduce(0, +)
            return demand > 0 ? (capacity[j] ?? 1) / demand : 0
        }
        return p.map { serviceIndex.within(r, of: $0.x, $0.y).map { ratio[$0] }.reduce(0, +) * 1000 }
    }
}

/// One municipality's access to one category of service.
public struct AccessRow: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var mrcCode: String?
    public var coastClass: CoastClass?
    public var population: Double?
    public var nearestKm: Double?
    /// Minutes by road to the nearest service, when the gaps are measured over a road network (`--max-min`), and the
    /// kilometres of that trip off the network (from the unit's point to the nearest road, at the stated speed).
    public var nearestMinutes: Double?
    public var offNetworkKm: Double?
    public var countWithin: Int
    public var twoStepScore: Double?
    /// Need: true when the municipality is past the need indicator's threshold.
    public var highNeed: Bool?
    public var priority: Double?
    enum CodingKeys: String, CodingKey {
        case code, name, mrcCode = "mrc_code", coastClass = "class", population, nearestKm = "nearest_km", nearestMinutes = "nearest_minutes", offNetworkKm = "off_network_km",
             countWithin = "count_within", twoStepScore = "two_step_score", highNeed = "high_need", priority
    }
}

/// The answer of `portrait gaps`.
public struct GapReport: Codable, Sendable {
    public var territory: TerritoryRef
    public var category: String
    public var maxKm: Double
    /// The limit in minutes by road, when the gaps are measured over the road network imported.
    public var maxMinutes: Double?
    /// What was measured, as every page states it: « distance à vol d'oiseau » or « temps de parcours par la route
    /// (réseau : SOURCE, millésime) ».
    public var measure: String = "distance à vol d'oiseau"
    public var need: String?
    /// The count indicator whose people are counted instead of the population (`--base`).
    public var base: String?
    /// The services of the category the distances were measured to: every one in the store, wherever it is (the
    /// nearest may be across a border), not only those in the territory.
    public var services: Int
    public var municipalities: [AccessRow]
    /// Municipalities beyond `maxKm`, highest priority first.
    public var gaps: [AccessRow]
    public var populationConcerned: Double
    public var populationShare: Double?
    /// The part of the territory outside every service's radius (WGS84).
    public var gapArea: Geometry?
    /// Nil when the gaps are measured in minutes (the areas out of reach by road are not drawn yet).
    public var gapAreaKm2: Double?
    /// How `gaps` is ordered, in French and English (`GapAnalysis.priorityFormula`).
    public var priorityFormula = GapAnalysis.priorityFormula
    enum CodingKeys: String, CodingKey {
        case territory, category, maxKm = "max_km", maxMinutes = "max_minutes", measure, need, base, services, municipalities, gaps, populationConcerned = "population_concerned",
             populationShare = "population_share", gapAreaKm2 = "gap_area_km2", priorityFormula = "priority_formula"
    }
}

/// Service gaps: where people are far from a service, and where that meets need
/// (in the spirit of INSPQ's food-desert definition: low access and high deprivation).
/// `run` loads from the store, `rank` and `needFlags` are pure, `gapArea` is geometry.
public enum GapAnalysis {
    public static func run(storePath: String, territory: Territory, category: String, maxKm: Double,
                           need: String? = nil, base: String? = nil, maxMinutes: Double? = nil) throws -> GapReport {
        try run(store: try Stores.open(storePath), territory: territory, category: category, maxKm: maxKm, need: need, base: base,
                maxMinutes: maxMinutes)
    }

    /// `base`: a count indicator (the 0–17, say) whose people are counted instead of the whole population,
    /// in the priorities and the people concerned.
    /// `routing`: the store's network already read and indexed (a publication's sections and maps share one), else
    /// read here when `maxMinutes` asks for it.
    public static func run(store: any TerritoryStore, territory: Territory, category: String, maxKm: Double,
                           need: String? = nil, base: String? = nil, maxMinutes: Double? = nil, routing prepared: Routing? = nil) throws -> GapReport {
        guard maxKm > 0, maxKm.isFinite else { throw TerritoryError.invalid("--max-km doit être positif") }
        if let m = maxMinutes, !(m > 0 && m <= 600) { throw TerritoryError.invalid("--max-min entre 0 et 600 minutes") }
        let categories = try store.serviceCategories()
        guard categories.contains(category) else {
            throw TerritoryError.notFound("catégorie « \(category) » inconnue ; catégories importées : \(categories.isEmpty ? "aucune (portrait import services)" : categories.joined(separator: ", "))")
        }
        let units = try store.municipalities(in: territory, withGeometry: true).filter { !$0.isAquatic }
        guard !units.isEmpty else { throw TerritoryError.notFound("\(territory) : aucune municipalité") }
        let name = try store.name(of: territory)
        // Every service of the category counts, even across the territory's border.
        let services = try store.services(category: category)
        let places = try Access.representativePoints(units, store: store)
        let nearest = try Access.nearestKm(from: places, to: services.map(\.position))
        var counted = "population"
        if let base {
            let defs = try store.indicatorDefinitions()
            guard let d = defs.first(where: { $0.name == base }), d.kind == .count else {
                throw TerritoryError.notFound("--base \(base) : indicateur de comptage absent ; présents : \(defs.filter { $0.kind == .count }.map(\.name).joined(separator: ", "))")
            }
            counted = base
        }
        let pop = try store.latestValues(counted)?.values ?? [:]
        let population = units.map { pop[$0.code]?.number }
        var needOf: [String: Bool]?
        if let need {
            let defs = try store.indicatorDefinitions()
            guard let d = defs.first(where: { $0.name == need }) else {
                throw TerritoryError.notFound("indicateur de besoin « \(need) » absent ; présents : \(defs.map(\.name).joined(separator: ", "))")
            }
            needOf = needFlags(try store.latestValues(need)?.values ?? [:], definition: d)
        }
        if let maxMinutes {
            // Over the road network: minutes to the nearest service, ranked by people × minutes beyond the limit.
            guard let routing = try prepared ?? store.roadNetwork().map({ Routing(network: $0.network) }) else {
                throw TerritoryError.notFound("--max-min : aucun réseau routier dans le magasin ; importez-en un (portrait import roads FICHIER : un extrait OpenStreetMap ou une couche de lignes)")
            }
            // On PostGIS the search is pgRouting's; on a GeoPackage, Portrait's.
            let field = try routing.costs(to: services.map(\.position), by: .time, search: store.roadSearch)
            let answers = places.map { field.answer($0) }
            // The land beyond the limit, by the same rule (`ServiceAreas`).
            let areas = try ServiceAreas.compute(units: units, field: field, limits: [maxMinutes])
            let minutes = answers.map { $0?.cost }
            let reach = routing.reachable(minutes: maxMinutes, from: places, to: services.map(\.position))
            // 2SFCA with travel-time catchments: a service's supply over the people within the limit of it by road.
            let twoStep: [Double]? = services.isEmpty ? nil : Routing.twoStepFloatingCatchment(
                reach: reach, population: population.map { $0 ?? 0 }, capacity: services.map(\.capacity))
            var rows = rank(units: units, nearestKm: minutes, countWithin: reach.map(\.count), twoStepScores: twoStep, population: population,
                            needOf: needOf, maxKm: maxMinutes)
            let km = Dictionary(uniqueKeysWithValues: units.indices.map { (units[$0].code, nearest[$0]) })
            let offKm = Dictionary(uniqueKeysWithValues: units.indices.map { (units[$0].code, answers[$0].map { ($0.offMetres / 100).rounded() / 10 }) })
            func minutesRow(_ r: AccessRow) -> AccessRow {
                var r = r
                r.nearestMinutes = r.nearestKm
                r.offNetworkKm = offKm[r.code] ?? nil
                r.nearestKm = km[r.code].flatMap { $0.map { ($0 * 100).rounded() / 100 } }
                return r
            }
            rows = (rows.all.map(minutesRow), rows.gaps.map(minutesRow))
            let concerned = rows.gaps.compactMap(\.population).reduce(0, +)
            let total = population.compactMap { $0 }.reduce(0, +)
            var report = GapReport(territory: TerritoryRef(code: territory.code, name: name, level: territory.kind), category: category,
                                   maxKm: maxKm, need: need, base: base, services: services.count, municipalities: rows.all, gaps: rows.gaps,
                                   populationConcerned: concerned, populationShare: total > 0 ? concerned / total : nil, gapArea: areas.beyond,
                                   gapAreaKm2: areas.beyondKm2)
            report.maxMinutes = maxMinutes
            report.measure = "temps de parcours par la route (réseau : \(try store.roadNetworkName() ?? routing.network.source))"
            report.priorityFormula = Self.priorityFormulaMinutes
            return report
        }
        // As the crow flies: the services within the radius, and the 2SFCA with the capacities given (one unit of
        // supply for a service without capacity).
        let within = try Access.countWithin(maxKm, from: places, to: services.map(\.position))
        let scores: [Double]? = services.isEmpty ? nil : try Access.twoStepFloatingCatchment(
            places: places, population: population.map { $0 ?? 0 }, services: services.map(\.position),
            capacity: services.map(\.capacity), radiusKm: maxKm)
        let rows = rank(units: units, nearestKm: nearest, countWithin: within, twoStepScores: scores, population: population,
                        needOf: needOf, maxKm: maxKm)
        let concerned = rows.gaps.compactMap(\.population).reduce(0, +)
        let total = population.compactMap { $0 }.reduce(0, +)
        let (gapArea, area) = try gapArea(units: units, services: services.map(\.position), maxKm: maxKm)
        return GapReport(territory: TerritoryRef(code: territory.code, name: name, level: territory.kind), category: category,
                         maxKm: maxKm, need: need, base: base, services: services.count, municipalities: rows.all, gaps: rows.gaps,
                         populationConcerned: concerned, populationShare: total > 0 ? concerned / total : nil, gapArea: gapArea,
                         gapAreaKm2: (area * 10).rounded() / 10)
    }

    /// Which territories are in high need: past the indicator's threshold when it has one, else in the
    /// worst quintile of the values given (lowest for an index such as vitality, highest otherwise).
    public static func needFlags(_ values: [String: CellValue], definition d: IndicatorDefinition) -> [String: Bool] {
        let cut = Classification(values: values.values.compactMap(\.number), method: .quantiles, k: 5)
        let worstLow = d.kind == .index
        var out: [String: Bool] = [:]
        for (c, v) in values {
            guard let x = v.number else { continue }
            if let t = d.threshold { out[c] = t.matches(x) }
            else { out[c] = worstLow ? cut.classOf(x) == 1 : cut.classOf(x) == 5 }
        }
        return out
    }

    /// How gaps are ranked, stated in the report, the JSON and the README.
    public static let priorityFormula = [
        "fr": "priorité = population × (distance au service le plus proche − distance limite, en km), doublée où le besoin est élevé ; d'abord les municipalités habitées sans aucun service de la catégorie, puis par priorité décroissante, puis celles dont la population est inconnue ; les territoires sans habitants en dernier",
        "en": "priority = population × (distance to the nearest service − distance limit, in km), doubled where need is high; first the inhabited municipalities without any service of the category, then by decreasing priority, then those whose population is unknown; territories without inhabitants last",
    ]

    /// The same rule in minutes by road.
    public static let priorityFormulaMinutes = [
        "fr": "priorité = population × (temps de parcours par la route jusqu'au service le plus proche − temps limite, en minutes), doublée où le besoin est élevé ; d'abord les municipalités habitées d'où aucun service de la catégorie n'est atteignable par la route, puis par priorité décroissante, puis celles dont la population est inconnue ; les territoires sans habitants en dernier",
        "en": "priority = population × (travel time by road to the nearest service − time limit, in minutes), doubled where need is high; first the inhabited municipalities from which no service of the category can be reached by road, then by decreasing priority, then those whose population is unknown; territories without inhabitants last",
    ]

    /// The access row of every unit and the units beyond `maxKm`, highest priority first (`priorityFormula`):
    /// people beyond the limit × kilometres beyond it, doubled where need is high. No priority (nil) without a
    /// service at all or without a known population; 0 without inhabitants.
    public static func rank(units: [TerritorialUnit], nearestKm: [Double?], countWithin: [Int], twoStepScores: [Double]?,
                            population: [Double?], needOf: [String: Bool]?, maxKm: Double) -> (all: [AccessRow], gaps: [AccessRow]) {
        var rows: [AccessRow] = []
        for (i, u) in units.enumerated() {
            let d = nearestKm[i]
            let high = needOf.map { $0[u.code] ?? false }
            let priority: Double? = d.flatMap { d in
                population[i].map { p in (p * max(0, d - maxKm) * (high == true ? 2 : 1) * 10).rounded() / 10 }
            }
            rows.append(AccessRow(code: u.code, name: u.name, mrcCode: u.mrcCode, coastClass: u.coastClass, population: population[i],
                                  nearestKm: d.map { ($0 * 100).rounded() / 100 }, countWithin: countWithin[i],
                                  twoStepScore: twoStepScores.map { ($0[i] * 10_000).rounded() / 10_000 }, highNeed: high, priority: priority))
        }
        // Groups: inhabited without any service (by population), inhabited by priority, population unknown (by
        // distance), without inhabitants (by distance); the code breaks ties.
        func group(_ r: AccessRow) -> Int {
            guard let p = r.population else { return 2 }
            if p <= 0 { return 3 }
            return r.nearestKm == nil ? 0 : 1
        }
        func key(_ r: AccessRow) -> Double {
            switch group(r) {
            case 0: r.population ?? 0
            case 1: r.priority ?? 0
            default: r.nearestKm ?? .infinity
            }
        }
        let gaps = rows.filter { ($0.nearestKm ?? .infinity) > maxKm }
            .sorted { a, b in
                let (ga, gb) = (group(a), group(b))
                if ga != gb { return ga < gb }
                let (ka, kb) = (key(a), key(b))
                return ka != kb ? ka > kb : a.code < b.code
            }
        return (rows, gaps)
    }

    /// The territory minus the union of the service buffers, computed in EPSG:32198; the part in WGS84 and its area in km².
    public static func gapArea(units: [TerritorialUnit], services: [Position], maxKm: Double) throws -> (Geometry?, Double) {
        let territory = try Geometry.union(try Projection.toQuebecLambert(units.map { Geometry.multiPolygon($0.geometry) }))
        // Only the services whose radius can reach the territory's envelope are buffered (the rest cannot change the result).
        let r = maxKm * 1000
        let near = try Projection.toQuebecLambert(services.map { Geometry.point(Point($0)) }).filter { p in
            guard let b = territory.bbox, let q = p.bbox else { return true }
            return q.minX >= b.minX - r && q.minX <= b.maxX + r && q.minY >= b.minY - r && q.minY <= b.maxY + r
        }
        let buffers = try near.map { try $0.buffer(r, quadrantSegments: 16) }
        let outside = buffers.isEmpty ? territory : try territory.difference(try Geometry.union(buffers))
        let area = try outside.planarArea() / 1e6
        return (outside.isEmpty ? nil : try Projection.fromQuebecLambert(outside), area)
    }
}

extension Access {
    /// Where people are: for each unit, the inhabited place named like it, else its first
    /// inhabited place, when a `places` layer is imported; else its representative point.
    public static func representativePoints(_ units: [TerritorialUnit], store: any TerritoryStore) throws -> [Position] {
        var byUnit: [String: [Place]] = [:]
        for p in try store.places() {
            guard let c = p.municipalityCode else { continue }
            byUnit[c, default: []].append(p)
        }
        return try units.map { u in
            if let list = byUnit[u.code] {
                let key = Names.municipalKey(u.name)
                return (list.first { Names.municipalKey($0.name) == key } ?? list[0]).position
            }
            return try u.representativePoint()
        }
    }
}

extension TerritorialUnit {
    /// A point inside the unit, chosen in Québec Lambert (`GEOSPointOnSurface_r` on the projected
    /// polygon, so that it does not depend on the longitude/latitude grid), returned in WGS84.
    public func representativePoint() throws -> Position {
        let projected = try Projection.toQuebecLambert(Geometry.multiPolygon(geometry))
        return try Projection.fromQuebecLambert(try projected.pointOnSurface())
    }
}
