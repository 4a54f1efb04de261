/// How an indicator's values combine and read.
public enum IndicatorKind: String, Codable, Sendable, CaseIterable {
    /// A number of people or things: summed across merged codes; totals in portraits.
    case count
    /// A rate, median, mean or share: population-weighted.
    case rate
    /// A composite index (IVE): population-weighted.
    case index
    /// A class 1…5 published as such (INSPQ deprivation quintiles): population-weighted mean and shares by class.
    case quintile
}

/// What Portrait knows of an indicator: kind, unit, labels and the threshold
/// planners read it against.
public struct IndicatorDefinition: Codable, Sendable, Hashable {
    public var name: String
    public var kind: IndicatorKind
    public var unit: String
    public var labelFR: String
    public var labelEN: String
    /// A threshold: values at or beyond it count as "in difficulty".
    public var threshold: Threshold?
    /// The indicator whose values weight this one when territories are combined (portraits of MRC, regions,
    /// coast and inland); the census population when nil. The deprivation shares are weighted by the population
    /// of the dissemination areas that have a quintile, so that a region's share is the ratio of the sums.
    public var weight: String?

    public struct Threshold: Codable, Sendable, Hashable {
        /// "below" (IVE < −5) or "atLeast" (deprivation quintile ≥ 4).
        public var direction: Direction
        public var value: Double
        public var labelFR: String
        public var labelEN: String
        public enum Direction: String, Codable, Sendable { case below, atLeast }

        public func matches(_ v: Double) -> Bool { direction == .below ? v < value : v >= value }
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, unit, labelFR = "label_fr", labelEN = "label_en", threshold, weight
    }

    /// The indicators Portrait knows by name. Others are imported as `rate` unless `--kind` says otherwise.
    public static let catalogue: [String: IndicatorDefinition] = [
        "population": .init(name: "population", kind: .count, unit: "habitants", labelFR: "Population", labelEN: "Population"),
        "logements": .init(name: "logements", kind: .count, unit: "logements", labelFR: "Logements privés", labelEN: "Private dwellings"),
        "jeunes_0_17": .init(name: "jeunes_0_17", kind: .count, unit: "personnes", labelFR: "Jeunes de 0 à 17 ans", labelEN: "Young people aged 0 to 17"),
        // Statistics Canada's land area of the census subdivision (water excluded): summed like a count.
        "superficie_terre": .init(name: "superficie_terre", kind: .count, unit: "km²", labelFR: "Superficie en terre ferme",
                                  labelEN: "Land area"),
        // Inhabitants per km² of land, computed at import from the census population and land area. Weighted by land
        // area when territories are combined, so that a territory's density is its population over its land area.
        "densite_population": .init(name: "densite_population", kind: .rate, unit: "hab./km²", labelFR: "Densité de population",
                                    labelEN: "Population density", weight: "superficie_terre"),
        "revenu_median_menage": .init(name: "revenu_median_menage", kind: .rate, unit: "$",
                                      labelFR: "Revenu médian des ménages", labelEN: "Median household income"),
        // ISQ: localities whose index is below −5 were called "très dévitalisées" under the former MAMROT index.
        "ive": .init(name: "ive", kind: .index, unit: "indice", labelFR: "Indice de vitalité économique",
                     labelEN: "Economic vitality index",
                     threshold: .init(direction: .below, value: -5, labelFR: "très dévitalisées (IVE < −5)",
                                      labelEN: "highly devitalised (index < −5)")),
        // The ISQ publishes its own quintiles of the index beside it (read as published, not recomputed).
        "ive_quintile": .init(name: "ive_quintile", kind: .quintile, unit: "quintile", labelFR: "Indice de vitalité économique (quintile de l'ISQ)",
                              labelEN: "Economic vitality index (ISQ quintile)"),
        "defavorisation_materielle": .init(name: "defavorisation_materielle", kind: .quintile, unit: "quintile",
                                           labelFR: "Défavorisation matérielle (quintile)", labelEN: "Material deprivation (quintile)",
                                           threshold: .init(direction: .atLeast, value: 4, labelFR: "quintiles 4 et 5 (défavorisées)",
                                                            labelEN: "quintiles 4 and 5 (deprived)")),
        "defavorisation_sociale": .init(name: "defavorisation_sociale", kind: .quintile, unit: "quintile",
                                        labelFR: "Défavorisation sociale (quintile)", labelEN: "Social deprivation (quintile)",
                                        threshold: .init(direction: .atLeast, value: 4, labelFR: "quintiles 4 et 5 (défavorisées)",
                                                         labelEN: "quintiles 4 and 5 (deprived)")),
    ]

    /// The shares computed from the INSPQ index by dissemination area (`inspq-deprivation`, DA layout).
    public static let deprivationShares: [IndicatorDefinition] = [
        .init(name: "defavorisation_materielle_q5", kind: .rate, unit: "%", labelFR: "Population en quintile 5 de défavorisation matérielle",
              labelEN: "Population in material deprivation quintile 5", weight: "defavorisation_materielle_population_classee"),
        .init(name: "defavorisation_materielle_q45", kind: .rate, unit: "%", labelFR: "Population en quintiles 4 et 5 de défavorisation matérielle",
              labelEN: "Population in material deprivation quintiles 4 and 5", weight: "defavorisation_materielle_population_classee"),
        .init(name: "defavorisation_sociale_q5", kind: .rate, unit: "%", labelFR: "Population en quintile 5 de défavorisation sociale",
              labelEN: "Population in social deprivation quintile 5", weight: "defavorisation_sociale_population_classee"),
        .init(name: "defavorisation_sociale_q45", kind: .rate, unit: "%", labelFR: "Population en quintiles 4 et 5 de défavorisation sociale",
              labelEN: "Population in social deprivation quintiles 4 and 5", weight: "defavorisation_sociale_population_classee"),
        .init(name: "defavorisation_population_sans_quintile", kind: .count, unit: "habitants",
              labelFR: "Population des aires de diffusion sans quintile", labelEN: "Population of dissemination areas without a quintile"),
        .init(name: "defavorisation_materielle_population_classee", kind: .count, unit: "habitants",
              labelFR: "Population des aires de diffusion avec un quintile matériel",
              labelEN: "Population of dissemination areas with a material quintile"),
        .init(name: "defavorisation_sociale_population_classee", kind: .count, unit: "habitants",
              labelFR: "Population des aires de diffusion avec un quintile social",
              labelEN: "Population of dissemination areas with a social quintile"),
    ]

    /// The year a figure is about when it differs from its vintage: the 2021 census gives the households' income of
    /// 2020 (Statistics Canada, Census Profile: « Median total income of household in 2020 »).
    public static let referenceYearOffsets: [String: Int] = ["revenu_median_menage": -1]

    /// False for a median, an index and a quintile: the value of merged old codes is not computed from theirs.
    public var combinesFromParts: Bool {
        kind != .index && kind != .quintile && !name.lowercased().contains("median") && !labelFR.lowercased().contains("médian")
    }

    /// The year the value of `vintage` is about (income 2020 in the 2021 census).
    public func referenceYear(_ vintage: Int) -> Int { vintage + (Self.referenceYearOffsets[name] ?? 0) }

    /// Units of an additive measure rather than a number of things: summed like a count, but not whole.
    public static let measureUnits: Set<String> = ["km²", "km2", "m²", "m2", "ha", "hectares"]

    /// A count measured in a unit of area (land area in km²): summed across territories, never required to be whole.
    public var isMeasure: Bool { kind == .count && Self.measureUnits.contains(unit) }

    public static func named(_ name: String, kind: IndicatorKind? = nil) -> IndicatorDefinition {
        var d = catalogue[name] ?? deprivationShares.first { $0.name == name }
            ?? IndicatorDefinition(name: name, kind: .rate, unit: "", labelFR: name, labelEN: name)
        if let kind { d.kind = kind }
        return d
    }
}

extension IndicatorDefinition {
    /// The change of this indicator from one vintage to another, as maps draw it: percent for counts and rates,
    /// points for indices.
    public func change(from: Int, to: Int) -> IndicatorDefinition {
        let points = kind == .index || kind == .quintile
        return IndicatorDefinition(name: "\(name)_variation", kind: points ? .index : .rate, unit: points ? "points" : "%",
                                   labelFR: "\(labelFR), variation \(from)–\(to)", labelEN: "\(labelEN), change \(from)–\(to)")
    }

    /// The label in `language`.
    public func label(_ language: Language) -> String { language == .fr ? labelFR : labelEN }
}
