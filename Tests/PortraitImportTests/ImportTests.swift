import Foundation
import PortraitDemo
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitSpatial
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

struct CodesTests {
    @Test func normalisation() throws {
        #expect(try Codes.municipal("7005") == "07005")
        #expect(try Codes.municipal(" 10043 ") == "10043")
        #expect(try Codes.mrc("7") == "07")
        #expect(try Codes.mrc("007") == "07")
        #expect(try Codes.mrc("371") == "371")
        #expect(try Codes.region("1") == "01")
        #expect(try Codes.fromCSDUID("2410043") == "10043")
        #expect(try Codes.fromCDUID("2410") == "10")
        #expect(throws: Codes.Problem.wrongProvince("35")) { try Codes.fromCSDUID("3520005") }
        #expect(throws: Codes.Problem.notNumeric) { try Codes.municipal("1OO43") }
        #expect(throws: Codes.Problem.tooLong(max: 5)) { try Codes.municipal("123456") }
    }
}

struct ImportTests {
    let dir = tempDir()
    var store: String { (dir as NSString).appendingPathComponent("s.gpkg") }

    @Test func sameCodeFeaturesAreDissolved() throws {
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4)),
                                      sdaFeature("10043", "RIMOUSKI", ring: ring(-68.5, 48.4))]), "d.geojson", in: dir)
        let r = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        #expect(r.log.units == 1 && r.log.dissolved == 1 && r.log.featuresRead == 2)
        let u = try #require(try GeoPackageStore(openExisting: store).unit(.municipality, code: "10043"))
        #expect(u.geometry.polygons.count == 1)
        // 0.2° × 0.1° at 48.4 N ≈ 14.8 km × 11.1 km.
        #expect(abs(u.areaKm2 - 164.4) < 2)
    }

    @Test func invalidGeometryIsRepairedAndCounted() throws {
        let bowtie = "[[-68.6,48.4],[-68.4,48.6],[-68.4,48.4],[-68.6,48.6],[-68.6,48.4]]"
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: bowtie)]), "b.geojson", in: dir)
        let r = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        #expect(r.log.repaired == 1)
        let u = try #require(try GeoPackageStore(openExisting: store).unit(.municipality, code: "10043"))
        #expect(try Geometry.multiPolygon(u.geometry).isValid())
        #expect(u.geometry.polygons.count == 2)
    }

    @Test func reimportReplacesByCode() throws {
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4))]), "r.geojson", in: dir)
        _ = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        let r = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        #expect(r.log.inserted == 0 && r.log.replaced == 1)
        #expect(try GeoPackageStore(openExisting: store).count(.municipality) == 1)
        let log = try GeoPackageStore(openExisting: store).imports()
        #expect(log.count == 2)
        #expect(log[0].sha256 == fingerprint(f))
    }

    /// Statistics Canada layout in its own projection (EPSG:3347, Statistics
    /// Canada Lambert), with one Ontario subdivision that must be skipped. Synthetic.
    @Test func statcanPresetReprojectsAndFilters() throws {
        let lambert = Projection(from: .wgs84, to: CRS("EPSG:3347"))
        func projRing(_ x: Double, _ y: Double) throws -> String {
            let pts = try lambert([Position(x, y), Position(x + 0.1, y), Position(x + 0.1, y + 0.1), Position(x, y + 0.1), Position(x, y)])
            return "[" + pts.map { "[\($0.x),\($0.y)]" }.joined(separator: ",") + "]"
        }
        func csd(_ uid: String, _ name: String, _ type: String, _ cd: String, _ pr: String, _ r: String) -> String {
            #"{"type":"Feature","properties":{"CSDUID":"\#(uid)","CSDNAME":"\#(name)","CSDTYPE":"\#(type)","CDUID":"\#(cd)","PRUID":"\#(pr)"},"geometry":{"type":"Polygon","coordinates":[\#(r)]}}"#
        }
        let f = try write(collection([
            csd("2410043", "Rimouski", "V", "2410", "24", try projRing(-68.6, 48.4)),
            csd("2410070", "Saint-Fabien", "PE", "2410", "24", try projRing(-68.8, 48.3)),
            csd("3520005", "Toronto", "C", "3520", "35", try projRing(-79.4, 43.7)),
        ], crs: "urn:ogc:def:crs:EPSG::3347"), "csd_synthetique.geojson", in: dir)
        let r = try BoundaryImporter.run(file: f, options: .init(level: .municipality, preset: .statcan), storePath: store)
        #expect(r.log.units == 2)
        #expect(r.log.warnings.contains { $0.contains("hors Québec") })
        let s = try GeoPackageStore(openExisting: store)
        let rim = try #require(try s.unit(.municipality, code: "10043"))
        #expect(rim.mrcCode == "10" && rim.designation == "V")
        #expect(try s.unit(.municipality, code: "10070")?.designation == "P")
        let b = try #require(Geometry.multiPolygon(rim.geometry).bbox)
        #expect(abs(b.minX - -68.6) < 1e-6 && abs(b.minY - 48.4) < 1e-6)
    }

    @Test func customPresetAndContainmentFallback() throws {
        // MRC layer first, then municipalities with no parent fields: parents come from containment.
        let mrc = try write(collection([#"{"type":"Feature","properties":{"MRS_CO_MRC":"10","MRS_NM_MRC":"Rimouski-Neigette","MRS_CO_REG":"01"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-69, 48, 1))]}}"#]),
                            "mrc.geojson", in: dir)
        _ = try BoundaryImporter.run(file: mrc, options: .init(level: .mrc), storePath: store)
        let m = try write(collection([#"{"type":"Feature","properties":{"no":"10043","nom":"Rimouski"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-68.6, 48.4))]}}"#]),
                          "mun.geojson", in: dir)
        let r = try BoundaryImporter.run(file: m, options: .init(level: .municipality, preset: .custom,
                                                                   fieldOverrides: ["code": "no", "name": "nom"]), storePath: store)
        // One containment lookup: the MRC found also gives the region code.
        #expect(r.hierarchy?.fromContainment == 1)
        let u = try #require(try GeoPackageStore(openExisting: store).unit(.municipality, code: "10043"))
        #expect(u.mrcCode == "10" && u.regionCode == "01")
    }

    @Test func missingCRSIsSuppliedWithOption() throws {
        let f = try write("code,nom,WKT\n10043,Rimouski,\"POLYGON ((-1500 494000,1500 494000,1500 496000,-1500 496000,-1500 494000))\"\n",
                          "lambert.csv", in: dir)
        let r = try BoundaryImporter.run(file: f, options: .init(level: .municipality, preset: .custom,
                                                                   fieldOverrides: ["code": "code", "name": "nom"], crs: "EPSG:32198"),
                                         storePath: store)
        #expect(r.log.units == 1)
        let u = try #require(try GeoPackageStore(openExisting: store).unit(.municipality, code: "10043"))
        #expect(abs(u.areaKm2 - 6.0) < 0.01)
    }
}

struct DemoTests {
    @Test func committedDemoFilesMatchTheGenerator() throws {
        let dir = tempDir()
        let fresh = try DemoTerritory.write(to: dir)
        for p in fresh {
            let committed = projectRoot + "/geodata/demo/" + (p as NSString).lastPathComponent
            #expect(fingerprint(committed) == fingerprint(p), "\(committed) is stale: run `portrait demo write`")
        }
    }

    @Test func demoLoadsAndSplitsCoastAndInland() throws {
        let store = tempDir() + "/demo.gpkg"
        let r = try DemoTerritory.load(storePath: store)
        // Eight shore municipalities (the top row of the grid), 16 inland, three aquatic TNO.
        #expect(r.municipalities == CoastCounts(littoral: 8, interieur: 16, aquatic: 3))
        #expect(r.mrc.littoral == 3 && r.regions.littoral == 1)
        let info = try StoreInfo.read(storePath: store)
        #expect(info.demo)
        #expect(info.municipalities.municipalities == 22 && info.municipalities.tno == 2 && info.municipalities.aquatic == 3)
        #expect(info.text().contains("FICTIF"))
        // The second row lies 9 to 22 km from the wavy shore, the third beyond 27 km.
        let wide = try CoastClassifier.run(storePath: store, distanceM: 25_000)
        #expect(wide.municipalities.littoral == 16)
    }
}
