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
        enum CodingKeys: String, CodingKey {
            case classified, distanceM = "distance_m", coastlineLines = "coastline_lines", regions, mrc, municipalities
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
        let coast = Coast(classified: municipal.littoral + municipal.interieur + municipal.aquatic > 0, distanceM: distance,
                          coastlineLines: try store.coastlineCount(), regions: try store.coastCounts(.region),
                          mrc: try store.coastCounts(.mrc), municipalities: municipal)
        return StoreInfo(store: store.location, crs: "EPSG:4326", demo: try store.isDemo(), layers: try store.layerSummaries(),
                         regions: try store.count(.region), mrc: try store.count(.mrc),
                         municipalities: counts, coast: coast, imports: try store.imports(limit: 10))
    }

    public func json() throws -> String {
        String(decoding: try JSONEncoder.stablePretty.encode(self), as: UTF8.self) + "\n"
    }

    /// A short human-readable summary, French by default.
    public func text(language: Language = .fr) -> String {
        let fr = language == .fr
        var out: [String] = []
        out.append((fr ? "Magasin : " : "Store: ") + store + (demo ? (fr ? "  (territoire FICTIF de démonstration)" : "  (FICTIONAL demo territory)") : ""))
        out.append((fr ? "SCR de stockage : " : "Storage CRS: ") + crs)
        out.append(fr ? "Couches :" : "Layers:")
        for l in layers {
            let b = l.bbox.map { " [" + $0.map { NumberFormat.fixed($0, 3) }.joined(separator: ", ") + "]" } ?? ""
            out.append("  - \(l.name) (\(l.geometryType ?? l.kind)) : \(l.features)\(b)")
        }
        out.append(fr ? "Régions : \(regions)   MRC : \(mrc)" : "Regions: \(regions)   MRCs: \(mrc)")
        let m = municipalities
        out.append(fr
            ? "Unités municipales : \(m.units) dont \(m.municipalities) municipalités, \(m.tno) TNO, \(m.reserves) réserves, \(m.aquatic) TNO aquatiques"
            : "Municipal units: \(m.units): \(m.municipalities) municipalities, \(m.tno) unorganised territories, \(m.reserves) reserves, \(m.aquatic) aquatic")
        let des = m.byDesignation.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "?" : $0.key) \($0.value)" }.joined(separator: ", ")
        out.append((fr ? "  par désignation : " : "  by designation: ") + des)
        if coast.classified {
            let d = coast.distanceM.map { NumberFormat.shortest($0) } ?? "?"
            out.append(fr ? "Littoral / intérieur (distance \(d) m, EPSG:32198) :" : "Coastal / inland (distance \(d) m, EPSG:32198):")
            for (label, c) in [(fr ? "régions" : "regions", coast.regions), ("MRC", coast.mrc),
                               (fr ? "municipalités" : "municipalities", coast.municipalities)] {
                out.append("  \(label) : \(c.littoral) littoral, \(c.interieur) \(fr ? "intérieur" : "inland")"
                           + (c.aquatic > 0 ? (fr ? ", \(c.aquatic) aquatiques à part" : ", \(c.aquatic) aquatic apart") : ""))
            }
        } else {
            out.append(fr ? "Littoral / intérieur : non classé (portrait classify coast)" : "Coastal / inland: not classified (portrait classify coast)")
        }
        out.append(fr ? "Dernières importations :" : "Last imports:")
        for i in imports.prefix(5) {
            let src = i.sourceFile.map { ($0 as NSString).lastPathComponent } ?? "-"
            out.append("  #\(i.id ?? 0) \(i.importedAt) \(i.kind)\(i.level.map { " " + $0 } ?? "") \(src) : \(i.units)")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

