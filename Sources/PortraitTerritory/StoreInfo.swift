import Foundation
import PortraitGeometry
import PortraitStore

/// What `portrait info` reports about a store.
public struct StoreInfo: Codable, Sendable {
    public struct Layer: Codable, Sendable {
        public var name: String
        public var kind: String
        public var geometryType: String?
        public var features: Int
        public var bbox: [Double]?
        enum CodingKeys: String, CodingKey { case name, kind, geometryType = "geometry_type", features, bbox }
    }
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

    public static func read(storePath: String) throws -> StoreInfo {
        guard TerritoryStore.exists(at: storePath) else {
            throw ImportError(.noBoundaries, file: storePath, "magasin absent : lancez « portrait import boundaries » ou « portrait demo »")
        }
        let store = try TerritoryStore(openExisting: storePath)
        let db = store.db
        var layers: [Layer] = []
        for c in try store.package.contents() {
            let n = try db.scalar("SELECT count(*) FROM \"\(c.table)\"")?.int ?? 0
            layers.append(Layer(name: c.table, kind: c.dataType, geometryType: c.geometryType, features: n,
                                bbox: try store.package.extent(c.table)?.asArray.map { ($0 * 1e6).rounded() / 1e6 }))
        }
        var byDes: [String: Int] = [:]
        for r in try db.query("SELECT coalesce(designation, ''), count(*) FROM municipalities GROUP BY 1") {
            byDes[r[0].text ?? ""] = r[1].int ?? 0
        }
        let units = byDes.values.reduce(0, +)
        let muni = byDes.filter { Designation.isMunicipality($0.key.isEmpty ? nil : $0.key) }.values.reduce(0, +)
        let counts = MunicipalityCounts(units: units, municipalities: muni, tno: byDes[Designation.unorganised] ?? 0,
                                        reserves: Designation.reserves.map { byDes[$0] ?? 0 }.reduce(0, +),
                                        aquatic: byDes[Designation.aquatic] ?? 0, byDesignation: byDes)
        func coastCounts(_ level: Level) throws -> CoastCounts {
            var c = CoastCounts()
            let aquatic = level == .municipality ? "aquatic" : "0"
            for r in try db.query("SELECT class, \(aquatic), count(*) FROM \"\(level.table)\" WHERE class IS NOT NULL GROUP BY 1, 2") {
                let n = r[2].int ?? 0
                if r[1].int == 1 { c.aquatic += n } else if r[0].text == CoastClass.littoral.rawValue { c.littoral += n } else { c.interieur += n }
            }
            return c
        }
        let imports = try store.imports(limit: 10)
        let lastClassify = try db.query("SELECT parameters FROM imports WHERE kind = 'classify-coast' ORDER BY id DESC LIMIT 1").first
        let distance = lastClassify.flatMap { JSONText.parseObject($0[0].text ?? "{}")["distance_m"] }.flatMap(Double.init)
        let classified = try db.scalar("SELECT count(*) FROM municipalities WHERE class IS NOT NULL")?.int ?? 0
        let coast = Coast(classified: classified > 0, distanceM: distance, coastlineLines: try store.coastlineCount(),
                          regions: try coastCounts(.region), mrc: try coastCounts(.mrc),
                          municipalities: try coastCounts(.municipality))
        let demo = try store.isDemo()
        return StoreInfo(store: storePath, crs: "EPSG:4326", demo: demo, layers: layers,
                         regions: try store.count(.region), mrc: try store.count(.mrc),
                         municipalities: counts, coast: coast, imports: imports)
    }

    public func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self) + "\n"
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

/// Output language: French first, English available.
public enum Language: String, CaseIterable, Sendable, Codable {
    case fr, en
}
