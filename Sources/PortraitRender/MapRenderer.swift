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
    /// Service categories to draw (`services`: all when empty; `gaps`: the first, required).
    public var categories: [String]
    /// Gaps: the distance beyond which a municipality is in a gap, in km.
    public var maxKm: Double
    /// Gaps: the need indicator (priority = population × km beyond the limit, doubled where need is high).
    public var need: String?
    /// Mobilisations: one enjeu, shown as covered or not.
    public var enjeu: String?
    /// An earlier vintage: the map draws the change from it to the latest (percent; points for indices).
    public var compare: Int?
    /// Old codes carried onto current ones for the earlier vintage.
    public var codeChanges: CodeChanges = .builtIn
    /// Gaps and need × access: measured in minutes by road over the store's network, beyond this many minutes.
    public var maxMinutes: Double?

    public init(territory: Territory, style: String, indicator: String? = nil, vintage: Int? = nil,
                panels: [(indicator: String?, vintage: Int?)] = [], width: Double = 960, crs: CRS = .quebecLambert,
                language: Language? = nil, stylesDirectory: String = StyleCatalogue.directory(nil), inset: Bool = true,
                categories: [String] = [], maxKm: Double = 15, need: String? = nil, enjeu: String? = nil, compare: Int? = nil) {
        self.territory = territory; self.style = style; self.indicator = indicator; self.vintage = vintage
        self.panels = panels; self.width = width; self.crs = crs; self.language = language
        self.stylesDirectory = stylesDirectory; self.inset = inset
        self.categories = categories; self.maxKm = maxKm; self.need = need; self.enjeu = enjeu; self.compare = compare
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
    /// Services to draw: those of the territory (services map) or of the category (gaps map).
    public var services: [Service]
    /// Every category imported (for symbols and messages).
    public var serviceCategories: [String]
    /// The gap analysis (gaps map).
    public var gaps: GapReport?
    /// The service areas and the network's name (service areas map).
    public var serviceAreas: (result: ServiceAreas.Result, network: String)?
    /// Coverage by mobilisations of each municipality, and the mobilisations (mobilisations map).
    public var coverage: [MobilisationCoverage]
    public var mobilisations: [Mobilisation]
    /// The sources of the services' categories drawn: file and vintage.
    public var serviceSources: [String]
    /// The codes of the territory itself when its neighbours are drawn around it (a municipality's map).
    public var focus: Set<String> = []

    public init(territory: Territory, territoryName: String, units: [TerritorialUnit], panels: [Panel], coastline: [LineString] = [],
                population: [String: CellValue] = [:], mrcNames: [String: String] = [:], regions: [TerritorialUnit] = [],
                coastDistance: String? = nil, fictional: Bool = false, services: [Service] = [], serviceCategories: [String] = [],
                gaps: GapReport? = nil, coverage: [MobilisationCoverage] = [], mobilisations: [Mobilisation] = [],
                serviceSources: [String] = []) {
        self.territory = territory; self.territoryName = territoryName; self.units = units; self.panels = panels
        self.coastline = coastline; self.population = population; self.mrcNames = mrcNames; self.regions = regions
        self.coastDistance = coastDistance; self.fictional = fictional; self.services = services
        self.serviceCategories = serviceCategories; self.gaps = gaps; self.coverage = coverage; self.mobilisations = mobilisations
        self.serviceSources = serviceSources
    }

    /// Reads what `style` needs for the territory of `r`; errors name what is missing and what is there.
    /// `gaps`: the gap analysis of the request's category when the caller already has it (a report), not redone.
    /// What the maps of one publication share, read once from the store for all of them (one thread).
    public final class Shared {
        var units: [Territory: [TerritorialUnit]] = [:]
        var coastline: [LineString]?
        var regions: [TerritorialUnit]?
        var population: [String: CellValue]?
        var mrcNames: [String: String]?
        var neighbours: [Territory: [TerritorialUnit]] = [:]
        /// The store's road network, read and indexed once for every map in minutes.
        public var routing: Routing?
        public init() {}
    }

    public static func load(store: any TerritoryStore, request r: RenderRequest, style: MapStyle, gaps known: GapReport? = nil,
                            shared: Shared? = nil) throws -> MapData {
        let t = r.territory
        func once<T>(_ key: ReferenceWritableKeyPath<Shared, T?>, _ read: () throws -> T) rethrows -> T {
            if let v = shared?[keyPath: key] { return v }
            let v = try read()
            shared?[keyPath: key] = v
            return v
        }
        var units = try shared?.units[t] ?? store.municipalities(in: t, withGeometry: true)
        shared?.units[t] = units
        guard !units.isEmpty else {
            let known = try store.units(t.level ?? .municipality, withGeometry: false).prefix(30).map { "\($0.code) \($0.name)" }
            throw StyleError(.notFound, "\(t) : aucune municipalité ; présentes : \(known.joined(separator: ", "))")
        }
        // A municipality is drawn centred among its neighbours, its own outline marked.
        var focus: Set<String> = []
        if t.kind == .municipality, let box = Self.neighbourhood(units) {
            focus = Set(units.map(\.code))
            units = try shared?.neighbours[t] ?? store.units(.municipality, intersecting: box).map(\.value).sorted { $0.code < $1.code }
            shared?.neighbours[t] = units
        }
        // Panels: one by default, several for small multiples.
        let specs = r.panels.isEmpty ? [(r.indicator, r.vintage)] : r.panels
        var panels: [Panel] = []
        let definitions = Dictionary(uniqueKeysWithValues: try store.indicatorDefinitions().map { ($0.name, $0) })
        for (ind, vin) in specs {
            guard style.subject == .indicator || style.subject == .bivariate else {
                panels.append(Panel(indicator: nil, vintage: nil, values: [:])); continue
            }
            // The need of a bivariate map: --need, else --indicator, else the style's preference.
            let asked = style.subject == .bivariate ? r.need ?? ind : ind
            let name = asked ?? style.prefer?.first(where: { definitions[$0] != nil }) ?? style.indicator ?? ""
            guard let d = definitions[name] else {
                throw StyleError(.notFound, "indicateur « \(name) » absent du magasin ; indicateurs présents : \(definitions.keys.sorted().joined(separator: ", ").ifEmpty("aucun (portrait import indicators)"))")
            }
            let vintages = try store.vintages(name)
            guard let v = vin ?? vintages.first, vintages.contains(v) else {
                throw StyleError(.notFound, "indicateur « \(name) » : millésime \(vin.map(String.init) ?? "?") absent ; millésimes présents : \(vintages.map(String.init).joined(separator: ", "))")
            }
            let sources = try store.indicatorSources(name, vintage: v)
            if r.compare == nil && style.change != true && style.subject == .indicator { try style.check(d) }
            if r.compare != nil || style.change == true {
                panels.append(try changePanel(store: store, definition: d, to: v, vintages: vintages, request: r, sources: sources))
                continue
            }
            panels.append(Panel(indicator: d, vintage: v, values: try store.indicatorValues(name, vintage: v, level: .municipality),
                                source: sources.isEmpty ? nil : MapRenderer.credits(sources, r.language ?? .fr) + " (\(v))"))
        }
        var data = MapData(
            territory: t, territoryName: try store.name(of: t), units: units, panels: panels, coastline: try once(\.coastline) { try store.coastline() },
            population: try once(\.population) { try store.latestValues("population")?.values ?? [:] },
            mrcNames: try once(\.mrcNames) { Dictionary(try store.units(.mrc, withGeometry: false).map { ($0.code, $0.name) }) { a, _ in a } },
            regions: r.inset ? try once(\.regions) { try store.units(.region, withGeometry: true) } : [],
            coastDistance: try store.lastImport(kind: "classify-coast")?.parameters["distance_m"], fictional: try store.isDemo())
        data.focus = focus
        try data.loadLayers(store: store, request: r, style: style, gaps: known, routing: shared?.routing)
        return data
    }

    /// The box a municipality's map shows: its own, widened by half its size on each side (at least 0.1°).
    static func neighbourhood(_ units: [TerritorialUnit]) -> BBox? {
        guard let b = units.compactMap({ Geometry.multiPolygon($0.geometry).bbox }).reduce(nil as BBox?, { $0?.union($1) ?? $1 }) else { return nil }
        let dx = max((b.maxX - b.minX) / 2, 0.1), dy = max((b.maxY - b.minY) / 2, 0.06)
        return BBox(minX: b.minX - dx, minY: b.minY - dy, maxX: b.maxX + dx, maxY: b.maxY + dy)
    }

    /// The change of `d` from the asked (else the earliest) vintage to `to`, by municipality, old codes carried over.
    static func changePanel(store: any TerritoryStore, definition d: IndicatorDefinition, to: Int, vintages: [Int], request r: RenderRequest,
                            sources: [String]) throws -> Panel {
        let earlier = vintages.filter { $0 < to }
        guard let from = r.compare ?? earlier.last, earlier.contains(from) else {
            throw StyleError(.notFound, "indicateur « \(d.name) » : pas de millésime \(r.compare.map(String.init) ?? "antérieur") à comparer à \(to) ; millésimes présents : \(vintages.map(String.init).joined(separator: ", "))")
        }
        let old = IndicatorChange.carried(try store.indicatorValues(d.name, vintage: from, level: .municipality), kind: d.kind,
                                          population: try store.indicatorValues("population", vintage: from, level: .municipality),
                                          codeChanges: r.codeChanges)
        let new = try store.indicatorValues(d.name, vintage: to, level: .municipality)
        var values: [String: CellValue] = [:]
        for (code, b) in new {
            let a = old[code]
            if a == .suppressed || b == .suppressed { values[code] = .suppressed; continue }
            guard let x = a?.number, let y = b.number else { values[code] = .missing; continue }
            values[code] = IndicatorChange(from: x, to: y, years: to - from, kind: d.kind).mapped.map(CellValue.value) ?? .missing
        }
        let oldSources = try store.indicatorSources(d.name, vintage: from)
        let source = (oldSources.map { "\($0) (\(from))" } + sources.map { "\($0) (\(to))" }).joined(separator: ", ")
        return Panel(indicator: d.change(from: from, to: to), vintage: nil, values: values, source: source.isEmpty ? nil : source)
    }

    /// Services, gaps and mobilisations, for the styles that draw them.
    mutating func loadLayers(store: any TerritoryStore, request r: RenderRequest, style: MapStyle, gaps known: GapReport?,
                             routing: Routing? = nil) throws {
        let categories = try store.serviceCategories()
        serviceCategories = categories
        func sources(_ cats: [String]) throws -> [String] {
            try store.imports(limit: 1000).filter { $0.kind == "services" && cats.contains($0.level ?? "") }
                .reduce(into: [String: String]()) { out, e in
                    if out[e.level ?? ""] == nil {
                        let file = e.sourceFile.map { ($0 as NSString).lastPathComponent } ?? e.level ?? ""
                        out[e.level ?? ""] = SourceCatalogue.credit(file, r.language ?? .fr) + (e.parameters["vintage"].map { " (\($0))" } ?? "")
                    }
                }.sorted { $0.key < $1.key }.map(\.value)
        }
        /// The one category a map of gaps, need × access or service areas draws: given, and imported.
        func oneCategory(_ map: String) throws -> String {
            let known = categories.isEmpty ? "aucune (portrait import services)" : categories.joined(separator: ", ")
            guard let category = r.categories.first else { throw StyleError(.invalidInput, "\(map) demande --category ; catégories importées : \(known)") }
            guard categories.contains(category) else { throw StyleError(.notFound, "catégorie « \(category) » inconnue ; catégories importées : \(known)") }
            return category
        }
        switch style.subject {
        case .services:
            for c in r.categories where !categories.contains(c) {
                throw StyleError(.notFound, "catégorie « \(c) » inconnue ; catégories importées : \(categories.isEmpty ? "aucune (portrait import services)" : categories.joined(separator: ", "))")
            }
            let wanted = r.categories.isEmpty ? categories : r.categories
            // Around a municipality: the services within the extent of the units drawn.
            let drawn = units.compactMap { Geometry.multiPolygon($0.geometry).bbox }.reduce(nil as BBox?) { $0?.union($1) ?? $1 }
            services = try (focus.isEmpty ? store.services(category: nil, in: territory)
                : drawn.map { b in try store.services(intersecting: b).map(\.value).filter { b.contains($0.position) } } ?? [])
                .filter { wanted.contains($0.category) }
            serviceSources = try sources(wanted)
        case .bivariate:
            let category = try oneCategory("la carte besoin × accès")
            // Distances (or minutes) only (the need is the map's other axis).
            gaps = try known.flatMap { $0.category == category && $0.maxKm == r.maxKm && $0.maxMinutes == r.maxMinutes ? $0 : nil }
                ?? GapAnalysis.run(store: store, territory: territory, category: category, maxKm: r.maxKm, maxMinutes: r.maxMinutes,
                                   routing: routing)
            serviceSources = try sources([category])
        case .gaps:
            let category = try oneCategory("la carte des lacunes")
            gaps = try known.flatMap { $0.category == category && $0.maxKm == r.maxKm && $0.need == r.need && $0.maxMinutes == r.maxMinutes ? $0 : nil }
                ?? GapAnalysis.run(store: store, territory: territory, category: category, maxKm: r.maxKm, need: r.need, maxMinutes: r.maxMinutes,
                                   routing: routing)
            services = try store.services(category: category)
            serviceSources = try sources([category])
        case .serviceAreas:
            let category = try oneCategory("la carte des aires de service")
            guard try store.roadNetworkName() != nil else {
                throw StyleError(.notFound, "la carte des aires de service demande un réseau routier ; importez-en un (portrait import roads FICHIER)")
            }
            serviceAreas = try ServiceAreas.run(store: store, territory: territory, category: category, routing: routing)
            services = try store.services(category: category)
            serviceSources = try sources([category])
        case .mobilisations:
            mobilisations = try store.mobilisations()
            coverage = MobilisationCoverage.compute(units: units.filter { !$0.isAquatic }, mobilisations: mobilisations)
            if let enjeu = r.enjeu {
                let known = Set(mobilisations.flatMap(\.enjeux)).sorted()
                guard known.contains(enjeu) else {
                    throw StyleError(.notFound, "enjeu « \(enjeu) » inconnu ; enjeux des mobilisations importées : \(known.isEmpty ? "aucun (portrait import mobilisations)" : known.joined(separator: ", "))")
                }
            }
        case .indicator, .littoral:
            break
        }
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
        let units = data.units, panels = data.panels
        let theme = MapTheme.make(data, style: style, request: r, language: lang)

        // Geometry: project, fit, simplify the coverage at the output scale.
        let project = Projection(from: .wgs84, to: r.crs)
        let projected = try project(units.map { Geometry.multiPolygon($0.geometry) })
        guard let extent = projected.compactMap(\.bbox).reduce(nil as BBox?, { $0?.union($1) ?? $1 }) else {
            throw StyleError(.internal, "géométries vides")
        }
        let footer = [Self.sources(data, style: style, lang: lang).joined(separator: " ; "),
                      MapText.projection(lang) + crsLabel(r.crs) + " · " + MapText.colours(lang) + style.palette.source]
        let footerLines = footer.map { PlanMap.wrap($0, columns: Layout.footerColumns(r.width)).count }.reduce(0, +)
        let layout = Layout(width: r.width, panels: panels.count, extent: extent, footerLines: footerLines)
        let tolerance = 0.5 / layout.scale
        let simplified = try CoverageMemo.simplify(projected, tolerance: tolerance)
        let pixels = simplified.map { layout.toPixels($0) }
        // MRC borders: dissolve the simplified faces of each MRC; the region outline: all of them.
        let outlines = try CoverageMemo.outlines(simplified, groups: units.map { $0.mrcCode ?? "?" })
        let mrcOutlines = outlines.groups.map { layout.toPixels($0.outline) }
        // The territory's outline: its own units' when neighbours are drawn around it.
        let focused = data.focus.isEmpty ? [] : units.indices.filter { data.focus.contains(units[$0].code) }
        let outline = focused.isEmpty ? layout.toPixels(outlines.outline)
            : layout.toPixels(try CoverageMemo.outlines(focused.map { simplified[$0] }, groups: focused.map { _ in "t" }).outline)
        let view = layout.viewRectangle(extent)
        // Shoreline, clipped to the view.
        var shore: Geometry?
        if !data.coastline.isEmpty {
            let lines = try project(Geometry.multiLineString(MultiLineString(data.coastline)))
            let clipped = try CoverageMemo.shoreline(lines, view: view, tolerance: tolerance)
            if !clipped.isEmpty { shore = layout.toPixels(clipped) }
        }
        let overlays = try Overlays.make(data, style: style, request: r, language: lang, project: project, layout: layout,
                                         simplified: simplified, view: view)

        var svg = SVGDocument(layout: layout, style: style, language: lang)
        // A style drawing another indicator than its own is titled by that indicator.
        let title = Self.title(data, style: style, lang: lang)
        svg.begin(title: title, description: describe(data, style: style, theme: theme, rows: theme.rows + overlays.rows, lang: lang),
                  subtitle: theme.subtitle)
        for (pi, panel) in panels.enumerated() {
            svg.beginPanel(pi, label: panels.count > 1 ? panelLabel(panel, lang) : nil)
            for (i, u) in units.enumerated() {
                svg.unit(pixels[i], code: u.code, name: u.name, fill: theme.fills[min(pi, theme.fills.count - 1)][i], panel: pi,
                         attributes: theme.attributes[i])
            }
            svg.endUnits()
            overlays.drawUnderLines(&svg)
            svg.lines(mrcOutlines, stroke: style.strokes.mrc, panel: pi, cssClass: "mrc")
            // A municipality among its neighbours: its outline twice as wide.
            let stroke = focused.isEmpty ? style.strokes.region
                : MapStyle.Stroke(color: style.strokes.region.color, width: style.strokes.region.width * 2.5)
            svg.lines([outline], stroke: stroke, panel: pi, cssClass: "territoire")
            if let shore { svg.lines([shore], stroke: style.strokes.coast, panel: pi, cssClass: "trait-de-cote", open: true) }
            overlays.drawOverLines(&svg)
            if !theme.circles.isEmpty, theme.circleMax > 0 {
                // Proportional circles: area proportional to the value, the largest drawn first (behind the smaller).
                svg.out += "<g class=\"cercles\" fill=\"\(SVG.esc(style.palette.colors.last ?? "#3182bd"))\" fill-opacity=\"0.72\" stroke=\"#ffffff\" stroke-width=\"0.8\">\n"
                for (i, v) in theme.circles.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.unit < $1.unit }) {
                    guard let c = try? simplified[i].pointOnSurface(), case .point(let q) = layout.toPixels(.point(Point(c))) else { continue }
                    let radius = Self.circleRadius(v, max: theme.circleMax, width: layout.panelWidth)
                    svg.out += "<circle class=\"cercle\" data-code=\"\(SVG.esc(units[i].code))\" data-value=\"\(NumberFormat.shortest(v))\" cx=\"\(SVG.n(q.position.x, 2))\" cy=\"\(SVG.n(q.position.y, 2))\" r=\"\(SVG.n(radius, 3))\"><title>\(SVG.esc(units[i].name)) : \(SVG.esc(NumberText.format(v, language: lang)))</title></circle>\n"
                }
                svg.out += "</g>\n"
            }
            if panels.count == 1 {
                let named = zip(outlines.groups.map(\.code), mrcOutlines).map { (data.mrcNames[$0.0] ?? "MRC \($0.0)", $0.1) }
                try svg.labels(units: units, pixels: pixels, population: data.population, rule: style.labels, mrc: named, focus: data.focus)
            }
            overlays.drawSymbols(&svg)
            svg.endPanel()
        }
        // Legend and furniture.
        var nested: (values: [Double], radii: [Double], color: String)?
        let grid = theme.bivariate.map { b in (colors: style.palette.colors, counts: b.counts, need: b.needLabel, access: b.accessLabel) }
        if !theme.circles.isEmpty, theme.circleMax > 0 {
            let values = Self.legendValues(theme.circleMax)
            nested = (values, values.map { Self.circleRadius($0, max: theme.circleMax, width: layout.panelWidth) }, style.palette.colors.last ?? "#3182bd")
        }
        svg.legend(title: theme.legendTitle, rows: theme.rows + overlays.rows, strokes: style.strokes, shoreline: shore != nil, circles: nested, grid: grid)
        if r.inset, !data.regions.isEmpty {
            // Inset: the territory within the regions layer, when imported.
            svg.inset(regions: try project(data.regions.map { Geometry.multiPolygon($0.geometry) }), highlight: extent)
        }
        svg.scaleBar(metresPerPixel: 1 / layout.scale)
        svg.northArrow()
        svg.footer(footer)
        return svg.finish()
    }

    /// A map's title: the style's, or the indicator's when the style draws another than its own, and the territory.
    static func title(_ data: MapData, style: MapStyle, lang: Language) -> String {
        let panels = data.panels
        let other = style.subject == .indicator && panels.count == 1 ? panels[0].indicator.flatMap { $0.name == style.indicator || $0.name == (style.indicator ?? "") + "_variation" ? nil : $0 } : nil
        return (other?.label(lang) ?? style.title(lang)) + MapText.titleSeparator + data.territoryName
    }

    /// Stored sources as a map credits them: each file by its publisher, once.
    static func credits(_ sources: [String], _ lang: Language) -> String {
        var out: [String] = []
        for s in sources.map({ SourceCatalogue.credit($0, lang) }) where !out.contains(s) { out.append(s) }
        return out.joined(separator: ", ")
    }

    /// A map's sources: the style's, each panel's and each service layer's, once; the fictional notice for the demo.
    static func sources(_ data: MapData, style: MapStyle, lang: Language) -> [String] {
        if data.fictional { return [MapText.fictionalData(lang)] }
        var sources = [style.source(lang)]
        for s in data.panels.compactMap(\.source) + data.serviceSources where !sources.contains(s) { sources.append(s) }
        return sources
    }

    /// The radius of a value's circle: the largest value gets `width / 20` pixels (between 14 and 34), and the
    /// area is proportional to the value.
    static func circleRadius(_ v: Double, max: Double, width: Double) -> Double {
        let largest = Swift.min(34, Swift.max(14, width / 20))
        return largest * (Swift.max(v, 0) / max).squareRoot()
    }

    /// Three rounded values for the nested circles of the legend: the largest round value not above the maximum
    /// (1, 2 or 5 × 10ⁿ), then about a sixth and a fortieth of it.
    static func legendValues(_ maximum: Double) -> [Double] {
        func nice(_ v: Double) -> Double {
            guard v > 0 else { return 0 }
            let p = pow(10, floor(log10(v)))
            return [5, 2, 1].map { $0 * p }.first { $0 <= v } ?? p
        }
        var out: [Double] = []
        for v in [nice(maximum), nice(maximum / 6), nice(maximum / 40)] where v > 0 && !out.contains(v) { out.append(v) }
        return out
    }

    static func crsLabel(_ c: CRS) -> String { c == .quebecLambert ? "NAD83 / Québec Lambert (EPSG:32198)" : c.description }

    static func panelLabel(_ p: Panel, _ l: Language) -> String {
        guard let d = p.indicator else { return "" }
        return d.label(l) + (p.vintage.map { ", \(d.referenceYear($0))" } ?? "")
    }

    /// The map in words (its SVG `<desc>`, the alternative text of a report's figure): what it shows, for which
    /// territory and year, its classes with how many units each, and the units of the highest and lowest classes
    /// (or the largest circles).
    static func describe(_ data: MapData, style: MapStyle, theme: MapTheme, rows legend: [SVGDocument.LegendRow], lang: Language) -> String {
        let fr = lang == .fr, panels = data.panels, units = data.units.filter { !$0.isAquatic }
        func names(_ list: [TerritorialUnit]) -> String {
            list.prefix(5).map(\.name).joined(separator: ", ") + (list.count > 5 ? (fr ? " et \(list.count - 5) autres" : " and \(list.count - 5) more") : "")
        }
        var parts: [String] = []
        let what = panels.compactMap { p in p.indicator.map { d in d.label(lang) + (p.vintage.map { " (\(d.referenceYear($0)))" } ?? "") } }.joined(separator: ", ")
        switch style.subject {
        case .indicator where style.symbol == .circles:
            parts.append((fr ? "Cercles proportionnels" : "Proportional circles") + " : \(what), " + (fr ? "municipalités de " : "municipalities of ") + data.territoryName)
            let byCode = Dictionary(data.units.map { ($0.code, $0) }) { a, _ in a }
            let largest = theme.circles.sorted { $0.value > $1.value }.prefix(3).compactMap { c -> String? in
                byCode[data.units[c.unit].code].map { "\($0.name) (\(NumberText.format(c.value, language: lang)))" }
            }
            parts.append((fr ? "\(theme.circles.count) cercles, surface proportionnelle à la valeur ; les plus grands : " : "\(theme.circles.count) circles, area proportional to the value; the largest: ")
                         + largest.joined(separator: ", "))
        case .indicator:
            parts.append(MapText.choropleth(data.territoryName)(lang) + (what.isEmpty ? "" : " : \(what)"))
            if let c = theme.classification, let p = panels.first, !c.classes.isEmpty {
                var members = [[TerritorialUnit]](repeating: [], count: c.classes.count)
                for u in units { if let v = p.values[u.code]?.number, let k = c.classOf(v), k >= 1, k <= members.count { members[k - 1].append(u) } }
                let counts = zip(c.classes, members).map { "\($0.label(lang)) (\($1.count))" }.joined(separator: " ; ")
                parts.append((fr ? "\(c.classes.count) classes : " : "\(c.classes.count) classes: ") + counts)
                func sorted(_ l: [TerritorialUnit], descending: Bool) -> [TerritorialUnit] {
                    l.sorted { a, b in
                        let (x, y) = (p.values[a.code]?.number ?? 0, p.values[b.code]?.number ?? 0)
                        return x != y ? (descending ? x > y : x < y) : a.code < b.code
                    }
                }
                if let top = members.lastIndex(where: { !$0.isEmpty }) {
                    parts.append((fr ? "Classe la plus élevée : " : "Highest class: ") + names(sorted(members[top], descending: true)))
                }
                if let bottom = members.firstIndex(where: { !$0.isEmpty }), bottom != members.lastIndex(where: { !$0.isEmpty }) {
                    parts.append((fr ? "Classe la plus basse : " : "Lowest class: ") + names(sorted(members[bottom], descending: false)))
                }
            }
        default:
            parts.append(style.title(lang) + (fr ? " : municipalités de " : ": municipalities of ") + data.territoryName)
            if !theme.subtitle.isEmpty { parts.append(theme.subtitle) }
            let rows = legend.filter { $0.count != nil }.map { "\($0.label) (\($0.count!))" }
            if !rows.isEmpty { parts.append(rows.joined(separator: " ; ")) }
        }
        if data.fictional { parts[0] += MapText.fictionalSuffix(lang) }
        return parts.joined(separator: ". ") + "."
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
