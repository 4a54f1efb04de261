import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// What to draw.
public struct RenderRequest: Sendable {
    public var territory: Territory
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

    public init(territory: Territory, style: String, indicator: String? = nil, vintage: Int? = nil,
                panels: [(indicator: String?, vintage: Int?)] = [], width: Double = 960, crs: CRS = .quebecLambert,
                language: Language? = nil, stylesDirectory: String = StyleCatalogue.directory(nil), inset: Bool = true) {
        self.territory = territory; self.style = style; self.indicator = indicator; self.vintage = vintage
        self.panels = panels; self.width = width; self.crs = crs; self.language = language
        self.stylesDirectory = stylesDirectory; self.inset = inset
    }
}

/// Everything a map shows, loaded from the store once; composing the SVG needs nothing else.
public struct MapData: Sendable {
    public struct Panel: Sendable {
        public var indicator: IndicatorDefinition?
        public var vintage: Int?
        public var values: [String: CellValue]
        /// The files the values came from, with their vintage.
        public var source: String?

        public init(indicator: IndicatorDefinition?, vintage: Int?, values: [String: CellValue], source: String? = nil) {
            self.indicator = indicator; self.vintage = vintage; self.values = values; self.source = source
        }
    }

    public var territory: Territory
    public var territoryName: String
    /// The territory's municipal units (aquatic ones included), with geometry.
    public var units: [TerritorialUnit]
    public var panels: [Panel]
    public var coastline: [LineString]
    /// Latest population by code (label priority).
    public var population: [String: CellValue]
    public var mrcNames: [String: String]
    /// Every region, for the inset (empty when the layer is not imported).
    public var regions: [TerritorialUnit]
    /// The distance of the last coast classification, in metres, as stored.
    public var coastDistance: String?
    public var fictional: Bool

    public init(territory: Territory, territoryName: String, units: [TerritorialUnit], panels: [Panel], coastline: [LineString] = [],
                population: [String: CellValue] = [:], mrcNames: [String: String] = [:], regions: [TerritorialUnit] = [],
                coastDistance: String? = nil, fictional: Bool = false) {
        self.territory = territory; self.territoryName = territoryName; self.units = units; self.panels = panels
        self.coastline = coastline; self.population = population; self.mrcNames = mrcNames; self.regions = regions
        self.coastDistance = coastDistance; self.fictional = fictional
    }

    /// Reads what `style` needs for the territory of `r`; errors name what is missing and what is there.
    public static func load(store: any TerritoryStore, request r: RenderRequest, style: MapStyle) throws -> MapData {
        let t = r.territory
        let units = try store.municipalities(in: t, withGeometry: true)
        guard !units.isEmpty else {
            let known = try store.units(t.level, withGeometry: false).prefix(30).map { "\($0.code) \($0.name)" }
            throw StyleError(.notFound, "\(t) : aucune municipalité ; présentes : \(known.joined(separator: ", "))")
        }
        // Panels: one by default, several for small multiples.
        let specs = r.panels.isEmpty ? [(r.indicator, r.vintage)] : r.panels
        var panels: [Panel] = []
        let definitions = Dictionary(uniqueKeysWithValues: try store.indicatorDefinitions().map { ($0.name, $0) })
        for (ind, vin) in specs {
            guard style.subject == .indicator else { panels.append(Panel(indicator: nil, vintage: nil, values: [:])); continue }
            let name = ind ?? style.indicator ?? ""
            guard let d = definitions[name] else {
                throw StyleError(.notFound, "indicateur « \(name) » absent du magasin ; indicateurs présents : \(definitions.keys.sorted().joined(separator: ", ").ifEmpty("aucun (portrait import indicators)"))")
            }
            let vintages = try store.vintages(name)
            guard let v = vin ?? vintages.first, vintages.contains(v) else {
                throw StyleError(.notFound, "indicateur « \(name) » : millésime \(vin.map(String.init) ?? "?") absent ; millésimes présents : \(vintages.map(String.init).joined(separator: ", "))")
            }
            let sources = try store.indicatorSources(name, vintage: v)
            panels.append(Panel(indicator: d, vintage: v, values: try store.indicatorValues(name, vintage: v, level: .municipality),
                                source: sources.isEmpty ? nil : sources.joined(separator: ", ") + " (\(v))"))
        }
        return MapData(
            territory: t, territoryName: try store.name(of: t), units: units, panels: panels, coastline: try store.coastline(),
            population: try store.latestValues("population")?.values ?? [:],
            mrcNames: Dictionary(try store.units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a },
            regions: r.inset ? try store.units(.region, withGeometry: true) : [],
            coastDistance: try store.lastImport(kind: "classify-coast")?.parameters["distance_m"], fictional: try store.isDemo())
    }
}

/// Renders report-grade SVG maps of a region or an MRC in two steps: `MapData.load`
/// reads the store, `compose` draws (no store). The CLI and the HTTP service call `render`.
public enum MapRenderer {
    typealias Panel = MapData.Panel

    public static func render(storePath: String, request r: RenderRequest) throws -> String {
        let style = try StyleCatalogue.load(r.style, from: r.stylesDirectory)
        let data = try MapData.load(store: try Stores.open(storePath), request: r, style: style)
        return try compose(data, style: style, request: r)
    }

    /// The SVG of `data` drawn with `style`: classification, projection, coverage simplification, layers, legend, furniture.
    public static func compose(_ data: MapData, style: MapStyle, request r: RenderRequest) throws -> String {
        let lang = r.language ?? style.language
        let units = data.units, panels = data.panels, fictional = data.fictional
        let territoryName = data.territoryName

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
            throw StyleError(.internal, "géométries vides")
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
        let coast = data.coastline
        var shore: Geometry?
        if !coast.isEmpty {
            let view = layout.viewRectangle(extent)
            let lines = try project(Geometry.multiLineString(MultiLineString(coast)))
            let clipped = try lines.intersection(view).simplifyPreservingTopology(tolerance: tolerance)
            if !clipped.isEmpty { shore = layout.toPixels(clipped) }
        }
        let population = data.population

        var svg = SVGDocument(layout: layout, style: style, language: lang)
        let title = style.title(lang) + MapText.titleSeparator + territoryName
        var subtitle: String
        if style.subject == .indicator, let d = panels.first?.indicator {
            let method = d.kind == .quintile ? MapText.publishedQuintiles(lang) : classification.map { MapText.method($0)(lang) } ?? ""
            if panels.count == 1 {
                subtitle = d.label(lang) + (panels[0].vintage.map { ", \($0)" } ?? "") + " · " + method
            } else {
                subtitle = MapText.panels(panels.count)(lang) + method
            }
        } else if style.subject == .littoral {
            subtitle = MapText.shoreDistance(data.coastDistance ?? "300")(lang)
        } else {
            subtitle = MapText.notImported(style.subject.rawValue)(lang)
        }
        if fictional { subtitle += MapText.fictionalTerritory(lang) }
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
                let mrcNames = data.mrcNames
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
                                  label: c.label(lang), count: panels.count == 1 ? counts[i] : nil))
            }
        case .littoral:
            rows = [.init(fill: .color(style.palette.colors[0]), label: MapText.coast(lang), count: counts[0]),
                    .init(fill: .color(style.palette.colors[1]), label: MapText.inland(lang), count: counts[1])]
        case .services, .mobilisations:
            rows = [.init(fill: .color(style.palette.colors[0]), label: MapText.municipality(lang), count: units.filter { !$0.isAquatic }.count)]
        }
        let single = panels.count == 1
        if suppressedCount > 0 || !single {
            rows.append(.init(fill: .suppressed, label: MapText.suppressed(lang), count: single ? suppressedCount : nil))
        }
        if missingCount > 0 || !single {
            rows.append(.init(fill: .missing, label: MapText.noData(lang), count: single ? missingCount : nil))
        }
        if units.contains(where: \.isAquatic) { rows.append(.init(fill: .color(style.water), label: MapText.water(lang), count: nil)) }
        let legendTitle: String = {
            if panels.count > 1 { return MapText.sharedLegend(lang) }
            guard let d = panels.first?.indicator else { return style.title(lang) }
            return d.label(lang) + (d.unit.isEmpty || d.kind == .quintile ? "" : " (\(d.unit))")
        }()
        svg.legend(title: legendTitle, rows: rows, strokes: style.strokes)
        if r.inset {
            // Inset: the territory within the regions layer, when imported.
            let regions = data.regions
            if !regions.isEmpty {
                let projectedRegions = try project(regions.map { Geometry.multiPolygon($0.geometry) })
                svg.inset(regions: projectedRegions, highlight: extent)
            }
        }
        svg.scaleBar(metresPerPixel: 1 / layout.scale)
        svg.northArrow()
        var sources = [style.source(lang)]
        for p in panels {
            if let s = p.source, !sources.contains(s) { sources.append(s) }
        }
        if fictional { sources = [MapText.fictionalData(lang)] }
        svg.footer([sources.joined(separator: " ; "),
                    MapText.projection(lang) + crsLabel(r.crs) + " · " + MapText.colours(lang) + style.palette.source])
        return svg.finish()
    }

    static func crsLabel(_ c: CRS) -> String { c == .quebecLambert ? "NAD83 / Québec Lambert (EPSG:32198)" : c.description }

    static func panelLabel(_ p: Panel, _ l: Language) -> String {
        guard let d = p.indicator else { return "" }
        return d.label(l) + (p.vintage.map { ", \($0)" } ?? "")
    }

    static func describe(style: MapStyle, territory: String, panels: [Panel], lang: Language, fictional: Bool) -> String {
        let what = panels.compactMap { p in p.indicator.map { "\($0.label(lang)) \(p.vintage ?? 0)" } }
            .joined(separator: ", ")
        return MapText.choropleth(territory)(lang) + (what.isEmpty ? "" : " : \(what)") + (fictional ? MapText.fictionalSuffix(lang) : "") + "."
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
