import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// A road network in the store, on both backends, over the real Bas-Saint-Laurent boundaries: a SYNTHETIC network of
/// two shore roads and the Rivière-du-Loup – Saint-Siméon ferry, and two SYNTHETIC services, one on each shore. Across
/// the river a service is near as the crow flies and far by road; the gaps in minutes say so, the straight line not.
@Suite(.serialized) struct RoadStoreTests {
    /// The SYNTHETIC network shipped for the guide's examples (geodata/bsl/synthetique/reseau_rives_SYNTHETIQUE.geojson).
    static func network(_ dir: String) throws -> String { ShippedBSL.directory + "/synthetique/reseau_rives_SYNTHETIQUE.geojson" }

    static func services(_ dir: String) throws -> String {
        try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"Service SYNTHÉTIQUE des Escoumins"},"geometry":{"type":"Point","coordinates":[-69.406,48.351]}},{"type":"Feature","properties":{"nom":"Service SYNTHÉTIQUE de Matane"},"geometry":{"type":"Point","coordinates":[-67.533,48.846]}}]}"#,
                  "services_rives_SYNTHETIQUE.geojson", in: dir)
    }

    static var options: RoadReadOptions {
        var o = RoadReadOptions()
        o.classField = "classe"; o.speeds = .aqreseau
        return o
    }

    static let stores = PerBackend<(store: String, report: RoadImportReport)> { backend in
        let store = try backend.newStore("routes")
        let dir = tempDir("portrait-road-store")
        _ = try BoundaryImporter.run(file: ShippedBSL.directory + "/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: store)
        _ = try IndicatorImporter.run(file: ShippedBSL.directory + "/recensement_2021_sdr_bsl.csv", options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        _ = try ServiceImporter.run(file: try services(dir), category: "service_synthetique", preset: .custom, fields: ["name": "nom"], storePath: store)
        let r = try RoadImporter.run(file: try network(dir), options: options, vintage: 2026, storePath: store)
        return (store, r)
    }

    @Test(arguments: Backend.available) func theNetworkIsStoredWhole(_ backend: Backend) throws {
        let (store, r) = try Self.stores.get(backend)
        // 3 lines; nodes: the 2 ends of each shore road and the ferry's ends are shared: 4 nodes, 3 edges, 1 component.
        #expect(r.network.nodes == 4 && r.network.edges == 3 && r.network.components == 1 && r.network.ferries == 1)
        #expect(r.log.kind == "roads" && r.log.parameters["vintage"] == "2026")
        let read = try RoadReader.read(file: try Self.network(tempDir("portrait-road-store")), options: Self.options).0
        let stored = try #require(try Stores.open(store).roadNetwork())
        #expect(stored.vintage == 2026 && stored.network.source == "reseau_rives_SYNTHETIQUE.geojson")
        #expect(stored.network.nodes == read.nodes && stored.network.edges == read.edges, "the graph reads back as it was built")
        // The ferry: 15 km/h over its length, plus the 20-minute wait.
        let ferry = try #require(stored.network.edges.first { $0.roadClass == "ferry" })
        #expect(abs(ferry.minutesForward! - (ferry.lengthM / 1000 / 15 * 60 + 20)) < 1e-9 && ferry.minutesBackward == ferry.minutesForward)
    }

    /// Trois-Pistoles faces Les Escoumins across the St. Lawrence: about 30 km as the crow flies, over two hours by road
    /// (its nearest service by road is Matane's). Rimouski reaches Matane within the hour.
    @Test(arguments: Backend.available) func acrossTheRiverFarByRoad(_ backend: Backend) throws {
        let (store, _) = try Self.stores.get(backend)
        let straight = try GapAnalysis.run(storePath: store, territory: try .region("01"), category: "service_synthetique", maxKm: 40)
        let road = try GapAnalysis.run(storePath: store, territory: try .region("01"), category: "service_synthetique", maxKm: 40, maxMinutes: 90)
        #expect(straight.measure == "distance à vol d'oiseau" && straight.maxMinutes == nil && straight.gapAreaKm2 != nil)
        #expect(road.measure == "temps de parcours par la route (réseau : reseau_rives_SYNTHETIQUE.geojson, 2026)" && road.gapAreaKm2 == nil)
        let tp = try #require(road.municipalities.first { $0.code == "11040" })
        let tpStraight = try #require(straight.municipalities.first { $0.code == "11040" })
        #expect((tpStraight.nearestKm ?? 99) < 40 && !straight.gaps.contains { $0.code == "11040" }, "as the crow flies, within 40 km")
        #expect((tp.nearestMinutes ?? 0) > 90 && road.gaps.contains { $0.code == "11040" }, "by road, beyond 90 minutes: \(tp)")
        #expect(tp.nearestKm == tpStraight.nearestKm, "the straight line kept beside the minutes")
        let rimouski = try #require(road.municipalities.first { $0.code == "10043" })
        #expect((rimouski.nearestMinutes ?? 999) < 90 && rimouski.countWithin == 1 && !road.gaps.contains { $0.code == "10043" }, "\(rimouski)")
        // 2SFCA on catchments of 90 minutes by road: Rimouski shares Matane's service; Trois-Pistoles reaches none.
        #expect((rimouski.twoStepScore ?? 0) > 0 && tp.twoStepScore == 0, "\(rimouski) \(tp)")
        // The priority in minutes: population × minutes beyond the limit (the minutes shown are rounded to the hundredth).
        let people = try #require(tp.population)
        #expect(abs((tp.priority ?? 0) - people * ((tp.nearestMinutes ?? 0) - 90)) <= people * 0.005 + 0.1, "\(tp)")
        #expect(road.priorityFormula["fr"]?.contains("temps de parcours par la route") == true)
    }

    /// `portrait store copy` carries the network whole, to a GeoPackage and to PostGIS.
    @Test(arguments: Backend.available) func theCopyCarriesTheNetwork(_ backend: Backend) throws {
        let (source, _) = try Self.stores.get(.geopackage)
        let target = try backend.newStore("routes-copie")
        _ = try StoreCopy.run(from: source, to: target)
        let a = try #require(try Stores.open(source).roadNetwork()), b = try #require(try Stores.open(target).roadNetwork())
        #expect(a.network.nodes == b.network.nodes && a.network.edges == b.network.edges && a.vintage == b.vintage && a.report == b.report)
    }

    /// The same minutes on both backends within a second: Portrait's Dijkstra on the GeoPackage, pgRouting's
    /// (`pgr_drivingDistance`, equicost) on PostGIS.
    @Test func bothBackendsGiveTheSameMinutes() throws {
        guard Backend.available.count > 1 else { return }
        let gpkg = try Stores.open(try Self.stores.get(.geopackage).store), pg = try Stores.open(try Self.stores.get(.postgis).store)
        let seeds = [RoadSeed(node: 0, cost: 0, source: 0)]
        #expect(try gpkg.roadSearch(seeds: seeds, byDistance: false) == nil, "the GeoPackage leaves the search to Portrait")
        let byPG = try #require(try pg.roadSearch(seeds: seeds, byDistance: false), "PostGIS searches with pgRouting")
        #expect(byPG[0]?.cost == 0 && byPG.count == 4, "\(byPG)")
        let answers = try Backend.available.map { b in
            try GapAnalysis.run(storePath: try Self.stores.get(b).store, territory: try .region("01"), category: "service_synthetique",
                                maxKm: 40, maxMinutes: 90).municipalities
        }
        #expect(answers[0].map(\.code) == answers[1].map(\.code))
        var compared = 0
        for (a, b) in zip(answers[0], answers[1]) {
            #expect((a.nearestMinutes == nil) == (b.nearestMinutes == nil), "\(a.code)")
            if let x = a.nearestMinutes, let y = b.nearestMinutes { #expect(abs(x - y) <= 1.0 / 60 + 0.005, "\(a.code): \(x) ≠ \(y)"); compared += 1 }
        }
        #expect(compared > 100)
    }

    /// Without a network, --max-min says how to import one; a refused road file leaves the stored network as it was.
    @Test func withoutANetworkAndARefusedFile() throws {
        let store = try ShippedBSL.load(into: tempDir("portrait-road-store") + "/bsl.gpkg")
        #expect { try GapAnalysis.run(storePath: store, territory: try .region("01"), category: "sante", maxKm: 15, maxMinutes: 20) } throws: {
            "\($0)".contains("portrait import roads") && ErrorKind.of($0) == .notFound
        }
        let dir = tempDir("portrait-road-store")
        _ = try RoadImporter.run(file: try Self.network(dir), options: Self.options, storePath: store)
        let before = fingerprint(store)
        let paths = try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"Point","coordinates":[-68.5,48.4]}}]}"#, "pas_de_routes.geojson", in: dir)
        #expect { try RoadImporter.run(file: paths, options: Self.options, storePath: store) } throws: { "\($0)".contains("champ « classe » (--class-field) introuvable") }
        #expect { try RoadImporter.run(file: paths, storePath: store) } throws: { "\($0)".contains("aucune route praticable") }
        #expect(fingerprint(store) == before)
    }
}
