import Foundation
import PortraitGeometry
import PortraitModel

/// A region, an MRC or a municipality given by its name (`--mrc "La Mitis"`): the one unit of that level whose name
/// matches, accents, case, punctuation and a leading « MRC de » or « région du » aside. Several units of one name
/// (Quebec's homonyms) are listed with what tells them apart and never chosen; a name that matches none is refused
/// with the nearest names. A code is read as a code.
public enum TerritoryLookup {
    /// `raw` when it is a code; else the code of the unit so named.
    public static func code(_ level: Level, _ raw: String, store: @autoclosure () throws -> any TerritoryStore) throws -> String {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) { return t }
        // The 17 regions are named by law: no store is needed to read their names.
        let units = level == .region
            ? Codes.regionNames.sorted { $0.key < $1.key }.map { TerritorialUnit(level: .region, code: $0.key, name: $0.value, areaKm2: 0, geometry: .init([])) }
            : try store().units(level, withGeometry: false)
        let what = level == .region ? "région" : level == .mrc ? "MRC" : "municipalité"
        guard !units.isEmpty else {
            throw TerritoryError.notFound("\(what) « \(t) » : le magasin n'a pas de couche \(level == .mrc ? "MRC" : "municipale") pour lire les noms ; donnez son code")
        }
        let wanted = key(t, level)
        let found = units.filter { key($0.name, level) == wanted }
        if found.count == 1 { return found[0].code }
        let mrcNames = level == .municipality
            ? Dictionary(try store().units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a } : [:]
        func label(_ u: TerritorialUnit) -> String {
            var parts = [u.code]
            if level == .municipality {
                if let d = u.designation { parts.append(Designation.name(d, .fr)) }
                if let m = u.mrcCode { parts.append("MRC " + (mrcNames[m] ?? m)) }
            }
            return "\(u.name) (\(parts.joined(separator: ", ")))"
        }
        if found.count > 1 {
            throw TerritoryError.invalid("« \(t) » désigne \(found.count) unités de niveau \(what) : "
                                         + found.sorted { $0.code < $1.code }.map(label).joined(separator: " ; ") + " : donnez son code")
        }
        // A name that holds the one given (« Gaspésie » in « Gaspésie–Îles-de-la-Madeleine ») is near too.
        var near: [(u: TerritorialUnit, d: Int)] = units.map { u in
            let k = key(u.name, level)
            return (u, wanted.count >= 4 && (k.contains(wanted) || wanted.contains(k)) ? 1 : Names.editDistance(k, wanted))
        }
        near.sort { a, b in a.d != b.d ? a.d < b.d : a.u.code < b.u.code }
        let limit = max(3, wanted.count / 3)
        let close: [String] = near.prefix(3).filter { $0.d <= limit }.map { label($0.u) }
        throw TerritoryError.notFound("\(what) « \(t) » introuvable" + (close.isEmpty ? "" : " ; vouliez-vous dire : \(close.joined(separator: " ; ")) ?")
                                      + " (portrait info liste les codes)")
    }

    /// The name as it is compared: `Names.key`, without « MRC de », « région du », a leading article or « (MRC) ».
    static func key(_ name: String, _ level: Level) -> String {
        var k = Names.key(name)
        let prefixes = level == .mrc ? ["mrc_de_la_", "mrc_de_l_", "mrc_des_", "mrc_du_", "mrc_de_", "mrc_d_", "mrc_"]
            : level == .region ? ["region_de_la_", "region_de_l_", "region_des_", "region_du_", "region_de_", "region_d_", "region_"] : []
        for p in prefixes where k.hasPrefix(p) { k = String(k.dropFirst(p.count)); break }
        if level != .municipality {
            for a in ["la_", "le_", "les_", "l_"] where k.hasPrefix(a) { k = String(k.dropFirst(a.count)); break }
        }
        return k
    }
}
