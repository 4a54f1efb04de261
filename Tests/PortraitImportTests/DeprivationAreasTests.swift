import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitRender
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// A SYNTHETIC file in the attribute layout of the INSPQ shapefile `Ad_2021_IndDef.shp`: real 7-digit
/// subdivision ids of Bas-Saint-Laurent, invented dissemination areas, populations and quintiles.
let syntheticAreas = """
ADIDU,ADPOP2021,QuintMat,QuintSoc,QuintMatRS,QuintSocRS,SDRIDU,SDRNOM
24100001,1000,5,1,4,1,2410043,Rimouski
24100002,3000,4,2,4,2,2410043,Rimouski
24100003,1000,0,0,0,0,2410043,Rimouski
24100004,6000,1,5,1,5,2410043,Rimouski
24100005,500,5,5,5,5,2410070,Saint-Fabien
24100006,1500,3,,3,,2410070,Saint-Fabien
24130001,200,5,3,5,3,2413060,Lac-des-Aigles
24110001,200,2,3,2,3,2411020,Saint-Guy
24990001,50,5,5,5,5,2499999,Ailleurs

"""

struct DeprivationAggregationTests {
    @Test func sharesByHand() {
        let areas = [
            DeprivationAreas.Area(id: "1", population: 1000, material: 5, social: 1, municipality: "10043"),
            DeprivationAreas.Area(id: "2", population: 3000, material: 4, social: 2, municipality: "10043"),
            DeprivationAreas.Area(id: "3", population: 1000, material: nil, social: nil, municipality: "10043"),
            DeprivationAreas.Area(id: "4", population: 6000, material: 1, social: 5, municipality: "10043"),
        ]
        let s = DeprivationAreas.aggregate(areas)["10043"]!
        #expect(s.material.q5 == 10 && s.material.q45 == 40 && s.material.withoutQuintile == 1000)   // 1000/10000, 4000/10000
        #expect(s.social.q5 == 60 && s.social.q45 == 60)
        #expect(DeprivationAreas.Shares().q5 == nil)
    }

    @Test func theLayoutIsRecognisedByItsHeaders() {
        let fields = ["ADIDU", "ADPOP2021", "QuintMat", "QuintSoc", "QuintMatRS", "QuintSocRS", "SDRIDU", "SDRNOM"]
        #expect(DeprivationAreas.detect(fields, scale: .quebec)?.material == "QuintMat")
        #expect(DeprivationAreas.detect(fields, scale: .rss)?.material == "QuintMatRS")
        #expect(DeprivationAreas.detect(["Code municipal", "Quintile matériel", "Quintile social"], scale: .quebec) == nil)
    }
}

/// The synthetic DA file on the real Bas-Saint-Laurent boundaries: shares checked by hand, then in the portrait and the map.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct DeprivationAreasImportTests {
    @Test func aggregatedToTheMunicipalities() throws {
        let dir = tempDir()
        let store = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        _ = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        let file = try write(syntheticAreas, "synthetique_ad_2021_inddef.csv", in: dir)
        let r = try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store)
        #expect(r.indicators == ["defavorisation_materielle_q5", "defavorisation_materielle_q45", "defavorisation_sociale_q5",
                                 "defavorisation_sociale_q45", "defavorisation_population_sans_quintile"])
        #expect(r.join.rows == 9 && r.join.matched == 3 && r.join.unmatched.map(\.code) == ["99999"])
        let s = try Stores.open(store)
        func v(_ name: String, _ code: String) throws -> CellValue? { try s.indicatorValues(name, vintage: 2021, level: .municipality)[code] }
        #expect(try v("defavorisation_materielle_q5", "10043") == .value(10))
        #expect(try v("defavorisation_materielle_q45", "10043") == .value(40))
        #expect(try v("defavorisation_sociale_q5", "10043") == .value(60))
        #expect(try v("defavorisation_population_sans_quintile", "10043") == .value(1000))
        #expect(try v("defavorisation_materielle_q5", "10070") == .value(25))     // 500 of 2000
        #expect(try v("defavorisation_sociale_q5", "10070") == .value(100))       // 500 of the 500 with a social quintile
        #expect(try v("defavorisation_materielle_q5", "13062") == .value(50))     // two former codes, 200 and 200
        #expect(try s.indicatorDefinitions().first { $0.name == "defavorisation_materielle_q5" }?.labelFR.contains("ensemble du Québec") == true)
        // The regional scale reads QuintMatRS: 24100002 is then in Q4, 24100001 in Q4 too → Rimouski Q5 = 0 %.
        var rss = IndicatorImportOptions(vintage: 2021, preset: .inspqDeprivation)
        rss.scale = .rss
        _ = try IndicatorImporter.run(file: file, options: rss, storePath: store)
        #expect(try v("defavorisation_materielle_q5", "10043") == .value(0))
        #expect(try v("defavorisation_materielle_q45", "10043") == .value(40))

        // The region-01 portrait carries the shares; weighted by the census population.
        _ = try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store)
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("01")))
        let q5 = try #require(p.indicators.first { $0.name == "defavorisation_materielle_q5" })
        #expect(q5.withValue == 3 && q5.unit == "%")
        // (10 × 48 935 + 25 × 1 830 + 50 × population of 13062) / (sum of those populations): checked against the census values.
        let pop = try s.indicatorValues("population", vintage: 2021, level: .municipality)
        let w = [("10043", 10.0), ("10070", 25.0), ("13062", 50.0)].map { (pop[$0.0]!.number!, $0.1) }
        let expected = w.map { $0.0 * $0.1 }.reduce(0, +) / w.map(\.0).reduce(0, +)
        #expect(abs(q5.weightedMean! - expected) < 1e-9)
        // The deprivation map draws the Q5 share (the style prefers it), and says which quintiles.
        let svg = try MapRenderer.render(storePath: store, request: RenderRequest(territory: try .region("01"), style: "defavorisation",
                                                                                  stylesDirectory: projectRoot + "/styles"))
        #expect(svg.contains("Population en quintile 5 de défavorisation matérielle (quintiles de l&#39;ensemble du Québec), 2021"))
        #expect(svg.contains("synthetique_ad_2021_inddef.csv (2021)"))
    }
}
