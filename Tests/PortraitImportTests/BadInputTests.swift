import Foundation
import PortraitDemo
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Every bad input gets a one-line error naming the file (and the feature
/// and field when it is about one), and leaves the store byte-for-byte as it was.
@Suite struct BadInputTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("store.gpkg")
        _ = try DemoTerritory.load(storePath: store)
    }

    func expectRejected(_ kind: ImportError.Reason, file: String, level: Level = .municipality, preset: BoundaryPreset = .sda,
                        fields: [String: String] = [:], contains needles: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let before = fingerprint(store)
        do {
            _ = try BoundaryImporter.run(file: file, options: .init(level: level, preset: preset, fieldOverrides: fields), storePath: store)
            Issue.record("import accepted a bad file", sourceLocation: sourceLocation)
        } catch let e as ImportError {
            #expect(e.reason == kind, "\(e)", sourceLocation: sourceLocation)
            #expect(e.description.contains(file), sourceLocation: sourceLocation)
            #expect(!e.description.contains("\n"), sourceLocation: sourceLocation)
            for n in needles { #expect(e.description.contains(n), "« \(n) » absent de : \(e)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("wrong error type: \(error)", sourceLocation: sourceLocation)
        }
        #expect(fingerprint(store) == before, "the store changed", sourceLocation: sourceLocation)
    }

    @Test func missingFile() {
        expectRejected(.fileNotFound, file: dir + "/nowhere.geojson", contains: ["introuvable"])
    }

    @Test func notAGeoFile() throws {
        let f = try write("ceci n'est pas de la géographie\n\u{0}\u{1}", "notes.geojson", in: dir)
        expectRejected(.notAGeoFile, file: f)
    }

    @Test func emptyLayer() throws {
        let f = try write(collection([]), "vide.geojson", in: dir)
        expectRejected(.emptyLayer, file: f, contains: ["vide"])
    }

    @Test func noCRSAndNoCRSOption() throws {
        // A CSV with a WKT column: GDAL reads the geometry but no CRS.
        let f = try write("MUS_CO_GEO,MUS_NM_MUN,WKT\n10043,Rimouski,\"POLYGON ((-68.6 48.4,-68.4 48.4,-68.4 48.5,-68.6 48.4))\"\n", "sans_scr.csv", in: dir)
        expectRejected(.missingCRS, file: f, contains: ["--crs"])
    }

    @Test func unknownPresetField() throws {
        let f = try write(collection([#"{"type":"Feature","properties":{"CODE":"10043","NOM":"Rimouski"},"geometry":{"type":"Polygon","coordinates":[\#(ring(-68.6, 48.4))]}}"#]),
                          "autres_champs.geojson", in: dir)
        expectRejected(.unknownField, file: f, contains: ["MUS_CO_GEO", "CODE, NOM"])
        expectRejected(.unknownField, file: f, preset: .custom, fields: ["code": "CODE", "name": "NAME"], contains: ["NAME", "CODE, NOM"])
        expectRejected(.unknownRole, file: f, preset: .custom, fields: ["code": "CODE", "nom": "NOM"], contains: ["nom"])
    }

    @Test func duplicateCodesWithConflictingNames() throws {
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4)),
                                      sdaFeature("10043", "Matane", ring: ring(-68.4, 48.4))]), "doublons.geojson", in: dir)
        expectRejected(.conflictingDuplicate, file: f, contains: ["10043", "Rimouski", "Matane", "entité 1", "entité 2"])
    }

    @Test func unclosedRing() throws {
        let open = "[[-68.6,48.4],[-68.5,48.4],[-68.5,48.5],[-68.6,48.5]]"
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.3, 48.4)),
                                      sdaFeature("10070", "Saint-Fabien", ring: open)]), "ouvert.geojson", in: dir)
        expectRejected(.invalidGeometry, file: f, contains: ["entité 2 (code 10070)", "non fermé"])
    }

    @Test func tooShortRing() throws {
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: "[[-68.6,48.4],[-68.5,48.4],[-68.6,48.4]]")]),
                          "court.geojson", in: dir)
        expectRejected(.invalidGeometry, file: f, contains: ["entité 1 (code 10043)", "trop court"])
    }

    @Test func nonNumericCode() throws {
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4)),
                                      sdaFeature("1OO7O", "Saint-Fabien", ring: ring(-68.4, 48.4))]), "lettres.geojson", in: dir)
        expectRejected(.nonNumericCode, file: f, contains: ["entité 2", "MUS_CO_GEO", "1OO7O"])
    }

    @Test func layerOutsideQuebec() throws {
        // Swapped axes: latitude written as longitude.
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(48.4, -68.6))]), "inverse.geojson", in: dir)
        expectRejected(.outsideQuebec, file: f, contains: ["ne recouvre pas le Québec"])
    }

    @Test func wrongGeometryType() throws {
        let f = try write(collection([#"{"type":"Feature","properties":{"MUS_CO_GEO":"10043","MUS_NM_MUN":"Rimouski"},"geometry":{"type":"Point","coordinates":[-68.5,48.4]}}"#]),
                          "points.geojson", in: dir)
        expectRejected(.wrongGeometryType, file: f, contains: ["Point"])
    }

    @Test func failureNeverCreatesAStore() throws {
        let fresh = (dir as NSString).appendingPathComponent("jamais.gpkg")
        let f = try write(collection([]), "vide2.geojson", in: dir)
        #expect(throws: ImportError.self) {
            try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: fresh)
        }
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func failureWhileWritingRollsBack() throws {
        // A trigger that aborts on the second unit: the first must not stay.
        let gp = try GeoPackage(path: store)
        try gp.db.execute("CREATE TRIGGER refuse AFTER INSERT ON municipalities WHEN NEW.code = '10070' BEGIN SELECT RAISE(ABORT, 'refusé pour le test'); END;")
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4)),
                                      sdaFeature("10070", "Saint-Fabien", ring: ring(-68.4, 48.4))]), "ok.geojson", in: dir)
        let before = try GeoPackageStore(openExisting: store).units(.municipality, withGeometry: false).map(\.code)
        let imports = try GeoPackageStore(openExisting: store).imports(limit: 100).count
        #expect(throws: StoreError.self) {
            try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: store)
        }
        let s = try GeoPackageStore(openExisting: store)
        #expect(try s.units(.municipality, withGeometry: false).map(\.code) == before)
        #expect(try s.imports(limit: 100).count == imports)
    }

    @Test func classifyWithoutCoastline() throws {
        let fresh = (dir as NSString).appendingPathComponent("sans_cote.gpkg")
        let f = try write(collection([sdaFeature("10043", "Rimouski", ring: ring(-68.6, 48.4))]), "un.geojson", in: dir)
        _ = try BoundaryImporter.run(file: f, options: .init(level: .municipality), storePath: fresh)
        let before = fingerprint(fresh)
        #expect { try CoastClassifier.run(storePath: fresh) } throws: {
            ($0 as? TerritoryError)?.kind == .notFound && "\($0)".contains("aucun trait de côte")
        }
        #expect(fingerprint(fresh) == before)
    }
}
