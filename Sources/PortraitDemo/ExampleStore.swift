import Foundation
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory

/// The compact real dataset of Bas-Saint-Laurent (`geodata/bsl/`), and the example store the guide's examples use:
/// that real dataset plus SYNTHETIC companions (an IVE series, INSPQ quintiles, a 2016 census, 0–17 counts) shipped
/// in `geodata/bsl/synthetique/`. The companions never go into a store of real data: `load` makes a store of its own.
public enum ExampleStore {
    /// Loads the real dataset of `directory` (`geodata/bsl`) into a new store, as `scripts/load-bsl` does.
    public static func loadRealDataset(from d: String, into path: String) throws {
        _ = try BoundaryImporter.run(file: d + "/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: path)
        _ = try BoundaryImporter.run(file: d + "/bsl_mrc_sda.geojson", options: .init(level: .mrc), storePath: path)
        _ = try BoundaryImporter.run(file: d + "/qc_regions_sda.geojson", options: .init(level: .region), storePath: path)
        _ = try CoastlineImporter.run(file: d + "/gshhg_h_stlawrence_bsl.geojson", storePath: path)
        _ = try CoastClassifier.run(storePath: path)
        _ = try IndicatorImporter.run(file: d + "/recensement_2021_sdr_bsl.csv", options: .init(vintage: 2021, preset: .statcanCensus), storePath: path)
        _ = try ServiceImporter.run(file: d + "/bsl_ecoles_publiques_meq.geojson", category: "ecole", preset: .meqSchools, vintage: 2022, storePath: path)
        _ = try ServiceImporter.run(file: d + "/bsl_installations_sante_odhf.csv", category: "sante", preset: .odhf, vintage: 2020, storePath: path)
        _ = try MobilisationImporter.run(file: d + "/mobilisations_bsl.csv", storePath: path)
    }

    /// The companions' file names, in `geodata/bsl/synthetique/`.
    public static let ive = "ive_localites_2016-2020_SYNTHETIQUE.csv"
    public static let inspq = "inspq_defavorisation_2021_SYNTHETIQUE.csv"
    public static let census2016 = "recensement_2016_population_SYNTHETIQUE.csv"
    public static let youth = "jeunes_0_17_2021_SYNTHETIQUE.csv"

    /// Writes the four companions for the municipalities of a store holding the real dataset; returns their paths.
    /// The values are invented (a fixed function of each code, its shore class and its real 2021 population), and
    /// every file says so in its name.
    public static func writeCompanions(from storePath: String, directory: String) throws -> [String] {
        let store = try Stores.open(storePath)
        let units = try store.units(.municipality, withGeometry: false)
            .filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }.sorted { $0.code < $1.code }
        let population = try store.indicatorValues("population", vintage: 2021, level: .municipality)
        func h(_ code: String, _ salt: String) -> UInt64 { StableHash.fnv1a(salt + code) }
        // IVE 2016, 2018, 2020 as the ISQ publishes a series: a column per year, with its rank and quintile.
        let years = [2016, 2018, 2020]
        var values: [Int: [String: Double]] = [:]
        for y in years {
            for u in units {
                let base = u.coastClass == .littoral ? 1.5 : -3.0
                let v = base + Double(h(u.code, "ive\(y)") % 1_300) / 100 - 6.5 + Double(y - 2016) * 0.2
                values[y, default: [:]][u.code] = (v * 100).rounded() / 100
            }
        }
        func rank(_ y: Int, _ code: String) -> (Int, Int) {
            let all = values[y]!.values.sorted(by: >), v = values[y]![code]!
            let r = (all.firstIndex(of: v) ?? 0) + 1
            return (r, min(5, 1 + 5 * (all.count - r) / all.count))
        }
        var ive = "Code géographique;Localité;" + years.map { "IVE \($0);Rang \($0);Quintile \($0)" }.joined(separator: ";") + "\r\n"
        var dep = "Code municipal;Municipalité;Quintile matériel;Quintile social\r\n"
        var c2016 = "code_geo,nom,population\r\n"
        var youth = "code_geo,nom,jeunes_0_17\r\n"
        func csvName(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        for u in units {
            ive += "\(u.code);\(u.name);" + years.map { y in
                let (r, q) = rank(y, u.code)
                return "\(NumberText.format(values[y]![u.code]!, decimals: 2));\(r);\(q)"
            }.joined(separator: ";") + "\r\n"
            let qm = 1 + Int(h(u.code, "mat") % 5), qs = 1 + Int(h(u.code, "soc") % 5)
            dep += "\(u.code);\(u.name);\(min(5, qm + (u.coastClass == .interieur ? 1 : 0)));\(qs)\r\n"
            // A value of the companions only where the real 2021 population is known: never invented from nothing.
            if let p = population[u.code]?.number {
                let change = -0.08 + Double(h(u.code, "2016") % 1_200) / 10_000
                c2016 += "\(u.code),\(csvName(u.name)),\(Int((p / (1 + change)).rounded()))\r\n"
                let share = 0.14 + Double(h(u.code, "0-17") % 800) / 10_000
                youth += "\(u.code),\(csvName(u.name)),\(Int((p * share).rounded()))\r\n"
            }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = [(ive, Self.ive), (dep, inspq), (c2016, census2016), (youth, Self.youth)]
        return try files.map { text, name in
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// What `load` imported.
    public struct Loaded: Sendable {
        public var created: Bool
        public var files: [String]
    }

    /// The example store at `path`: a new store gets the real dataset, then the companions; a store that already
    /// holds the companions gets them again. A store of real data without them is refused: SYNTHETIC values never
    /// go there.
    public static func load(storePath path: String, dataset d: String) throws -> Loaded {
        let companions = (d as NSString).appendingPathComponent("synthetique")
        var created = false
        if Stores.exists(path) {
            let store = try Stores.open(path)
            let synthetic = try store.imports(limit: 100_000).contains { $0.kind == "indicators" && ($0.sourceFile ?? "").uppercased().contains("SYNTHETIQUE") }
            if !synthetic, try store.count(.municipality) > 0 {
                throw TerritoryError.invalid("le magasin \(path) contient des données réelles : les valeurs SYNTHÉTIQUES n'y vont jamais ; "
                                             + "donnez un nouveau magasin d'exemple (--store exemple.gpkg), que cette commande remplit des données réelles du Bas-Saint-Laurent puis des valeurs synthétiques")
            }
        } else {
            try loadRealDataset(from: d, into: path)
            created = true
        }
        let source = SyntheticIndicators.source
        func file(_ name: String) -> String { (companions as NSString).appendingPathComponent(name) }
        _ = try IndicatorImporter.run(file: file(ive), options: .init(vintage: 0, preset: .isqIVE, source: source), storePath: path)
        _ = try IndicatorImporter.run(file: file(inspq), options: .init(vintage: 2021, preset: .inspqDeprivation, source: source), storePath: path)
        _ = try IndicatorImporter.run(file: file(census2016), options: .init(indicator: "population", vintage: 2016, codeField: "code_geo",
                                                                             valueFields: ["population"], source: source), storePath: path)
        _ = try IndicatorImporter.run(file: file(youth), options: .init(indicator: "jeunes_0_17", vintage: 2021, codeField: "code_geo",
                                                                        valueFields: ["jeunes_0_17"], kind: .count, source: source), storePath: path)
        return Loaded(created: created, files: [ive, inspq, census2016, youth].map(file))
    }
}
