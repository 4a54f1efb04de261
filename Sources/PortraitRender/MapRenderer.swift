import Foundation
import PortraitGeometry
import PortraitSpatial
import PortraitTerritory

/// What to draw.
public struct RenderRequest: Sendable {
    public var level: Level
    public var code: String
    public var style: String
    /// Indicator to show (the style's when nil).
    public var indicator: String?
    /// Vintage (the latest when nil).
    public var vintage: Int?
    /// Small multiples: one panel per (indicator, vintage); a shared legend.
    public var panels: [(indicator: String?, vintage: Int?)]
    public var width: Double
    public var crs: CRS
    public var language: Language?
    public var stylesDirectory: String
    public var inset: Bool

    public init(level: Level, code: String, style: String, indicator: String? = nil, vintage: Int? = nil,
                panels: [(indicator: String?, vintage: Int?)] = [], width: Double = 960, crs: CRS = .quebecLambert,
                language: Language? = nil, stylesDirectory: String = StyleCatalogue.directory(nil), inset: Bool = true) {
        self.level = level; self.code = code; self.style = style; self.indicator = indicator; self.vintage = vintage
        self.panels = panels; self.width = width; self.crs = crs; self.language = language
        self.stylesDirectory = stylesDirectory; self.inset = inset
    }
}

/// Renders report-grade SVG maps of a region or an MRC. The CLI and the HTTP service call `render`.
public enum MapRenderer {
    struct Panel {
        var indicator: IndicatorDefinition?
        var vintage: Int?
        var values: [String: CellValue]
    }

    public static func render(storePath: String, request r: RenderRequest) throws -> String {
        let style = try StyleCatalogue.load(r.style, from: r.stylesDirectory)
        let lang = r.language ?? style.language
        guard TerritoryStore.exists(at: storePath) else {
            throw ImportError(.noBoundaries, file: storePath, "magasin absent : importez d'abord des limites")
        }
        let store = try TerritoryStore(openExisting: storePath)
        guard r.level != .municipality else { throw StyleError(message: "une carte se fait pour une région ou une MRC") }
        let code = try Codes.normalise(r.code, level: r.level)
        let column = r.level == .region ? "region_code" : "mrc_code"
        let units = try store.units(.municipality, where: "\(column) = ?", [.text(code)])
        guard !units.isEmpty else {
            let known = try store.units(r.level, withGeometry: false).prefix(30).map { "\($0.code) \($0.name)" }
            throw StyleError(message: "\(r.level == .region ? "région" : "MRC") \(code) : aucune municipalité ; présentes : \(known.joined(separator: ", "))")
        }
        let territoryName = try store.unit(r.level, code: code)?.name ?? (r.level == .region ? "Région \(code)" : "MRC \(code)")
        let fictional = try store.isDemo()

        // Panels: one by default, several for small multiples.
        let specs = r.panels.isEmpty ? [(r.indicator, r.vintage)] : r.panels
        var panels: [Panel] = []
        let definitions = Dictionary(uniqueKeysWithValues: try store.indicatorDefinitions().map { ($0.name, $0) })
        for (ind, vin) in specs {
            guard style.subject == .indicator else { panels.append(Panel(indicator: nil, vintage: nil, values: [:])); continue }
            let name = ind ?? style.indicator ?? ""
            guard let d = definitions[name] else {
                throw StyleError(message: "indicateur « \(name) » absent du magasin ; indicateurs présents : \(definitions.keys.sorted().joined(separator: ", ").ifEmpty("aucun (portrait import indicators)"))")
            }
            let vintages = try store.vintages(name)
            guard let v = vin ?? vintages.first, vintages.contains(v) else {
                throw StyleError(message: "indicateur « \(name) » : millésime \(vin.map(String.init) ?? "?") absent ; millésimes présents : \(vintages.map(String.init).joined(separator: ", "))")
            }
            panels.append(Panel(indicator: d, vintage: v, values: try store.indicatorValues(name, vintage: v)))
        }

        // Classification shared by every panel: over all stored values of the panels' indicators and vintages.
        var classification: Classification?
        if style.subject == .indicator {
            let all = panels.flatMap { $0.values.values.compactMap(\.number) }
            let rule = style.classification ?? .init(method: .quantiles, classes: style.palette.colors.count, thresholds: nil)
            if panels.allSatisfy({ $0.indicator?.kind == .quintile }) {
                classification = .ordinal(values: all, classes: style.palette.colors.count)
            } else {
                classification = Classification(values: all, method: rule.method, k: min(rule.classes, style.palette.colors.count),
                                                 thresholds: rule.thresholds ?? [], decimals: decimals(all))
            }
        }

        // Geometry: project, fit, simplify the coverage at the output scale.
        let project = Projection(from: .wgs84, to: r.crs)
        let projected = try project(units.map { Geometry.multiPolygon($0.geometry) })
        guard let extent = projected.compactMap(\.bbox).reduce(nil as BBox?, { $0?.union($1) ?? $1 }) else {
            throw StyleError(message: "géométries vides")
        }
        let layout = Layout(width: r.width, panels: panels.count, extent: extent)
        let tolerance = 0.5 / layout.scale
        let simplified = try Coverage.simplify(projected, tolerance: tolerance)
        let pixels = simplified.map { layout.toPixels($0) }
        // MRC borders: dissolve the simplified faces of each MRC; the region outline: all of them.
        var byMRC: [String: [Geometry]] = [:]
        for (u, g) in zip(units, simplified) { byMRC[u.mrcCode ?? "?", default: []].append(g) }
        let mrcOutlines = try byMRC.keys.sorted().map { layout.toPixels(try Geometry.union(byMRC[$0]!)) }
        let outline = layout.toPixels(try Geometry.union(simplified))
        // Shoreline, clipped to the view.
        let coast = try store.coastline()
        var shore: Geometry?
        if !coast.isEmpty {
            let view = layout.viewRectangle(extent)
            let lines = try project(Geometry.multiLineString(MultiLineString(coast)))
            let clipped = try lines.intersection(view).simplifyPreservingTopology(tolerance: tolerance)
            if !clipped.isEmpty { shore = layout.toPixels(clipped) }
        }
        // Populations for label priority.
        let popVintage = try store.vintages("population").first
        let population = try popVintage.map { try store.indicatorValues("population", vintage: $0) } ?? [:]

        var svg = SVGDocument(layout: layout, style: style, language: lang)
        let title = style.title(lang) + (lang == .fr ? " — " : " — ") + territoryName
        var subtitle: String
        if style.subject == .indicator, let d = panels.first?.indicator {
            let method = d.kind == .quintile ? (lang == .fr ? "quintiles publiés" : "published quintiles")
                : classification.map { methodLabel($0.method, lang) } ?? ""
            if panels.count == 1 {
                subtitle = (lang == .fr ? d.labelFR : d.labelEN) + (panels[0].vintage.map { ", \($0)" } ?? "") + " · " + method
            } else {
                subtitle = (lang == .fr ? "\(panels.count) cartes, légende commune · " : "\(panels.count) maps, one legend · ") + method
            }
        } else if style.subject == .littoral {
            let d = try store.imports(limit: 1000).first { $0.kind == "classify-coast" }?.parameters["distance_m"] ?? "300"
            subtitle = lang == .fr ? "Municipalités touchant le trait de côte ou à moins de \(d) m" : "Municipalities touching the shoreline or within \(d) m"
        } else {
            subtitle = lang == .fr ? "Couche « \(style.subject.rawValue) » non importée : fond de carte seulement"
                                   : "No \(style.subject.rawValue) layer imported yet: base map only"
        }
        if fictional { subtitle += lang == .fr ? " · TERRITOIRE FICTIF" : " · FICTIONAL TERRITORY" }
        svg.begin(title: title, description: describe(style: style, territory: territoryName, panels: panels, lang: lang, fictional: fictional),
                  subtitle: subtitle)

        var counts: [Int] = Array(repeating: 0, count: classification?.classes.count ?? style.palette.colors.count)
        var missingCount = 0, suppressedCount = 0
        for (pi, panel) in panels.enumerated() {
            svg.beginPanel(pi, label: panels.count > 1 ? panelLabel(panel, lang) : nil)
            for (i, u) in units.enumerated() {
                let fill: SVGDocument.Fill
                if u.isAquatic {
                    fill = .color(style.water)
                } else {
                    switch style.subject {
                    case .indicator:
                        switch panel.values[u.code] {
                        case .value(let v)?:
                            let k = (classification?.classOf(v) ?? 1) - 1
                            counts[min(k, counts.count - 1)] += pi == 0 ? 1 : 0
                            fill = .color(style.palette.colors[min(k, style.palette.colors.count - 1)])
                        case .suppressed?: fill = .suppressed; if pi == 0 { suppressedCount += 1 }
                        default: fill = .missing; if pi == 0 { missingCount += 1 }
                        }
                    case .littoral:
                        switch u.coastClass {
                        case .littoral?: fill = .color(style.palette.colors[0]); counts[0] += pi == 0 ? 1 : 0
                        case .interieur?: fill = .color(style.palette.colors[1]); counts[1] += pi == 0 ? 1 : 0
                        case nil: fill = .missing; if pi == 0 { missingCount += 1 }
                        }
                    case .services, .mobilisations:
                        fill = .color(style.palette.colors[0])
                    }
                }
                svg.unit(pixels[i], code: u.code, name: u.name, fill: fill, panel: pi)
            }
            svg.endUnits()
            svg.lines(mrcOutlines, stroke: style.strokes.mrc, panel: pi, cssClass: "mrc")
            svg.lines([outline], stroke: style.strokes.region, panel: pi, cssClass: "territoire")
            if let shore { svg.lines([shore], stroke: style.strokes.coast, panel: pi, cssClass: "trait-de-cote", open: true) }
            if panels.count == 1 {
                let mrcNames = Dictionary(try store.units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a }
                let named = zip(byMRC.keys.sorted(), mrcOutlines).map { (mrcNames[$0.0] ?? "MRC \($0.0)", $0.1) }
                try svg.labels(units: units, pixels: pixels, population: population, rule: style.labels, mrc: named)
            }
            svg.endPanel()
        }
        // Legend and furniture.
        var rows: [SVGDocument.LegendRow] = []
        switch style.subject {
        case .indicator:
            for (i, c) in (classification?.classes ?? []).enumerated() {
                rows.append(.init(fill: .color(style.palette.colors[min(i, style.palette.colors.count - 1)]),
                                  label: lang == .fr ? c.labelFR : c.labelEN, count: panels.count == 1 ? counts[i] : nil))
            }
        case .littoral:
            rows = [.init(fill: .color(style.palette.colors[0]), label: lang == .fr ? "Littoral" : "Coast", count: counts[0]),
                    .init(fill: .color(style.palette.colors[1]), label: lang == .fr ? "Intérieur" : "Inland", count: counts[1])]
        case .services, .mobilisations:
            rows = [.init(fill: .color(style.palette.colors[0]), label: lang == .fr ? "Municipalité" : "Municipality", count: units.filter { !$0.isAquatic }.count)]
        }
        let single = panels.count == 1
        if suppressedCount > 0 || !single {
            rows.append(.init(fill: .suppressed, label: lang == .fr ? "Valeur confidentielle" : "Suppressed value", count: single ? suppressedCount : nil))
        }
        if missingCount > 0 || !single {
            rows.append(.init(fill: .missing, label: lang == .fr ? "Sans donnée" : "No data", count: single ? missingCount : nil))
        }
        if units.contains(where: \.isAquatic) { rows.append(.init(fill: .color(style.water), label: lang == .fr ? "Eau (TNO aquatique)" : "Water (aquatic TNO)", count: nil)) }
        let legendTitle: String = {
            if panels.count > 1 { return lang == .fr ? "Légende commune" : "Shared legend" }
            guard let d = panels.first?.indicator else { return style.title(lang) }
            return (lang == .fr ? d.labelFR : d.labelEN) + (d.unit.isEmpty || d.kind == .quintile ? "" : " (\(d.unit))")
        }()
        svg.legend(title: legendTitle, rows: rows, strokes: style.strokes)
        if r.inset, r.level == .mrc || r.level == .region {
            // Inset: the territory within the regions layer, when imported.
            let regions = try store.units(.region)
            if !regions.isEmpty {
                let projectedRegions = try project(regions.map { Geometry.multiPolygon($0.geometry) })
                svg.inset(regions: projectedRegions, highlight: extent)
            }
        }
        svg.scaleBar(metresPerPixel: 1 / layout.scale)
        svg.northArrow()
        var sources = [style.source(lang)]
        for p in panels {
            if let d = p.indicator, let s = try sourcesOf(store, d.name, p.vintage), !sources.contains(s) { sources.append(s) }
        }
        if fictional { sources = [lang == .fr ? "Données FICTIVES générées par Portrait" : "FICTIONAL data generated by Portrait"] }
        svg.footer([sources.joined(separator: " ; "),
                    (lang == .fr ? "Projection : " : "Projection: ") + crsLabel(r.crs) + " · " + (lang == .fr ? "Couleurs : " : "Colours: ")
                        + style.palette.source])
        return svg.finish()
    }

    static func sourcesOf(_ store: TerritoryStore, _ indicator: String, _ vintage: Int?) throws -> String? {
        guard let vintage else { return nil }
        let s = try store.package.db.query("SELECT DISTINCT source FROM indicator_values WHERE indicator = ? AND vintage = ? ORDER BY 1",
                                           [.text(indicator), .int(Int64(vintage))]).compactMap { $0[0].text }
        return s.isEmpty ? nil : s.joined(separator: ", ") + " (\(vintage))"
    }

    static func crsLabel(_ c: CRS) -> String { c == .quebecLambert ? "NAD83 / Québec Lambert (EPSG:32198)" : c.description }

    static func methodLabel(_ m: ClassificationMethod, _ l: Language) -> String {
        switch m {
        case .quantiles: l == .fr ? "quintiles" : "quintiles"
        case .equalInterval: l == .fr ? "intervalles égaux" : "equal intervals"
        case .jenks: l == .fr ? "seuils naturels (Jenks)" : "natural breaks (Jenks)"
        case .thresholds: l == .fr ? "seuils fixes" : "fixed thresholds"
        }
    }

    static func panelLabel(_ p: Panel, _ l: Language) -> String {
        guard let d = p.indicator else { return "" }
        return (l == .fr ? d.labelFR : d.labelEN) + (p.vintage.map { ", \($0)" } ?? "")
    }

    static func describe(style: MapStyle, territory: String, panels: [Panel], lang: Language, fictional: Bool) -> String {
        let what = panels.compactMap { p in p.indicator.map { "\(lang == .fr ? $0.labelFR : $0.labelEN) \(p.vintage ?? 0)" } }
            .joined(separator: ", ")
        return (lang == .fr ? "Carte choroplèthe des municipalités de \(territory)" : "Choropleth map of the municipalities of \(territory)")
            + (what.isEmpty ? "" : " : \(what)") + (fictional ? (lang == .fr ? " (territoire fictif)" : " (fictional territory)") : "") + "."
    }

    /// Decimals for legend labels: enough to tell the breaks apart.
    static func decimals(_ values: [Double]) -> Int {
        guard let lo = values.min(), let hi = values.max() else { return 1 }
        let span = hi - lo
        return span >= 1000 ? 0 : span >= 20 ? 1 : 2
    }
}

extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
