import Foundation
import PortraitModel

/// The reference of a territory: its code, name and kind (`level` in JSON: region, mrc, municipality, all, custom).
public struct TerritoryRef: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var level: Territory.Kind

    public init(code: String, name: String, level: Territory.Kind) { self.code = code; self.name = name; self.level = level }
}

/// The population a portrait's shares are computed on (`--base`): a count indicator.
public struct PopulationBase: Codable, Sendable, Hashable {
    public var indicator: String
    public var label: String
    public var vintage: Int
    /// Its total over the territory's units with a value.
    public var total: Double
}

/// Towns of 5,000 inhabitants or more.
public struct TownsSummary: Codable, Sendable, Hashable {
    public var count: Int
    /// Names, largest first.
    public var names: [String]
    public var population: Double
    public var populationShare: Double?
    /// Municipalities whose population is unknown: `count` is then a floor (none of them is counted), and « none » can't be said.
    public var unknown: Int = 0
    enum CodingKeys: String, CodingKey { case count, names, population, populationShare = "population_share", unknown }
}

/// One class of an indicator within a section.
public struct ClassShare: Codable, Sendable, Hashable {
    public var index: Int
    public var label: String
    public var lower: Double
    public var upper: Double
    public var municipalities: Int
    public var municipalityShare: Double?
    public var population: Double
    public var populationShare: Double?
    enum CodingKeys: String, CodingKey {
        case index, label, lower, upper, municipalities, municipalityShare = "municipality_share", population,
             populationShare = "population_share"
    }
}

/// How many territories are past the indicator's threshold.
public struct ThresholdSummary: Codable, Sendable, Hashable {
    public var label: String
    public var direction: String
    public var value: Double
    public var municipalities: Int
    public var population: Double
    public var populationShare: Double?
    enum CodingKeys: String, CodingKey { case label, direction, value, municipalities, population, populationShare = "population_share" }
}

/// How an indicator changed in a section between two vintages (`portrait --compare VINTAGE`): totals for counts,
/// weighted means for the others, over the municipalities that have a value at both; old codes carried over.
public struct ChangeSummary: Codable, Sendable, Hashable {
    public var name: String
    public var label: String
    public var kind: IndicatorKind
    public var unit: String
    public var from: Int
    public var to: Int
    public var change: IndicatorChange?
    /// Municipalities with a value at both vintages, and how many rose or fell.
    public var withBoth: Int
    public var increased: Int
    public var decreased: Int
    enum CodingKeys: String, CodingKey { case name, label, kind, unit, from, to, change, withBoth = "with_both", increased, decreased }
}

/// One indicator in a section.
public struct IndicatorSummary: Codable, Sendable, Hashable {
    public var name: String
    public var label: String
    public var kind: IndicatorKind
    public var unit: String
    public var vintage: Int
    /// Sum over the territories (counts only).
    public var total: Double?
    /// Population-weighted mean over territories having both a value and a population.
    public var weightedMean: Double?
    public var withValue: Int
    public var method: ClassificationMethod
    public var classes: [ClassShare]
    public var threshold: ThresholdSummary?
    public var suppressed: [String]
    public var withoutValue: [String]
    /// The indicator weighting the mean, when not the population (land area for a density: the mean is then the
    /// territory's population over its land area).
    public var weight: String? = nil
    enum CodingKeys: String, CodingKey {
        case name, label, kind, unit, vintage, total, weightedMean = "weighted_mean", withValue = "with_value", method,
             classes, threshold, suppressed, withoutValue = "without_value", weight
    }
}

/// Gaps in the data behind a section's figures.
public struct MissingData: Codable, Sendable, Hashable {
    /// Territories without a population figure (not counted in any share).
    public var withoutPopulation: [TerritoryRef]
    /// Indicator → codes without a value.
    public var withoutValue: [String: [String]]
    /// Indicator → codes whose value is suppressed.
    public var suppressed: [String: [String]]
    enum CodingKeys: String, CodingKey { case withoutPopulation = "without_population", withoutValue = "without_value", suppressed }
}

/// A territorial portrait: the territory, each of its MRC, and the shore and inland parts.
public struct TerritorialPortrait: Codable, Sendable {
    public var territory: TerritoryRef
    public var fictional: Bool
    public var populationVintage: Int?
    public var mrcCount: Int
    public var municipalityCount: Int
    public var unitsByDesignation: [String: Int]
    public var tnoCount: Int
    public var reserveCount: Int
    public var aquaticCount: Int
    /// Municipalities (as `municipality_count`) in this part: the `count` of littoral/intérieur.
    public var count: Int
    public var population: Double?
    public var populationTotal: Double?
    /// Share of the parent territory's population (littoral, intérieur, MRC); 1 for the whole territory.
    public var populationShare: Double?
    public var towns5000Plus: TownsSummary
    public var under3000PopulationShare: Double?
    public var littoral: Part?
    public var interieur: Part?
    public var indicators: [IndicatorSummary]
    public var missing: MissingData
    public var mrc: [TerritorialPortrait]?
    /// The regions of the whole store's portrait (`--all`).
    public var regions: [TerritorialPortrait]?
    /// The figures beside the territory's MRC, region and store (or the reference chosen), with ranks and sentences.
    public var comparison: Comparison?
    /// The population the shares are computed on, when it is not the population (`--base`).
    public var base: PopulationBase?
    /// A one-municipality portrait: its coast class, designation, MRC and region.
    public var unit: UnitFacts?

    public struct UnitFacts: Codable, Sendable, Hashable {
        public var coastClass: CoastClass?
        public var designation: String?
        public var mrc: TerritoryRef?
        public var region: TerritoryRef?
        public var areaKm2: Double
        enum CodingKeys: String, CodingKey { case coastClass = "class", designation, mrc, region, areaKm2 = "area_km2" }
    }
    /// Change since an earlier vintage, when asked (`--compare`).
    public var changes: [ChangeSummary]?
    /// The total the shares are of (the population, or the base); not encoded.
    var shareTotal: Double? = nil

    /// The littoral and intérieur parts (no further split).
    public final class Part: Codable, Sendable {
        public let portrait: TerritorialPortrait
        init(_ p: TerritorialPortrait) { portrait = p }
        public func encode(to encoder: any Encoder) throws { try portrait.encode(to: encoder) }
        public required init(from decoder: any Decoder) throws { portrait = try TerritorialPortrait(from: decoder) }
    }

    enum CodingKeys: String, CodingKey {
        case territory, fictional, populationVintage = "population_vintage", mrcCount = "mrc_count",
             municipalityCount = "municipality_count", unitsByDesignation = "units_by_designation", tnoCount = "tno_count",
             reserveCount = "reserve_count", aquaticCount = "aquatic_count", count, population,
             populationTotal = "population_total", populationShare = "population_share", towns5000Plus = "towns_5000_plus",
             under3000PopulationShare = "under_3000_population_share", littoral, interieur, indicators, missing, mrc, regions,
             comparison, base, unit, changes
    }
}
