import Foundation
import PortraitDemo
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitRender
@testable import PortraitReport
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Change over time on the fictional demo: a SYNTHETIC 2016 population beside the demo's 2021 one.
@Suite(.serialized) struct ChangeTests {
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-change")
        let s = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        // 2021 (demo): 91005 7 624, 91010 2 335, 92005 8 627; 93025 suppressed in 2016.
        let old = try write("code,population\n91005,8000\n91010,2000\n92005,8627\n93025,x\n", "synthetique_population_2016.csv", in: dir)
        _ = try IndicatorImporter.run(file: old, options: .init(indicator: "population", vintage: 2016, valueFields: ["population"], kind: .count),
                                      storePath: s)
        return s
    }

    @Test func thePortraitComparesByHand() throws {
        let p = try PortraitBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("99"), compare: 2016))
        let c = try #require(p.changes?.first { $0.name == "population" })
        #expect(c.from == 2016 && c.to == 2021 && c.withBoth == 3 && c.increased == 1 && c.decreased == 1)
        let ch = try #require(c.change)
        #expect(ch.from == 18_627 && ch.to == 18_586 && ch.absolute == -41)
        #expect(abs(ch.percent! - (-41.0 / 18_627 * 100)) < 1e-9)
        #expect(abs(ch.annualRate! - ((pow(18_586.0 / 18_627, 0.2) - 1) * 100)) < 1e-9)
        // MRC 991 alone: 91005 and 91010.
        let m = try #require(p.mrc?.first { $0.territory.code == "991" }?.changes?.first)
        #expect(m.change?.from == 10_000 && m.change?.to == 9_959)
        // Without --compare, no change section; an absent vintage names those present.
        #expect(try PortraitBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("99"))).changes == nil)
        #expect { try PortraitBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("99"), compare: 2011)) } throws: {
            "\($0)".contains("population (2021, 2016)")
        }
        // The document says it, in French and in English.
        let md = PortraitDocument(p).markdown
        #expect(md.contains("## Évolution de 2016 à 2021") && md.contains("| Région fictive de la Côte-aux-Exemples | 18 627 | 18 586 | −41 | −0,2 | −0,04 | 1 / 1 |"))
        let en = PortraitDocument(try PortraitBuilder.build(storePath: try Self.store.get(),
                                                            options: .init(territory: try .region("99"), language: .en, compare: 2016)), language: .en).markdown
        #expect(en.contains("## Change from 2016 to 2021"))
    }

    @Test func theChangeMapDiverges() throws {
        let svg = try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(
            territory: try .region("99"), style: "evolution", stylesDirectory: stylesDir))
        #expect(svg.contains("Population, variation 2016–2021 (%)") && svg.contains("Évolution des municipalités"))
        // 91005 −4.7 % (third class, −5 to −1), 91010 +16.75 % (last), 92005 0 % (the white middle).
        func fill(_ code: String) -> String? {
            guard let r = svg.range(of: "<path[^>]*data-code=\"\(code)\"[^>]*>", options: .regularExpression),
                  let f = svg[r].range(of: "fill=\"[^\"]*\"", options: .regularExpression) else { return nil }
            return String(svg[r][f].dropFirst(6).dropLast())
        }
        #expect(fill("91005") == "#fddbc7" && fill("91010") == "#2166ac" && fill("92005") == "#f7f7f7")
        #expect(fill("93025") != nil && fill("93025")!.contains("hachures-confidentiel"))
        // A vintage that is not there: a clear error.
        #expect(throws: StyleError.self) {
            try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(territory: try .region("99"), style: "evolution",
                                                                                            stylesDirectory: stylesDir, compare: 2011))
        }
    }

    @Test func theReportAndTheExportCarryIt() throws {
        var o = ReportOptions(territory: try .region("99"), stylesDirectory: stylesDir)
        o.compare = 2016
        let report = try ReportBuilder.build(storePath: try Self.store.get(), options: o)
        #expect(report.maps.contains { $0.name == "evolution-population" && $0.section == "change" })
        #expect(ReportDocument(report).html.contains("Évolution de 2016 à 2021"))
        let fc = try GeoJSONExport.export(.municipalities, storePath: try Self.store.get(),
                                          options: .init(territory: try .region("99"), compare: 2016))
        let f = try #require(fc.features.first { $0.id == "91005" })
        func prop(_ k: String) -> PropertyValue? { f.properties.first { $0.key == k }?.value }
        #expect(prop("population_2016") == .double(8000) && prop("population_variation") == .double(-376))
        #expect(prop("population_variation_pct") == .double(-4.7) && prop("population_taux_annuel") != nil)
    }
}

/// The arithmetic of a change, and values of former codes carried onto today's.
struct IndicatorChangeTests {
    @Test func percentAndAnnualRate() {
        let c = IndicatorChange(from: 100, to: 121, years: 2, kind: .count)
        #expect(c.absolute == 21 && abs(c.percent! - 21) < 1e-12 && abs(c.annualRate! - 10) < 1e-9)
        // An index has no percent (its zero is arbitrary): points only.
        let ive = IndicatorChange(from: -2, to: 1.5, years: 4, kind: .index)
        #expect(ive.percent == nil && ive.annualRate == nil && ive.absolute == 3.5 && ive.mapped == 3.5)
        #expect(IndicatorChange(from: 0, to: 5, years: 1, kind: .count).percent == nil)
    }

    @Test func formerCodesCarried() {
        let changes = CodeChanges(["11020": "13062", "13060": "13062"])
        let counts = IndicatorChange.carried(["11020": .value(76), "13060": .value(495), "10043": .value(1)], kind: .count,
                                             population: [:], codeChanges: changes)
        #expect(counts["13062"] == .value(571) && counts["10043"] == .value(1))
        let rates = IndicatorChange.carried(["11020": .value(10), "13060": .value(20)], kind: .rate,
                                            population: ["11020": .value(100), "13060": .value(300)], codeChanges: changes)
        #expect(rates["13062"] == .value(17.5))
        let hidden = IndicatorChange.carried(["11020": .suppressed, "13060": .value(20)], kind: .count, population: [:], codeChanges: changes)
        #expect(hidden["13062"] == .suppressed)
        // A current code with its own value keeps it.
        let own = IndicatorChange.carried(["13060": .value(20), "13062": .value(5)], kind: .count, population: [:], codeChanges: changes)
        #expect(own["13062"] == .value(5))
    }
}
