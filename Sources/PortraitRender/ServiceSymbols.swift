import Foundation
import PortraitGeometry
import PortraitModel

/// Service points as map symbols: one symbol per category and place; points
/// that would overlap at the map's scale are grouped into one numbered symbol,
/// never hidden. Pure: positions already in pixels.
struct ServiceSymbols {
    struct Group: Hashable {
        var category: String
        var x: Double
        var y: Double
        var names: [String]
        var count: Int { names.count }
    }

    /// Greedy grouping in a deterministic order: a point joins the first group of its category whose
    /// centre lies within `distance` pixels, else starts one; a group's centre is the mean of its points.
    static func group(_ points: [(category: String, name: String, x: Double, y: Double)], distance: Double) -> [Group] {
        var groups: [Group] = []
        var sums: [(Double, Double)] = []
        let order = points.indices.sorted {
            let a = points[$0], b = points[$1]
            return (a.category, a.y, a.x, a.name) < (b.category, b.y, b.x, b.name)
        }
        for i in order {
            let p = points[i]
            if let j = groups.indices.first(where: { groups[$0].category == p.category && hypot(groups[$0].x - p.x, groups[$0].y - p.y) <= distance }) {
                groups[j].names.append(p.name)
                sums[j].0 += p.x; sums[j].1 += p.y
                groups[j].x = sums[j].0 / Double(groups[j].count); groups[j].y = sums[j].1 / Double(groups[j].count)
            } else {
                groups.append(Group(category: p.category, x: p.x, y: p.y, names: [p.name]))
                sums.append((p.x, p.y))
            }
        }
        return groups
    }
}

extension SVGDocument {
    /// Path data of a symbol of radius `r` centred on (x, y).
    static func shapePath(_ shape: MapStyle.Shape, x: Double, y: Double, r: Double) -> String {
        switch shape {
        case .circle: "M\(SVG.n(x - r)) \(SVG.n(y))a\(SVG.n(r)) \(SVG.n(r)) 0 1 0 \(SVG.n(2 * r)) 0a\(SVG.n(r)) \(SVG.n(r)) 0 1 0 \(SVG.n(-2 * r)) 0z"
        case .square: "M\(SVG.n(x - r * 0.9)) \(SVG.n(y - r * 0.9))h\(SVG.n(1.8 * r))v\(SVG.n(1.8 * r))h\(SVG.n(-1.8 * r))z"
        case .triangle: "M\(SVG.n(x)) \(SVG.n(y - r * 1.15))l\(SVG.n(r * 1.1)) \(SVG.n(r * 1.9))h\(SVG.n(-2.2 * r))z"
        case .diamond: "M\(SVG.n(x)) \(SVG.n(y - r * 1.2))l\(SVG.n(r * 1.2)) \(SVG.n(r * 1.2))l\(SVG.n(-r * 1.2)) \(SVG.n(r * 1.2))l\(SVG.n(-r * 1.2)) \(SVG.n(-r * 1.2))z"
        }
    }

    /// One service symbol (`class="service"`, `data-category`), or a numbered group (`data-count`).
    mutating func service(_ g: ServiceSymbols.Group, style: MapStyle.CategoryStyle, radius r: Double) {
        let cat = SVG.esc(g.category)
        if g.count == 1 {
            out += "<path class=\"service\" data-category=\"\(cat)\" d=\"\(Self.shapePath(style.shape, x: g.x, y: g.y, r: r))\" fill=\"\(SVG.esc(style.color))\" stroke=\"#ffffff\" stroke-width=\"0.8\"><title>\(SVG.esc(g.names[0]))</title></path>\n"
            return
        }
        let big = r * (1.55 + min(Double(g.count), 30).squareRoot() * 0.2)
        let names = g.names.sorted()
        let list = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? "…" : "")
        out += "<g class=\"service\" data-category=\"\(cat)\" data-count=\"\(g.count)\"><title>\(g.count) : \(SVG.esc(list))</title>"
        out += "<path d=\"\(Self.shapePath(style.shape, x: g.x, y: g.y, r: big))\" fill=\"\(SVG.esc(style.color))\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
        out += "<text x=\"\(SVG.n(g.x))\" y=\"\(SVG.n(g.y))\" font-size=\"\(SVG.n(max(8, big * 1.2)))\" font-weight=\"bold\" fill=\"#ffffff\" text-anchor=\"middle\" dominant-baseline=\"central\">\(g.count)</text></g>\n"
    }

    /// An area filled with a plain colour (a service area), under the lines, its name as its `<title>`.
    mutating func filledArea(_ g: Geometry, color: String, cssClass: String, title: String) {
        let d = SVG.path(g)
        guard !d.isEmpty else { return }
        out += "<path class=\"\(cssClass)\" d=\"\(d)\" fill=\"\(SVG.esc(color))\" fill-rule=\"evenodd\" stroke=\"none\"><title>\(SVG.esc(title))</title></path>\n"
    }

    /// An area drawn with a hatch of its own (the gap area), under the lines.
    mutating func hatchedArea(_ g: Geometry, id: String, color: String, cssClass: String) {
        let d = SVG.path(g)
        guard !d.isEmpty else { return }
        out += "<defs><pattern id=\"\(id)\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"\(SVG.esc(color))\" stroke-width=\"1.1\" stroke-opacity=\"0.75\"/></pattern></defs>\n"
        out += "<path class=\"\(cssClass)\" d=\"\(d)\" fill=\"url(#\(id))\" stroke=\"\(SVG.esc(color))\" stroke-width=\"0.6\" stroke-opacity=\"0.6\"/>\n"
    }

    /// Dashed lines (the coast/inland boundary, mobilisation outlines).
    /// `title`: the line's name, as an SVG `<title>` (its accessible name; ARIA labels are not allowed on a plain path).
    mutating func dashed(_ g: Geometry, color: String, width: Double, cssClass: String, attributes: [(String, String)] = [], title: String? = nil) {
        let d = SVG.path(.multiLineString(MultiLineString(g.lineStrings + g.boundaryLines)))
        guard !d.isEmpty else { return }
        let extra = attributes.map { " \($0.0)=\"\(SVG.esc($0.1))\"" }.joined()
        let open = "<path class=\"\(cssClass)\"\(extra) d=\"\(d)\" fill=\"none\" stroke=\"\(SVG.esc(color))\" stroke-width=\"\(SVG.n(width, 2))\" stroke-dasharray=\"5 3\" stroke-linecap=\"round\""
        out += title.map { open + "><title>\(SVG.esc($0))</title></path>\n" } ?? open + "/>\n"
    }
}
