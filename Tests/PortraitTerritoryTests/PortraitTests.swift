import Foundation
import PortraitDemo
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Portraits on the fictional demo with SYNTHETIC population and IVE values, checked by hand.
@Suite struct PortraitTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("demo.gpkg")
        _ = try DemoTerritory.load(storePath: store)
        // MRC 991: row 1 on the shore (91005, 91010, 91015), rows 2 and 3 inland.
        let pop = try write("""
            code,population
            91005,6000
            91010,2000
            91015,1000
            91020,4000
            91025,500
            91030,500
            91035,300
            91040,200
            91045,500

            """, "synthetique_population.csv", in: dir)
        _ = try IndicatorImporter.run(file: pop, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        let ive = try write("code;ive\n91005;4,0\n91010;-6,0\n91015;-2,0\n91020;1,0\n91045;x\n", "synthetique_ive.csv", in: dir)
        _ = try IndicatorImporter.run(file: ive, options: .init(indicator: "ive", vintage: 2020, valueFields: ["ive"]), storePath: store)
    }

    /// A level the store holds nothing of is said so, with the command that imports it (not « présentes : » and nothing).
    @Test func aLevelWithoutUnitsIsSaid() throws {
        let path = (dir as NSString).appendingPathComponent("mrc-seules.gpkg")
        let mrc = try write("""
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"MRS_CO_MRC":"371","MRS_NM_MRC":"Trois-Rivières","MRS_CO_REG":"04"},
            "geometry":{"type":"Polygon","coordinates":[[[-72.7,46.3],[-72.4,46.3],[-72.4,46.45],[-72.7,46.45],[-72.7,46.3]]]}}]}
            """, "mrc.geojson", in: dir)
        _ = try BoundaryImporter.run(file: mrc, options: .init(level: .mrc), storePath: path)
        #expect { try PortraitBuilder.build(storePath: path, options: .init(territory: try .region("04"))) } throws: { e in
            "\(e)".contains("aucune des régions administratives") && "\(e)".contains("--level region")
        }
        #expect { try PortraitBuilder.build(storePath: path, options: .init(territory: try .mrc("372"))) } throws: { e in
            "\(e)".contains("présentes : 371 Trois-Rivières")
        }
    }

    @Test func mrcPortraitByHand() throws {
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .mrc("991")))
        #expect(p.territory == TerritoryRef(code: "991", name: "La Côte-Fictive", level: .mrc))
        #expect(p.fictional)
        #expect(p.municipalityCount == 9 && p.aquaticCount == 1 && p.mrcCount == 1)
        #expect(p.populationTotal == 15_000 && p.populationVintage == 2021)
        #expect(p.towns5000Plus.count == 1 && p.towns5000Plus.names == ["L'Anse-aux-Exemples"])
        #expect(p.towns5000Plus.populationShare == 0.4)
        // Under 3,000: 2000 + 1000 + 500 + 500 + 300 + 200 + 500 = 5000 of 15 000.
        #expect(abs(p.under3000PopulationShare! - 1.0 / 3) < 1e-12)
        let l = try #require(p.littoral?.portrait), i = try #require(p.interieur?.portrait)
        #expect(l.count == 3 && l.population == 9_000 && l.populationShare == 0.6)
        #expect(i.count == 6 && i.population == 6_000 && i.populationShare == 0.4)
        let ive = try #require(p.indicators.first { $0.name == "ive" })
        // (4 × 6000 − 6 × 2000 − 2 × 1000 + 1 × 4000) / 13 000.
        #expect(abs(ive.weightedMean! - 14_000.0 / 13_000) < 1e-12)
        #expect(ive.threshold?.municipalities == 1 && ive.threshold?.population == 2_000)
        #expect(abs(ive.threshold!.populationShare! - 2_000.0 / 15_000) < 1e-12)
        #expect(ive.suppressed == ["91045"])
        #expect(ive.withoutValue == ["91025", "91030", "91035", "91040"])
        #expect(ive.classes.map(\.municipalities).reduce(0, +) == 4)
        // Shore: 4 × 6000 − 6 × 2000 − 2 × 1000 over 9000.
        let lIVE = try #require(l.indicators.first { $0.name == "ive" })
        #expect(abs(lIVE.weightedMean! - 10_000.0 / 9_000) < 1e-12)
        #expect(p.missing.withoutValue["ive"] == ["91025", "91030", "91035", "91040"])
        #expect(p.missing.suppressed["ive"] == ["91045"])
    }

    @Test func regionPortraitListsMRCAndGaps() throws {
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("99")))
        #expect(p.mrcCount == 3 && p.municipalityCount == 22 && p.tnoCount == 2)
        #expect(p.mrc?.map(\.territory.code) == ["991", "992", "993"])
        #expect(p.mrc?.first?.populationShare == 1)
        #expect(p.missing.withoutPopulation.count == 24 - 9)
        let md = PortraitDocument(p).markdown
        #expect(md.contains("# Portrait territorial : Région fictive de la Côte-aux-Exemples (région 99)"))
        #expect(md.contains("15 000 habitants"))
        #expect(md.contains("**Territoire fictif**"))
        #expect(md.contains("| La Côte-Fictive (991) | 9 | 15 000 | 100 % |"))
        let html = PortraitDocument(p).html
        // Names through the one HTML escaping (`Escape.html`: the apostrophe as a reference, as in an attribute).
        #expect(html.contains("<html lang=\"fr\">") && html.contains("L&#39;Anse") && !html.contains("L'Anse") && html.contains("<table>"))
        let en = PortraitDocument(p, language: .en).markdown
        #expect(en.contains("Territorial portrait") && en.contains("15,000 inhabitants"))
    }

    @Test func jsonKeys() throws {
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("99")))
        let data = try JSONEncoder().encode(p)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["territory", "mrc_count", "municipality_count", "population_total", "towns_5000_plus",
                    "under_3000_population_share", "littoral", "interieur", "indicators", "missing"] {
            #expect(json[key] != nil, "\(key)")
        }
        let towns = try #require(json["towns_5000_plus"] as? [String: Any])
        #expect(towns["count"] != nil && towns["names"] != nil && towns["population_share"] != nil)
        let littoral = try #require(json["littoral"] as? [String: Any])
        // The region's eight shore municipalities; only MRC 991 has a population here.
        #expect(littoral["count"] as? Int == 8 && littoral["population"] as? Double == 9_000 && littoral["population_share"] as? Double == 0.6)
    }

    @Test func unknownTerritoryAndVintage() throws {
        #expect { try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("42"))) }
            throws: { ($0 as? TerritoryError)?.description.contains("99 Région fictive") == true && ErrorKind.of($0) == .notFound }
        #expect { try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("99"), vintage: 1901)) }
            throws: { ($0 as? TerritoryError)?.description.contains("2021") == true && ErrorKind.of($0) == .notFound }
    }
}
