import Foundation

/// A regional or local mobilisation (concertation table, agreement, plan).
public struct Mobilisation: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var acronym: String?
    /// "regional" or "local".
    public var scale: String?
    public var territoryType: Level
    public var territoryCode: String
    public var regionCode: String?
    public var start: Int?
    public var end: Int?
    public var leadership: String?
    public var enjeux: [String]
    public var budget: Double?
    public var source: String?
    enum CodingKeys: String, CodingKey {
        case id, name, acronym, scale, territoryType = "territory_type", territoryCode = "territory_code",
             regionCode = "region_code", start, end, leadership, enjeux, budget, source
    }

    public init(id: String, name: String, acronym: String? = nil, scale: String? = nil, territoryType: Level, territoryCode: String,
                regionCode: String? = nil, start: Int? = nil, end: Int? = nil, leadership: String? = nil, enjeux: [String] = [],
                budget: Double? = nil, source: String? = nil) {
        self.id = id; self.name = name; self.acronym = acronym; self.scale = scale; self.territoryType = territoryType
        self.territoryCode = territoryCode; self.regionCode = regionCode; self.start = start; self.end = end
        self.leadership = leadership; self.enjeux = enjeux; self.budget = budget; self.source = source
    }

    /// True when the mobilisation's territory covers `unit` (a municipality).
    public func covers(_ unit: TerritorialUnit) -> Bool {
        switch territoryType {
        case .region: territoryCode == unit.regionCode
        case .mrc: territoryCode == unit.mrcCode
        case .municipality: territoryCode == unit.code
        }
    }
}


extension Mobilisation {
    /// The local concertations of a regional mobilisation: local mobilisations of its region whose id extends its
    /// id, or whose leadership names it (its name or acronym), or which share its acronym.
    public func locals(among all: [Mobilisation]) -> [Mobilisation] {
        let region = regionCode ?? (territoryType == .region ? territoryCode : nil)
        return all.filter { l in
            guard l.id != id, l.scale == "local", region == nil || l.regionCode == region else { return false }
            let lead = l.leadership?.trimmingCharacters(in: .whitespaces)
            return l.id.hasPrefix(id + "-") || lead == name || (acronym != nil && (lead == acronym || l.acronym == acronym))
        }.sorted { $0.id < $1.id }
    }
}
