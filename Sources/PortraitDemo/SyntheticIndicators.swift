import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore
import PortraitTerritory

/// SYNTHETIC vitality and deprivation tables for the municipalities of a real
/// store, in the ISQ and INSPQ layouts, for showing maps and testing when no
/// real file is at hand. The values are invented (a fixed function of each
/// code and of its shore class) and every file and source says so.
public enum SyntheticIndicators {
    public static let source = "Valeurs SYNTHÉTIQUES générées par Portrait (aucun fichier réel disponible)"

    /// Writes `synthetique_ive.csv` and `synthetique_defavorisation.csv` for the
    /// municipalities of `region`; returns their paths.
    public static func write(storePath: String, region: Territory, directory: String) throws -> [String] {
        let store = try Stores.open(storePath)
        let units = try store.municipalities(in: region, withGeometry: false)
            .filter { !$0.isAquatic && $0.designation != Designation.unorganised }
        var ive = "Code géographique;Localité;Indice de vitalité économique\n"
        var dep = "Code municipal;Municipalité;Quintile matériel;Quintile social\n"
        for u in units {
            let h = hash(u.code)
            let base = u.coastClass == .littoral ? 1.5 : -3.0
            let v = base + Double(h % 1_300) / 100 - 6.5
            ive += "\(u.code);\(u.name);\(NumberText.format(v, decimals: 2))\n"
            let q = 1 + Int(h / 7 % 5)
            dep += "\(u.code);\(u.name);\(min(5, q + (u.coastClass == .interieur ? 1 : 0)));\(1 + Int(h / 11 % 5))\n"
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let paths = [(directory as NSString).appendingPathComponent("synthetique_ive.csv"),
                     (directory as NSString).appendingPathComponent("synthetique_defavorisation.csv")]
        try ive.write(toFile: paths[0], atomically: true, encoding: .utf8)
        try dep.write(toFile: paths[1], atomically: true, encoding: .utf8)
        return paths
    }

    /// FNV-1a of the code: stable across runs and platforms.
    static func hash(_ s: String) -> UInt64 { StableHash.fnv1a(s) }
}
