import Foundation
import PortraitFeatures
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitRender
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The same real Bas-Saint-Laurent imports (boundaries, shoreline, coast split, census, schools, health,
/// mobilisations) in a GeoPackage and in PostgreSQL/PostGIS give the same answers, byte for byte: store
/// summary, portraits, gaps, every GeoJSON export, box queries.
@Suite(.enabled(if: RealData.shouldRun && TestPostgres.shouldRun, "données réelles ou PostgreSQL absents (hors CI, test ignoré)"), .serialized)
struct BackendParityTests {
    static func stores() throws -> (gpkg: String, pg: String) {
        (try RealServicesTests.store.get(.geopackage), try RealServicesTests.store.get(.postgis))
    }

    /// JSON without what differs by nature: the store's location and the import times.
    static func comparable(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: #""imported_at" *: *"[^"]*""#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""store" *: *"[^"]*""#, with: "", options: .regularExpression)
    }

    @Test func storeSummary() throws {
        let (a, b) = try Self.stores()
        let ia = try JSONEncoder.stable.encode(try StoreInfo.read(storePath: a))
        let ib = try JSONEncoder.stable.encode(try StoreInfo.read(storePath: b))
        #expect(Self.comparable(ia) == Self.comparable(ib))
        #expect(try Stores.open(b).count(.municipality) == 132)
    }

    @Test(arguments: [try! Territory.region("01"), try! Territory.mrc("10"), try! Territory.mrc("07"), try! Territory.municipality("10070"),
                      Territory.all, try! Territory.codes("10070,10060,07047")])
    func portraits(_ t: Territory) throws {
        let (a, b) = try Self.stores()
        let pa = try JSONEncoder.stable.encode(try PortraitBuilder.build(storePath: a, options: .init(territory: t)))
        let pb = try JSONEncoder.stable.encode(try PortraitBuilder.build(storePath: b, options: .init(territory: t)))
        #expect(pa.count > 1000)
        #expect(Self.comparable(pa) == Self.comparable(pb))
    }

    /// Custom territories on both backends; on PostgreSQL, in a database made before their table existed
    /// (dropped here): the first write makes it.
    @Test func customTerritoriesGiveTheSamePortraits() throws {
        let (a, b) = try Self.stores()
        _ = try TestPostgres.psql(b, "DROP TABLE IF EXISTS custom_territories; DELETE FROM portrait_layers WHERE name = 'custom_territories'")
        #expect(try Stores.open(b).customTerritories().isEmpty)
        let file = try write("nom;codes\nHaut-Pays de la Neigette;10005 10010 10015 10025 10075\nEst;07047,07057\n", "territoires.csv", in: tempDir())
        for s in [a, b] { _ = try TerritoriesImporter.run(file: file, storePath: s) }
        #expect(try Stores.open(b).customTerritories().map(\.id) == ["est", "haut-pays-de-la-neigette"])
        for name in ["Haut-Pays de la Neigette", "est"] {
            let t = try Territory.custom(name)
            let pa = try JSONEncoder.stable.encode(try PortraitBuilder.build(storePath: a, options: .init(territory: t)))
            let pb = try JSONEncoder.stable.encode(try PortraitBuilder.build(storePath: b, options: .init(territory: t)))
            #expect(Self.comparable(pa) == Self.comparable(pb))
            let services = (try Stores.open(a).services(category: nil, in: t)).map(\.name)
            #expect(services == (try Stores.open(b).services(category: nil, in: t)).map(\.name))
        }
        #expect(try Stores.open(b).services(category: "ecole", in: try .custom("est")).count > 0)
    }

    @Test(arguments: ["sante", "ecole"])
    func gaps(_ category: String) throws {
        let (a, b) = try Self.stores()
        let ga = try GapAnalysis.run(storePath: a, territory: try .region("01"), category: category, maxKm: 15, need: "revenu_median_menage")
        let gb = try GapAnalysis.run(storePath: b, territory: try .region("01"), category: category, maxKm: 15, need: "revenu_median_menage")
        #expect(!ga.gaps.isEmpty)
        #expect(try JSONEncoder.stable.encode(ga) == JSONEncoder.stable.encode(gb))
    }

    @Test(arguments: GeoJSONExport.Layer.allCases)
    func exports(_ layer: GeoJSONExport.Layer) throws {
        let (a, b) = try Self.stores()
        let o = GeoJSONExport.Options(territory: try .region("01"), simplifyMetres: 100, radiusKm: 15, category: "sante")
        if layer == .serviceAreas {
            // These stores have no road network: both refuse alike (RoadStoreTests compares the areas of both backends).
            for s in [a, b] {
                #expect { try GeoJSONExport.export(layer, storePath: s, options: o) } throws: { "\($0)".contains("portrait import roads") }
            }
            return
        }
        let ea = try GeoJSONWriter().string(try GeoJSONExport.export(layer, storePath: a, options: o))
        let eb = try GeoJSONWriter().string(try GeoJSONExport.export(layer, storePath: b, options: o))
        #expect(ea.count > 100)
        #expect(ea == eb)
    }

    /// The OGC API collections and the layer and styles QGIS opens are the same on both backends.
    @Test func featureCollectionsAndQGISStyles() throws {
        let (a, b) = try Self.stores()
        let sa = try Stores.open(a, writable: true), sb = try Stores.open(b, writable: true)
        for c in try FeatureCollections.list(store: sa) {
            let fa = try FeatureCollections.features(c, store: sa, radiusKm: 15), fb = try FeatureCollections.features(c, store: sb, radiusKm: 15)
            #expect(fa.count > 0 && GeoJSONWriter().string(FeatureCollection(fa)) == GeoJSONWriter().string(FeatureCollection(fb)), "\(c.id)")
        }
        #expect(try FeatureCollections.list(store: sa).map(\.id) == FeatureCollections.list(store: sb).map(\.id))
        let styles = projectRoot + "/styles"
        let ra = try #require(try GISLayers.refresh(store: sa, stylesDirectory: styles))
        let rb = try #require(try GISLayers.refresh(store: sb, stylesDirectory: styles))
        #expect(ra.features == rb.features && ra.styles == rb.styles && ra.styles.count >= 6)
        let la = try sa.layerStyles(), lb = try sb.layerStyles()
        #expect(la.map(\.name) == lb.map(\.name) && la.map(\.isDefault) == lb.map(\.isDefault) && la.map(\.table) == lb.map(\.table))
        // PostgreSQL keeps the documents as xml: the same renderer, whatever it does to the prologue.
        for (x, y) in zip(la, lb) {
            let renderer = { (q: String) in q.range(of: "<renderer-v2").map { String(q[$0.lowerBound...]) } ?? "" }
            #expect(!renderer(x.qml).isEmpty && renderer(x.qml).filter { !$0.isWhitespace } == renderer(y.qml).filter { !$0.isWhitespace }, "\(x.name)")
        }
        // Refreshed again: the same, not twice.
        _ = try GISLayers.refresh(store: sb, stylesDirectory: styles)
        #expect(try sb.layerStyles().count == lb.count)
    }

    /// Box queries (R-tree in the GeoPackage, GiST and the kept envelopes in PostGIS) return the same rows.
    @Test func boxQueries() throws {
        let (a, b) = try Self.stores()
        let sa = try Stores.open(a), sb = try Stores.open(b)
        for box in [BBox(minX: -68.6, minY: 48.3, maxX: -68.4, maxY: 48.5), BBox(minX: -70, minY: 47, maxX: -66, maxY: 49.5),
                    BBox(minX: -69.55, minY: 47.8, maxX: -69.5, maxY: 47.85)] {
            #expect(try sa.units(.municipality, intersecting: box).map(\.value.code) == sb.units(.municipality, intersecting: box).map(\.value.code))
            #expect(try sa.services(intersecting: box).map(\.value) == sb.services(intersecting: box).map(\.value))
            #expect(try sa.coastline(intersecting: box).count == sb.coastline(intersecting: box).count)
        }
        for layer in StoreLayer.allCases { #expect(try sa.extent(layer) == sb.extent(layer), "\(layer)") }
    }
}
