import Foundation
import PortraitModel
import PortraitTerritory

/// The publication of one territory: the portrait's figures, services and gaps
/// by category, mobilisations, sources; and its maps. Encoded as JSON, it keeps
/// every figure (the portrait's keys at the top, then `services`,
/// `mobilisations`, `sources`); the maps travel beside it, not in the JSON.
public struct Report: Encodable, Sendable {
    /// Services of one category and the gaps they leave.
    public struct ServiceSection: Codable, Sendable, Hashable {
        public var category: String
        public var label: String
        /// Services of the category located in the territory.
        public var inTerritory: Int
        /// Median, over the territory's municipalities, of the distance to the nearest service (km).
        public var medianKm: Double?
        public var maxKm: Double
        /// Units beyond the radius (municipalities, TNO, reserves), and how many of them are municipalities.
        public var beyond: Int
        public var beyondMunicipalities: Int?
        public var populationConcerned: Double
        public var populationShare: Double?
        public var gapAreaKm2: Double?
        /// The ten highest priorities (`GapAnalysis.priorityFormula`: people × kilometres beyond the limit, × need).
        public var priorities: [AccessRow]
        /// A municipality's nearest service of the category (its fiche).
        public var nearest: NearestService?
        /// The section's figures in words, in the report's language.
        public var sentence: String = ""
        /// Measured in minutes by road (a road network is imported): the gaps, the population, the area and the
        /// priorities are then beyond `maxMinutes`; the straight-line median stays in `medianKm`.
        public var road: RoadMeasure?
        enum CodingKeys: String, CodingKey {
            case category, label, inTerritory = "in_territory", medianKm = "median_km", maxKm = "max_km", beyond, beyondMunicipalities = "beyond_municipalities",
                 populationConcerned = "population_concerned", populationShare = "population_share", gapAreaKm2 = "gap_area_km2",
                 priorities, nearest, sentence, road
        }
    }

    /// What a section measured over the road network.
    public struct RoadMeasure: Codable, Sendable, Hashable {
        /// « SOURCE, millésime ».
        public var network: String
        public var maxMinutes: Double
        public var medianMinutes: Double?
        enum CodingKeys: String, CodingKey { case network, maxMinutes = "max_minutes", medianMinutes = "median_minutes" }
    }

    /// The nearest service of a category from a municipality's inhabited place, wherever it lies.
    public struct NearestService: Codable, Sendable, Hashable {
        public var name: String
        public var municipalityCode: String?
        public var km: Double
        /// By road: the minutes to it (and `km` the straight line to that service).
        public var minutes: Double?
        /// Beyond the gap distance (or the minutes).
        public var inGap: Bool
        enum CodingKeys: String, CodingKey { case name, municipalityCode = "municipality_code", km, minutes, inGap = "in_gap" }
    }

    /// The concertation tables covering the territory.
    public struct MobilisationSection: Codable, Sendable, Hashable {
        public struct Table: Codable, Sendable, Hashable {
            public var id: String
            public var name: String
            public var level: String
            public var territory: String
            public var start: Int?
            public var enjeux: [String]
        }
        public var tables: [Table]
        /// Municipalities by number of tables covering them ("0", "1", "2", "3", "4+").
        public var municipalitiesByTableCount: [String: Int]
        /// Municipalities covered by two tables or more.
        public var overlapping: Int
        /// Enjeu worked on in the region → municipalities of the territory where no table carries it.
        public var enjeuxWithoutTable: [String: Int]
        enum CodingKeys: String, CodingKey {
            case tables, municipalitiesByTableCount = "municipalities_by_table_count", overlapping,
                 enjeuxWithoutTable = "enjeux_without_table"
        }
    }

    /// One source of the report: the file imported, what it fed, its vintage and licence.
    public struct Source: Codable, Sendable, Hashable {
        public var file: String
        public var kind: String
        public var vintage: String?
        public var publisher: String
        public var licence: String
        public var importedAt: String
        enum CodingKeys: String, CodingKey { case file, kind, vintage, publisher, licence, importedAt = "imported_at" }
    }

    /// One map of the report.
    public struct Map: Sendable {
        /// Where it goes: after the section of that id ("coast", "indicator:ive", "services", "gaps:sante", "mobilisations").
        public var section: String
        public var name: String
        public var caption: String
        public var svg: String
    }

    public var portrait: TerritorialPortrait
    public var services: [ServiceSection]
    public var mobilisations: MobilisationSection?
    public var sources: [Source]
    /// Indicators whose values are SYNTHETIC (said on every map and in the text).
    public var synthetic: [String]
    public var maps: [Map]
    public var language: Language
    /// The action plans covering the territory, with their statuses (« Suivi du plan »).
    public var plans: [PlanFollowUp] = []

    enum CodingKeys: String, CodingKey { case services, mobilisations, plans, sources, synthetic }

    public func encode(to encoder: any Encoder) throws {
        try portrait.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(services, forKey: .services)
        try c.encodeIfPresent(mobilisations, forKey: .mobilisations)
        if !plans.isEmpty { try c.encode(plans, forKey: .plans) }
        try c.encode(sources, forKey: .sources)
        try c.encode(synthetic, forKey: .synthetic)
    }
}

/// The generated sentence of a services section.
public enum ServiceSentences {
    public static func sentence(_ s: Report.ServiceSection, territory t: TerritoryRef, base: String?, language lang: Language) -> String {
        let fr = lang == .fr
        func km(_ v: Double) -> String { NumberText.format(v, decimals: v.rounded() == v ? 0 : 1, language: lang) + " km" }
        func minutes(_ v: Double) -> String { NumberText.format(v, decimals: v.rounded() == v ? 0 : 1, language: lang) + " min" }
        let road = s.road
        // The limit: minutes by road over the imported network, else kilometres as the crow flies.
        let limit = road.map { minutes($0.maxMinutes) } ?? km(s.maxKm)
        if let n = s.nearest {
            if road != nil, let m = n.minutes {
                // Short: the fiche names the measure once above its categories (« Temps par la route (réseau : …) »).
                return fr
                    ? "\(s.label) : « \(n.name) », à \(minutes(m)) par la route (\(km(n.km)) à vol d'oiseau), " + (n.inGap ? "au-delà de la limite de \(limit) : lacune." : "en deçà de la limite de \(limit).")
                    : "\(s.label): “\(n.name)”, \(minutes(m)) by road (\(km(n.km)) as the crow flies), " + (n.inGap ? "beyond the \(limit) limit: a gap." : "within the \(limit) limit.")
            }
            return fr
                ? "\(s.label) : le service le plus proche \(Sentences.de(t.name)), « \(n.name) », est à \(km(n.km)), " + (n.inGap ? "au-delà de la limite de \(limit) : la municipalité est en lacune." : "en deçà de la limite de \(limit).")
                : "\(s.label): the nearest service to \(t.name), “\(n.name)”, is \(km(n.km)) away, " + (n.inGap ? "beyond the \(limit) limit: the municipality is in a gap." : "within the \(limit) limit.")
        }
        let people = base.map { fr ? "personnes (« \($0) »)" : "people (“\($0)”)" } ?? (fr ? "habitants" : "inhabitants")
        let pop = NumberText.format(s.populationConcerned, language: lang), share = NumberText.percent(s.populationShare, language: lang)
        let median = road.map { r in r.medianMinutes.map { fr ? " ; temps médian jusqu'au service le plus proche : \(minutes($0))" : "; median time to the nearest service: \(minutes($0))" } }
            ?? s.medianKm.map { fr ? " ; distance médiane au service le plus proche : \(km($0))" : "; median distance to the nearest service: \(km($0))" }
        // The units beyond the limit, as the gap map's legend counts them, and how many are municipalities.
        let units = Phrase.units(s.beyond, municipalities: s.beyondMunicipalities ?? s.beyond)(lang)
        let byRoad = road == nil ? "" : fr ? " par la route" : " by road"
        return fr
            ? "\(s.label) : \(pop) \(people) (\(share)) vivent à plus de \(limit)\(byRoad) du service le plus proche, dans \(units)\(median ?? "")."
            : "\(s.label): \(pop) \(people) (\(share)) live more than \(limit)\(byRoad) from the nearest service, in \(units)\(median ?? "")."
    }
}
