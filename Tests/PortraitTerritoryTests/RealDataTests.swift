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

/// The real Bas-Saint-Laurent, Quebec MRC and region files and the GSHHG
/// shoreline from ../shared/geodata (read in place, never copied).
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealDataTests {
    static let store = PerBackend<String> { backend in
        let store = try backend.newStore("reel")
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"),
                                     options: .init(level: .municipality, preset: .sda), storePath: store)
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: store)
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-regions.geojson"), options: .init(level: .region), storePath: store)
        _ = try CoastlineImporter.run(file: try RealData.path("coastline/gshhg_f_stlawrence_L1.geojson"), storePath: store)
        _ = try CoastClassifier.run(storePath: store)
        return store
    }

    @Test(arguments: Backend.available) func countsMatchTheSDA(_ backend: Backend) throws {
        let info = try StoreInfo.read(storePath: try Self.store.get(backend))
        // 132 units: 111 municipalities, 14 TNO, 2 reserves, 5 aquatic TNO (shared/geodata/README.md).
        #expect(info.municipalities.units == 132)
        #expect(info.municipalities.municipalities == 111)
        #expect(info.municipalities.tno == 14)
        #expect(info.municipalities.reserves == 2)
        #expect(info.municipalities.aquatic == 5)
        // 106 MRC features, 981 and 982 in two parts each; 18 region features, Côte-Nord in two.
        #expect(info.mrc == 104)
        #expect(info.regions == 17)
        let bsl = try #require(info.layers.first { $0.name == "municipalities" }?.bbox)
        #expect(bsl[0] > -70.3 && bsl[2] < -65.9 && bsl[1] > 47 && bsl[3] < 49.3)
        // The layer log says what was dissolved.
        let mrcImport = try #require(info.imports.first { $0.level == "mrc" })
        #expect(mrcImport.dissolved == 2 && mrcImport.featuresRead == 106)
    }

    @Test(arguments: Backend.available) func hierarchyFromCodes(_ backend: Backend) throws {
        let s = try Stores.open(try Self.store.get(backend))
        let units = try s.units(.municipality, withGeometry: false)
        #expect(units.allSatisfy { $0.regionCode == "01" && $0.mrcCode != nil })
        #expect(Set(units.compactMap(\.mrcCode)) == ["07", "08", "09", "10", "11", "12", "13", "14"])
        #expect(try s.unit(.mrc, code: "10")?.regionCode == "01")
        #expect(try s.unit(.mrc, code: "371")?.regionCode == "04")
    }

    @Test(arguments: Backend.available) func shoreAndInland(_ backend: Backend) throws {
        let s = try Stores.open(try Self.store.get(backend))
        func cls(_ code: String) throws -> CoastClass? { try s.unit(.municipality, code: code)?.coastClass }
        // Shore towns.
        for code in ["10043", "08053", "12072", "11040", "14082", "12043"] { #expect(try cls(code) == .littoral, "\(code)") }
        // Inland: Amqui, Pohénégamook, Lac-des-Aigles.
        for code in ["07047", "13095", "13062"] { #expect(try cls(code) == .interieur, "\(code)") }
        let info = try StoreInfo.read(storePath: try Self.store.get(backend))
        // Same split as shapely's dwithin(300 m) in EPSG:32198 (benchmarks/import_geopandas.py).
        #expect(info.coast.municipalities == CoastCounts(littoral: 28, interieur: 99, aquatic: 5))
        #expect(info.coast.mrc.littoral + info.coast.mrc.interieur == 104)
        #expect(try s.unit(.mrc, code: "13")?.coastClass == .interieur)   // Témiscouata
        #expect(try s.unit(.mrc, code: "10")?.coastClass == .littoral)    // Rimouski-Neigette
    }

    @Test(arguments: Backend.available) func areasAreInSquareKilometres(_ backend: Backend) throws {
        let s = try Stores.open(try Self.store.get(backend))
        // The file carries each unit's area including water, computed by its publisher and rounded to
        // 0.01 km²: ours agree within 0.5 % (or the rounding, for the 0.007 km² Cacouna reserve).
        let ref = try VectorSource.read(path: try RealData.path("boundaries/bsl_municipalites_sda.geojson"))
        var compared = 0
        for f in ref.features {
            guard let code = f.attributes["MUS_CO_GEO"]?.text, case .double(let expected)? = f.attributes["area_km2_incl_water"],
                  let u = try s.unit(.municipality, code: code) else { continue }
            #expect(abs(u.areaKm2 - expected) <= max(0.005 * expected, 0.005), "\(code) \(u.name): \(u.areaKm2) km² vs \(expected)")
            compared += 1
        }
        #expect(compared == 132)
        let total = try s.units(.region, withGeometry: false).first { $0.code == "01" }?.areaKm2 ?? 0
        // Bas-Saint-Laurent covers about 22,000 km² of land and more with the estuary.
        #expect(total > 21_000 && total < 45_000)
    }
}

/// The 2021 census of Bas-Saint-Laurent on the real boundaries: merged codes and the portrait of region 01.
/// Expected figures checked with pandas on the same files (total 199,039 is the published census count).
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealCensusTests {
    static let result = PerBackend<(String, IndicatorImportReport)> { backend in
        let store = try backend.newStore("recensement")
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"),
                                     options: .init(level: .municipality), storePath: store)
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-mrc.geojson"), options: .init(level: .mrc), storePath: store)
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/qc-regions.geojson"), options: .init(level: .region), storePath: store)
        _ = try CoastlineImporter.run(file: try RealData.path("coastline/gshhg_f_stlawrence_L1.geojson"), storePath: store)
        _ = try CoastClassifier.run(storePath: store)
        let r = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                          options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        return (store, r)
    }

    @Test(arguments: Backend.available) func mergedCodesAreReported(_ backend: Backend) throws {
        let (store, r) = try Self.result.get(backend)
        #expect(r.join.rows == 128)
        #expect(r.join.merged.map(\.newCode) == ["13062", "14082"])
        #expect(r.join.merged.map(\.oldCodes) == [["11020", "13060"], ["14080", "14085", "14090"]])
        #expect(r.join.unmatched.isEmpty)
        #expect(r.join.withoutValue.map(\.code) == ["12802", "12804"])   // the two reserves are not in the extract
        let s = try Stores.open(store)
        let pop = try s.indicatorValues("population", vintage: 2021)
        #expect(pop["13062"] == .value(76 + 495) && pop["14082"] == .value(522 + 4078 + 1597))
        let income = try s.indicatorValues("revenu_median_menage", vintage: 2021)
        // Saint-Guy's is suppressed: the merged median is suppressed too, never Lac-des-Aigles' alone.
        #expect(income["13062"] == .suppressed)
        // La Pocatière's median income is no mean of its three former parts' medians: left without a value, and said.
        #expect(income["14082"]?.number == nil)
        #expect(r.join.merged.last?.notes.contains { $0.hasPrefix("revenu_median_menage : une médiane ne se calcule pas") } == true)
        #expect(income["07005"] == .suppressed)        // empty cells of this extract are suppressed values
        #expect(r.join.suppressed["revenu_median_menage"] == 29)
    }

    @Test(arguments: Backend.available) func portraitOfRegion01(_ backend: Backend) throws {
        let (store, _) = try Self.result.get(backend)
        let p = try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("01")))
        #expect(p.territory.name == "Bas-Saint-Laurent" && !p.fictional)
        #expect(p.populationTotal == 199_039)
        #expect(p.mrcCount == 8 && p.municipalityCount == 111 && p.tnoCount == 14 && p.reserveCount == 2 && p.aquaticCount == 5)
        #expect(p.towns5000Plus.count == 7)
        #expect(p.towns5000Plus.names.prefix(3) == ["Rimouski", "Rivière-du-Loup", "Matane"])
        #expect(abs(p.towns5000Plus.populationShare! - 0.535945) < 1e-6)
        #expect(abs(p.under3000PopulationShare! - 0.392888) < 1e-6)
        let l = try #require(p.littoral?.portrait), i = try #require(p.interieur?.portrait)
        #expect(l.count == 27 && l.population == 119_073)
        #expect(i.count == 84 && i.population == 79_966)
        #expect(p.mrc?.count == 8)
        #expect(p.mrc?.first { $0.territory.code == "10" }?.populationTotal == 57_191)
        #expect(p.missing.withoutPopulation.map(\.code) == ["12802", "12804"])
        let md = PortraitDocument(p).markdown
        #expect(md.contains("199 039 habitants") && md.contains("| Rimouski-Neigette (10) |"))
    }
}

/// Services, gaps, 2SFCA and mobilisations on the real Bas-Saint-Laurent files, exported as GeoJSON.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealServicesTests {
    static let store = PerBackend<String> { backend in
        let (store, _) = try RealCensusTests.result.get(backend)
        _ = try ServiceImporter.run(file: try RealData.path("services/bsl_ecoles_publiques_meq.geojson"), category: "ecole",
                                    preset: .meqSchools, vintage: 2022, storePath: store)
        _ = try ServiceImporter.run(file: try RealData.path("services/qc_installations_sante_odhf.csv"), category: "sante",
                                    preset: .odhf, storePath: store)
        _ = try MobilisationImporter.run(file: try RealData.path("mobilisations/mobilisations_seeds.csv"),
                                         targets: try RealData.path("mobilisations/mauricie_cibles_2024_2028.csv"), storePath: store)
        return store
    }

    @Test(arguments: Backend.available) func schoolsAndHealthImportReportEverything(_ backend: Backend) throws {
        let s = try Stores.open(try Self.store.get(backend))
        #expect(try s.services(category: "sante").count == 1_534)          // the MSSS rows
        let schools = try s.services(category: "ecole")
        #expect(schools.count > 150 && schools.count < 266)                // one per building
        // La Pocatière's schools carry the old code 14085, carried onto 14082.
        #expect(schools.contains { $0.municipalityCode == "14082" })
    }

    @Test(arguments: Backend.available) func accessGapsAndTwoStep(_ backend: Backend) throws {
        let g = try GapAnalysis.run(storePath: try Self.store.get(backend), territory: try .region("01"), category: "sante", maxKm: 15,
                                    need: "revenu_median_menage")
        #expect(g.municipalities.count == 127)
        // Same 37 units as geopandas' sjoin_nearest (benchmarks/services.sh).
        #expect(g.gaps.count == 37)
        #expect(g.municipalities.allSatisfy { $0.twoStepScore != nil })
        // Priorities by people affected: the list starts with inhabited municipalities (it started with
        // Ruisseau-des-Mineurs, 5 inhabitants), priorities never increase while known, the uninhabited come last.
        let first = try #require(g.gaps.first)
        #expect((first.population ?? 0) >= 500, "\(first.name) \(first.population ?? -1)")
        let known = g.gaps.prefix { ($0.population ?? 0) > 0 && $0.priority != nil }.compactMap(\.priority)
        #expect(known == known.sorted(by: >) && known.count >= 20)
        if let firstEmpty = g.gaps.firstIndex(where: { $0.population == 0 }) {
            #expect(g.gaps[firstEmpty...].allSatisfy { $0.population == 0 })
        }
        let saintFabien = try #require(g.gaps.firstIndex { $0.code == "10070" })
        #expect(saintFabien < 5, "Saint-Fabien (1,834 inhabitants, 27 km) is ranked \(saintFabien + 1)")
        let e = try GapAnalysis.run(storePath: try Self.store.get(backend), territory: try .region("01"), category: "ecole", maxKm: 15)
        #expect(e.gaps.count < g.gaps.count)
    }

    @Test(arguments: Backend.available) func inhabitedPlacesBringDistancesToWherePeopleLive(_ backend: Backend) throws {
        // A copy of the store (`store copy`), so that the other tests keep polygon points.
        let copy = try backend.newStore("lieux")
        _ = try StoreCopy.run(from: try Self.store.get(backend), to: copy)
        let before = try GapAnalysis.run(storePath: copy, territory: try .region("01"), category: "sante", maxKm: 15)
        // Rimouski's polygon point lies in the estuary, part of the municipality in the SDA.
        #expect((before.municipalities.first { $0.code == "10043" }?.nearestKm ?? 0) > 5)
        let r = try PlacesImporter.run(file: try RealData.path("boundaries/qc_lieux_habites_points.geojson"), storePath: copy)
        #expect(r.kept > 100 && r.kept + r.outsideTerritory == 1_664)
        let after = try GapAnalysis.run(storePath: copy, territory: try .region("01"), category: "sante", maxKm: 15)
        #expect((after.municipalities.first { $0.code == "10043" }?.nearestKm ?? 99) < 3)   // Rimouski has its hospital
        #expect(after.gaps.count < before.gaps.count)
    }

    @Test(arguments: Backend.available, GeoJSONExport.Layer.allCases)
    func exportsOgrinfoReads(_ backend: Backend, _ layer: GeoJSONExport.Layer) throws {
        if layer == .serviceAreas {
            // The real dataset has no road network: refused, with the way to import one (RoadStoreTests export them).
            #expect { try GeoJSONExport.export(layer, storePath: try Self.store.get(backend), options: .init(territory: try .region("01"), category: "sante")) } throws: {
                "\($0)".contains("portrait import roads") && ErrorKind.of($0) == .notFound
            }
            return
        }
        let fc = try GeoJSONExport.export(layer, storePath: try Self.store.get(backend),
                                          options: .init(territory: try .region("01"), simplifyMetres: 100, radiusKm: 15, category: "sante"))
        let path = tempDir() + "/\(layer.rawValue).geojson"
        try GeoJSONWriter().string(fc).write(toFile: path, atomically: true, encoding: .utf8)
        let read = try VectorSource.read(path: path)
        #expect(read.features.count == fc.features.count)
        for f in fc.features {
            guard let g = f.geometry else { continue }
            try g.checkStructure()
            for p in g.polygons { #expect(p.rings.first!.signedDoubleArea != 0) }
        }
        if layer == .municipalities {
            #expect(fc.features.allSatisfy { $0["nearest_ecole_km"] != nil && $0["nearest_sante_km"] != nil && $0["count_sante_within_15km"] != nil })
        }
        if layer == .mobilisations {
            // COSMOSS and its local committee cover every BSL municipality: two tables at least.
            #expect(fc.features.filter { $0["kind"] == .string("couverture") }.allSatisfy {
                if case .int(let n)? = $0["table_count"] { return n >= 2 } else { return false }
            })
        }
    }
}
