import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore

/// Options of a portrait.
public struct PortraitOptions: Sendable {
    public var territory: Territory
    /// Population vintage; the latest when nil.
    public var vintage: Int?
    public var language: Language
    /// An earlier vintage: the change of every indicator stored for it, up to its latest vintage (population: `vintage`).
    public var compare: Int?
    /// Old codes carried onto current ones for the earlier vintage.
    public var codeChanges: CodeChanges = .builtIn
    /// The one territory to compare with, instead of the MRC, the region and the store (`--reference`).
    public var reference: Territory?
    /// A count indicator the shares are computed on instead of the population (`--base`).
    public var base: String?

    public init(territory: Territory, vintage: Int? = nil, language: Language = .fr, compare: Int? = nil,
                reference: Territory? = nil, base: String? = nil) {
        self.territory = territory; self.vintage = vintage; self.language = language; self.compare = compare
        self.reference = reference; self.base = base
    }
}

/// Builds territorial portraits from the store. The CLI and the HTTP service call `build`.
public enum PortraitBuilder {
    public static let townThreshold = 5_000.0
    public static let smallThreshold = 3_000.0

    struct Inputs {
        var population: [String: CellValue]
        var indicators: [(IndicatorDefinition, Int, [String: CellValue], Classification)]
        /// Weights of the indicators weighted by another than the population (`IndicatorDefinition.weight`).
        var weights: [String: [String: CellValue]] = [:]
        /// Changes asked: (definition, from, to, older values on today's codes, newer values).
        var changes: [(IndicatorDefinition, Int, Int, [String: CellValue], [String: CellValue])] = []
        var language: Language
        var fictional: Bool
        /// The values of the population base (`--base`), its labels and vintage.
        var base: [String: CellValue]?
        var baseName: String?
        var baseLabel: (fr: String, en: String)?
        var baseVintage: Int?
    }

    public static func build(storePath: String, options o: PortraitOptions) throws -> TerritorialPortrait {
        try build(store: try Stores.open(storePath), options: o)
    }

    /// The units of a territory among `everything` (the store's municipal units); a custom territory's codes
    /// absent from the store are all named (never left out silently).
    static func units(of t: Territory, store: any TerritoryStore, everything: [TerritorialUnit]) throws -> [TerritorialUnit] {
        let members = try store.members(of: t).map(Set.init)
        if let members {
            let unknown = members.subtracting(everything.map(\.code)).sorted()
            guard unknown.isEmpty else {
                throw TerritoryError.notFound("\(t) : code(s) municipal(aux) absent(s) du magasin : \(unknown.joined(separator: ", "))")
            }
        }
        return everything.filter { t.contains($0, members: members) }
    }

    /// The reference of a territory (its name from the store).
    static func ref(_ t: Territory, store: any TerritoryStore, units: [TerritorialUnit], language: Language) throws -> TerritoryRef {
        switch t.kind {
        case .all:
            guard !units.isEmpty else { throw TerritoryError.notFound("aucune municipalité dans le magasin : importez les limites municipales") }
            return TerritoryRef(code: t.code, name: language == .fr ? t.fallbackName : "Whole territory", level: .all)
        case .custom:
            return TerritoryRef(code: t.code, name: try store.name(of: t), level: .custom)
        default:
            let level = t.level!
            guard let unit = try store.unit(level, code: t.code) ?? (units.isEmpty ? nil : syntheticUnit(t)) else {
                let known = try store.units(level, withGeometry: false).prefix(30).map { "\($0.code) \($0.name)" }
                guard !known.isEmpty else {
                    throw TerritoryError.notFound("\(t) inconnue : le magasin ne contient aucune des \(level.labelFR) "
                                                  + "(portrait import boundaries FICHIER --level \(level.rawValue))")
                }
                throw TerritoryError.notFound("\(t) inconnue ; présentes : \(known.joined(separator: ", "))")
            }
            return TerritoryRef(code: t.code, name: unit.name, level: t.kind)
        }
    }

    public static func build(store: any TerritoryStore, options o: PortraitOptions) throws -> TerritorialPortrait {
        let t = o.territory
        let everything = try store.units(.municipality, withGeometry: false)
        let units = try units(of: t, store: store, everything: everything)
        let ref = try ref(t, store: store, units: units, language: o.language)
        guard !units.isEmpty else {
            throw TerritoryError.notFound("aucune municipalité rattachée à \(ref.name) (\(t.code)) : importez les limites municipales")
        }
        // Population: the named vintage, else the latest.
        let popVintages = try store.vintages("population")
        if let v = o.vintage, !popVintages.contains(v) {
            throw TerritoryError.notFound("pas de population pour \(v) ; millésimes présents : \(popVintages.map(String.init).joined(separator: ", "))")
        }
        let popVintage = o.vintage ?? popVintages.first
        let population = try popVintage.map { try store.indicatorValues("population", vintage: $0, level: .municipality) } ?? [:]
        // Other indicators, latest vintage, classified over every value stored for that vintage.
        var indicators: [(IndicatorDefinition, Int, [String: CellValue], Classification)] = []
        let definitions = try store.indicatorDefinitions()
        for d in definitions where d.name != "population" {
            guard let latest = try store.latestValues(d.name) else { continue }
            let numbers = latest.values.values.compactMap(\.number)
            let c = d.kind == .quintile ? Classification.ordinal(values: numbers)
                : Classification(values: numbers, method: .quantiles, k: 5)
            indicators.append((d, latest.vintage, latest.values, c))
        }
        var inputs = Inputs(population: population, indicators: indicators, language: o.language, fictional: try store.isDemo())
        for (d, vintage, _, _) in indicators {
            if let w = d.weight { inputs.weights[d.name] = try store.indicatorValues(w, vintage: vintage, level: .municipality) }
        }
        if let b = o.base {
            guard let d = definitions.first(where: { $0.name == b }) else {
                throw TerritoryError.notFound("--base \(b) : indicateur absent ; indicateurs de comptage présents : \(definitions.filter { $0.kind == .count }.map(\.name).joined(separator: ", "))")
            }
            guard d.kind == .count else {
                throw TerritoryError.invalid("--base \(b) : « \(d.labelFR) » n'est pas un effectif (\(d.kind.rawValue)) ; une base de population est un indicateur de comptage")
            }
            guard let latest = try store.latestValues(b) else { throw TerritoryError.notFound("--base \(b) : aucune valeur importée") }
            inputs.base = latest.values; inputs.baseName = b; inputs.baseVintage = latest.vintage
            inputs.baseLabel = (d.labelFR, d.labelEN)
        }
        if let from = o.compare { inputs.changes = try changes(store: store, from: from, populationVintage: popVintage, codeChanges: o.codeChanges) }
        let names = Comparer.Names(mrc: Dictionary(try store.units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a },
                                   region: Dictionary(try store.units(.region, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a })
        var p = assemble(ref, units: units, inputs: inputs, populationVintage: popVintage, names: names)
        var given: [Comparer.Group]?
        if let r = o.reference {
            let rUnits = try Self.units(of: r, store: store, everything: everything)
            guard !rUnits.isEmpty else { throw TerritoryError.notFound("--reference \(r) : aucune municipalité") }
            given = [Comparer.Group(ref: try Self.ref(r, store: store, units: rUnits, language: o.language), units: rUnits)]
        }
        p.comparison = Comparer.compute(t, ref: ref, units: units, everything: everything, inputs: inputs, references: given,
                                        names: names, populationVintage: popVintage)
        if let b = inputs.base, let v = inputs.baseVintage, let name = inputs.baseName, let label = inputs.baseLabel {
            p.base = PopulationBase(indicator: name, label: o.language == .fr ? label.fr : label.en, vintage: v,
                                    total: units.filter { !$0.isAquatic }.compactMap { b[$0.code]?.number }.reduce(0, +))
        }
        return p
    }

    /// Every indicator stored for `from` and for a later vintage (population: the portrait's), old codes carried over.
    static func changes(store: any TerritoryStore, from: Int, populationVintage: Int?, codeChanges: CodeChanges) throws
        -> [(IndicatorDefinition, Int, Int, [String: CellValue], [String: CellValue])] {
        var out: [(IndicatorDefinition, Int, Int, [String: CellValue], [String: CellValue])] = []
        let oldPopulation = try store.indicatorValues("population", vintage: from, level: .municipality)
        var seen: [String: [Int]] = [:]
        for d in try store.indicatorDefinitions() {
            let vintages = try store.vintages(d.name)
            seen[d.name] = vintages
            let to = d.name == "population" ? (populationVintage ?? vintages.first) : vintages.first
            guard let to, to > from, vintages.contains(from) else { continue }
            let old = IndicatorChange.carried(try store.indicatorValues(d.name, vintage: from, level: .municipality), kind: d.kind,
                                              population: oldPopulation, codeChanges: codeChanges)
            out.append((d, from, to, old, try store.indicatorValues(d.name, vintage: to, level: .municipality)))
        }
        guard !out.isEmpty else {
            let list = seen.keys.sorted().map { "\($0) (\(seen[$0]!.map(String.init).joined(separator: ", ")))" }.joined(separator: " ; ")
            throw TerritoryError.notFound("--compare \(from) : aucun indicateur n'a de valeurs en \(from) et d'un millésime plus récent ; millésimes présents : \(list)")
        }
        return out
    }

    /// The change of each asked indicator over `units` (land units with a value at both vintages).
    static func changeSummaries(_ units: [TerritorialUnit], inputs: Inputs) -> [ChangeSummary] {
        let fr = inputs.language == .fr
        return inputs.changes.map { d, from, to, old, new in
            var a = 0.0, b = 0.0, wa = 0.0, wb = 0.0, both = 0, up = 0, down = 0
            for u in units {
                guard let x = old[u.code]?.number, let y = new[u.code]?.number else { continue }
                both += 1
                if y > x { up += 1 } else if y < x { down += 1 }
                if d.kind == .count { a += x; b += y; continue }
                let w = inputs.population[u.code]?.number ?? 0
                a += x * w; b += y * w; wa += w; wb += w
            }
            var change: IndicatorChange?
            if both > 0 {
                change = d.kind == .count ? IndicatorChange(from: a, to: b, years: to - from, kind: d.kind)
                    : wa > 0 ? IndicatorChange(from: a / wa, to: b / wb, years: to - from, kind: d.kind) : nil
            }
            return ChangeSummary(name: d.name, label: fr ? d.labelFR : d.labelEN, kind: d.kind, unit: d.unit, from: from, to: to,
                                 change: change, withBoth: both, increased: up, decreased: down)
        }
    }

    /// The pure part: the portrait of `units` from the loaded inputs, with its parts: a region's (or a custom
    /// territory's) MRC, the whole store's regions.
    static func assemble(_ ref: TerritoryRef, units: [TerritorialUnit], inputs: Inputs, populationVintage: Int?,
                         names: Comparer.Names) -> TerritorialPortrait {
        let land = units.filter { !$0.isAquatic }
        var p = section(ref, units: units, inputs: inputs, parentPopulation: nil, split: land.count > 1)
        p.populationVintage = populationVintage
        func parts(_ key: KeyPath<TerritorialUnit, String?>, _ level: Territory.Kind) -> [TerritorialPortrait] {
            Set(units.compactMap { $0[keyPath: key] }).sorted().map { c in
                let r = level == .mrc ? names.ref(mrc: c) : names.ref(region: c)
                var s = section(r, units: units.filter { $0[keyPath: key] == c }, inputs: inputs, parentPopulation: p.shareTotal,
                                split: true)
                s.populationVintage = populationVintage
                return s
            }
        }
        switch ref.level {
        case .region: p.mrc = parts(\.mrcCode, .mrc)
        case .custom where Set(units.compactMap(\.mrcCode)).count > 1: p.mrc = parts(\.mrcCode, .mrc)
        case .all: p.regions = parts(\.regionCode, .region)
        default: break
        }
        if ref.level == .municipality, land.count == 1 {
            let u = land[0]
            p.unit = .init(coastClass: u.coastClass, designation: u.designation, mrc: u.mrcCode.map(names.ref(mrc:)),
                           region: u.regionCode.map(names.ref(region:)), areaKm2: (u.areaKm2 * 100).rounded() / 100)
        }
        return p
    }

    /// A region or MRC known only through the municipalities' codes (its own layer not imported).
    static func syntheticUnit(_ t: Territory) -> TerritorialUnit {
        TerritorialUnit(level: t.level ?? .region, code: t.code, name: t.fallbackName, areaKm2: 0, geometry: .init([]))
    }

    static func section(_ ref: TerritoryRef, units all: [TerritorialUnit], inputs: Inputs, parentPopulation: Double?,
                        split: Bool) -> TerritorialPortrait {
        let fr = inputs.language == .fr
        let land = all.filter { !$0.isAquatic }
        let municipalities = land.filter { Designation.isMunicipality($0.designation) }
        var byDes: [String: Int] = [:]
        for u in all { byDes[u.designation ?? "?", default: 0] += 1 }
        func pop(_ u: TerritorialUnit) -> Double? { inputs.population[u.code]?.number }
        let withPop = land.filter { pop($0) != nil }
        // Unknown when no unit has a population: never 0 (a municipality without a census value has no « 0 habitants »).
        let total: Double? = withPop.isEmpty ? nil : withPop.compactMap(pop).reduce(0, +)
        // The people shares are counted in: the population, or the base (`--base`).
        func people(_ u: TerritorialUnit) -> Double? { inputs.base.map { $0[u.code]?.number } ?? pop(u) }
        let shareTotal: Double? = inputs.base.map { b in land.compactMap { b[$0.code]?.number }.reduce(0, +) } ?? total
        func share(_ x: Double) -> Double? { shareTotal.flatMap { $0 > 0 ? x / $0 : nil } }
        let towns = municipalities.filter { (pop($0) ?? 0) >= townThreshold }.sorted { (pop($0) ?? 0) > (pop($1) ?? 0) }
        let townPop = towns.compactMap(people).reduce(0, +)
        let smallPop = municipalities.filter { (pop($0) ?? .infinity) < smallThreshold }.compactMap(people).reduce(0, +)

        var summaries: [IndicatorSummary] = []
        var missingValues: [String: [String]] = [:]
        var suppressedValues: [String: [String]] = [:]
        for (d, vintage, values, classification) in inputs.indicators {
            // The weight of a unit in the mean: its own weight indicator (DA population with a quintile), else its population.
            let ownWeights = inputs.weights[d.name]
            func weight(_ u: TerritorialUnit) -> Double? { ownWeights.map { $0[u.code]?.number } ?? pop(u) }
            var withValue = 0, weighted = 0.0, weights = 0.0, sum = 0.0
            var suppressed: [String] = [], without: [String] = []
            var classCounts = [Int](repeating: 0, count: classification.classes.count)
            var classPop = [Double](repeating: 0, count: classification.classes.count)
            var past = 0, pastPop = 0.0
            for u in land {
                switch values[u.code] {
                case .value(let v)?:
                    withValue += 1
                    sum += v
                    if let p = weight(u) { weighted += v * p; weights += p }
                    if let c = classification.classOf(v), c - 1 < classCounts.count {
                        classCounts[c - 1] += 1
                        classPop[c - 1] += people(u) ?? 0
                    }
                    if let t = d.threshold, t.matches(v) { past += 1; pastPop += people(u) ?? 0 }
                case .suppressed?: suppressed.append(u.code)
                default: without.append(u.code)
                }
            }
            let classed = classCounts.reduce(0, +)
            let classes = classification.classes.enumerated().map { i, c in
                ClassShare(index: c.index, label: fr ? c.labelFR : c.labelEN, lower: c.lower, upper: c.upper,
                           municipalities: classCounts[i], municipalityShare: classed > 0 ? Double(classCounts[i]) / Double(classed) : nil,
                           population: classPop[i], populationShare: share(classPop[i]))
            }
            let threshold = d.threshold.map {
                ThresholdSummary(label: fr ? $0.labelFR : $0.labelEN, direction: $0.direction.rawValue, value: $0.value,
                                 municipalities: past, population: pastPop, populationShare: share(pastPop))
            }
            summaries.append(IndicatorSummary(
                name: d.name, label: fr ? d.labelFR : d.labelEN, kind: d.kind, unit: d.unit, vintage: vintage,
                total: d.kind == .count ? sum : nil, weightedMean: d.kind != .count && weights > 0 ? weighted / weights : nil, withValue: withValue,
                method: d.kind == .quintile ? .thresholds : classification.method, classes: classes, threshold: threshold,
                suppressed: suppressed, withoutValue: without, weight: d.weight))
            if !without.isEmpty { missingValues[d.name] = without }
            if !suppressed.isEmpty { suppressedValues[d.name] = suppressed }
        }
        let popMissing = land.filter { pop($0) == nil }
        for u in popMissing where inputs.population[u.code] == .suppressed {
            suppressedValues["population", default: []].append(u.code)
        }
        let missing = MissingData(withoutPopulation: popMissing.map { TerritoryRef(code: $0.code, name: $0.name, level: .municipality) },
                                  withoutValue: missingValues, suppressed: suppressedValues)

        var p = TerritorialPortrait(
            territory: ref, fictional: inputs.fictional, populationVintage: nil,
            mrcCount: Set(all.compactMap(\.mrcCode)).count, municipalityCount: municipalities.count,
            unitsByDesignation: byDes, tnoCount: byDes[Designation.unorganised] ?? 0,
            reserveCount: Designation.reserves.map { byDes[$0] ?? 0 }.reduce(0, +), aquaticCount: byDes[Designation.aquatic] ?? 0,
            count: municipalities.count, population: total, populationTotal: total,
            populationShare: parentPopulation.flatMap { pp in shareTotal.flatMap { pp > 0 ? $0 / pp : nil } } ?? (total == nil ? nil : 1),
            towns5000Plus: TownsSummary(count: towns.count, names: towns.map(\.name), population: townPop, populationShare: share(townPop),
                                        unknown: municipalities.filter { pop($0) == nil }.count),
            under3000PopulationShare: share(smallPop), littoral: nil, interieur: nil, indicators: summaries, missing: missing, mrc: nil,
            changes: inputs.changes.isEmpty ? nil : changeSummaries(land, inputs: inputs))
        p.shareTotal = shareTotal
        if split && all.contains(where: { $0.coastClass != nil }) {
            for c in CoastClass.allCases {
                let part = all.filter { $0.coastClass == c }
                let ref = TerritoryRef(code: ref.code, name: "\(ref.name) — \(fr ? c.labelFR : c.labelEN)", level: ref.level)
                let s = section(ref, units: part, inputs: inputs, parentPopulation: shareTotal, split: false)
                if c == .littoral { p.littoral = .init(s) } else { p.interieur = .init(s) }
            }
        }
        return p
    }
}
