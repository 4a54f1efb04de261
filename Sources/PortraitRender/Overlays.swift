import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitTerritory

/// What goes over the municipalities: the gap area, the coast/inland boundary,
/// the outlines of regional and MRC tables, the service symbols; with their legend rows.
struct Overlays {
    var gapArea: Geometry?
    /// Service areas: each band's pixels, colour and name, nearest first.
    var areas: [(geometry: Geometry, color: String, label: String)] = []
    var gapColor = "#7a0177"
    var coastInland: Geometry?
    var outlines: [(id: String, name: String, geometry: Geometry)] = []
    var symbols: [(ServiceSymbols.Group, MapStyle.CategoryStyle)] = []
    var radius = 4.5
    var rows: [SVGDocument.LegendRow] = []

    static let boundaryColor = "#6a3d9a"
    static let outlineColor = "#54278f"

    static func make(_ data: MapData, style: MapStyle, request r: RenderRequest, language lang: Language, project: Projection,
                     layout: Layout, simplified: [Geometry], view: Geometry) throws -> Overlays {
        var o = Overlays()
        o.radius = style.symbolSize ?? 4.5
        let units = data.units
        switch style.subject {
        case .indicator, .littoral, .bivariate:
            return o
        case .services, .gaps, .serviceAreas:
            // The coast/inland boundary: the edges littoral and inland faces share.
            let lit = units.indices.filter { units[$0].coastClass == .littoral && !units[$0].isAquatic }.map { simplified[$0] }
            let inl = units.indices.filter { units[$0].coastClass == .interieur && !units[$0].isAquatic }.map { simplified[$0] }
            if !lit.isEmpty, !inl.isEmpty {
                let a = Geometry.multiLineString(MultiLineString(try Geometry.union(lit).boundaryLines))
                let b = Geometry.multiLineString(MultiLineString(try Geometry.union(inl).boundaryLines))
                let shared = try a.intersection(b)
                if !shared.isEmpty, !shared.lineStrings.isEmpty {
                    o.coastInland = layout.toPixels(.multiLineString(MultiLineString(shared.lineStrings)))
                    o.rows.append(.init(swatch: .dashed(boundaryColor), label: MapText.coastInlandBoundary(lang), count: nil))
                }
            }
            if style.subject == .gaps, let area = data.gaps?.gapArea {
                let projected = try project(area).intersection(view)
                if !projected.isEmpty {
                    o.gapArea = layout.toPixels(try projected.simplifyPreservingTopology(tolerance: 0.5 / layout.scale))
                    let limit = data.gaps?.maxMinutes ?? r.maxKm
                    let km = NumberText.format(limit, decimals: limit.rounded() == limit ? 0 : 1, language: lang)
                    o.rows.append(.init(swatch: .hatch(o.gapColor), label: (data.gaps?.maxMinutes != nil ? MapText.gapAreaMinutes(km) : MapText.gapArea(km))(lang), count: nil))
                }
            }
            if style.subject == .serviceAreas, let a = data.serviceAreas?.result {
                let colors = style.palette.colors
                for (i, b) in a.bands.enumerated() {
                    let color = colors[min(i, colors.count - 1)]
                    let label = MapText.serviceArea(from: b.fromMinutes, to: b.toMinutes, km2: b.areaKm2)(lang)
                    if let g = b.geometry {
                        let projected = try project(g).intersection(view)
                        if !projected.isEmpty { o.areas.append((layout.toPixels(try projected.simplifyPreservingTopology(tolerance: 0.5 / layout.scale)), color, label)) }
                    }
                    o.rows.append(.init(fill: .color(color), label: label, count: nil))
                }
                if let g = a.beyond {
                    let projected = try project(g).intersection(view)
                    if !projected.isEmpty {
                        o.gapArea = layout.toPixels(try projected.simplifyPreservingTopology(tolerance: 0.5 / layout.scale))
                    }
                    o.rows.append(.init(swatch: .hatch(o.gapColor), label: MapText.beyondAreas(a.bands.last?.toMinutes ?? 0, km2: a.beyondKm2)(lang), count: nil))
                }
            }
            // Service symbols, in the view.
            let frame = view.bbox
            var points: [(category: String, name: String, x: Double, y: Double)] = []
            var drawn: [String: Int] = [:], inside: [String: Int] = [:]
            // The territory's own units (a fiche's municipality, else every unit drawn as the territory): a service is
            // counted in the territory by the municipality it was joined to at import, as the report counts it.
            let own = data.focus.isEmpty ? Set(data.units.map(\.code)) : data.focus
            for s in data.services {
                let p = try project(s.position)
                if style.subject != .services, let f = frame, !f.contains(p) { continue }
                let px = layout.toPixels(.point(Point(p)))
                guard case .point(let q) = px else { continue }
                points.append((s.category, s.name, q.position.x, q.position.y))
                drawn[s.category, default: 0] += 1
                if let m = s.municipalityCode, own.contains(m) { inside[s.category, default: 0] += 1 }
            }
            let groups = ServiceSymbols.group(points, distance: o.radius * 1.6)
            o.symbols = groups.map { ($0, style.symbol(for: $0.category, among: data.serviceCategories)) }
            for c in drawn.keys.sorted() {
                let sym = style.symbol(for: c, among: data.serviceCategories)
                // Both universes when the map draws services around the territory too: « 67 dans le territoire, 44 autour ».
                let n = drawn[c] ?? 0, i = inside[c] ?? 0
                let label = n > i ? sym.label(lang) + (lang == .fr ? " : \(i) dans le territoire, \(n - i) autour" : ": \(i) in the territory, \(n - i) around") : sym.label(lang)
                o.rows.append(.init(swatch: .symbol(sym), label: label, count: drawn[c]))
            }
            if groups.contains(where: { $0.count > 1 }) {
                o.rows.append(.init(swatch: .symbol(MapStyle.CategoryStyle(color: "#777777", shape: .circle, label: .init(fr: "", en: ""))),
                                    label: MapText.groupNote(lang), count: nil))
            }
            return o
        case .mobilisations:
            // Regional and MRC tables as outlines of the municipalities they cover.
            for m in data.mobilisations where m.territoryType != .municipality {
                let members = units.indices.filter { m.covers(units[$0]) && !units[$0].isAquatic }
                guard !members.isEmpty else { continue }
                let g = try Geometry.union(members.map { simplified[$0] })
                o.outlines.append((m.id, m.acronym ?? m.name, layout.toPixels(g)))
            }
            if !o.outlines.isEmpty {
                o.rows.append(.init(swatch: .dashed(outlineColor), label: MapText.regionalTable(lang), count: o.outlines.count))
            }
            return o
        }
    }

    func drawUnderLines(_ svg: inout SVGDocument) {
        for (i, a) in areas.enumerated() { svg.filledArea(a.geometry, color: a.color, cssClass: "aire-de-service aire-\(i + 1)", title: a.label) }
        if let gapArea { svg.hatchedArea(gapArea, id: "hachures-lacune", color: gapColor, cssClass: "zone-sans-service") }
    }

    func drawOverLines(_ svg: inout SVGDocument) {
        if let coastInland {
            svg.dashed(coastInland, color: Self.boundaryColor, width: 1.6, cssClass: "limite-littoral-interieur")
        }
        for (i, o) in outlines.enumerated() {
            svg.dashed(o.geometry, color: Self.outlineColor, width: 1.2 + Double(i % 3) * 0.5, cssClass: "mobilisation",
                       attributes: [("data-mobilisation", o.id)], title: o.name)
        }
    }

    func drawSymbols(_ svg: inout SVGDocument) {
        guard !symbols.isEmpty else { return }
        svg.out += "<g class=\"services\">\n"
        for (g, s) in symbols { svg.service(g, style: s, radius: radius) }
        svg.out += "</g>\n"
    }
}
