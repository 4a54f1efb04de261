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

struct AccessTests {
    @Test func handCheckedDistances() throws {
        // 0.09° of latitude ≈ 10.0 km (111.2 km per degree); Québec Lambert's scale error here is under 0.1 %.
        let d = try Access.nearestKm(from: [Position(-68.52, 48.45)], to: [Position(-68.52, 48.54), Position(-68.52, 48.70)])
        #expect(abs(d[0]! - 10.0) < 0.05)
        let count = try Access.countWithin(20, from: [Position(-68.52, 48.45)], to: [Position(-68.52, 48.54), Position(-68.52, 48.70)])
        #expect(count == [1])
        #expect(try Access.nearestKm(from: [Position(-68.52, 48.45)], to: []) == [nil])
    }

    @Test func twoStepFloatingCatchmentByHand() throws {
        // A (100 people) and B (300) 5 km apart; S1 (capacity 10) between them, S2 (capacity 5) next to A only.
        let a = Position(-68.52, 48.45), b = Position(-68.52, 48.495), s1 = Position(-68.52, 48.4725), s2 = Position(-68.60, 48.45)
        let scores = try Access.twoStepFloatingCatchment(places: [a, b], population: [100, 300], services: [s1, s2],
                                                         capacity: [10, 5], radiusKm: 7)
        // S1: 10 / 400 = 0.025; S2 (within 7 km of A only: 5.9 km; B is 7.5 km away): 5 / 100 = 0.05. Per 1,000 people.
        #expect(abs(scores[0] - 75) < 1e-9)
        #expect(abs(scores[1] - 25) < 1e-9)
    }

    /// Property: adding a service never increases any distance.
    @Test func addingAServiceNeverIncreasesADistance() throws {
        var rng = SplitMix(seed: 42)
        for _ in 0..<25 {
            let places = (0..<30).map { _ in Position(-70 + rng.next() * 5, 46 + rng.next() * 3) }
            var services = (0..<10).map { _ in Position(-70 + rng.next() * 5, 46 + rng.next() * 3) }
            let before = try Access.nearestKm(from: places, to: services)
            services.append(Position(-70 + rng.next() * 5, 46 + rng.next() * 3))
            let after = try Access.nearestKm(from: places, to: services)
            for (x, y) in zip(before, after) { #expect(y! <= x! + 1e-9) }
            // And the indexed search agrees with brute force.
            let lambert = try PortraitSpatial.Projection.toQuebecLambert(places), s = try PortraitSpatial.Projection.toQuebecLambert(services)
            for (i, p) in lambert.enumerated() {
                let brute = s.map { hypot($0.x - p.x, $0.y - p.y) }.min()! / 1000
                #expect(abs(brute - after[i]!) < 1e-9)
            }
        }
    }
}


/// A small deterministic random generator for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

/// Services and mobilisations on the fictional demo; every file here is SYNTHETIC.
@Suite struct ServiceImportTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("demo.gpkg")
        _ = try DemoTerritory.load(storePath: store)
    }

    @Test func reportsEveryRowItDoesNotKeepAsIs() throws {
        // Port-Démo lies in column 3 of the shore row: about (-66.9, 49.3).
        let f = try write("""
            nom,lat,lon,capacite
            École Port-Démo,49.30,-66.90,300
            École Port-Démo,49.30001,-66.90001,300
            École sans coordonnées,,,
            École inversée,-66.50,49.20,
            École du large,49.80,-60.00,
            École Lac-Mirage,49.20,-66.30,120

            """, "synthetique_ecoles.csv", in: dir)
        let r = try ServiceImporter.run(file: f, category: "ecole", fields: ["name": "nom", "capacity": "capacite"], storePath: store)
        #expect(r.kept == 3)
        #expect(r.duplicates.map(\.row) == [3])
        #expect(r.withoutCoordinates.map(\.row) == [4])
        #expect(r.outsideQuebec.map(\.row) == [5])
        #expect(r.outsideQuebec[0].problem.contains("inversées"))
        #expect(r.outsideTerritory.map(\.name) == ["École du large"])   // in Quebec, outside the demo: kept, flagged
        let s = try GeoPackageStore(openExisting: store).services(category: "ecole")
        #expect(s.first?.municipalityCode == "92005" && s.first?.capacity == 300)
    }

    @Test func badCategoryAndUnknownCategory() throws {
        let f = try write("nom,lat,lon\nA,49.3,-66.9\n", "synthetique_a.csv", in: dir)
        #expect { try ServiceImporter.run(file: f, category: "écoles primaires", fields: ["name": "nom"], storePath: store) }
            throws: { ($0 as? ImportError)?.description.contains("--category") == true }
        _ = try ServiceImporter.run(file: f, category: "clsc", fields: ["name": "nom"], storePath: store)
        #expect { try GapAnalysis.run(storePath: store, territory: try .region("99"), category: "ecole", maxKm: 10) }
            throws: { ($0 as? TerritoryError)?.description.contains("clsc") == true && ErrorKind.of($0) == .notFound }
    }

    @Test func gapsRankDistanceTimesNeed() throws {
        let f = try write("nom,lat,lon\nCLSC de l'Anse,49.33,-67.50\n", "synthetique_clsc.csv", in: dir)
        _ = try ServiceImporter.run(file: f, category: "clsc", fields: ["name": "nom"], storePath: store)
        let g = try GapAnalysis.run(storePath: store, territory: try .region("99"), category: "clsc", maxKm: 20, need: "ive")
        // Every municipality farther than 20 km is listed, none nearer.
        #expect(g.gaps.allSatisfy { ($0.nearestKm ?? 0) > 20 })
        #expect(g.municipalities.filter { ($0.nearestKm ?? 0) > 20 }.count == g.gaps.count)
        #expect(g.populationConcerned == g.gaps.compactMap(\.population).reduce(0, +))
        // Priorities never increase down the list.
        let p = g.gaps.compactMap(\.priority)
        #expect(p == p.sorted(by: >))
        #expect((g.gapAreaKm2 ?? 0) > 0 && g.gapArea != nil)
        // The ranking doubles the priority where the IVE is below −5: people × kilometres beyond 20 km × 2.
        if let high = g.gaps.first(where: { $0.highNeed == true }), let d = high.nearestKm, let p = high.population {
            #expect(abs((high.priority ?? 0) - 2 * p * (d - 20)) <= max(1, 0.001 * p * (d - 20)))
        }
    }

    @Test func mobilisationsCoverageAndProblems() throws {
        let f = try write("""
            id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source
            99-table,Table régionale fictive,TRF,regional,region,99,99,2015,,Fictif,réussite éducative|habitation,,synthétique
            99-clc-991,Comité local fictif 991,CLF,local,mrc,991,99,2016,,Fictif,réussite éducative|sécurité alimentaire,,synthétique
            99-vide,Table aux enjeux troués,TAT,local,mrc,992,99,2018,2020,Fictif,transport||habitation,,synthétique
            42-nulle,Table d'une région absente,TRA,regional,region,42,42,2019,,Fictif,transport,,synthétique

            """, "synthetique_mobilisations.csv", in: dir)
        let r = try MobilisationImporter.run(file: f, storePath: store)
        #expect(r.imported == 4)
        #expect(r.problems.contains { $0.id == "99-vide" && $0.problem.contains("vide") })
        #expect(r.problems.contains { $0.id == "42-nulle" && $0.problem.contains("absent") })
        let cov = try MobilisationCoverage.compute(storePath: store, territory: try .region("99"))
        let inside991 = try #require(cov.first { $0.code == "91005" })
        #expect(inside991.tableCount == 2)
        #expect(inside991.enjeux == ["habitation", "réussite éducative", "sécurité alimentaire"])
        #expect(inside991.enjeuxWithoutTable == ["transport"])
        let in993 = try #require(cov.first { $0.code == "93005" })
        #expect(in993.tableCount == 1 && in993.enjeuxWithoutTable == ["sécurité alimentaire", "transport"])
        // In 2019 the table of MRC 992 is active; in 2021 it has ended.
        #expect(try MobilisationCoverage.compute(storePath: store, territory: try .mrc("992"), year: 2019).first?.tableCount == 2)
        #expect(try MobilisationCoverage.compute(storePath: store, territory: try .mrc("992"), year: 2021).first?.tableCount == 1)
    }

    /// Every export is RFC 7946: WGS84 ranges, closed rings of four positions or more, exterior counter-clockwise.
    @Test(arguments: GeoJSONExport.Layer.allCases)
    func exportsAreStrictGeoJSON(_ layer: GeoJSONExport.Layer) throws {
        let f = try write("nom,lat,lon\nCLSC de l'Anse,49.33,-67.50\n", "synthetique_clsc2.csv", in: dir)
        _ = try ServiceImporter.run(file: f, category: "clsc", fields: ["name": "nom"], storePath: store)
        if layer == .serviceAreas {
            // The service areas need a network: none here, said so; then a SYNTHETIC road through the fictional region.
            #expect { try GeoJSONExport.export(layer, storePath: store, options: .init(territory: try .region("99"), category: "clsc")) } throws: {
                "\($0)".contains("portrait import roads")
            }
            let road = try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"vitesse":70},"geometry":{"type":"LineString","coordinates":[[-67.9,49.35],[-67.5,49.33],[-67.0,49.25],[-66.5,49.15]]}}]}"#,
                                 "synthetique_route.geojson", in: dir)
            var o = RoadReadOptions()
            o.speedField = "vitesse"
            _ = try RoadImporter.run(file: road, options: o, storePath: store)
        }
        let fc = try GeoJSONExport.export(layer, storePath: store, options: .init(territory: try .region("99"), simplifyMetres: 200,
                                                                                   radiusKm: 10, category: "clsc"))
        #expect(!fc.features.isEmpty)
        let text = GeoJSONWriter().string(fc)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        for feature in try #require(json["features"] as? [[String: Any]]) {
            let g = try #require(feature["geometry"] as? [String: Any])
            let type = try #require(g["type"] as? String)
            let polygons: [[[[Double]]]]
            switch type {
            case "Polygon": polygons = [try #require(g["coordinates"] as? [[[Double]]])]
            case "MultiPolygon": polygons = try #require(g["coordinates"] as? [[[[Double]]]])
            case "Point":
                let c = try #require(g["coordinates"] as? [Double])
                #expect(c[0] >= -180 && c[0] <= 180 && c[1] >= -90 && c[1] <= 90)
                continue
            case "MultiLineString" where layer == .context:   // the shoreline
                let lines = try #require(g["coordinates"] as? [[[Double]]])
                #expect(!lines.isEmpty && lines.allSatisfy { $0.count >= 2 && $0.allSatisfy { abs($0[0]) <= 180 && abs($0[1]) <= 90 } })
                continue
            default: Issue.record("unexpected \(type)"); continue
            }
            for poly in polygons {
                for (k, ring) in poly.enumerated() {
                    #expect(ring.count >= 4 && ring.first! == ring.last!)
                    let area = LinearRing(ring.map { Position($0[0], $0[1]) }).signedDoubleArea
                    #expect(k == 0 ? area > 0 : area < 0)
                    #expect(ring.allSatisfy { $0[0] > -80 && $0[0] < -57 && $0[1] > 44 && $0[1] < 63 })
                }
            }
        }
        if layer == .municipalities {
            let props = try #require((json["features"] as? [[String: Any]])?.first?["properties"] as? [String: Any])
            #expect(props["nearest_clsc_km"] != nil && props["count_clsc_within_10km"] != nil)
        }
    }
}

extension GeoJSONExport.Layer: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

@Suite struct PlacesTests {
    @Test func distancesStartFromInhabitedPlaces() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: store)
        // One CLSC at the west end; a village of Cap-Chimère (93005, from -66.4 to -66.2 E) near its western edge.
        let clsc = try write("nom,lat,lon\nCLSC,49.30,-67.55\n", "synthetique_clsc.csv", in: dir)
        _ = try ServiceImporter.run(file: clsc, category: "clsc", fields: ["name": "nom"], storePath: store)
        let before = try GapAnalysis.run(storePath: store, territory: try .region("99"), category: "clsc", maxKm: 200)
            .municipalities.first { $0.code == "93005" }!.nearestKm!
        let places = try write("nom,lat,lon\nCap-Chimère,49.30,-66.39\nAilleurs,10,10\n", "synthetique_lieux.csv", in: dir)
        let r = try PlacesImporter.run(file: places, nameField: "nom", storePath: store)
        #expect(r.kept == 1 && r.outsideTerritory == 1)
        let after = try GapAnalysis.run(storePath: store, territory: try .region("99"), category: "clsc", maxKm: 200)
            .municipalities.first { $0.code == "93005" }!.nearestKm!
        // From -66.39 to -67.55 at 49.3 N: 1.16° × 72.6 km ≈ 84.2 km.
        #expect(abs(after - 84.2) < 0.8)
        #expect(after != before)
    }
}
