import Foundation
import PortraitGeometry
import PortraitModel
import PortraitStore
import PortraitTerritory

/// What QGIS (and any client reading QML or SLD) needs to open the store looking like Portrait's maps: the
/// `portrait_municipalites` layer (each municipality with its coast class, the number of concertation tables
/// covering it and every indicator's latest value as a column), and QGIS's `layer_styles` rows for it (coast and
/// inland, tables, one style per indicator with the classes Portrait computes, in the same palettes) and for the
/// services (one symbol per category). Rewritten after every import, so the styles follow the data.
public enum GISLayers {
    public static let municipalities = "portrait_municipalites"

    public struct Summary: Sendable {
        public var features: Int
        public var styles: [String]
    }

    /// Rewrites the layer and its styles; nothing when the store has no municipalities yet.
    @discardableResult
    public static func refresh(storePath: String, stylesDirectory: String) throws -> Summary? {
        try refresh(store: try Stores.open(storePath, writable: true), stylesDirectory: stylesDirectory)
    }

    @discardableResult
    public static func refresh(store: any TerritoryStore, stylesDirectory: String, territory: Territory = .all) throws -> Summary? {
        try store.transaction { try write(store: store, stylesDirectory: stylesDirectory, territory: territory) }
    }

    /// Registers the refresh as the derived state of every import (inside its transaction): what QGIS opens follows
    /// the data. A style that cannot be read (a styles folder gone) is said on standard error and leaves the import whole.
    public static func deriveOnEveryImport(stylesDirectory: String) {
        ImportWriter.deriving { store in
            // Only a style that cannot be read leaves the import whole; a store that cannot be written (a full disk)
            // fails the import, which then changes nothing.
            do { try refresh(store: store, stylesDirectory: stylesDirectory) } catch let error as StyleError {
                FileHandle.standardError.write(Data("portrait : avertissement : couche et styles QGIS non réécrits : \(String(describing: error).replacingOccurrences(of: "\n", with: " "))\n".utf8))
            }
        }
    }

    static func write(store: any TerritoryStore, stylesDirectory: String, territory: Territory) throws -> Summary? {
        let units = try store.municipalities(in: territory, withGeometry: true).filter { !$0.isAquatic }
        guard !units.isEmpty else { return nil }
        let weights = Set(try store.indicatorDefinitions().compactMap(\.weight))
        var indicators: [(IndicatorDefinition, Int, [String: CellValue])] = []
        for d in try store.indicatorDefinitions() where !weights.contains(d.name) {
            guard let v = try store.vintages(d.name).last else { continue }
            indicators.append((d, v, try store.indicatorValues(d.name, vintage: v, level: .municipality)))
        }
        let coverage = MobilisationCoverage.indexed(MobilisationCoverage.compute(units: units, mobilisations: try store.mobilisations()))
        let columns: [(name: String, type: GISLayer.ColumnType)] = [("code", .text), ("name", .text), ("designation", .text), ("mrc_code", .text),
                                                                     ("region_code", .text), ("class", .text), ("table_count", .integer)]
            + indicators.map { ($0.0.name, .real) }
        let rows = units.map { u -> (geometry: Geometry, values: [PropertyValue]) in
            var v: [PropertyValue] = [.string(u.code), .string(u.name), u.designation.map(PropertyValue.string) ?? .null,
                                      u.mrcCode.map(PropertyValue.string) ?? .null, u.regionCode.map(PropertyValue.string) ?? .null,
                                      u.coastClass.map { .string($0.rawValue) } ?? .null, .int(coverage[u.code]?.tableCount ?? 0)]
            v += indicators.map { $0.2[u.code]?.number.map(PropertyValue.double) ?? .null }
            return (.multiPolygon(u.geometry), v)
        }
        try store.replaceGISLayer(GISLayer(name: municipalities, geometryType: "MULTIPOLYGON",
                                           description: "Municipalités du magasin Portrait : classe littoral ou intérieur, tables de concertation, dernière valeur de chaque indicateur",
                                           columns: columns, rows: rows))

        // Styles: coast and inland, tables, each indicator; services.
        var styles: [LayerStyle] = []
        let coast = try StyleCatalogue.load("littoral", from: stylesDirectory)
        styles.append(categorized(table: municipalities, name: "littoral", field: "class", geometry: .fill, style: coast,
                                  categories: [("littoral", "Littoral", coast.palette.colors[0]), ("interieur", "Intérieur", coast.palette.colors[1])],
                                  isDefault: indicators.isEmpty, description: coast.title(.fr)))
        let tables = try StyleCatalogue.load("mobilisations", from: stylesDirectory)
        let t = tables.palette.colors
        styles.append(graduated(table: municipalities, name: "mobilisations", field: "table_count", style: tables,
                                ranges: [(-0.5, 0.5, "Aucune table", t[0]), (0.5, 1.5, "1 table", t[1]), (1.5, 2.5, "2 tables", t[2]),
                                         (2.5, 3.5, "3 tables", t[3]), (3.5, 1e9, "4 tables ou plus", t[4])],
                                isDefault: false, description: tables.title(.fr)))
        for (i, (d, _, values)) in indicators.enumerated() {
            let name = StyleCatalogue.defaultStyle(for: d)
            var style = try StyleCatalogue.load(name == "population" ? "taux" : name, from: stylesDirectory)
            // A count mapped as circles in Portrait: in QGIS a layer of polygons, the taux palette (QML cannot size by area here).
            if name == "population" { style.palette = try StyleCatalogue.load("population", from: stylesDirectory).palette }
            let all = values.values.compactMap(\.number)
            guard !all.isEmpty else { continue }
            let c = MapTheme.classification(all, indicator: d, ordinal: d.kind == .quintile, style: style)
            let colors = style.palette.colors
            let ranges = c.classes.enumerated().map { k, cl in
                // QGIS ranges are closed on both ends; Portrait's classes are (lower, upper]: the first keeps its minimum.
                (cl.lower, cl.upper, cl.labelFR, colors[min(k, colors.count - 1)])
            }
            styles.append(graduated(table: municipalities, name: d.name, field: d.name, style: style, ranges: ranges,
                                    isDefault: i == 0, description: "\(d.labelFR) : \(c.method.rawValue), \(ranges.count) classes (palette \(style.palette.source))"))
        }
        let services = try StyleCatalogue.load("services", from: stylesDirectory)
        let categories = try store.serviceCategories()
        styles.append(categorized(table: "services", name: "services", field: "category", geometry: .marker(services.symbolSize ?? 4), style: services,
                                  categories: categories.map { c in let s = services.symbol(for: c, among: categories); return (c, s.label.fr, s.color) },
                                  shapes: Dictionary(uniqueKeysWithValues: categories.map { ($0, services.symbol(for: $0, among: categories).shape.rawValue) }),
                                  isDefault: true, description: services.title(.fr)))
        try store.replaceLayerStyles(styles, tables: [municipalities, "services"])
        return Summary(features: rows.count, styles: styles.map(\.name))
    }

    enum SymbolKind { case fill, marker(Double) }

    static func rgb(_ hex: String) -> String {
        let h = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        let v = Int(h, radix: 16) ?? 0
        return "\((v >> 16) & 255),\((v >> 8) & 255),\(v & 255),255"
    }

    static func symbolXML(_ index: Int, color: String, kind: SymbolKind, outline: String, shape: String = "circle") -> String {
        switch kind {
        case .fill:
            return """
              <symbol type="fill" name="\(index)" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">\
            <Option type="QString" name="color" value="\(rgb(color))"/><Option type="QString" name="outline_color" value="\(rgb(outline))"/>\
            <Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.2"/>\
            <Option type="QString" name="outline_width_unit" value="MM"/><Option type="QString" name="style" value="solid"/></Option></layer></symbol>

            """
        case .marker(let size):
            return """
              <symbol type="marker" name="\(index)" alpha="1" clip_to_extent="1" force_rhr="0"><layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map">\
            <Option type="QString" name="color" value="\(rgb(color))"/><Option type="QString" name="name" value="\(shape)"/>\
            <Option type="QString" name="outline_color" value="255,255,255,255"/><Option type="QString" name="outline_width" value="0.3"/>\
            <Option type="QString" name="size" value="\(NumberFormat.shortest(size * 0.6))"/><Option type="QString" name="size_unit" value="MM"/></Option></layer></symbol>

            """
        }
    }

    static func qml(_ renderer: String) -> String {
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n\(renderer)</qgis>\n"
    }

    static func sld(_ layer: String, _ rules: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
        <NamedLayer><Name>\(SVG.esc(layer))</Name><UserStyle><Name>\(SVG.esc(layer))</Name><FeatureTypeStyle>
        \(rules.joined(separator: "\n"))
        </FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>

        """
    }

    static func sldSymbolizer(_ color: String, kind: SymbolKind, outline: String, shape: String = "circle") -> String {
        switch kind {
        case .fill:
            return "<PolygonSymbolizer><Fill><CssParameter name=\"fill\">\(color)</CssParameter></Fill><Stroke><CssParameter name=\"stroke\">\(outline)</CssParameter><CssParameter name=\"stroke-width\">0.5</CssParameter></Stroke></PolygonSymbolizer>"
        case .marker(let size):
            let wk = ["circle": "circle", "square": "square", "triangle": "triangle", "diamond": "square"][shape] ?? "circle"
            return "<PointSymbolizer><Graphic><Mark><WellKnownName>\(wk)</WellKnownName><Fill><CssParameter name=\"fill\">\(color)</CssParameter></Fill><Stroke><CssParameter name=\"stroke\">#ffffff</CssParameter></Stroke></Mark><Size>\(NumberFormat.shortest(size * 2))</Size></Graphic></PointSymbolizer>"
        }
    }

    static func categorized(table: String, name: String, field: String, geometry: SymbolKind, style: MapStyle,
                            categories: [(value: String, label: String, color: String)], shapes: [String: String] = [:],
                            isDefault: Bool, description: String) -> LayerStyle {
        let outline = style.strokes.municipality.color
        var r = "<renderer-v2 type=\"categorizedSymbol\" attr=\"\(SVG.esc(field))\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n <categories>\n"
        for (i, c) in categories.enumerated() { r += "  <category render=\"true\" symbol=\"\(i)\" value=\"\(SVG.esc(c.value))\" label=\"\(SVG.esc(c.label))\"/>\n" }
        r += " </categories>\n <symbols>\n"
        for (i, c) in categories.enumerated() { r += symbolXML(i, color: c.color, kind: geometry, outline: outline, shape: shapes[c.value] ?? "circle") }
        r += " </symbols>\n</renderer-v2>\n"
        let rules = categories.map { c in
            "<Rule><Name>\(SVG.esc(c.value))</Name><Title>\(SVG.esc(c.label))</Title><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>\(SVG.esc(field))</ogc:PropertyName><ogc:Literal>\(SVG.esc(c.value))</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>"
                + sldSymbolizer(c.color, kind: geometry, outline: outline, shape: shapes[c.value] ?? "circle") + "</Rule>"
        }
        return LayerStyle(table: table, name: name, qml: qml(r), sld: sld(table, rules), isDefault: isDefault, description: description)
    }

    static func graduated(table: String, name: String, field: String, style: MapStyle, ranges: [(lower: Double, upper: Double, label: String, color: String)],
                          isDefault: Bool, description: String) -> LayerStyle {
        let outline = style.strokes.municipality.color
        var r = "<renderer-v2 type=\"graduatedSymbol\" attr=\"\(SVG.esc(field))\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n <ranges>\n"
        for (i, x) in ranges.enumerated() {
            r += "  <range render=\"true\" symbol=\"\(i)\" lower=\"\(NumberFormat.shortest(x.lower))\" upper=\"\(NumberFormat.shortest(x.upper))\" label=\"\(SVG.esc(x.label))\"/>\n"
        }
        r += " </ranges>\n <symbols>\n"
        for (i, x) in ranges.enumerated() { r += symbolXML(i, color: x.color, kind: .fill, outline: outline) }
        r += " </symbols>\n <mode name=\"manual\"/>\n</renderer-v2>\n"
        let rules = ranges.enumerated().map { i, x in
            let lower = i == 0 ? "PropertyIsGreaterThanOrEqualTo" : "PropertyIsGreaterThan"
            return "<Rule><Name>\(i + 1)</Name><Title>\(SVG.esc(x.label))</Title><ogc:Filter><ogc:And><ogc:\(lower)><ogc:PropertyName>\(SVG.esc(field))</ogc:PropertyName><ogc:Literal>\(NumberFormat.shortest(x.lower))</ogc:Literal></ogc:\(lower)><ogc:PropertyIsLessThanOrEqualTo><ogc:PropertyName>\(SVG.esc(field))</ogc:PropertyName><ogc:Literal>\(NumberFormat.shortest(x.upper))</ogc:Literal></ogc:PropertyIsLessThanOrEqualTo></ogc:And></ogc:Filter>"
                + sldSymbolizer(x.color, kind: .fill, outline: outline) + "</Rule>"
        }
        return LayerStyle(table: table, name: name, qml: qml(r), sld: sld(table, rules), isDefault: isDefault, description: description)
    }
}
