import Foundation
import PortraitGeometry
import PortraitModel
import PortraitTerritory

/// What the fill of each municipality shows, per style subject: the fill and
/// data attributes of every unit, the legend rows and the subtitle. Pure.
struct MapTheme {
    typealias Fill = SVGDocument.Fill
    var fills: [[Fill]]                       // [panel][unit]
    var attributes: [[(String, String)]]      // [unit]
    var rows: [SVGDocument.LegendRow]
    var subtitle: String
    var legendTitle: String
    var classification: Classification?
    /// Proportional circles (a style of `symbol: circles`): unit index and value; and the largest value.
    var circles: [(unit: Int, value: Double)] = []
    var circleMax = 0.0
    /// A bivariate map's classes: units per [need][access] class (row-major), and its axes in words.
    var bivariate: (counts: [Int], needLabel: String, accessLabel: String, unitsMapped: Int)?

    /// The classes of a choropleth: the style's rule over the values (every stored value of the mapped indicators and
    /// vintages), the indicator's own threshold for `threshold`, the published classes of a quintile. The maps and
    /// the styles written for QGIS (`GISLayers`) classify with it.
    static func classification(_ all: [Double], indicator: IndicatorDefinition?, ordinal: Bool, style: MapStyle) -> Classification {
        let colors = style.palette.colors
        let rule = style.classification ?? .init(method: .quantiles, classes: colors.count, thresholds: nil)
        let threshold = rule.method == .threshold ? indicator?.threshold : nil
        if let threshold { return .threshold(threshold, values: all, decimals: MapRenderer.decimals(all)) }
        if ordinal { return .ordinal(values: all, classes: colors.count) }
        return Classification(values: all, method: rule.method == .threshold ? .quantiles : rule.method, k: min(rule.classes, colors.count),
                              thresholds: rule.thresholds ?? [], decimals: MapRenderer.decimals(all))
    }

    static func make(_ data: MapData, style: MapStyle, request r: RenderRequest, language lang: Language) -> MapTheme {
        let units = data.units, panels = data.panels
        var theme = MapTheme(fills: [], attributes: units.map { [("data-code", $0.code)] }, rows: [], subtitle: "",
                             legendTitle: style.title(lang))
        let colors = style.palette.colors
        func color(_ i: Int) -> Fill { .color(colors[min(max(i, 0), colors.count - 1)]) }
        var missing = 0, suppressed = 0
        let single = panels.count == 1

        switch style.subject {
        case .bivariate:
            // Need (the indicator's tertiles, in the direction of need) against access (nearest service within half the
            // distance, within it, beyond it): 3 × 3 classes, palette row-major from low need and near to high need and far.
            let panel = panels.first
            let d = panel?.indicator
            let needHigh = !(d?.threshold?.direction == .below || (d?.threshold == nil && d?.kind == .index))
            let values = units.filter { !$0.isAquatic }.compactMap { panel?.values[$0.code]?.number }
            let cuts: (Double) -> Int
            if d?.kind == .quintile {
                cuts = { v in v <= 2 ? 0 : v < 4 ? 1 : 2 }
            } else {
                let c = Classification(values: values, method: .quantiles, k: 3)
                cuts = { v in max(0, min(2, (c.classOf(v) ?? 1) - 1)) }
            }
            let rows = Dictionary((data.gaps?.municipalities ?? []).map { ($0.code, $0) }) { a, _ in a }
            var counts = [Int](repeating: 0, count: 9)
            var mapped = 0
            theme.fills = [units.enumerated().map { i, u -> Fill in
                if u.isAquatic { return .color(style.water) }
                guard let v = panel?.values[u.code]?.number else {
                    if panel?.values[u.code] == .suppressed { suppressed += 1; return .suppressed }
                    missing += 1; return .missing
                }
                let k = cuts(v), need = needHigh ? k : 2 - k
                // By road: the minutes against the limit in minutes; else the kilometres against the radius.
                let limit = data.gaps?.maxMinutes ?? r.maxKm
                let reach = data.gaps?.maxMinutes != nil ? rows[u.code]?.nearestMinutes : rows[u.code]?.nearestKm
                let access = reach.map { $0 <= limit / 2 ? 0 : $0 <= limit ? 1 : 2 } ?? 2
                counts[need * 3 + access] += 1; mapped += 1
                theme.attributes[i] += [("data-value", NumberFormat.shortest(v)), ("data-need-class", String(need + 1)),
                                        ("data-access-class", String(access + 1)), ("data-bivariate", "\(need + 1)-\(access + 1)")]
                return color(need * 3 + access)
            }]
            let minutes = data.gaps?.maxMinutes
            let limit = minutes ?? r.maxKm
            let km = NumberText.format(limit, decimals: limit.rounded() == limit ? 0 : 1, language: lang)
            let half = NumberText.format(limit / 2, decimals: (limit / 2).rounded() == limit / 2 ? 0 : 1, language: lang)
            let category = r.categories.first.map { style.symbol(for: $0, among: data.serviceCategories).label(lang) } ?? ""
            let label = d?.label(lang) ?? ""
            theme.bivariate = (counts, MapText.bivariateNeed(label, high: needHigh)(lang),
                               (minutes != nil ? MapText.bivariateAccessMinutes(half, km) : MapText.bivariateAccess(half, km))(lang), mapped)
            theme.legendTitle = MapText.bivariateLegend(category)(lang)
            theme.subtitle = (minutes != nil ? MapText.bivariateSubtitleMinutes(label, panel?.vintage, category: category, minutes: km, priority: counts[8])
                : MapText.bivariateSubtitle(label, panel?.vintage, category: category, km: km, priority: counts[8]))(lang)
        case .indicator where style.symbol == .circles:
            // Counts: a pale base of municipalities, one circle per unit with a value above zero.
            let panel = panels.first
            var counted = 0
            theme.fills = [units.enumerated().map { i, u -> Fill in
                if u.isAquatic { return .color(style.water) }
                switch panel?.values[u.code] {
                case .value(let v)?:
                    theme.attributes[i].append(("data-value", NumberFormat.shortest(v)))
                    if v > 0 { theme.circles.append((i, v)); counted += 1 }
                    return .color(style.base ?? "#eeeeee")
                case .suppressed?: suppressed += 1; return .suppressed
                default: missing += 1; return .missing
                }
            }]
            theme.circleMax = theme.circles.map(\.value).max() ?? 0
            if let d = panel?.indicator {
                theme.subtitle = d.label(lang) + (panel?.vintage.map { ", \(d.referenceYear($0))" } ?? "") + " · " + MapText.circles(counted)(lang)
                theme.legendTitle = d.label(lang)
            }
        case .indicator:
            // Classification shared by every panel: over all stored values of the panels' indicators and vintages.
            let all = panels.flatMap { $0.values.values.compactMap(\.number) }
            let c = Self.classification(all, indicator: panels.first?.indicator, ordinal: panels.allSatisfy({ $0.indicator?.kind == .quintile }), style: style)
            theme.classification = c
            var counts = [Int](repeating: 0, count: max(c.classes.count, 1))
            theme.fills = panels.enumerated().map { pi, panel in
                units.enumerated().map { i, u -> Fill in
                    if u.isAquatic { return .color(style.water) }
                    switch panel.values[u.code] {
                    case .value(let v)?:
                        let k = (c.classOf(v) ?? 1) - 1
                        if pi == 0 {
                            counts[min(k, counts.count - 1)] += 1
                            // A single map's units carry their value and class, as the circles and the bivariate cells do.
                            if single { theme.attributes[i] += [("data-value", NumberFormat.shortest(v)), ("data-class", String(k + 1))] }
                        }
                        return color(k)
                    case .suppressed?: if pi == 0 { suppressed += 1 }; return .suppressed
                    default: if pi == 0 { missing += 1 }; return .missing
                    }
                }
            }
            theme.rows = c.classes.enumerated().map { i, cl in .init(fill: color(i), label: cl.label(lang), count: single ? counts[i] : nil) }
            if let d = panels.first?.indicator {
                let method = d.kind == .quintile && c.method != .threshold ? MapText.publishedQuintiles(lang) : MapText.method(c)(lang)
                theme.subtitle = single ? d.label(lang) + (panels[0].vintage.map { ", \(d.referenceYear($0))" } ?? "") + " · " + method
                    : MapText.panels(panels.count)(lang) + method
                theme.legendTitle = single ? d.label(lang) + (d.unit.isEmpty || d.kind == .quintile ? "" : " (\(d.unit))") : MapText.sharedLegend(lang)
            }
        case .littoral, .services:
            // Coast and inland; the services map tints them lightly under its symbols.
            var counts = [0, 0]
            for (i, u) in units.enumerated() where !u.isAquatic {
                theme.attributes[i].append(("data-class", u.coastClass.map { lang == .fr ? $0.labelFR : $0.labelEN } ?? "—"))
            }
            theme.fills = [units.map { u -> Fill in
                if u.isAquatic { return .color(style.water) }
                switch u.coastClass {
                case .littoral?: counts[0] += 1; return color(0)
                case .interieur?: counts[1] += 1; return color(1)
                case nil: missing += 1; return .missing
                }
            }]
            theme.rows = [.init(fill: color(0), label: MapText.coast(lang), count: counts[0]),
                          .init(fill: color(1), label: MapText.inland(lang), count: counts[1])]
            if style.subject == .littoral {
                theme.subtitle = MapText.shoreDistance(data.coastDistance ?? "300")(lang)
            } else {
                let n = data.services.count
                theme.subtitle = data.serviceCategories.isEmpty ? MapText.notImported("services")(lang)
                    : n == 0 ? MapText.noServiceHere(r.categories)(lang)
                    : data.focus.isEmpty ? MapText.servicesCount(n)(lang) : MapText.servicesAround(n, data.territoryName)(lang)
                theme.legendTitle = MapText.servicesLegend(lang)
            }
        case .gaps:
            let g = data.gaps
            let byCode = Dictionary((g?.municipalities ?? []).map { ($0.code, $0) }) { a, _ in a }
            let gapCodes = Set((g?.gaps ?? []).map(\.code))
            var counts = [0, 0, 0, 0]
            theme.fills = [units.map { u -> Fill in
                if u.isAquatic { return .color(style.water) }
                guard gapCodes.contains(u.code) else { counts[0] += 1; return color(0) }
                let k = gapClass(byCode[u.code], maxKm: r.maxKm, maxMinutes: g?.maxMinutes)
                counts[k] += 1
                return .pattern("lacune-\(k)")
            }]
            for (i, u) in units.enumerated() where gapCodes.contains(u.code) {
                theme.attributes[i].append(("data-gap", "true"))
                if let d = byCode[u.code]?.nearestKm { theme.attributes[i].append(("data-km", NumberFormat.shortest(d))) }
                if let m = byCode[u.code]?.nearestMinutes { theme.attributes[i].append(("data-minutes", NumberFormat.shortest(m))) }
            }
            // By road: the limit in minutes, and the unit said in every row; else kilometres as the crow flies.
            let limit = g?.maxMinutes ?? r.maxKm, unit = g?.maxMinutes != nil ? "min" : "km"
            let km = NumberText.format(limit, decimals: limit.rounded() == limit ? 0 : 1, language: lang)
            theme.rows = [.init(fill: color(0), label: (unit == "min" ? MapText.withinReachMinutes(km) : MapText.withinReach(km))(lang), count: counts[0])]
                + (1...3).map { k in .init(fill: .pattern("lacune-\(k)"), label: MapText.gapClass(k, km: limit, need: r.need != nil, unit: unit, lang), count: counts[k]) }
            let category = r.categories.first.map { style.symbol(for: $0, among: data.serviceCategories).label(lang) } ?? ""
            let pop = NumberText.format(g?.populationConcerned ?? 0, language: lang)
            let gapMunicipalities = units.filter { gapCodes.contains($0.code) && Designation.isMunicipality($0.designation) }.count
            theme.subtitle = (unit == "min" ? MapText.gapsSubtitleMinutes(category: category, minutes: km, measure: g?.measure ?? "", units: gapCodes.count,
                                                                          municipalities: gapMunicipalities, population: pop)
                : MapText.gapsSubtitle(category: category, km: km, units: gapCodes.count, municipalities: gapMunicipalities, population: pop))(lang)
                + (data.services.isEmpty ? MapText.noServiceAtAll(lang) : "")
            theme.legendTitle = MapText.gapsLegend(category)(lang)
        case .serviceAreas:
            // The land drawn plain; the areas go over it (`Overlays`).
            theme.fills = [units.map { $0.isAquatic ? .color(style.water) : .color(style.missing.fill) }]
            let category = r.categories.first.map { style.symbol(for: $0, among: data.serviceCategories).label(lang) } ?? ""
            if let a = data.serviceAreas {
                theme.subtitle = MapText.serviceAreasSubtitle(network: a.network, cellMetres: a.result.cellMetres)(lang)
            }
            theme.legendTitle = MapText.serviceAreasLegend(category)(lang)
        case .mobilisations:
            let cov = Dictionary(data.coverage.map { ($0.code, $0) }) { a, _ in a }
            if let enjeu = r.enjeu {
                var counts = [0, 0]
                theme.fills = [units.map { u -> Fill in
                    if u.isAquatic { return .color(style.water) }
                    let has = cov[u.code]?.enjeux.contains(enjeu) == true
                    counts[has ? 1 : 0] += 1
                    return has ? color(colors.count - 1) : color(0)
                }]
                theme.rows = [.init(fill: color(colors.count - 1), label: MapText.enjeuCovered(lang), count: counts[1]),
                              .init(fill: color(0), label: MapText.enjeuNotCovered(lang), count: counts[0])]
                theme.subtitle = MapText.enjeuSubtitle(enjeu)(lang)
            } else {
                var counts = [0, 0, 0, 0, 0]
                theme.fills = [units.map { u -> Fill in
                    if u.isAquatic { return .color(style.water) }
                    let k = min(cov[u.code]?.tableCount ?? 0, 4)
                    counts[k] += 1
                    return color(k)
                }]
                theme.rows = (0...4).map { .init(fill: color($0), label: MapText.tables($0)(lang), count: counts[$0]) }
                theme.subtitle = data.mobilisations.isEmpty ? MapText.notImported("mobilisations")(lang)
                    : MapText.mobilisationsSubtitle(data.mobilisations.filter { m in units.contains { m.covers($0) } }.count)(lang)
            }
            for (i, u) in units.enumerated() where !u.isAquatic {
                theme.attributes[i].append(("data-tables", String(cov[u.code]?.tableCount ?? 0)))
            }
        }
        if suppressed > 0 || !single {
            theme.rows.append(.init(fill: .suppressed, label: MapText.suppressed(lang), count: single ? suppressed : nil))
        }
        if missing > 0 || !single {
            theme.rows.append(.init(fill: .missing, label: MapText.noData(lang), count: single ? missing : nil))
        }
        if units.contains(where: \.isAquatic) { theme.rows.append(.init(fill: .color(style.water), label: MapText.water(lang), count: nil)) }
        if data.fictional { theme.subtitle += MapText.fictionalTerritory(lang) }
        return theme
    }

    /// Gap classes: 1 beyond the distance, 2 beyond 1.5 times it, 3 beyond twice it (or high need, or no service at all).
    static func gapClass(_ row: AccessRow?, maxKm: Double, maxMinutes: Double? = nil) -> Int {
        // By road, the minutes against the limit in minutes.
        guard let d = maxMinutes != nil ? row?.nearestMinutes : row?.nearestKm else { return 3 }   // no service at all
        if row?.highNeed == true { return 3 }
        let ratio = d / (maxMinutes ?? maxKm)
        return ratio >= 2 ? 3 : ratio >= 1.5 ? 2 : 1
    }
}
