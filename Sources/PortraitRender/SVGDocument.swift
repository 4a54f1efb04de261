import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitTerritory

/// Accumulates the SVG text of one map.
struct SVGDocument {
    enum Fill: Hashable {
        case color(String), missing, suppressed
        /// A colour with a hatching of its own (`<pattern id>`), so that the colour is not alone in saying it.
        case pattern(String)
    }
    /// A legend row: a fill swatch, a point symbol, a dashed line or a hatch.
    struct LegendRow {
        enum Swatch { case fill(Fill), symbol(MapStyle.CategoryStyle), dashed(String), hatch(String) }
        var swatch: Swatch
        var label: String
        var count: Int?
        init(fill: Fill, label: String, count: Int?) { swatch = .fill(fill); self.label = label; self.count = count }
        init(swatch: Swatch, label: String, count: Int?) { self.swatch = swatch; self.label = label; self.count = count }
    }

    let layout: Layout
    let style: MapStyle
    let language: Language
    var out = ""
    var placed: [BBox] = []
    /// Bottom of the legend, so that the inset goes below it.
    var legendBottom = 0.0

    init(layout: Layout, style: MapStyle, language: Language) {
        self.layout = layout; self.style = style; self.language = language
    }

    func fillAttr(_ f: Fill) -> String {
        switch f {
        case .color(let c): SVG.esc(c)
        case .missing: "url(#hachures-sans-donnee)"
        case .pattern(let id): "url(#\(id))"
        case .suppressed: "url(#hachures-confidentiel)"
        }
    }

    /// The gap classes' hatchings (gaps map): sparse, dense, crossed, over the class's colour.
    var gapPatterns: String {
        guard style.subject == .gaps, style.palette.colors.count >= 4 else { return "" }
        let lines = ["M0 8L8 0", "M0 4L4 0M0 8L8 0M4 8L8 4", "M0 8L8 0M0 0L8 8"]
        return (1...3).map { k in
            "<pattern id=\"lacune-\(k)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect width=\"8\" height=\"8\" fill=\"\(SVG.esc(style.palette.colors[k]))\"/><path d=\"\(lines[k - 1])\" stroke=\"#5a1a0a\" stroke-opacity=\"0.55\" stroke-width=\"0.9\"/></pattern>\n"
        }.joined()
    }

    mutating func begin(title: String, description: String, subtitle: String) {
        let w = SVG.n(layout.width, 0), h = SVG.n(layout.height, 0)
        let f = style.font
        out += """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" role="img" aria-labelledby="titre description" lang="\(language.rawValue)">
        <title id="titre">\(SVG.esc(title))</title>
        <desc id="description">\(SVG.esc(description))</desc>
        <defs>
        <pattern id="hachures-sans-donnee" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="\(SVG.esc(style.missing.fill))"/><line x1="0" y1="0" x2="0" y2="6" stroke="\(SVG.esc(style.missing.hatch))" stroke-width="1.2"/></pattern>
        <pattern id="hachures-confidentiel" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="\(SVG.esc(style.suppressed.fill))"/><path d="M0 0L6 6M6 0L0 6" stroke="\(SVG.esc(style.suppressed.hatch))" stroke-width="0.8"/></pattern>
        \(gapPatterns)</defs>
        <style>text{font-family:\(SVG.esc(f.family));fill:#222}.etiquette{font-size:\(SVG.n(f.size))px;paint-order:stroke;stroke:#fff;stroke-width:2.5px;stroke-linejoin:round;text-anchor:middle;dominant-baseline:central}.titre{font-size:19px;font-weight:bold}.sous-titre{font-size:12.5px;fill:#444}.legende{font-size:11px}.source{font-size:9.5px;fill:#555}</style>
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text class="titre" x="\(SVG.n(Layout.margin))" y="28"\(Self.fit(title, size: 19, bold: true, width: layout.width))>\(SVG.esc(title))</text>
        <text class="sous-titre" x="\(SVG.n(Layout.margin))" y="48"\(Self.fit(subtitle, size: 12.5, bold: false, width: layout.width))>\(SVG.esc(subtitle))</text>

        """
    }

    mutating func beginPanel(_ i: Int, label: String?) {
        out += "<g id=\"panneau-\(i + 1)\" transform=\"translate(\(SVG.n(layout.x(i))) 0)\">\n"
        if let label {
            out += "<text class=\"legende\" x=\"\(SVG.n(Layout.margin + layout.panelWidth / 2))\" y=\"\(SVG.n(Layout.titleBand - 4))\" text-anchor=\"middle\" font-weight=\"bold\">\(SVG.esc(label))</text>\n"
        }
        out += "<g class=\"municipalites\" stroke=\"\(SVG.esc(style.strokes.municipality.color))\" stroke-width=\"\(SVG.n(style.strokes.municipality.width, 2))\" stroke-linejoin=\"round\">\n"
    }

    mutating func unit(_ g: Geometry, code: String, name: String, fill: Fill, panel: Int, attributes: [(String, String)] = []) {
        let d = SVG.path(g)
        guard !d.isEmpty else { return }
        let extra = attributes.map { " \($0.0)=\"\(SVG.esc($0.1))\"" }.joined()
        out += "<path\(extra) d=\"\(d)\" fill=\"\(fillAttr(fill))\"><title>\(SVG.esc(name)) (\(code))</title></path>\n"
    }

    mutating func lines(_ gs: [Geometry], stroke: MapStyle.Stroke, panel: Int, cssClass: String, open: Bool = false) {
        let d = gs.map { g -> String in
            open ? SVG.path(.multiLineString(MultiLineString(g.lineStrings))) : SVG.path(.multiLineString(MultiLineString(g.boundaryLines)))
        }.joined()
        out += "<path class=\"\(cssClass)\" d=\"\(d)\" fill=\"none\" stroke=\"\(SVG.esc(stroke.color))\" stroke-width=\"\(SVG.n(stroke.width, 2))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
    }

    /// Names inside their polygons (centre of the largest inscribed circle), the most
    /// populous first, never overlapping, dropped when the polygon is too small for them.
    /// `focus`: the units the map is about (a fiche's municipality): named first, in bold, whatever their size.
    mutating func labels(units: [TerritorialUnit], pixels: [Geometry], population: [String: CellValue], rule: MapStyle.LabelRule,
                         mrc: [(name: String, geometry: Geometry)] = [], focus: Set<String> = []) throws {
        if rule.level == "mrc" {
            out += "<g class=\"etiquettes\">\n"
            for (name, g) in mrc.prefix(rule.max) {
                guard let (c, radius) = try? g.maximumInscribedCircle(tolerance: 0.5), radius >= rule.minRadiusPx else { continue }
                let w = Double(name.count) * style.font.size * 0.62
                let box = BBox(minX: c.x - w / 2, minY: c.y - style.font.size, maxX: c.x + w / 2, maxY: c.y + style.font.size)
                guard w <= radius * 4.2, !placed.contains(where: { $0.intersects(box) }) else { continue }
                placed.append(box)
                out += "<text class=\"etiquette\" x=\"\(SVG.n(c.x))\" y=\"\(SVG.n(c.y))\" font-weight=\"bold\">\(SVG.esc(name))</text>\n"
            }
            out += "</g>\n"
            return
        }
        guard rule.level == "municipality" || !focus.isEmpty else { return }
        // Municipalities only (no TNO or aquatic units); the map's own unit first, then the most populous.
        let order = units.indices.filter { focus.contains(units[$0].code) || (rule.level == "municipality" && !units[$0].isAquatic && units[$0].designation != Designation.unorganised) }.sorted {
            let fa = focus.contains(units[$0].code), fb = focus.contains(units[$1].code)
            if fa != fb { return fa }
            let a = population[units[$0].code]?.number ?? 0, b = population[units[$1].code]?.number ?? 0
            return a != b ? a > b : units[$0].code < units[$1].code
        }
        let size = style.font.size
        var count = 0
        out += "<g class=\"etiquettes\">\n"
        func isTown(_ i: Int) -> Bool { focus.contains(units[i].code) || (population[units[i].code]?.number ?? 0) >= 5_000 }
        /// Places unit `i`'s name at the first free place among its centre and the places above, below and beside it; the
        /// map's own unit and a town of 5,000 or more are never dropped (at worst at their centre).
        func place(_ i: Int) {
            let g = pixels[i]
            let own = focus.contains(units[i].code), town = isTown(i)
            guard !g.isEmpty, let (c, radius) = try? g.maximumInscribedCircle(tolerance: 0.5),
                  radius >= (town ? (own ? 0 : 1) : rule.minRadiusPx) else { return }
            let name = units[i].name
            let w = Double(name.count) * size * 0.56
            guard town || w <= radius * 4.2 else { return }
            let offsets: [(Double, Double)] = town ? [(0, 0), (0, -size * 1.3), (0, size * 1.3), (w * 0.6, 0), (-w * 0.6, 0)] : [(0, 0)]
            func box(_ o: (Double, Double)) -> BBox {
                BBox(minX: c.x + o.0 - w / 2 - 2, minY: c.y + o.1 - size * 0.7, maxX: c.x + o.0 + w / 2 + 2, maxY: c.y + o.1 + size * 0.7)
            }
            guard let at = offsets.first(where: { o in !placed.contains { $0.intersects(box(o)) } }) ?? (town ? offsets[0] : nil) else { return }
            placed.append(box(at))
            count += 1
            out += "<text class=\"etiquette\" x=\"\(SVG.n(c.x + at.0))\" y=\"\(SVG.n(c.y + at.1))\"\(own ? " font-weight=\"bold\" data-focus=\"1\"" : "")>\(SVG.esc(name))</text>\n"
        }
        // The map's own unit and the towns first, then (on a map of several MRC) each MRC's name, then the others as room allows.
        for i in order where isTown(i) { place(i) }
        if rule.level == "municipality", mrc.count > 1 {
            for (name, g) in mrc {
                guard let (c, radius) = try? g.maximumInscribedCircle(tolerance: 0.5), radius >= 8 else { continue }
                let w = Double(name.count) * size * 0.62
                let candidates = [(0.0, 0.0), (0, -size * 1.6), (0, size * 1.6), (0, -size * 3), (0, size * 3)]
                for o in candidates {
                    let box = BBox(minX: c.x + o.0 - w / 2, minY: c.y + o.1 - size, maxX: c.x + o.0 + w / 2, maxY: c.y + o.1 + size)
                    guard !placed.contains(where: { $0.intersects(box) }) else { continue }
                    placed.append(box)
                    out += "<text class=\"etiquette etiquette-mrc\" x=\"\(SVG.n(c.x + o.0))\" y=\"\(SVG.n(c.y + o.1))\" font-style=\"italic\" fill=\"#444\" data-mrc=\"1\">\(SVG.esc(name))</text>\n"
                    break
                }
            }
        }
        for i in order where !isTown(i) && count < rule.max { place(i) }
        out += "</g>\n"
    }

    /// A title never runs past the map's edge: a longer one is set smaller (down to 60 %), an attribute to add to its `<text>`.
    static func fit(_ text: String, size: Double, bold: Bool, width: Double) -> String {
        let room = width - 2 * Layout.margin
        let needed = Double(text.count) * size * (bold ? 0.7 : 0.6)
        guard needed > room else { return "" }
        return " style=\"font-size:\(SVG.n(max(size * 0.6, size * room / needed)))px\""
    }

    mutating func endUnits() { out += "</g>\n" }

    mutating func endPanel() { out += "</g>\n" }

    /// `shoreline`: whether the map draws one (its legend line is left out otherwise).
    mutating func legend(title: String, rows: [LegendRow], strokes: MapStyle.Strokes, shoreline: Bool = true,
                         circles: (values: [Double], radii: [Double], color: String)? = nil,
                         grid: (colors: [String], counts: [Int], need: String, access: String)? = nil) {
        let x = layout.legendX
        var y = Layout.titleBand + 8
        out += "<g class=\"legende\" id=\"legende\">\n"
        out += "<text class=\"legende\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-weight=\"bold\">\(SVG.esc(title))</text>\n"
        y += 12
        if let g = grid, g.colors.count >= 9 {
            // The 3 × 3 square: need upwards, distance rightwards; each cell with its count.
            let cell = 26.0, x0 = x + 4, y0 = y + 6
            out += "<g class=\"grille-bivariee\">"
            for need in 0..<3 {
                for access in 0..<3 {
                    let cx = x0 + Double(access) * cell, cy = y0 + Double(2 - need) * cell
                    out += "<rect x=\"\(SVG.n(cx))\" y=\"\(SVG.n(cy))\" width=\"\(SVG.n(cell))\" height=\"\(SVG.n(cell))\" fill=\"\(SVG.esc(g.colors[need * 3 + access]))\" stroke=\"#ffffff\" stroke-width=\"1\" data-bivariate=\"\(need + 1)-\(access + 1)\" data-count=\"\(g.counts[need * 3 + access])\"/>"
                    out += "<text class=\"source\" x=\"\(SVG.n(cx + cell / 2))\" y=\"\(SVG.n(cy + cell / 2 + 3))\" text-anchor=\"middle\" style=\"fill:\(need + access >= 3 ? "#ffffff" : "#222222")\">\(g.counts[need * 3 + access])</text>"
                }
            }
            out += "</g>\n"
            y = y0 + 3 * cell + 6
            for line in [g.access, g.need, MapText.bivariateReading(language)] {
                out += "<text class=\"source\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 8))\">\(SVG.esc(line))</text>\n"
                y += 14
            }
            y += 6
        }
        if let c = circles, let largest = c.radii.first {
            // Nested circles on one baseline, each value beside the top of its circle.
            let cx = x + largest + 1, base = y + 2 * largest + 2
            out += "<g class=\"cercles-legende\">"
            var lastLabel = -Double.infinity
            for (v, r) in zip(c.values, c.radii) {
                // A value whose label would touch the one above it is left out (its circle with it).
                guard base - 2 * r - lastLabel >= 11 else { continue }
                lastLabel = base - 2 * r
                out += "<circle cx=\"\(SVG.n(cx, 2))\" cy=\"\(SVG.n(base - r, 2))\" r=\"\(SVG.n(r, 3))\" fill=\"\(SVG.esc(c.color))\" fill-opacity=\"0.25\" stroke=\"\(SVG.esc(c.color))\" stroke-width=\"1\" data-value=\"\(NumberFormat.shortest(v))\"/>"
                out += "<line x1=\"\(SVG.n(cx, 2))\" y1=\"\(SVG.n(base - 2 * r, 2))\" x2=\"\(SVG.n(cx + largest + 8, 2))\" y2=\"\(SVG.n(base - 2 * r, 2))\" stroke=\"#777\" stroke-width=\"0.6\"/>"
                out += "<text class=\"legende\" x=\"\(SVG.n(cx + largest + 11, 2))\" y=\"\(SVG.n(base - 2 * r + 4, 2))\">\(SVG.esc(NumberText.format(v, language: language)))</text>"
            }
            out += "</g>\n"
            y = base + 10
        }
        for row in rows {
            switch row.swatch {
            case .fill(let f):
                out += "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"22\" height=\"14\" fill=\"\(fillAttr(f))\" stroke=\"#777\" stroke-width=\"0.5\"/>"
            case .symbol(let s):
                out += "<path d=\"\(Self.shapePath(s.shape, x: x + 11, y: y + 7, r: 5))\" fill=\"\(SVG.esc(s.color))\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>"
            case .dashed(let c):
                out += "<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(y + 7))\" x2=\"\(SVG.n(x + 22))\" y2=\"\(SVG.n(y + 7))\" stroke=\"\(SVG.esc(c))\" stroke-width=\"1.6\" stroke-dasharray=\"5 3\"/>"
            case .hatch(let c):
                out += "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"22\" height=\"14\" fill=\"#ffffff\" stroke=\"\(SVG.esc(c))\" stroke-width=\"0.6\"/>"
                out += "<path d=\"M\(SVG.n(x)) \(SVG.n(y + 14))l14 -14M\(SVG.n(x + 8)) \(SVG.n(y + 14))l14 -14\" stroke=\"\(SVG.esc(c))\" stroke-width=\"1.1\"/>"
            }
            let count = row.count.map { " (\($0))" } ?? ""
            // A long label wraps within the legend's column (11 px: at most 0.58 em a character), never past the edge.
            let wrapped = PlanMap.wrap(row.label + count, columns: Int((Layout.legendWidth - 34) / (11 * 0.55)))
            for (k, line) in wrapped.enumerated() {
                out += "<text class=\"legende\" x=\"\(SVG.n(x + 30))\" y=\"\(SVG.n(y + 11 + 13 * Double(k)))\">\(SVG.esc(line))</text>\n"
            }
            y += 20 + 13 * Double(max(0, wrapped.count - 1))
        }
        y += 6
        let lines = [(MapText.mrcBoundary(language), strokes.mrc)] + (shoreline ? [(MapText.shoreline(language), strokes.coast)] : [])
        for (label, s) in lines {
            out += "<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(y + 7))\" x2=\"\(SVG.n(x + 22))\" y2=\"\(SVG.n(y + 7))\" stroke=\"\(SVG.esc(s.color))\" stroke-width=\"\(SVG.n(s.width, 2))\"/>"
            out += "<text class=\"legende\" x=\"\(SVG.n(x + 30))\" y=\"\(SVG.n(y + 11))\">\(SVG.esc(label))</text>\n"
            y += 20
        }
        // The note on counts, wrapped within the legend's column (9.5 px).
        let note = PlanMap.wrap(MapText.countsInBrackets(language), columns: Int((Layout.legendWidth - 8) / (9.5 * 0.58)))
        for (k, line) in note.enumerated() {
            out += "<text class=\"source\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 8 + 11 * Double(k)))\">\(SVG.esc(line))</text>\n"
        }
        legendBottom = y + 16 + 11 * Double(max(0, note.count - 1))
        out += "</g>\n"
    }

    /// The territory's place among Quebec's regions, bottom of the legend column.
    mutating func inset(regions: [Geometry], highlight: BBox) {
        guard let all = regions.compactMap(\.bbox).reduce(nil as BBox?, { $0?.union($1) ?? $1 }) else { return }
        let room = layout.height - layout.footerBand - 8 - legendBottom
        let size = min(Layout.legendWidth - 40, room)
        guard size >= 60 else { return }
        let s = min(size / all.width, size / all.height)
        let x0 = layout.legendX, y0 = layout.height - layout.footerBand - all.height * s - 8
        func px(_ g: Geometry) -> Geometry { g.mapPositions { Position(x0 + ($0.x - all.minX) * s, y0 + (all.maxY - $0.y) * s) } }
        let simple = CoverageMemo.shared.remember("inset", regions, 1.2 / s) {
            regions.map { (try? $0.simplifyPreservingTopology(tolerance: 1.2 / s)) ?? $0 }
        }
        out += "<g class=\"encart\" aria-hidden=\"true\">"
        out += "<path d=\"\(simple.map { SVG.path(px($0)) }.joined())\" fill=\"#eeeeee\" stroke=\"#999\" stroke-width=\"0.4\"/>"
        let h = px(.polygon(Polygon(exterior: [Position(highlight.minX, highlight.minY), Position(highlight.maxX, highlight.minY),
                                              Position(highlight.maxX, highlight.maxY), Position(highlight.minX, highlight.maxY),
                                              Position(highlight.minX, highlight.minY)])))
        out += "<path d=\"\(SVG.path(h))\" fill=\"none\" stroke=\"#d7301f\" stroke-width=\"1.5\"/></g>\n"
    }

    /// A scale bar of a round length near a fifth of the map width.
    mutating func scaleBar(metresPerPixel: Double) {
        let target = layout.panelWidth / 5 * metresPerPixel / 1000
        let candidates: [Double] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        let km = candidates.last { $0 <= target } ?? 1
        let w = km * 1000 / metresPerPixel
        let x = Layout.margin + 4, y = layout.height - layout.footerBand + 4
        out += "<g class=\"echelle\"><rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(w / 2))\" height=\"5\" fill=\"#333\"/>"
        out += "<rect x=\"\(SVG.n(x + w / 2))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(w / 2))\" height=\"5\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"0.8\"/>"
        out += "<text class=\"source\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 17))\">0</text>"
        out += "<text class=\"source\" x=\"\(SVG.n(x + w))\" y=\"\(SVG.n(y + 17))\" text-anchor=\"middle\">\(NumberText.format(km, language: language)) km</text></g>\n"
    }

    mutating func northArrow() {
        let x = Layout.margin + layout.panelWidth - 14, y = layout.height - layout.footerBand - 34
        out += "<g class=\"nord\" aria-label=\"Nord\"><path d=\"M\(SVG.n(x)) \(SVG.n(y))l7 20l-7 -5l-7 5z\" fill=\"#333\"/>"
        out += "<text class=\"legende\" x=\"\(SVG.n(x))\" y=\"\(SVG.n(y + 33))\" text-anchor=\"middle\">N</text></g>\n"
    }

    /// Source and projection lines, bottom left, wrapped at the map's width (`Layout.footerColumns`), so that no source
    /// line runs past the edge; the layout's footer band holds them all.
    mutating func footer(_ lines: [String]) {
        let wrapped = lines.flatMap { PlanMap.wrap($0, columns: Layout.footerColumns(layout.width)) }
        for (i, text) in wrapped.enumerated() {
            let y = layout.height - 8 - Double(wrapped.count - 1 - i) * 12
            out += "<text class=\"source\" x=\"\(SVG.n(Layout.margin))\" y=\"\(SVG.n(y))\">\(SVG.esc(text))</text>\n"
        }
    }

    mutating func finish() -> String { out + "</svg>\n" }
}
