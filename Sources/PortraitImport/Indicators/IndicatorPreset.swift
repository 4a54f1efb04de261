import PortraitModel

/// Column layouts of the official indicator files.
public enum IndicatorPreset: String, CaseIterable, Codable, Sendable {
    /// Institut de la statistique du Québec, *Indice de vitalité économique des localités*:
    /// one row per locality, its geographic code, name, and the index for the year.
    case isqIVE = "isq-ive"
    /// INSPQ, *Indice de défavorisation matérielle et sociale*, by municipality:
    /// material and social quintiles.
    case inspqDeprivation = "inspq-deprivation"
    /// Statistics Canada census profile by census subdivision (as in the BSL 2021 extract):
    /// `code_geo` (or CSDUID), population, dwellings, median household income.
    case statcanCensus = "statcan-census"
    /// Statistics Canada census profile in long form (98-401-X2021): one row per geography and
    /// characteristic, streamed; characteristics chosen with `--characteristic ID=NAME`.
    case statcanProfile = "statcan-profile"

    /// Candidate headers of the code and name columns (matched ignoring case, accents and punctuation).
    var codeFields: [String] {
        switch self {
        case .isqIVE: ["Code géographique", "Code geo", "Code_geo", "CODE_MUN", "Code de la localité", "Code"]
        case .inspqDeprivation: ["Code municipal", "CODE_MUN", "Code géographique", "CODMUN", "MUS_CO_GEO", "Code"]
        case .statcanCensus, .statcanProfile: ["code_geo", "CSDUID", "DGUID", "GEO_CODE", "Code géographique"]
        }
    }

    var nameFields: [String] {
        switch self {
        case .isqIVE: ["Localité", "Nom de la localité", "Municipalité", "Nom"]
        case .inspqDeprivation: ["Municipalité", "Nom de la municipalité", "Nom"]
        case .statcanCensus, .statcanProfile: ["nom", "GEO_NAME", "CSDNAME", "Nom géographique"]
        }
    }

    /// Indicator name → candidate headers of its value column.
    var valueFields: [(indicator: String, headers: [String])] {
        switch self {
        case .isqIVE:
            [("ive", ["Indice de vitalité économique", "Indice de vitalite economique", "IVE", "Indice"]),
             ("ive_quintile", ["Quintile", "Quintile de vitalité économique"])]
        case .inspqDeprivation:
            [("defavorisation_materielle", ["Quintile matériel", "Quintile de défavorisation matérielle", "QuintMat", "Quintile_mat"]),
             ("defavorisation_sociale", ["Quintile social", "Quintile de défavorisation sociale", "QuintSoc", "Quintile_soc"])]
        case .statcanCensus:
            [("population", ["population_2021", "Population, 2021", "population"]),
             ("logements", ["logements_total", "Total private dwellings", "logements"]),
             ("revenu_median_menage", ["revenu_median_menage_2020", "Median total income of household", "revenu_median_menage"]),
             ("superficie_terre", ["superficie_km2", "Land area in square kilometres", "Superficie des terres en kilomètres carrés",
                                   "superficie_terre"])]
        case .statcanProfile:
            []
        }
    }

    /// The indicators whose column the preset's files always carry: one absent refuses the file (the ISQ's quintile
    /// column is optional).
    var requiredIndicators: Set<String> {
        switch self {
        case .isqIVE: ["ive"]
        default: Set(valueFields.map(\.indicator))
        }
    }

    /// Statistics Canada leaves suppressed cells empty in its profile extracts.
    var emptyIsSuppressed: Bool { self == .statcanCensus }
}
