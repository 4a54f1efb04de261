import PortraitModel
import PortraitStore

/// Per municipality: the mobilisations covering it and the enjeux nobody covers.
public struct MobilisationCoverage: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    public var mrcCode: String?
    public var mobilisations: [String]
    public var tableCount: Int
    public var enjeux: [String]
    public var enjeuxWithoutTable: [String]
    enum CodingKeys: String, CodingKey {
        case code, name, mrcCode = "mrc_code", mobilisations, tableCount = "table_count", enjeux,
             enjeuxWithoutTable = "enjeux_without_table"
    }

    /// Mobilisations active in `year` (all when nil) covering each municipality of a region or MRC.
    public static func compute(storePath: String, territory: Territory, year: Int? = nil) throws -> [MobilisationCoverage] {
        try compute(store: try Stores.open(storePath), territory: territory, year: year)
    }

    public static func compute(store: any TerritoryStore, territory: Territory, year: Int? = nil) throws -> [MobilisationCoverage] {
        let units = try store.municipalities(in: territory, withGeometry: false).filter { !$0.isAquatic }
        return compute(units: units, mobilisations: try store.mobilisations(), year: year)
    }

    /// The pure part: `units` (municipalities) against every mobilisation.
    public static func compute(units: [TerritorialUnit], mobilisations: [Mobilisation], year: Int? = nil) -> [MobilisationCoverage] {
        let all = mobilisations.filter { m in
            guard let year else { return true }
            return (m.start ?? Int.min) <= year && year <= (m.end ?? Int.max)
        }
        return units.map { u in
            let covering = all.filter { $0.covers(u) }
            // Enjeux worked on somewhere in the region: the ones no table covers here are gaps.
            let regional = Set(all.filter { $0.regionCode == u.regionCode || $0.territoryCode == u.regionCode }.flatMap(\.enjeux))
            let here = Set(covering.flatMap(\.enjeux))
            return MobilisationCoverage(code: u.code, name: u.name, mrcCode: u.mrcCode, mobilisations: covering.map(\.id).sorted(),
                                        tableCount: covering.count, enjeux: here.sorted(), enjeuxWithoutTable: regional.subtracting(here).sorted())
        }
    }

    public static func indexed(_ list: [MobilisationCoverage]) -> [String: MobilisationCoverage] {
        Dictionary(list.map { ($0.code, $0) }) { a, _ in a }
    }
}
