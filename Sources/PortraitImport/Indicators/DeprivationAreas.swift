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

    /// The two published layouts of the index by DA.
    public enum Layout: String, Sendable, Codable {
        /// Attribute table of `Ad_2021_IndDef.shp`: one row per DA, its subdivision (`SDRIDU`) beside it.
        case shapefile = "aires de diffusion (Ad_2021_IndDef)"
        /// Correspondence workbook (sheet `Données`): `RSS`, `AD`, `ADPOP2021`, `QuintMatRSS`, `QuintSocRSS`, `RLS`,
        /// `FRAC_CLSC`; a DA split between territories on several rows with its fractions, no municipality column.
        case workbook = "fichier de correspondance (RSS, RLS, CLSC)"
    }

    /// The columns of the DA layout in a file, when it has them.
    struct Columns {
        var area: String, population: String, material: String, social: String
        /// The 7-digit subdivision id (shapefile layout); nil in the workbook, whose DAs are placed by `--areas`.
        var subdivision: String?
        /// The fraction of the DA on each row (workbook: `FRAC_CLSC`).
        var fraction: String?
        var scale: Scale
        var layout: Layout { subdivision == nil ? .workbook : .shapefile }
    }

    static func find(_ names: [String], in fields: [String]) -> String? {
        Header.find(names, in: fields).flatMap { f in names.contains { Header.key($0) == Header.key(f) } ? f : nil }
    }

    /// Recognises either layout by its headers. `scale` nil: Quebec quintiles when the file has them, else the RSS's.
    static func detect(_ fields: [String], scale: Scale?) -> Columns? {
        guard let area = find(["ADIDU", "AD", "DAUID"], in: fields), let pop = find(["ADPOP2021", "ADPOP", "POP2021"], in: fields) else { return nil }
        let quebec = (find(["QuintMat"], in: fields), find(["QuintSoc"], in: fields))
        let rss = (find(["QuintMatRS", "QuintMatRSS"], in: fields), find(["QuintSocRS", "QuintSocRSS"], in: fields))
        let chosen: Scale
        switch scale {
        case .some(let s): chosen = s
        case nil: chosen = quebec.0 != nil && quebec.1 != nil ? .quebec : .rss
        }
        let (mat, soc) = chosen == .quebec ? quebec : rss
        guard let mat, let soc else { return nil }
        return Columns(area: area, population: pop, material: mat, social: soc, subdivision: find(["SDRIDU", "CSDUID"], in: fields),
                       fraction: find(["FRAC_CLSC", "FRAC", "FRACTION"], in: fields), scale: chosen)
    }

    /// Whether a file's headers are those of the index by DA, whatever the scale asked (for a clear error).
    static func looksLikeAreas(_ fields: [String]) -> Bool {
        find(["ADIDU", "AD", "DAUID"], in: fields) != nil && find(["ADPOP2021", "ADPOP"], in: fields) != nil
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

    /// A DA id as written: "24100001", or "24100001.0" from a spreadsheet's number cell.
    static func areaID(_ raw: String) -> String {
        var t = raw.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix(".0") { t.removeLast(2) }
        return t
    }

    /// How the rows of a file became areas: split DAs, fractions that do not add up, DAs placed nowhere.
    struct Reading {
        var areas: [Area] = []
        /// DAs on several rows (workbook), with their number of rows.
        var split: [String: Int] = [:]
        /// Split DAs whose fractions do not add up to 1 (± 0.01): DA → sum.
        var badFractions: [String: Double] = [:]
        /// DAs with no municipality in the correspondence given (`--areas`).
        var unplaced: [(row: Int, id: String)] = []
        /// DAs repeated without fractions: the first row kept.
        var duplicates: [String: [Int]] = [:]
    }

    /// Reads the DA rows of a layer in either layout. In the workbook, `places` gives each DA's municipality and
    /// a row's population is `ADPOP2021 × FRAC_CLSC`. A bad cell names its row and column.
    static func read(_ layer: SourceLayer, columns c: Columns, places: [String: String]?, codeChanges: CodeChanges, file: String) throws -> Reading {
        var out = Reading()
        var rowsOf: [String: [Int]] = [:]
        var fractions: [String: Double] = [:]
        for f in layer.features {
            let line = f.index + 2
            let row = "ligne \(line)"
            func text(_ k: String) -> String? { f.attributes[k]?.text?.trimmingCharacters(in: .whitespaces) }
            guard let raw = text(c.area), !raw.isEmpty else {
                throw ImportError(.missingValue, file: file, location: row, "colonne \(c.area) : identifiant d'aire de diffusion absent")
            }
            let id = areaID(raw)
            let municipality: String
            if let sdr = c.subdivision {
                guard let rawSDR = text(sdr), let code = try? Codes.fromCSDUID(areaID(rawSDR)) else {
                    throw ImportError(.nonNumericCode, file: file, location: "\(row) (AD \(id))",
                                      "colonne \(sdr) : identifiant de subdivision à 7 chiffres commençant par 24 attendu, reçu « \(text(sdr) ?? "") »")
                }
                municipality = codeChanges.current(code)
            } else if let m = places?[id] {
                municipality = codeChanges.current(m)
            } else {
                if !out.unplaced.contains(where: { $0.id == id }) { out.unplaced.append((line, id)) }
                continue
            }
            guard let pop = CellValue.parse(text(c.population))?.number, pop >= 0 else {
                throw ImportError(.missingValue, file: file, location: "\(row) (AD \(id))",
                                  "colonne \(c.population) : population positive ou nulle attendue, reçu « \(text(c.population) ?? "") »")
            }
            var fraction = 1.0
            if let fc = c.fraction {
                guard let v = CellValue.parse(text(fc))?.number, v >= 0, v <= 1 else {
                    throw ImportError(.missingValue, file: file, location: "\(row) (AD \(id))",
                                      "colonne \(fc) : fraction de 0 à 1 attendue, reçu « \(text(fc) ?? "") »")
                }
                fraction = v
                fractions[id, default: 0] += v
            }
            rowsOf[id, default: []].append(line)
            if c.fraction == nil, (rowsOf[id]?.count ?? 0) > 1 { continue }   // repeated without fractions: first row kept
            func quintile(_ k: String) throws -> Int? {
                let t = text(k) ?? ""
                if t.isEmpty { return nil }
                guard let v = Double(t.replacingOccurrences(of: ",", with: ".")), v == v.rounded(), (0...5).contains(v) else {
                    throw ImportError(.missingValue, file: file, location: "\(row) (AD \(id))", "colonne \(k) : quintile de 1 à 5 (0 ou vide : sans quintile) attendu, reçu « \(t) »")
                }
                return v == 0 ? nil : Int(v)
            }
            out.areas.append(Area(id: id, population: pop * fraction, material: try quintile(c.material), social: try quintile(c.social),
                                  municipality: municipality))
        }
        for (id, rows) in rowsOf where rows.count > 1 {
            if c.fraction == nil { out.duplicates[id] = rows } else { out.split[id] = rows.count }
        }
        for (id, sum) in fractions where abs(sum - 1) > 0.01 { out.badFractions[id] = sum }
        return out
    }

    /// The municipal values of the share indicators and the populations they weigh, labelled with the scale.
    static func indicators(_ shares: [String: (material: Shares, social: Shares)], scale: Scale)
        -> [(definition: IndicatorDefinition, values: [String: CellValue])] {
        let keys: [(String, (material: Shares, social: Shares)) -> Double?] = [
            { _, s in s.material.q5 }, { _, s in s.material.q45 }, { _, s in s.social.q5 }, { _, s in s.social.q45 },
            { _, s in s.material.withoutQuintile }, { _, s in s.material.withQuintile }, { _, s in s.social.withQuintile },
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
