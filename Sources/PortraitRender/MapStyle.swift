import Foundation
import PortraitModel
import PortraitTerritory

/// A declarative map style, read from `styles/NAME.json`.
public struct MapStyle: Codable, Sendable, Hashable {
    public struct Text: Codable, Sendable, Hashable {
        public var fr: String
        public var en: String
        public func callAsFunction(_ l: Language) -> String { l == .fr ? fr : en }
    }
    public struct Stroke: Codable, Sendable, Hashable {
        public var color: String
        public var width: Double
    }
    public struct Strokes: Codable, Sendable, Hashable {
        public var municipality: Stroke
        public var mrc: Stroke
        public var region: Stroke
        public var coast: Stroke
    }
    public struct Hatch: Codable, Sendable, Hashable {
        public var fill: String
        public var hatch: String
    }
    public struct Palette: Codable, Sendable, Hashable {
        public var colors: [String]
        public var source: String
    }
    public struct ClassificationRule: Codable, Sendable, Hashable {
        public var method: ClassificationMethod
        public var classes: Int
        public var thresholds: [Double]?
    }
    public struct Font: Codable, Sendable, Hashable {
        public var family: String
        public var size: Double
    }
    public struct LabelRule: Codable, Sendable, Hashable {
        /// "municipality" or "mrc".
        public var level: String
        public var max: Int
        /// Smallest inscribed-circle radius, in pixels, of a polygon that gets a label.
        public var minRadiusPx: Double
        enum CodingKeys: String, CodingKey { case level, max, minRadiusPx = "min_radius_px" }
    }
    /// What the fill shows.
    public enum Subject: String, Codable, Sendable, Hashable {
        case indicator, littoral, services, gaps, mobilisations
        /// Need against access: an indicator's tertiles against the distance to the nearest service (3 × 3).
        case bivariate
        /// The land within 10, 20 and 30 minutes by road of the nearest service of a category, over an imported network.
        case serviceAreas = "service_areas"
    }
    /// A point symbol's shape.
    public enum Shape: String, Codable, Sendable, Hashable, CaseIterable {
        case circle, square, triangle, diamond
    }
    /// How the services of one category are drawn.
    public struct CategoryStyle: Codable, Sendable, Hashable {
        public var color: String
        public var shape: Shape
        public var label: Text
    }

    public var name: String
    public var title: Text
    public var subject: Subject
    /// Default indicator for `subject: indicator`.
    public var indicator: String?
    /// Draw the change of the indicator since an earlier vintage (`--compare`, else the earliest stored).
    public var change: Bool?
    public var classification: ClassificationRule?
    public var palette: Palette
    public var missing: Hatch
    public var suppressed: Hatch
    public var water: String
    public var strokes: Strokes
    public var font: Font
    public var labels: LabelRule
    public var language: Language
    public var source: Text
    /// Service categories by name (`ecole`, `sante`…): colour, shape, label.
    public var categories: [String: CategoryStyle]?
    /// Colours for the categories the style does not name, in order.
    public var fallback: [String]?
    /// Radius of a service symbol, in pixels.
    public var symbolSize: Double?
    /// Indicators to draw by preference, the first imported one winning (before `indicator`).
    public var prefer: [String]?
    /// How an indicator is drawn: a choropleth (rates, densities, shares, indices), or proportional circles (counts).
    public var symbol: Symbol?
    /// What the style maps: `count` for circles of counts, `rate` for choropleths of anything but counts. A
    /// choropleth of a count is refused unless the style says `allow_count_choropleth`.
    public var allowCountChoropleth: Bool?
    /// The pale fill of the municipalities under proportional circles.
    public var base: String?

    public enum Symbol: String, Codable, Sendable, Hashable { case choropleth, circles }

    enum CodingKeys: String, CodingKey {
        case name, title, subject, indicator, classification, palette, missing, suppressed, water, strokes, font, labels, language,
             source, categories, fallback, symbolSize = "symbol_size", prefer, change, symbol, allowCountChoropleth = "allow_count_choropleth", base
    }

    static let keys: Set<String> = ["name", "title", "subject", "indicator", "classification", "palette", "missing",
                                    "suppressed", "water", "strokes", "font", "labels", "language", "source", "comment",
                                    "categories", "fallback", "symbol_size", "prefer", "change", "symbol", "allow_count_choropleth", "base"]

    /// Refuses a choropleth of a count (unless the style allows it) and circles of anything but a count: the symbol
    /// must suit what is mapped.
    public func check(_ d: IndicatorDefinition) throws {
        guard subject == .indicator else { return }
        let label = "« \(d.labelFR) » (\(d.name))"
        if symbol == .circles, d.kind != .count {
            throw StyleError(.invalidInput, "le style « \(name) » dessine des cercles proportionnels, réservés aux effectifs ; \(label) est un \(d.kind.rawValue) : utilisez le style taux (choroplèthe)")
        }
        if symbol != .circles, d.kind == .count, allowCountChoropleth != true {
            throw StyleError(.invalidInput, "le style « \(name) » ferait une choroplèthe d'un effectif, \(label) : les effectifs se cartographient en cercles proportionnels (style population) ; un style peut l'autoriser par \"allow_count_choropleth\": true")
        }
    }

    /// The symbol of a category: the style's, else a fallback colour and shape chosen by the category's rank among `all`.
    public func symbol(for category: String, among all: [String]) -> CategoryStyle {
        if let c = categories?[category] { return c }
        let unnamed = all.filter { categories?[$0] == nil }.sorted()
        let i = unnamed.firstIndex(of: category) ?? 0
        let colors = fallback ?? ["#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
        let shapes = Shape.allCases
        return CategoryStyle(color: colors[i % colors.count], shape: shapes[(i / colors.count + 1) % shapes.count],
                             label: Text(fr: category, en: category))
    }
}

/// An unknown style, style field or indicator: the message lists what exists.
public struct StyleError: PortraitError, Hashable, Sendable {
    public var message: String
    /// Unknown names are not found; a malformed style file is invalid input.
    public var kind: ErrorKind
    public init(_ kind: ErrorKind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
}

/// The styles of a folder (`styles/` by default, `$PORTRAIT_STYLES` or `--styles DIR`).
public enum StyleCatalogue {
    public static let environmentVariable = "PORTRAIT_STYLES"

    /// `--styles DIR`, else `$PORTRAIT_STYLES`, else the `styles/` shipped with the executable.
    public static func directory(_ explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment[environmentVariable], !env.isEmpty { return env }
        return Resources.styles
    }

    /// The style that maps an indicator by default, in reports and in the viewer (one rule for both): counts in
    /// proportional circles, the density in its own choropleth, the IVE and the deprivation quintiles in theirs,
    /// every other rate, share or index in `taux`.
    public static func defaultStyle(for d: IndicatorDefinition) -> String {
        if d.kind == .count { return "population" }
        if d.name == "densite_population" { return "densite" }
        if d.name == "ive" { return "vitalite" }
        if d.name.hasPrefix("defavorisation") && d.kind == .quintile { return "defavorisation" }
        return "taux"
    }

    public static func names(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    public static func load(_ name: String, from dir: String) throws -> MapStyle {
        let path = (dir as NSString).appendingPathComponent("\(name).json")
        guard let data = FileManager.default.contents(atPath: path) else {
            let known = names(in: dir)
            throw StyleError(.notFound, "style « \(name) » inconnu dans \(dir) ; styles présents : \(known.isEmpty ? "aucun" : known.joined(separator: ", "))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StyleError(.invalidInput, "\(path) : JSON illisible")
        }
        let unknown = Set(object.keys).subtracting(MapStyle.keys).sorted()
        if !unknown.isEmpty {
            throw StyleError(.invalidInput, "\(path) : champ(s) inconnu(s) \(unknown.joined(separator: ", ")) ; champs possibles : \(MapStyle.keys.sorted().joined(separator: ", "))")
        }
        do { return try JSONDecoder().decode(MapStyle.self, from: data) } catch {
            throw StyleError(.invalidInput, "\(path) : \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let k, let c)?: "champ « \((c.codingPath.map(\.stringValue) + [k.stringValue]).joined(separator: ".")) » manquant"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?: "champ « \(c.codingPath.map(\.stringValue).joined(separator: ".")) » : \(c.debugDescription)"
        case .dataCorrupted(let c)?: "champ « \(c.codingPath.map(\.stringValue).joined(separator: ".")) » : \(c.debugDescription)"
        default: "\(error)"
        }
    }
}
