import Foundation
import PortraitModel

/// A figure of a territory beside the same figure for its references (its MRC, its region, the whole store,
/// or the reference the user chose), with its rank among its siblings and its quintile within its region.
public struct ComparisonFigure: Codable, Sendable, Hashable {
    /// The same figure for one reference territory.
    public struct Reference: Codable, Sendable, Hashable {
        public var territory: TerritoryRef
        public var value: Double?
        /// For counts: the territory's value as a share of this reference's.
        public var share: Double?
    }

    /// The territory's place among its siblings (1 = the highest value).
    public struct Rank: Codable, Sendable, Hashable {
        public var rank: Int
        /// Siblings with a value, the territory included.
        public var of: Int
        /// "municipalities" of the region, "mrc" of the region, "regions" of the store.
        public var among: String
        /// The territory the siblings belong to (the region; nil for the store's regions).
        public var within: TerritoryRef?
    }

    /// "population", "towns_5000_plus_share", "under_3000_share", "littoral_share", or an indicator's name.
    public var key: String
    public var label: String
    public var kind: IndicatorKind
    /// "share" for the shares of the population; the indicator's unit otherwise.
    public var unit: String
    /// The vintage of the data (the census 2021).
    public var vintage: Int?
    /// The year the figure is about, as printed (income 2020 in the census 2021); the vintage when they agree.
    public var year: Int?
    /// Total for counts, population-weighted mean otherwise; the unit's own value for one municipality.
    public var value: Double?
    /// How `value` is obtained: "total", "weighted_mean", "value" (one unit), "share".
    public var method: String
    public var references: [Reference]
    public var rank: Rank?
    /// 1 (lowest fifth) … 5 (highest fifth) among the same siblings.
    public var quintile: Int?
    /// The figure in words, in the report's language, beside its references.
    public var sentence: String
    enum CodingKeys: String, CodingKey { case key, label, kind, unit, vintage, year, value, method, references, rank, quintile, sentence }
}

/// The comparison of a portrait: the references used and each figure beside them.
public struct Comparison: Codable, Sendable, Hashable {
    public var references: [TerritoryRef]
    /// True when the user chose the reference (`--reference`), instead of the MRC, region and store.
    public var chosen: Bool
    public var figures: [ComparisonFigure]
    /// How ranks and quintiles are read, in the report's language.
    public var note: String

    public func figure(_ key: String) -> ComparisonFigure? { figures.first { $0.key == key } }
}

/// Computes comparisons from units already loaded (pure).
enum Comparer {
    /// A set of units and how it is named.
    struct Group {
        var ref: TerritoryRef
        var units: [TerritorialUnit]
    }

    /// The figures of a set of land units: key → value.
    static func figures(_ units: [TerritorialUnit], inputs: PortraitBuilder.Inputs) -> [String: Double] {
        let land = units.filter { !$0.isAquatic }
        var out: [String: Double] = [:]
        func pop(_ u: TerritorialUnit) -> Double? { inputs.population[u.code]?.number }
        let withPop = land.compactMap(pop)
        if !inputs.population.isEmpty, !withPop.isEmpty {
            let total = withPop.reduce(0, +)
            out["population"] = total
            // The shares, on the chosen base when there is one.
            let base: (TerritorialUnit) -> Double? = { u in inputs.base.map { $0[u.code]?.number } ?? pop(u) }
            let baseTotal = land.compactMap(base).reduce(0, +)
            if baseTotal > 0 {
                let municipalities = land.filter { Designation.isMunicipality($0.designation) }
                out["towns_5000_plus_share"] = municipalities.filter { (pop($0) ?? 0) >= PortraitBuilder.townThreshold }
                    .compactMap(base).reduce(0, +) / baseTotal
                out["under_3000_share"] = municipalities.filter { (pop($0) ?? .infinity) < PortraitBuilder.smallThreshold }
                    .compactMap(base).reduce(0, +) / baseTotal
                if land.contains(where: { $0.coastClass != nil }) {
                    out["littoral_share"] = land.filter { $0.coastClass == .littoral }.compactMap(base).reduce(0, +) / baseTotal
                }
            }
        }
        for (d, _, values, _) in inputs.indicators {
            let own = inputs.weights[d.name]
            var sum = 0.0, weighted = 0.0, weights = 0.0, n = 0
            for u in land {
                guard let v = values[u.code]?.number else { continue }
                n += 1; sum += v
                if let w = own.map({ $0[u.code]?.number }) ?? pop(u) { weighted += v * w; weights += w }
            }
            guard n > 0 else { continue }
            if d.kind == .count { out[d.name] = sum }
            else if land.count == 1 { out[d.name] = values[land[0].code]?.number }
            else if weights > 0 { out[d.name] = weighted / weights }
        }
        return out
    }

    /// Rank (1 = highest) and quintile (1 = lowest fifth) of `value` among `values` (the territory's included).
    static func rank(_ value: Double, among values: [Double]) -> (rank: Int, of: Int, quintile: Int) {
        let higher = values.filter { $0 > value }.count, lower = values.filter { $0 < value }.count
        let n = values.count
        return (higher + 1, n, min(5, 1 + (5 * lower) / max(n, 1)))
    }

    struct Names {
        var mrc: [String: String]
        var region: [String: String]
        func ref(mrc code: String) -> TerritoryRef { TerritoryRef(code: code, name: mrc[code] ?? "MRC \(code)", level: .mrc) }
        func ref(region code: String) -> TerritoryRef { TerritoryRef(code: code, name: region[code] ?? Codes.regionNames[code] ?? "Région \(code)", level: .region) }
    }

    /// The default references of a territory: a municipality's MRC and region, an MRC's region, a custom
    /// territory's region when its members share one; and the whole store, unless it holds the same units.
    static func defaultReferences(_ t: Territory, units: [TerritorialUnit], everything: [TerritorialUnit], names: Names) -> [Group] {
        var out: [Group] = []
        let mrcs = Set(units.compactMap(\.mrcCode)), regions = Set(units.compactMap(\.regionCode))
        if t.kind == .municipality || t.kind == .custom, mrcs.count == 1, let m = mrcs.first {
            out.append(Group(ref: names.ref(mrc: m), units: everything.filter { $0.mrcCode == m }))
        }
        if t.kind != .region, t.kind != .all, regions.count == 1, let r = regions.first {
            out.append(Group(ref: names.ref(region: r), units: everything.filter { $0.regionCode == r }))
        }
        if t.kind != .all {
            let all = Group(ref: TerritoryRef(code: "all", name: Territory.all.fallbackName, level: .all), units: everything)
            let codes = Set(everything.map(\.code))
            if !out.contains(where: { Set($0.units.map(\.code)) == codes }), Set(units.map(\.code)) != codes { out.append(all) }
        }
        return out
    }

    /// The siblings a territory is ranked among: a municipality among the municipalities of its region, an MRC among
    /// the MRC of its region, a region among the store's regions. Nil for the store and custom territories.
    static func siblings(_ t: Territory, units: [TerritorialUnit], everything: [TerritorialUnit], names: Names)
        -> (among: String, within: TerritoryRef?, groups: [(code: String, units: [TerritorialUnit])])? {
        switch t.kind {
        case .municipality:
            // One rule for what a rank counts: the municipalities of the region (no TNO, reserve or aquatic TNO), the
            // same « sur N » for every one of them; a unit outside that set is « hors classement » (`outsideRanks`).
            guard let u = units.first, let r = u.regionCode, Designation.isMunicipality(u.designation), !u.isAquatic else { return nil }
            let peers = everything.filter { $0.regionCode == r && !$0.isAquatic && Designation.isMunicipality($0.designation) }
            return ("municipalities", names.ref(region: r), peers.map { ($0.code, [$0]) })
        case .mrc:
            guard let r = units.first?.regionCode else { return nil }
            let inRegion = everything.filter { $0.regionCode == r }
            let codes = Set(inRegion.compactMap(\.mrcCode)).sorted()
            return ("mrc", names.ref(region: r), codes.map { c in (c, inRegion.filter { $0.mrcCode == c }) })
        case .region:
            let codes = Set(everything.compactMap(\.regionCode)).sorted()
            guard codes.count > 1 else { return nil }
            return ("regions", nil, codes.map { c in (c, everything.filter { $0.regionCode == c }) })
        case .all, .custom: return nil
        }
    }

    static func compute(_ t: Territory, ref: TerritoryRef, units: [TerritorialUnit], everything: [TerritorialUnit],
                        inputs: PortraitBuilder.Inputs, references given: [Group]?, names: Names,
                        populationVintage: Int?) -> Comparison {
        let lang = inputs.language
        let groups = given ?? defaultReferences(t, units: units, everything: everything, names: names)
        let own = figures(units, inputs: inputs)
        let refFigures = groups.map { figures($0.units, inputs: inputs) }
        let sib = siblings(t, units: units, everything: everything, names: names)
        // A TNO or a reserve has a fiche, but no rank among the municipalities.
        let outside = t.kind == .municipality && units.first.map { !Designation.isMunicipality($0.designation) || $0.isAquatic } == true
        let sibFigures = sib?.groups.map { figures($0.units, inputs: inputs) } ?? []
        let single = units.filter { !$0.isAquatic }.count == 1

        var keys: [(key: String, label: String, kind: IndicatorKind, unit: String, vintage: Int?)] = []
        if own["population"] != nil {
            keys.append(("population", lang == .fr ? "Population" : "Population", .count, lang == .fr ? "habitants" : "inhabitants", populationVintage))
            if !single {
                let base = inputs.baseLabel.map { lang == .fr ? " (\($0.fr))" : " (\($0.en))" } ?? ""
                keys.append(("towns_5000_plus_share", (lang == .fr ? "Part dans les municipalités de 5 000 habitants ou plus" : "Share in municipalities of 5,000 or more") + base,
                             .rate, "share", inputs.baseVintage ?? populationVintage))
                keys.append(("under_3000_share", (lang == .fr ? "Part dans les municipalités de moins de 3 000 habitants" : "Share in municipalities under 3,000") + base,
                             .rate, "share", inputs.baseVintage ?? populationVintage))
                if own["littoral_share"] != nil {
                    keys.append(("littoral_share", (lang == .fr ? "Part sur le littoral" : "Share on the coast") + base, .rate, "share",
                                 inputs.baseVintage ?? populationVintage))
                }
            }
        }
        for (d, vintage, _, _) in inputs.indicators where own[d.name] != nil {
            // The figure's year: the year its value is about (income 2020 in the 2021 census).
            keys.append((d.name, lang == .fr ? d.labelFR : d.labelEN, d.kind, d.unit, vintage))
        }
        var out: [ComparisonFigure] = []
        // A share of a reference only when the reference holds the whole territory (Saint-Fabien is no part of La Matapédia).
        let codes = Set(units.map(\.code))
        let contains = groups.map { codes.isSubset(of: Set($0.units.map(\.code))) }
        for k in keys {
            let value = own[k.key]
            let refs = zip(zip(groups, refFigures), contains).map { pair, inside -> ComparisonFigure.Reference in
                let (g, f) = pair
                let v = f[k.key]
                let share: Double? = k.kind == .count && inside ? value.flatMap { x in v.flatMap { $0 > 0 ? x / $0 : nil } } : nil
                return .init(territory: g.ref, value: v, share: share)
            }
            var rank: ComparisonFigure.Rank?, quintile: Int?
            if let sib, let value {
                let values = sibFigures.compactMap { $0[k.key] }
                if values.count > 1 {
                    let r = Self.rank(value, among: values)
                    rank = .init(rank: r.rank, of: r.of, among: sib.among, within: sib.within)
                    quintile = r.quintile
                }
            }
            let method = k.unit == "share" ? "share" : k.kind == .count ? "total" : single ? "value" : "weighted_mean"
            var f = ComparisonFigure(key: k.key, label: k.label, kind: k.kind, unit: k.unit, vintage: k.vintage,
                                     year: k.vintage.map { IndicatorDefinition.named(k.key).referenceYear($0) }, value: value,
                                     method: method, references: refs, rank: rank, quintile: quintile, sentence: "")
            f.sentence = Sentences.figure(f, territory: ref, language: lang)
            if outside, value != nil {
                f.sentence += lang == .fr ? " Hors classement : les rangs sont établis parmi les municipalités de la région, sans les TNO ni les réserves."
                    : " Not ranked: ranks are among the region's municipalities, without unorganised territories or reserves."
            }
            out.append(f)
        }
        let note = lang == .fr
            ? "Rang : 1 = la valeur la plus élevée parmi les territoires de même niveau de la région (ou du magasin pour une région) qui ont une valeur ; quintile : 1 = le cinquième le plus bas, 5 = le plus haut, selon le même classement."
            : "Rank: 1 = the highest value among the territories of the same level in the region (in the store for a region) that have a value; quintile: 1 = the lowest fifth, 5 = the highest, by the same ordering."
        return Comparison(references: groups.map(\.ref), chosen: given != nil, figures: out, note: note)
    }
}
