import Foundation
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
@testable import PortraitTerritory
import PortraitFeatures
import PortraitRender
import PortraitSpatial
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
        #expect(road.measure == "temps de parcours par la route (réseau : reseau_rives_SYNTHETIQUE.geojson, 2026)")
        // Trois-Pistoles' point lies in the land beyond 90 minutes by road, not in the land beyond 40 km as the crow flies.
        let opened = try Stores.open(store)
        let tpUnit = try #require(try opened.municipalities(in: try Territory.municipality("11040"), withGeometry: true).first)
        let tpPoint = Geometry.point(Point(try Access.representativePoints([tpUnit], store: opened)[0]))
        #expect(try road.gapArea?.contains(tpPoint) == true && straight.gapArea?.contains(tpPoint) == false)
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

    /// The service areas tile the land (their bands and the land beyond add up to it), the land beyond the last limit
    /// is the gaps' land beyond that limit, and every municipality's point lies in the band of its own minutes
    /// (within a cell of the grid: a point within 3 minutes of a limit may fall on either side).
    @Test(arguments: Backend.available) func serviceAreasFollowTheGapsRule(_ backend: Backend) throws {
        let (path, _) = try Self.stores.get(backend)
        let store = try Stores.open(path)
        let limits = [30.0, 60, 90]
        let (areas, network) = try ServiceAreas.run(store: store, territory: try .region("01"), category: "service_synthetique", limits: limits)
        #expect(network == "reseau_rives_SYNTHETIQUE.geojson, 2026")
        #expect(areas.bands.map(\.toMinutes) == limits && areas.bands.map(\.fromMinutes) == [0, 30, 60])
        let land = try store.municipalities(in: try .region("01"), withGeometry: true).filter { !$0.isAquatic }
        let landKm2 = try Geometry.union(try Projection.toQuebecLambert(land.map { Geometry.multiPolygon($0.geometry) })).planarArea() / 1e6
        let total = areas.bands.map(\.areaKm2).reduce(areas.beyondKm2, +)
        #expect(abs(total - landKm2) < landKm2 * 0.001 + 1, "\(total) km² against \(landKm2) km² of land")
        #expect(areas.bands.allSatisfy { $0.areaKm2 > 0 && $0.geometry != nil }, "\(areas.bands.map(\.areaKm2))")
        let gaps = try GapAnalysis.run(store: store, territory: try .region("01"), category: "service_synthetique", maxKm: 40, maxMinutes: 90)
        #expect(gaps.gapAreaKm2 == areas.beyondKm2, "the gaps' land beyond 90 minutes is the areas' land beyond 90")
        let points = try Access.representativePoints(land, store: store)
        var checked = 0
        for (u, p) in zip(land, points) {
            guard let minutes = gaps.municipalities.first(where: { $0.code == u.code })?.nearestMinutes else { continue }
            let band = try areas.bands.firstIndex { try $0.geometry?.contains(.point(Point(p))) == true }
            let expected = limits.firstIndex { minutes <= $0 }
            if limits.contains(where: { abs(minutes - $0) < 3 }) { continue }
            #expect(band == expected, "\(u.code) \(u.name): \(minutes) min, in band \(band.map(String.init) ?? "none")")
            checked += 1
        }
        #expect(checked > 60, "\(checked) municipalities checked")
    }

    /// The areas as a GeoJSON layer, an OGC API collection (only with a network) and a map.
    @Test(arguments: Backend.available) func serviceAreasAreALayerACollectionAndAMap(_ backend: Backend) throws {
        let (path, _) = try Self.stores.get(backend)
        let store = try Stores.open(path)
        let fc = try GeoJSONExport.export(.serviceAreas, store: store, options: .init(territory: try .mrc("11"), category: "service_synthetique", minutes: [20, 40]))
        #expect(fc.features.compactMap(\.id).allSatisfy { ["20min", "40min", "au-dela"].contains($0) } && fc.features.contains { $0.id == "au-dela" })
        for f in fc.features {
            #expect(f["measure"] == .string("temps de parcours par la route (réseau : reseau_rives_SYNTHETIQUE.geojson, 2026)"))
            #expect(f["category"] == .string("service_synthetique"))
        }
        #expect { try GeoJSONExport.export(.serviceAreas, store: store, options: .init(territory: try .mrc("11"))) } throws: { "\($0)".contains("--category") }
        let ids = try FeatureCollections.list(store: store).map(\.id)
        #expect(ids.contains("service-areas-service_synthetique"))
        let c = try FeatureCollections.collection("service-areas-service_synthetique", store: store)
        let items = try FeatureCollections.features(c, store: store, radiusKm: 15)
        #expect(items.map(\.id) == ["10min", "20min", "30min", "au-dela"].filter { id in items.contains { $0.id == id } } && items.count >= 2)
        let svg = try MapRenderer.render(storePath: path, request: RenderRequest(
            territory: try .region("01"), style: "aires-service", width: 800, stylesDirectory: projectRoot + "/styles", categories: ["service_synthetique"]))
        #expect(svg.contains("class=\"aire-de-service aire-1\"") && svg.contains("10 min ou moins (") && svg.contains(">Plus de 30 min, ou hors"))
        #expect(svg.contains("réseau : reseau_rives_SYNTHETIQUE.geojson, 2026"))
        // The gaps map and the need × access map in minutes when asked: every row in minutes, the network named.
        var gapsRequest = RenderRequest(territory: try .region("01"), style: "gaps", width: 800, stylesDirectory: projectRoot + "/styles",
                                        categories: ["service_synthetique"])
        gapsRequest.maxMinutes = 90
        let gaps = try MapRenderer.render(storePath: path, request: gapsRequest)
        #expect(gaps.contains("Au-delà de 90 min") && gaps.contains("À 90 min ou moins") && !gaps.contains("Au-delà de 90 km") && !gaps.contains("rayon de"))
        #expect(gaps.contains("temps de parcours par la route (réseau : reseau_rives_SYNTHETIQUE.geojson, 2026)"))
        // The selection GeoPackage for GIS staff carries the service areas of each category.
        let package = tempDir("portrait-road-package") + "/basques.gpkg"
        let summary = try SelectionPackage.write(from: store, territory: try .mrc("11"), to: package, stylesDirectory: projectRoot + "/styles")
        #expect(summary.serviceAreaLayers == ["aires_service_synthetique"])
        let layer = try VectorSource.read(path: package, layer: "aires_service_synthetique")
        #expect(layer.features.count >= 1 && layer.fields.contains("to_minutes") && layer.fields.contains("measure"), "\(layer.fields)")
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
        // The service areas of both backends: the same bands, to within a few cells (a cell centre on a limit may fall
        // either side of it by the last digit of a sum).
        let areas = try Backend.available.map { b in
            try ServiceAreas.run(store: try Stores.open(try Self.stores.get(b).store), territory: try .region("01"), category: "service_synthetique").result
        }
        let cell = areas[0].cellMetres * areas[0].cellMetres / 1e6
        for (x, y) in zip(areas[0].bands + [.init(fromMinutes: 0, toMinutes: 0, geometry: nil, areaKm2: areas[0].beyondKm2)],
                          areas[1].bands + [.init(fromMinutes: 0, toMinutes: 0, geometry: nil, areaKm2: areas[1].beyondKm2)]) {
            #expect(abs(x.areaKm2 - y.areaKm2) <= 3 * cell + 0.1, "\(x.toMinutes): \(x.areaKm2) ≠ \(y.areaKm2) km²")
        }
    }

    /// Without a network, --max-min says how to import one; a refused road file leaves the stored network as it was.
    @Test func withoutANetworkAndARefusedFile() throws {
        let store = try ShippedBSL.load(into: tempDir("portrait-road-store") + "/bsl.gpkg")
        #expect { try GapAnalysis.run(storePath: store, territory: try .region("01"), category: "sante", maxKm: 15, maxMinutes: 20) } throws: {
            "\($0)".contains("portrait import roads") && ErrorKind.of($0) == .notFound
        }
        #expect(try !FeatureCollections.list(store: try Stores.open(store)).contains { $0.id.hasPrefix("service-areas-") })
        #expect { try MapRenderer.render(storePath: store, request: RenderRequest(territory: try .region("01"), style: "aires-service", width: 800,
                                                                                 stylesDirectory: projectRoot + "/styles", categories: ["sante"])) } throws: {
            "\($0)".contains("réseau routier") && "\($0)".contains("portrait import roads")
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
