/// A level of Quebec's administrative hierarchy.
public enum Level: String, CaseIterable, Codable, Sendable {
    case region
    case mrc
    case municipality

    /// French label, plural.
    public var labelFR: String {
        switch self {
        case .region: "régions administratives"
        case .mrc: "MRC et territoires équivalents"
        case .municipality: "municipalités et territoires"
        }
    }

    public var labelEN: String {
        switch self {
        case .region: "administrative regions"
        case .mrc: "MRCs and equivalent territories"
        case .municipality: "municipalities and territories"
        }
    }

    /// The level just above, if any.
    public var parent: Level? {
        switch self {
        case .region: nil
        case .mrc: .region
        case .municipality: .mrc
        }
    }
}

/// Shore classification of a territorial unit.
public enum CoastClass: String, Codable, Sendable, CaseIterable {
    /// Touches the St. Lawrence shoreline or lies within the classification distance of it.
    case littoral
    /// Everything else.
    case interieur

    public var labelFR: String { self == .littoral ? "littoral" : "intérieur" }
    public var labelEN: String { self == .littoral ? "coastal" : "inland" }
}
