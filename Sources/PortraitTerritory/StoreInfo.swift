import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// What `portrait info` reports about a store.
public struct StoreInfo: Codable, Sendable {
    public typealias Layer = LayerSummary
    public struct MunicipalityCounts: Codable, Sendable {
        /// Every unit of the layer, aquatic ones included.
        public var units: Int
        /// Municipalities proper (excludes TNO, reserves, aquatic TNO and Indigenous lands).
        public var municipalities: Int
        public var tno: Int
        public var reserves: Int
        public var aquatic: Int
        public var byDesignation: [String: Int]
        enum CodingKeys: String, CodingKey { case units, municipalities, tno, reserves, aquatic, byDesignation = "by_designation" }
    }
    public struct Coast: Codable, Sendable {
        public var classified: Bool
        public var distanceM: Double?
        public var coastlineLines: Int
        public var regions: CoastCounts
        public var mrc: CoastCounts
        public var municipalities: CoastCounts
        /// Levels with units the classification has not reached (imported after it without a shoreline to redo it).
        public var unclassified: [String] = []
        enum CodingKeys: String, CodingKey {
            case classified, distanceM = "distance_m", coastlineLines = "coastline_lines", regions, mrc, municipalities, unclassified
        }
    }

    public var store: String
    public var crs: String
    public var demo: Bool
    public var layers: [Layer]
    public var regions: Int
    public var mrc: Int
    public var municipalities: MunicipalityCounts
    public var coast: Coast
    public var imports: [ImportLogEntry]
    /// Regions that have municipal units in the store: the territories a portrait can be made for.
    public var regionsWithMunicipalities: [String] = []
    /// Indicators joined before a municipal boundary import that brought new codes (a merger, a new
    /// municipality): their join may miss those units; import them again. Indicator → that boundary import's id.
    public var staleJoins: [String: Int64] = [:]
    /// The custom territories stored (`portrait import territories`).
    public var customTerritories: [CustomTerritory] = []
    /// The codes and names `--region` and `--mrc` take: each region of the store with its MRC.
    public var codes: [RegionCodes] = []

    public struct RegionCodes: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        public var mrc: [CodeName]
    }

    public struct CodeName: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
    }

    enum CodingKeys: String, CodingKey {
        case store, crs, demo, layers, regions, mrc, municipalities, coast, imports, regionsWithMunicipalities = "regions_with_municipalities",
             staleJoins = "stale_joins", customTerritories = "custom_territories", codes
    }

    public static func read(storePath: String) throws -> StoreInfo { try read(store: try Stores.open(storePath)) }

    public static func read(store: any TerritoryStore) throws -> StoreInfo {
        let byDes = try store.designationCounts()
        let units = byDes.values.reduce(0, +)
        let muni = byDes.filter { Designation.isMunicipality($0.key.isEmpty ? nil : $0.key) }.values.reduce(0, +)
        let counts = MunicipalityCounts(units: units, municipalities: muni, tno: byDes[Designation.unorganised] ?? 0,
                                        reserves: Designation.reserves.map { byDes[$0] ?? 0 }.reduce(0, +),
                                        aquatic: byDes[Designation.aquatic] ?? 0, byDesignation: byDes)
        let distance = try store.lastImport(kind: "classify-coast")?.parameters["distance_m"].flatMap(Double.init)
        let municipal = try store.coastCounts(.municipality)
        var coast = Coast(classified: municipal.littoral + municipal.interieur + municipal.aquatic > 0, distanceM: distance,
                          coastlineLines: try store.coastlineCount(), regions: try store.coastCounts(.region),
                          mrc: try store.coastCounts(.mrc), municipalities: municipal)
        if distance != nil {
            for level in Level.allCases {
                let c = try store.coastCounts(level)
                if c.littoral + c.interieur + c.aquatic < (try store.count(level)) { coast.unclassified.append(level.rawValue) }
            }
            coast.classified = coast.unclassified.isEmpty
        }
        let log = try store.imports(limit: 100_000)
        let newCodes = log.filter { $0.kind == "boundaries" && $0.level == Level.municipality.rawValue && $0.inserted > 0 }.compactMap(\.id)
        var stale: [String: Int64] = [:]
        for d in try store.indicatorDefinitions() {
            let joined = log.filter { $0.kind == "indicators" && ($0.parameters["indicators"] ?? "").split(separator: ",").contains { $0 == d.name } }
                .compactMap(\.id).max()
            if let joined, let later = newCodes.filter({ $0 > joined }).max() { stale[d.name] = later }
        }
        var info = StoreInfo(store: store.location, crs: "EPSG:4326", demo: try store.isDemo(), layers: try store.layerSummaries(),
                         regions: try store.count(.region), mrc: try store.count(.mrc),
                         municipalities: counts, coast: coast, imports: try store.imports(limit: 10),
                         regionsWithMunicipalities: Set(try store.units(.municipality, withGeometry: false).compactMap(\.regionCode)).sorted())
        info.staleJoins = stale
        info.customTerritories = try store.customTerritories()
        let mrc = try store.units(.mrc, withGeometry: false)
        let regionNames = Dictionary(try store.units(.region, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a }
        let regionCodes = Set(regionNames.keys).union(mrc.compactMap(\.regionCode)).union(info.regionsWithMunicipalities).sorted()
        info.codes = regionCodes.map { r in
            RegionCodes(code: r, name: regionNames[r] ?? Codes.regionNames[r] ?? "Région \(r)",
                        mrc: mrc.filter { $0.regionCode == r }.sorted { $0.code < $1.code }.map { CodeName(code: $0.code, name: $0.name) })
        }
        return info
    }

    public func json() throws -> String {
        String(decoding: try JSONEncoder.stablePretty.encode(self), as: UTF8.self) + "\n"
    }

    /// The words of `info`, in both languages.
    enum Words {
        static let store = Phrase("Magasin : ", "Store: ")
        static let fictional = Phrase("  (territoire FICTIF de démonstration)", "  (FICTIONAL demo territory)")
        static let crs = Phrase("SCR de stockage : ", "Storage CRS: ")
        static let layers = Phrase("Couches :", "Layers:")
        static let byDesignation = Phrase("  par désignation : ", "  by designation: ")
        static let notClassified = Phrase("Littoral / intérieur : non classé (portrait classify coast)",
                                          "Coastal / inland: not classified (portrait classify coast)")
        static let lastImports = Phrase("Dernières importations :", "Last imports:")
        static let regionsLabel = Phrase("régions", "regions")
        static let municipalitiesLabel = Phrase("municipalités", "municipalities")
        static let inland = Phrase("intérieur", "inland")
        static func counts(regions: Int, mrc: Int) -> Phrase { Phrase("Régions : \(regions)   MRC : \(mrc)", "Regions: \(regions)   MRCs: \(mrc)") }
        static func units(_ m: MunicipalityCounts) -> Phrase {
            Phrase("Unités municipales : \(m.units) dont \(m.municipalities) municipalités, \(m.tno) TNO, \(m.reserves) réserves, \(m.aquatic) TNO aquatiques",
                   "Municipal units: \(m.units): \(m.municipalities) municipalities, \(m.tno) unorganised territories, \(m.reserves) reserves, \(m.aquatic) aquatic")
        }
        static func classified(_ d: String) -> Phrase {
            Phrase("Littoral / intérieur (distance \(d) m, EPSG:32198) :", "Coastal / inland (distance \(d) m, EPSG:32198):")
        }
        static func stale(_ levels: String) -> Phrase {
            Phrase("Littoral / intérieur : PÉRIMÉ pour \(levels) (limites importées sans trait de côte pour refaire la classification) : portrait classify coast",
                   "Coastal / inland: STALE for \(levels) (boundaries imported with no shoreline to redo it): portrait classify coast")
        }
        static func staleJoin(_ name: String, _ id: Int64) -> Phrase {
            Phrase("Indicateur \(name) : joint avant l'importation #\(id) de limites municipales, qui a ajouté des codes (jointure périmée : réimportez-le)",
                   "Indicator \(name): joined before municipal boundary import #\(id), which added codes (stale join: import it again)")
        }
        static func custom(_ n: Int) -> Phrase { Phrase("Territoires personnalisés : \(n)", "Custom territories: \(n)") }
        static func aquaticApart(_ n: Int) -> Phrase { Phrase(", \(n) aquatiques à part", ", \(n) aquatic apart") }
    }

    /// A short human-readable summary, French by default.
    public func text(language l: Language = .fr) -> String {
        var out: [String] = []
        out.append(Words.store(l) + store + (demo ? Words.fictional(l) : ""))
        out.append(Words.crs(l) + crs)
        out.append(Words.layers(l))
        for layer in layers {
            let b = layer.bbox.map { " [" + $0.map { NumberFormat.fixed($0, 3) }.joined(separator: ", ") + "]" } ?? ""
            out.append("  - \(layer.name) (\(layer.geometryType ?? layer.kind)) : \(layer.features)\(b)")
        }
        out.append(Words.counts(regions: regions, mrc: mrc)(l))
        out.append(Words.units(municipalities)(l))
        let des = municipalities.byDesignation.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "?" : $0.key) \($0.value)" }.joined(separator: ", ")
        out.append(Words.byDesignation(l) + des)
        // The codes --region and --mrc take (their names too): regions with their MRC, the others on one line.
        if !codes.isEmpty {
            out.append(l == .fr ? "Codes (--region, --mrc : le code ou le nom) :" : "Codes (--region, --mrc: the code or the name):")
            for r in codes where !r.mrc.isEmpty {
                out.append("  \(r.code) \(r.name) : MRC " + r.mrc.map { "\($0.code) \($0.name)" }.joined(separator: ", "))
            }
            let others = codes.filter(\.mrc.isEmpty)
            if !others.isEmpty {
                out.append((l == .fr ? "  autres régions : " : "  other regions: ") + others.map { "\($0.code) \($0.name)" }.joined(separator: ", "))
            }
        }
        if coast.classified {
            out.append(Words.classified(coast.distanceM.map { NumberFormat.shortest($0) } ?? "?")(l))
            for (label, c) in [(Words.regionsLabel(l), coast.regions), ("MRC", coast.mrc), (Words.municipalitiesLabel(l), coast.municipalities)] {
                out.append("  \(label) : \(c.littoral) littoral, \(c.interieur) \(Words.inland(l))" + (c.aquatic > 0 ? Words.aquaticApart(c.aquatic)(l) : ""))
            }
        } else if !coast.unclassified.isEmpty {
            out.append(Words.stale(coast.unclassified.joined(separator: ", "))(l))
        } else {
            out.append(Words.notClassified(l))
        }
        for (name, id) in staleJoins.sorted(by: { $0.key < $1.key }) { out.append(Words.staleJoin(name, id)(l)) }
        if !customTerritories.isEmpty {
            out.append(Words.custom(customTerritories.count)(l))
            for t in customTerritories {
                out.append("  - \(t.id) « \(t.name) » : \(t.codes.count) \(Words.municipalitiesLabel(l)) (\(t.codes.prefix(8).joined(separator: ", "))\(t.codes.count > 8 ? ", …" : "")) ; \(t.source)")
            }
        }
        out.append(Words.lastImports(l))
        for i in imports.prefix(5) {
            let src = i.sourceFile.map { ($0 as NSString).lastPathComponent } ?? "-"
            out.append("  #\(i.id ?? 0) \(i.importedAt) \(i.kind)\(i.level.map { " " + $0 } ?? "") \(src) : \(i.units)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
