import Foundation
import PortraitDemo
import PortraitGeometry
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// Derived state kept true: a boundary or shoreline import redoes the coast classification, and `info`
/// names what an import left stale.
struct DerivedStateTests {
    @Test func reimportingALayerKeepsItsCoastClasses() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: store)
        let before = try StoreInfo.read(storePath: store).coast
        #expect(before.mrc.littoral + before.mrc.interieur == 3)
        let files = try DemoTerritory.write(to: dir)
        let mrcFile = try #require(files.first { $0.hasSuffix("demo_mrc.geojson") })
        let r = try BoundaryImporter.run(file: mrcFile, options: .init(level: .mrc), storePath: store, demo: true)
        // Redone in the same transaction, with the stored distance, and said so.
        #expect(r.coast?.distanceM == 300 && r.coast?.mrc == before.mrc)
        let after = try StoreInfo.read(storePath: store)
        #expect(after.coast.classified && after.coast.unclassified.isEmpty && after.coast.mrc == before.mrc)
        #expect(after.coast.municipalities == before.municipalities)
        // The portrait still splits coast and inland.
        #expect(try PortraitBuilder.build(storePath: store, options: .init(territory: try .region("99"))).littoral != nil)
        // A new shoreline redoes it too.
        let coastFile = try #require(files.first { $0.hasSuffix("demo_trait_de_cote.geojson") })
        #expect(try CoastlineImporter.run(file: coastFile, storePath: store).coast?.municipalities == before.municipalities)
    }

    @Test func aStoreNeverClassifiedIsNotClassifiedByAnImport() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        let files = try DemoTerritory.write(to: dir)
        let r = try BoundaryImporter.run(file: try #require(files.first { $0.hasSuffix("demo_mrc.geojson") }), options: .init(level: .mrc),
                                         storePath: store, demo: true)
        #expect(r.coast == nil)
        let info = try StoreInfo.read(storePath: store)
        #expect(!info.coast.classified && info.text().contains("non classé"))
    }

    /// An indicator joined before boundaries that bring new codes is named stale, until imported again.
    @Test func joinsMadeBeforeNewCodesAreStale() throws {
        let dir = tempDir()
        let store = dir + "/demo.gpkg"
        let files = try DemoTerritory.write(to: dir)
        let muni = try #require(files.first { $0.hasSuffix("demo_municipalites.geojson") })
        // The municipal layer without 91005 first, then the indicator, then the full layer (91005 new).
        var fc = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: muni))) as! [String: Any]
        fc["features"] = (fc["features"] as! [[String: Any]]).filter { f in
            !((f["properties"] as? [String: Any]) ?? [:]).values.contains { "\($0)" == "91005" }
        }
        let cut = dir + "/sans_91005.geojson"
        try JSONSerialization.data(withJSONObject: fc).write(to: URL(fileURLWithPath: cut))
        _ = try BoundaryImporter.run(file: cut, options: .init(level: .municipality), storePath: store, demo: true)
        let pop = try write("code,population\n91005,10\n91010,20\n", "synthetique_pop.csv", in: dir)
        let options = IndicatorImportOptions(indicator: "population", vintage: 2021, valueFields: ["population"], kind: .count)
        _ = try IndicatorImporter.run(file: pop, options: options, storePath: store)
        #expect(try StoreInfo.read(storePath: store).staleJoins.isEmpty)
        let full = try BoundaryImporter.run(file: muni, options: .init(level: .municipality), storePath: store, demo: true)
        #expect(full.log.inserted == 1)
        let info = try StoreInfo.read(storePath: store)
        #expect(info.staleJoins == ["population": try #require(full.log.id)])
        #expect(info.text().contains("Indicateur population : joint avant l'importation"))
        _ = try IndicatorImporter.run(file: pop, options: options, storePath: store)
        #expect(try StoreInfo.read(storePath: store).staleJoins.isEmpty)
    }
}
