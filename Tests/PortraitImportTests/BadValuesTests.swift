import Foundation
import PortraitDemo
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// Values that files accepted before and deserve an error naming the file, the row and the column:
/// the store is left byte for byte as it was. Every file here is SYNTHETIC.
@Suite struct BadValuesTests {
    let dir = tempDir()
    let store: String

    init() throws {
        store = (dir as NSString).appendingPathComponent("store.gpkg")
        _ = try DemoTerritory.load(storePath: store)
    }

    func rejected(_ needles: [String], _ body: () throws -> Any, sourceLocation: SourceLocation = #_sourceLocation) {
        expectRefused(needles, store: store, sourceLocation: sourceLocation, body)
    }

    static let header = "id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source\n"

    @Test func aNegativePopulation() throws {
        let f = try write("code,population\n91005,1200\n91010,-35\n", "synthetique_pop_negative.csv", in: dir)
        rejected(["ligne 3", "population", "négatif"]) {
            try IndicatorImporter.run(file: f, options: .init(indicator: "population", vintage: 2021, valueFields: ["population"]), storePath: store)
        }
    }

    @Test func aMobilisationEndingBeforeItStarts() throws {
        let f = try write(Self.header + "a,Table A,,local,mrc,991,99,2020,2018,,habitation,,\n", "synthetique_mob_fin.csv", in: dir)
        rejected(["ligne 2 (a)", "fin 2018 avant le début 2020"]) { try MobilisationImporter.run(file: f, storePath: store) }
    }

    @Test func aNegativeBudget() throws {
        let f = try write(Self.header + "a,Table A,,local,mrc,991,99,2020,,,habitation,-5000,\n", "synthetique_mob_budget.csv", in: dir)
        rejected(["ligne 2 (a)", "budget_cad", "négatif"]) { try MobilisationImporter.run(file: f, storePath: store) }
    }

    @Test func theSameMobilisationIdTwice() throws {
        let f = try write(Self.header + "a,Table A,,local,mrc,991,99,2020,,,habitation,,\na,Table B,,local,mrc,992,99,2021,,,habitation,,\n",
                          "synthetique_mob_double.csv", in: dir)
        rejected(["ligne 3 (a)", "déjà donné à la ligne 2"]) { try MobilisationImporter.run(file: f, storePath: store) }
    }

    @Test func aServicesFileWithNoUsableRow() throws {
        let noCoordinates = try write("nom,adresse\nCLSC A,1 rue Fictive\n", "synthetique_sans_coordonnees.csv", in: dir)
        rejected(["aucun service utilisable", "inchangée"]) {
            try ServiceImporter.run(file: noCoordinates, category: "clsc", storePath: store)
        }
        let lines = try write("""
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Route"},"geometry":{"type":"LineString","coordinates":[[-67.5,49.3],[-67.4,49.3]]}}]}
        """, "synthetique_lignes.geojson", in: dir)
        rejected(["aucun service utilisable", "LineString"]) { try ServiceImporter.run(file: lines, category: "clsc", storePath: store) }
    }

    /// The custom preset finds a column literally called `name` (or `nom`) without `--field`.
    @Test func theCustomPresetSeesAFieldCalledName() throws {
        let f = try write("name,lat,lon\nCLSC fictif,49.33,-67.50\n", "synthetique_name.csv", in: dir)
        let r = try ServiceImporter.run(file: f, category: "clsc", storePath: store)
        #expect(r.kept == 1)
        #expect(try Stores.open(store).services(category: "clsc").first?.name == "CLSC fictif")
    }
}
