import Foundation
import PortraitGeometry
import PortraitModel
import PortraitSpatial
import PortraitStore
import PortraitTerritory

/// A map's classes without its drawing: what each unit is filled with and why, the legend rows, the circles of a
/// count, and the map in words; computed by the same theme as the SVG, so that a client drawing its own map (the
/// viewer, over Leaflet) shows the classes, colours and counts of the report's map and no others.
/// `/maps/{kind}/{code}.json?style=…`.
public struct MapKey: Encodable, Sendable {
    public var style: String
    /// `choropleth`, `circles` (a count: the units get the pale base, the circles carry the values) or the style's subject.
    public var symbol: String
    public var title: String
    public var legendTitle: String
    public var subtitle: String
    public var description: String
    public var rows: [Row]
    public var units: [Unit]
    public var circles: [Circle]
    /// The nested circles of the legend: value and radius as a share of the largest circle's.
    public var legendCircles: [Circle]
    /// The circles' colour (the palette's darkest), when there are circles.
    public var circleColor: String?
    public var sources: [String]

    public struct Row: Encodable, Sendable {
        public var color: String?
        /// `sans-donnee`, `confidentiel`, or a gap class's hatching (`lacune-2`): colour is never alone.
        public var hatch: String?
        public var label: String
        public var count: Int?
    }

    public struct Unit: Encodable, Sendable {
        public var code: String
        public var name: String
        public var color: String
        public var hatch: String?
        /// The SVG's data attributes without their `data-` prefix (`value`, `class`, `need-class`…).
        public var data: [String: String]
    }

    public struct Circle: Encodable, Sendable {
        public var code: String?
        public var value: Double
        /// The radius as a share of the largest value's (the square root of the value's share: area proportional).
        public var radiusShare: Double
        /// Where the circle stands (a point on the unit's surface), in longitude and latitude.
        public var lon: Double?
        public var lat: Double?
        enum CodingKeys: String, CodingKey { case code, value, radiusShare = "radius_share", lon, lat }
    }

    enum CodingKeys: String, CodingKey {
        case style, symbol, title, legendTitle = "legend_title", subtitle, description, rows, units, circles,
             legendCircles = "legend_circles", circleColor = "circle_color", sources
    }
}

extension MapRenderer {
    public static func key(storePath: String, request r: RenderRequest) throws -> MapKey {
        let style = try StyleCatalogue.load(r.style, from: r.stylesDirectory)
        let data = try MapData.load(store: try Stores.open(storePath), request: r, style: style)
        return try key(data, style: style, request: r)
    }

    public static func key(_ data: MapData, style: MapStyle, request r: RenderRequest) throws -> MapKey {
        let lang = r.language ?? style.language
        let theme = MapTheme.make(data, style: style, request: r, language: lang)
        func resolve(_ f: SVGDocument.Fill) -> (String, String?) {
            switch f {
            case .color(let c): (c, nil)
            case .missing: (style.missing.fill, "sans-donnee")
            case .suppressed: (style.suppressed.fill, "confidentiel")
            case .pattern(let id):
                (id.hasPrefix("lacune-") ? Int(id.dropFirst(7)).flatMap { style.palette.colors.indices.contains($0) ? style.palette.colors[$0] : nil } ?? "#ffffff" : "#ffffff", id)
            }
        }
        let fills = theme.fills.first ?? []
        let units = data.units.enumerated().map { i, u -> MapKey.Unit in
            let (color, hatch) = i < fills.count ? resolve(fills[i]) : ("#ffffff", nil)
            var attributes: [String: String] = [:]
            for (k, v) in theme.attributes[i] where k.hasPrefix("data-") && k != "data-code" { attributes[String(k.dropFirst(5))] = v }
            return .init(code: u.code, name: u.name, color: color, hatch: hatch, data: attributes)
        }
        let rows = theme.rows.map { row -> MapKey.Row in
            switch row.swatch {
            case .fill(let f): let (c, h) = resolve(f); return .init(color: c, hatch: h, label: row.label, count: row.count)
            case .symbol(let s): return .init(color: s.color, hatch: nil, label: row.label, count: row.count)
            case .dashed(let c), .hatch(let c): return .init(color: c, hatch: nil, label: row.label, count: row.count)
            }
        }
        var circles: [MapKey.Circle] = []
        if theme.circleMax > 0 {
            for (i, v) in theme.circles.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.unit < $1.unit }) {
                let p = try? Geometry.multiPolygon(data.units[i].geometry).pointOnSurface()
                circles.append(.init(code: data.units[i].code, value: v, radiusShare: (v / theme.circleMax).squareRoot(), lon: p?.x, lat: p?.y))
            }
        }
        let legendCircles = theme.circleMax > 0
            ? legendValues(theme.circleMax).map { MapKey.Circle(code: nil, value: $0, radiusShare: ($0 / theme.circleMax).squareRoot()) } : []
        return MapKey(style: style.name, symbol: style.subject == .indicator ? (style.symbol ?? .choropleth).rawValue : style.subject.rawValue,
                      title: title(data, style: style, lang: lang),
                      legendTitle: theme.legendTitle, subtitle: theme.subtitle,
                      description: describe(data, style: style, theme: theme, rows: theme.rows, lang: lang),
                      rows: rows, units: units, circles: circles, legendCircles: legendCircles,
                      circleColor: circles.isEmpty ? nil : (style.palette.colors.last ?? "#3182bd"), sources: sources(data, style: style, lang: lang))
    }
}
