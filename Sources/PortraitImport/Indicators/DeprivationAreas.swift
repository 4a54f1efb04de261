import Foundation
import PortraitModel

/// The INSPQ material and social deprivation index as published, by
/// dissemination area (DA): the attribute table of `Ad_2021_IndDef.shp`
/// (`ADIDU`, `ADPOP2021`, `QuintMat`, `QuintSoc`, `SDRIDU`, `SDRNOM`, regional
/// quintiles `QuintMatRS`/`QuintSocRS`; names cut at ten characters by the
/// dBase format), aggregated by population to the municipalities: the share
/// of the population living in quintile 5, in quintiles 4 and 5, and the
/// population of the DAs without a quintile (0 or empty), reported apart.
public enum DeprivationAreas {
    /// Which quintiles: those of all Quebec (`QuintMat`) or of the health region (`QuintMatRS`).
    public enum Scale: String, Sendable, CaseIterable, Codable {
        case quebec, rss
        var labelFR: String { self == .quebec ? "quintiles de l'ensemble du Québec" : "quintiles de la région sociosanitaire" }
        var labelEN: String { self == .quebec ? "quintiles of all Quebec" : "quintiles of the health region" }
    }

    /// The columns of the DA layout in a file, when it has them.
    struct Columns {
        var area: String, population: String, material: String, social: String, subdivision: String
    }

    static func detect(_ fields: [String], scale: Scale) -> Columns? {
        func find(_ names: [String]) -> String? { Header.find(names, in: fields).flatMap { f in names.contains { Header.key($0) == Header.key(f) } ? f : nil } }
        guard let area = find(["ADIDU", "AD", "DAUID"]), let pop = find(["ADPOP2021", "ADPOP", "POP2021"]),
              let sdr = find(["SDRIDU", "CSDUID"]) else { return nil }
        let mat = scale == .quebec ? find(["QuintMat"]) : find(["QuintMatRS", "QuintMatRSS"])
        let soc = scale == .quebec ? find(["QuintSoc"]) : find(["QuintSocRS", "QuintSocRSS"])
        guard let mat, let soc else { return nil }
        return Columns(area: area, population: pop, material: mat, social: soc, subdivision: sdr)
    }

    /// One dissemination area as read.
    public struct Area: Sendable, Hashable {
        public var id: String
        public var population: Double
        /// 1…5, nil when no quintile is assigned (0 or empty in the file).
        public var material: Int?
        public var social: Int?
        /// The current 5-digit municipal code (old codes carried over).
        public var municipality: String
        public init(id: String, population: Double, material: Int?, social: Int?, municipality: String) {
            self.id = id; self.population = population; self.material = material; self.social = social; self.municipality = municipality
        }
    }

    /// Population by quintile of one dimension in one territory.
    public struct Shares: Sendable, Hashable {
        /// Population in quintiles 1…5 (index 0…4).
        public var byQuintile = [Double](repeating: 0, count: 5)
        public var withoutQuintile = 0.0
        public var withQuintile: Double { byQuintile.reduce(0, +) }
        /// Percentage of the population with a quintile that lives in quintile 5; nil without any.
        public var q5: Double? { withQuintile > 0 ? byQuintile[4] / withQuintile * 100 : nil }
        public var q45: Double? { withQuintile > 0 ? (byQuintile[3] + byQuintile[4]) / withQuintile * 100 : nil }
        mutating func add(_ q: Int?, _ population: Double) {
            if let q, (1...5).contains(q) { byQuintile[q - 1] += population } else { withoutQuintile += population }
        }
    }

    /// The pure aggregation: by municipality, the material and social shares.
    public static func aggregate(_ areas: [Area]) -> [String: (material: Shares, social: Shares)] {
        var out: [String: (material: Shares, social: Shares)] = [:]
        for a in areas {
            var s = out[a.municipality] ?? (Shares(), Shares())
            s.material.add(a.material, a.population)
            s.social.add(a.social, a.population)
            out[a.municipality] = s
        }
        return out
    }

    /// Reads the DA rows of a layer in the DA layout; a bad cell names its row and column.
    static func areas(_ layer: SourceLayer, columns c: Columns, codeChanges: CodeChanges, file: String) throws -> [Area] {
        try layer.features.map { f in
            let row = "ligne \(f.index + 2)"
            func text(_ k: String) -> String? { f.attributes[k]?.text?.trimmingCharacters(in: .whitespaces) }
            guard let id = text(c.area), !id.isEmpty else {
                throw ImportError(.missingValue, file: file, location: row, "colonne \(c.area) : identifiant d'aire de diffusion absent")
            }
            guard let rawSDR = text(c.subdivision), let code = try? Codes.fromCSDUID(rawSDR) else {
                throw ImportError(.nonNumericCode, file: file, location: "\(row) (AD \(id))",
                                  "colonne \(c.subdivision) : identifiant de subdivision à 7 chiffres commençant par 24 attendu, reçu « \(text(c.subdivision) ?? "") »")
            }
            guard let pop = CellValue.parse(text(c.population))?.number, pop >= 0 else {
                throw ImportError(.missingValue, file: file, location: "\(row) (AD \(id))", "colonne \(c.population) : population positive attendue")
            }
            func quintile(_ k: String) throws -> Int? {
                let t = text(k) ?? ""
                if t.isEmpty { return nil }
                guard let v = Double(t.replacingOccurrences(of: ",", with: ".")), v == v.rounded(), (0...5).contains(v) else {
                    throw ImportError(.missingValue, file: file, location: "\(row) (AD \(id))", "colonne \(k) : quintile de 1 à 5 (0 ou vide : sans quintile) attendu, reçu « \(t) »")
                }
                return v == 0 ? nil : Int(v)
            }
            return Area(id: id, population: pop, material: try quintile(c.material), social: try quintile(c.social),
                        municipality: codeChanges.current(code))
        }
    }

    /// The municipal values of the five share indicators, and their definitions labelled with the scale.
    static func indicators(_ shares: [String: (material: Shares, social: Shares)], scale: Scale)
        -> [(definition: IndicatorDefinition, values: [String: CellValue])] {
        let keys: [(String, (material: Shares, social: Shares)) -> Double?] = [
            { _, s in s.material.q5 }, { _, s in s.material.q45 }, { _, s in s.social.q5 }, { _, s in s.social.q45 },
            { _, s in s.material.withoutQuintile },
        ]
        return zip(IndicatorDefinition.deprivationShares, keys).map { d, value in
            var def = d
            if def.unit == "%" { def.labelFR += " (\(scale.labelFR))"; def.labelEN += " (\(scale.labelEN))" }
            var values: [String: CellValue] = [:]
            for (code, s) in shares { values[code] = value(code, s).map(CellValue.value) ?? .missing }
            return (def, values)
        }
    }
}
