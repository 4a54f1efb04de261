import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitRender
import PortraitSpatial
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// A SYNTHETIC file in the attribute layout of the INSPQ shapefile `Ad_2021_IndDef.shp`: real 7-digit
/// subdivision ids of Bas-Saint-Laurent, invented dissemination areas and quintiles, DA populations that add up
/// to the real 2021 census populations (Rimouski 48 935, Saint-Fabien 1 834, Trois-Pistoles 3 115, Lac-des-Aigles
/// 495 and Saint-Guy 76 under their 2021 codes, merged since into 13062).
let syntheticAreas = """
ADIDU,ADPOP2021,QuintMat,QuintSoc,QuintMatRS,QuintSocRS,SDRIDU,SDRNOM
24100001,10000,5,1,4,1,2410043,Rimouski
24100002,15000,4,2,4,2,2410043,Rimouski
24100003,935,0,0,0,0,2410043,Rimouski
24100004,23000,1,5,1,5,2410043,Rimouski
24100005,834,5,5,5,5,2410070,Saint-Fabien
24100006,1000,3,,3,,2410070,Saint-Fabien
24110001,3115,2,3,2,3,2411040,Trois-Pistoles
24130601,495,5,3,5,3,2413060,Lac-des-Aigles
24110201,76,2,3,2,3,2411020,Saint-Guy
24990001,50,5,5,5,5,2499999,Ailleurs

"""

/// The same index in the layout of INSPQ's SYNTHETIC correspondence workbook (sheet `Données`): no municipality,
/// regional quintiles, DA 24100007 split 60/40 between two CLSC with a different quintile on each row, DA 24100009
/// whose fractions add up to 0.5 only, DA 24999999 absent from the DA table.
let syntheticWorkbook = """
RSS,AD,ADPOP2021,QuintMatRSS,QuintSocRSS,RLS,FRAC_CLSC
01,24100001,10000,4,1,0111,1
01,24100007,2000,5,5,0111,0.6
01,24100007,2000,3,5,0112,0.4
01,24100008,500,0,0,0111,1
01,24100009,100,5,5,0111,0.5
01,24999999,50,5,5,0111,1

"""

/// The DA → subdivision table that places the workbook's DAs (as the attribute table of `Ad_2021_IndDef.shp`).
let syntheticAreaTable = """
ADIDU,SDRIDU
24100001,2410043
24100007,2410043
24100008,2410070
24100009,2410070

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
    func loadedStore(_ dir: String) throws -> String {
        let store = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        _ = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        return store
    }

    @Test func aggregatedToTheMunicipalities() throws {
        let dir = tempDir()
        let store = try loadedStore(dir)
        let file = try write(syntheticAreas, "synthetique_ad_2021_inddef.csv", in: dir)
        let r = try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store)
        #expect(r.indicators == ["defavorisation_materielle_q5", "defavorisation_materielle_q45", "defavorisation_sociale_q5",
                                 "defavorisation_sociale_q45", "defavorisation_population_sans_quintile",
                                 "defavorisation_materielle_population_classee", "defavorisation_sociale_population_classee"])
        #expect(r.join.rows == 10 && r.join.matched == 4 && r.join.kept == 9 && r.join.unmatched.map(\.code) == ["99999"])
        #expect(r.join.areas?.withoutQuintile == 1 && r.join.areas?.populationWithoutQuintile == 935 && r.join.areas?.split == 0)
        let s = try Stores.open(store)
        func v(_ name: String, _ code: String) throws -> Double? { try s.indicatorValues(name, vintage: 2021, level: .municipality)[code]?.number }
        func near(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-9 } ?? false }
        // Rimouski: 48 000 people in DAs with a quintile; 10 000 in Q5, 25 000 in Q4 or Q5; 935 apart.
        #expect(near(try v("defavorisation_materielle_q5", "10043"), 10_000.0 / 48_000 * 100))
        #expect(near(try v("defavorisation_materielle_q45", "10043"), 25_000.0 / 48_000 * 100))
        #expect(near(try v("defavorisation_sociale_q5", "10043"), 23_000.0 / 48_000 * 100))
        #expect(try v("defavorisation_population_sans_quintile", "10043") == 935)
        #expect(try v("defavorisation_materielle_population_classee", "10043") == 48_000)
        #expect(near(try v("defavorisation_materielle_q5", "10070"), 834.0 / 1_834 * 100))
        #expect(try v("defavorisation_sociale_q5", "10070") == 100)       // 834 of the 834 with a social quintile
        #expect(near(try v("defavorisation_materielle_q5", "13062"), 495.0 / 571 * 100))     // two former codes, 495 and 76
        #expect(try v("defavorisation_materielle_q5", "11040") == 0)
        #expect(try s.indicatorDefinitions().first { $0.name == "defavorisation_materielle_q5" }?.labelFR.contains("ensemble du Québec") == true)
        // The regional scale reads QuintMatRS: 24100001 is then in Q4 → Rimouski Q5 = 0 %, Q4+Q5 unchanged.
        var rss = IndicatorImportOptions(vintage: 2021, preset: .inspqDeprivation)
        rss.scale = .rss
        _ = try IndicatorImporter.run(file: file, options: rss, storePath: store)
        #expect(try v("defavorisation_materielle_q5", "10043") == 0)
        #expect(near(try v("defavorisation_materielle_q45", "10043"), 25_000.0 / 48_000 * 100))

        // The region-01 portrait: the region's share is the ratio of the sums over its DAs, not a mean of municipal shares.
        _ = try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store)
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("01")))
        let q5 = try #require(p.indicators.first { $0.name == "defavorisation_materielle_q5" })
        #expect(q5.withValue == 4 && q5.unit == "%")
        #expect(near(q5.weightedMean, 11_329.0 / 53_520 * 100))     // (10 000 + 834 + 0 + 495) / (48 000 + 1 834 + 3 115 + 571)
        let q45 = try #require(p.indicators.first { $0.name == "defavorisation_materielle_q45" })
        #expect(near(q45.weightedMean, 26_329.0 / 53_520 * 100))
        // Coast and inland: Lac-des-Aigles is the only inland municipality with DAs.
        _ = try CoastlineImporter.run(file: try RealData.path("coastline/gshhg_f_stlawrence_L1.geojson"), storePath: store)
        _ = try CoastClassifier.run(storePath: store)
        let split = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("01")))
        func q5Of(_ s: TerritorialPortrait.Part?) -> Double? { s?.portrait.indicators.first { $0.name == "defavorisation_materielle_q5" }?.weightedMean }
        #expect(near(q5Of(split.interieur), 495.0 / 571 * 100))
        #expect(near(q5Of(split.littoral), 10_834.0 / 52_949 * 100))
        // MRC Rimouski-Neigette (10): Rimouski and Saint-Fabien.
        let mrc10 = try #require(split.mrc?.first { $0.territory.code == "10" })
        #expect(near(mrc10.indicators.first { $0.name == "defavorisation_materielle_q5" }?.weightedMean, 10_834.0 / 49_834 * 100))

        // The deprivation map draws the Q5 share (the style prefers it), and says which quintiles.
        let svg = try MapRenderer.render(storePath: store, request: RenderRequest(territory: try .region("01"), style: "defavorisation",
                                                                                  stylesDirectory: projectRoot + "/styles"))
        #expect(svg.contains("Population en quintile 5 de défavorisation matérielle (quintiles de l&#39;ensemble du Québec), 2021"))
        // Its source credited by its publisher (the file itself is in the Sources table): synthetic values said so.
        #expect(svg.contains("Portrait : valeurs SYNTHÉTIQUES (2021)") && !svg.contains("synthetique_ad_2021_inddef.csv"))
        // The municipalities export carries the shares.
        let fc = try GeoJSONExport.export(.municipalities, storePath: store, options: .init(territory: try .region("01")))
        let rimouski = try #require(fc.features.first { $0.id == "10043" })
        #expect(rimouski.properties.first { $0.key == "defavorisation_materielle_q5" }?.value == .double(10_000.0 / 48_000 * 100))
    }

    /// The correspondence workbook: DAs placed by the DA table, a split DA counted by its fractions, RSS quintiles.
    @Test func theCorrespondenceWorkbook() throws {
        let dir = tempDir()
        let store = try loadedStore(dir)
        let file = try write(syntheticWorkbook, "synthetique_correspondance.csv", in: dir)
        // Without the DA table: a clear refusal, nothing written.
        #expect { try IndicatorImporter.run(file: file, options: .init(vintage: 2021, preset: .inspqDeprivation), storePath: store) } throws: {
            "\($0)".contains("--areas")
        }
        #expect(try Stores.open(store).vintages("defavorisation_materielle_q5").isEmpty)
        var o = IndicatorImportOptions(vintage: 2021, preset: .inspqDeprivation)
        o.areasFile = try write(syntheticAreaTable, "ad_sdr.csv", in: dir)
        let r = try IndicatorImporter.run(file: file, options: o, storePath: store)
        let a = try #require(r.join.areas)
        #expect(a.layout.contains("correspondance") && a.scale.contains("sociosanitaire"))
        #expect(a.areas == 4 && a.split == 1)
        #expect(a.badFractions == ["24100009 (0.5)"] && a.unplaced.map(\.code) == ["AD 24999999"])
        #expect(r.log.parameters["scale"] == "rss")
        let s = try Stores.open(store)
        func v(_ name: String, _ code: String) throws -> Double? { try s.indicatorValues(name, vintage: 2021, level: .municipality)[code]?.number }
        // Rimouski: 10 000 (Q4) + 1 200 (Q5, 60 % of 2 000) + 800 (Q3, 40 %) = 12 000 with a quintile.
        #expect(try v("defavorisation_materielle_population_classee", "10043") == 12_000)
        #expect(try v("defavorisation_materielle_q5", "10043") == 10)
        #expect(abs(try #require(try v("defavorisation_materielle_q45", "10043")) - 11_200.0 / 12_000 * 100) < 1e-9)
        // Saint-Fabien: 500 without quintile, 50 (half of DA 24100009) in Q5.
        #expect(try v("defavorisation_population_sans_quintile", "10070") == 500)
        #expect(try v("defavorisation_materielle_q5", "10070") == 100)
    }

    /// DAs placed by their geometry when the DA table has no subdivision column.
    @Test func areasPlacedByTheirGeometry() throws {
        let dir = tempDir()
        let store = try loadedStore(dir)
        let s = try Stores.open(store)
        let rimouski = try #require(try s.unit(.municipality, code: "10043"))
        let p = try Geometry.multiPolygon(rimouski.geometry).pointOnSurface()
        let square = """
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"DAUID":"24100001"},"geometry":{"type":"Polygon","coordinates":[[[\(p.x - 0.001),\(p.y - 0.001)],[\(p.x + 0.001),\(p.y - 0.001)],[\(p.x + 0.001),\(p.y + 0.001)],[\(p.x - 0.001),\(p.y + 0.001)],[\(p.x - 0.001),\(p.y - 0.001)]]]}}]}
        """
        var o = IndicatorImportOptions(vintage: 2021, preset: .inspqDeprivation)
        o.areasFile = try write(square, "ad.geojson", in: dir)
        let r = try IndicatorImporter.run(file: try write(syntheticWorkbook, "synthetique_correspondance.csv", in: dir), options: o, storePath: store)
        #expect(r.join.matched == 1 && r.join.areas?.unplaced.count == 4)
        #expect(try s.indicatorValues("defavorisation_materielle_population_classee", vintage: 2021, level: .municipality)["10043"] == .value(10_000))
    }
}
