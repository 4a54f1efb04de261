import Foundation
import PortraitModel

/// The generated sentences of a portrait, in French and English. Every number they print is one of the
/// report's figures (a value, a share, a rank, a quintile, a year), formatted by `NumberText`; labels and
/// custom names are quoted (« » or “ ”), so that a number inside a label is never read as a figure.
public enum Sentences {
    /// Region names with their French preposition and article (MAMH's names of the 17 administrative regions).
    static let regionOf: [String: String] = [
        "01": "du Bas-Saint-Laurent", "02": "du Saguenay–Lac-Saint-Jean", "03": "de la Capitale-Nationale", "04": "de la Mauricie",
        "05": "de l'Estrie", "06": "de Montréal", "07": "de l'Outaouais", "08": "de l'Abitibi-Témiscamingue", "09": "de la Côte-Nord",
        "10": "du Nord-du-Québec", "11": "de la Gaspésie–Îles-de-la-Madeleine", "12": "de Chaudière-Appalaches", "13": "de Laval",
        "14": "de Lanaudière", "15": "des Laurentides", "16": "de la Montérégie", "17": "du Centre-du-Québec",
    ]

    /// "de Saint-Fabien", "des Basques", "du Bic", "de La Mitis", "d'Amqui".
    public static func de(_ name: String) -> String {
        if name.hasPrefix("Les ") { return "des " + name.dropFirst(4) }
        if name.hasPrefix("Le ") { return "du " + name.dropFirst(3) }
        if let f = name.first, "AEIOUYÉÈÊÎÔÂHaeiouyéèêîôâ".contains(f), !name.hasPrefix("Hau"), !name.hasPrefix("Ham"), !name.hasPrefix("Hé") {
            return "d'" + name
        }
        return "de " + name
    }

    /// "à Saint-Fabien", "aux Méchins", "au Bic".
    static func at(_ name: String) -> String {
        if name.hasPrefix("Les ") { return "aux " + name.dropFirst(4) }
        if name.hasPrefix("Le ") { return "au " + name.dropFirst(3) }
        return "à " + name
    }

    /// The territory as the complement of « de » : "la MRC de Rimouski-Neigette", "la région du Bas-Saint-Laurent".
    public static func nameFR(_ t: TerritoryRef) -> String {
        switch t.level {
        case .municipality: t.name
        case .mrc: t.name == "MRC \(t.code)" ? "la \(t.name)" : "la MRC " + de(t.name)
        case .region: "la région " + (regionOf[t.code] ?? de(t.name))
        case .all: "l'ensemble du territoire"
        case .custom: "le territoire « \(t.name) »"
        }
    }

    /// "de Saint-Fabien", "de la MRC de …", "de l'ensemble du territoire", "du territoire « … »".
    public static func ofFR(_ t: TerritoryRef) -> String {
        switch t.level {
        case .municipality: de(t.name)
        case .custom: "du territoire « \(t.name) »"
        default: "de " + nameFR(t)
        }
    }

    /// "à Saint-Fabien", "dans la MRC de …".
    static func inFR(_ t: TerritoryRef) -> String { t.level == .municipality ? at(t.name) : "dans " + nameFR(t) }

    public static func nameEN(_ t: TerritoryRef) -> String {
        switch t.level {
        case .municipality: t.name
        case .mrc: t.name == "MRC \(t.code)" ? "the \(t.name)" : "the \(t.name) MRC"
        case .region: "the \(t.name) region"
        case .all: "the whole territory"
        case .custom: "the territory “\(t.name)”"
        }
    }

    static func amongFR(_ r: ComparisonFigure.Rank) -> String {
        switch r.among {
        case "municipalities": "municipalités " + (r.within.map(ofFR) ?? "")
        case "mrc": "MRC " + (r.within.map(ofFR) ?? "")
        default: "régions"
        }
    }

    static func amongEN(_ r: ComparisonFigure.Rank) -> String {
        switch r.among {
        case "municipalities": "municipalities in " + (r.within.map(nameEN) ?? "")
        case "mrc": "MRCs in " + (r.within.map(nameEN) ?? "")
        default: "regions"
        }
    }

    static func ordinalEN(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th"
        return "\(n)\(suffix)"
    }

    /// The decimals a figure is printed with: none for counts and values of 100 or more, one otherwise.
    static func decimals(_ v: Double, kind: IndicatorKind) -> Int { kind == .count || abs(v) >= 100 ? 0 : 1 }

    /// A value with its unit: "1 834 habitants", "62 000 $", "12,5 %", "−3,2"; shares as percentages.
    public static func value(_ v: Double, kind: IndicatorKind, unit: String, language lang: Language) -> String {
        if unit == "share" { return NumberText.percent(v, language: lang) }
        let n = NumberText.format(v, decimals: decimals(v, kind: kind), language: lang)
        switch unit {
        case "$": return lang == .fr ? "\(n) $" : "$\(n)"
        case "%": return lang == .fr ? "\(n) %" : "\(n)%"
        case "", "indice", "index", "quintile", "score", "points": return n
        default: return "\(n) \(lang == .fr ? unit : englishUnit(unit))"
        }
    }

    static func englishUnit(_ u: String) -> String {
        ["habitants": "inhabitants", "logements": "dwellings", "personnes": "people", "ménages": "households",
         "hab./km²": "inhabitants/km²"][u] ?? u
    }

    /// The sentence of one figure beside its references, its rank and quintile.
    static func figure(_ f: ComparisonFigure, territory t: TerritoryRef, language lang: Language) -> String {
        guard let v = f.value else { return "" }
        let fr = lang == .fr
        // A label with a digit in it is quoted, so that its numbers are never read as figures.
        let quoted = f.label.contains(where: \.isNumber)
        let label = !quoted ? f.label : fr ? "« \(f.label) »" : "“\(f.label)”"
        let year = (f.year ?? f.vintage).map { " (\($0))" } ?? ""
        let refs = f.references.filter { $0.value != nil }
        func shown(_ x: Double) -> String { value(x, kind: f.kind, unit: f.unit, language: lang) }
        /// Compared as printed: equal when both print the same.
        func compare(_ a: Double, _ b: Double) -> Int {
            let (sa, sb) = (shown(a), shown(b))
            return sa == sb ? 0 : a > b ? 1 : -1
        }
        func list(_ items: [String]) -> String {
            guard items.count > 1 else { return items.first ?? "" }
            return items.dropLast().joined(separator: ", ") + (fr ? " et " : " and ") + items.last!
        }
        let weighted = fr ? " en moyenne pondérée" : " weighted mean"
        var s: String
        if f.kind == .count {
            // A share of the references that hold the territory; beside the others, their value only.
            let parts = refs.filter { $0.share != nil }.map { r -> String in
                let share = NumberText.percent(r.share!, language: lang)
                return fr ? "\(share) \(ofFR(r.territory)) (\(shown(r.value!)))" : "\(share) of \(nameEN(r.territory))’s (\(shown(r.value!)))"
            }
            let others = refs.filter { $0.share == nil }.map { r -> String in
                fr ? "\(shown(r.value!)) \(inFR(r.territory))" : "\(shown(r.value!)) in \(nameEN(r.territory))"
            }
            s = fr ? "\(label)\(year) : \(shown(v)) \(inFR(t))" : "\(label)\(year): \(shown(v)) in \(nameEN(t))"
            if !parts.isEmpty { s += fr ? ", soit \(list(parts))" : ", that is \(list(parts))" }
            if !others.isEmpty { s += fr ? ", contre \(list(others))" : ", against \(list(others))" }
        } else {
            let mean = f.method == "weighted_mean" ? (fr ? ", moyenne pondérée" : ", weighted mean") : ""
            s = fr ? "\(label)\(year) : \(shown(v)) \(inFR(t))\(mean)" : "\(label)\(year): \(shown(v)) in \(nameEN(t))\(mean)"
            let parts = refs.map { r -> String in
                let c = compare(v, r.value!)
                let word = fr ? (c > 0 ? "supérieure" : c < 0 ? "inférieure" : "égale") : (c > 0 ? "above" : c < 0 ? "below" : "equal to")
                let how = f.unit == "share" ? "" : weighted
                return fr ? "\(word) à celle \(ofFR(r.territory)) (\(shown(r.value!))\(how))" : "\(word) \(nameEN(r.territory)) (\(shown(r.value!))\(how))"
            }
            if !parts.isEmpty { s += fr ? ", valeur \(list(parts))" : ", \(list(parts))" }
        }
        s += "."
        if let r = f.rank {
            let q = f.quintile.map { fr ? ", quintile \($0)" : ", quintile \($0)" } ?? ""
            s += fr ? " Rang : \(r.rank)\(r.rank == 1 ? "er" : "e") sur \(r.of) \(amongFR(r))\(q)."
                : " Rank: \(ordinalEN(r.rank)) of \(r.of) \(amongEN(r))\(q)."
        }
        return s
    }
}
