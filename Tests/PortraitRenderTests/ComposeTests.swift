import Foundation
import PortraitGeometry
import PortraitModel
@testable import PortraitRender
import Testing

/// Map composition from hand-made data: no store, no file but the style.
struct ComposeTests {
    static func square(_ code: String, x: Double, y: Double = 48.0, mrc: String = "10", coast: CoastClass? = nil) -> TerritorialUnit {
        TerritorialUnit(level: .municipality, code: code, name: "Lieu \(code)", designation: "M", mrcCode: mrc, regionCode: "01",
                        areaKm2: 100, coastClass: coast, geometry: MultiPolygon([Polygon(exterior: [
                            Position(x, y), Position(x + 0.1, y), Position(x + 0.1, y + 0.1), Position(x, y + 0.1), Position(x, y)])]))
    }

    static let units = [square("10001", x: -68.6, coast: .littoral), square("10002", x: -68.5, coast: .littoral),
                        square("10003", x: -68.4, coast: .interieur), square("10004", x: -68.3, mrc: "11", coast: nil)]

    @Test func coastMapFromDataAlone() throws {
        let territory = try Territory.region("01")
        let data = MapData(territory: territory, territoryName: "Région d'essai", units: Self.units,
                           panels: [MapData.Panel(indicator: nil, vintage: nil, values: [:])], coastDistance: "250")
        let style = try StyleCatalogue.load("littoral", from: stylesDir)
        let svg = try MapRenderer.compose(data, style: style, request: RenderRequest(territory: territory, style: "littoral",
                                                                                     language: .fr, inset: false))
        let xml = try SVGReader.parse(svg)
        #expect(xml.texts.contains { $0.contains("Région d'essai") })
        #expect(xml.texts.contains { $0.contains("moins de 250 m") })
        for code in ["10001", "10002", "10003", "10004"] { #expect(xml.texts.contains("Lieu \(code) (\(code))")) }
        // Legend counts: two coastal, one inland, one not classified.
        #expect(xml.texts.contains("Littoral (2)") || xml.texts.contains { $0.contains("Littoral") && $0.contains("2") })
        #expect(xml.texts.contains { $0.contains("Sans donnée") })
        // Deterministic.
        #expect(try MapRenderer.compose(data, style: style, request: RenderRequest(territory: territory, style: "littoral",
                                                                                   language: .fr, inset: false)) == svg)
    }

    @Test func indicatorMapNamesTheQuantilesByTheirNumber() throws {
        let territory = try Territory.mrc("10")
        let d = IndicatorDefinition.named("revenu_median_menage")
        let values: [String: CellValue] = ["10001": .value(40_000), "10002": .value(50_000), "10003": .suppressed]
        let data = MapData(territory: territory, territoryName: "MRC d'essai", units: Array(Self.units.prefix(3)),
                           panels: [MapData.Panel(indicator: d, vintage: 2021, values: values, source: "essai.csv (2021)")])
        let style = try StyleCatalogue.load("population", from: stylesDir)
        let svg = try MapRenderer.compose(data, style: style, request: RenderRequest(territory: territory, style: "population",
                                                                                     language: .en, inset: false))
        let xml = try SVGReader.parse(svg)
        // Two values cannot make five quintiles: the subtitle says how many classes there are.
        #expect(!xml.texts.contains { $0.contains("quintiles") })
        #expect(xml.texts.contains { $0.contains("Median household income, 2020") })
        #expect(xml.texts.contains { $0.contains("essai.csv (2021)") })
        #expect(xml.texts.contains { $0.contains("Suppressed value") })
    }

    @Test func quantileNames() {
        #expect(MapText.quantiles(5)(.fr) == "quintiles")
        #expect(MapText.quantiles(4)(.en) == "quartiles")
        #expect(MapText.quantiles(3)(.fr) == "quantiles (3 classes)")
    }
}
