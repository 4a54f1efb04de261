import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Testing

/// Over HTTP, a store with a road network (the real Bas-Saint-Laurent boundaries, services and census, and the
/// SYNTHETIC shore network): every answer about access says minutes and names the network; the service areas are a
/// GeoJSON layer, an OGC API collection and a map; a store without a network says « à vol d'oiseau ».
@Suite(.serialized) struct RoadRoutesTests {
    static let store: Result<String, any Error> = Result {
        let s = try ShippedBSL.load(into: tempDir("portrait-routes-roads") + "/bsl.gpkg")
        var o = RoadReadOptions()
        o.classField = "classe"; o.speeds = .aqreseau
        _ = try RoadImporter.run(file: ShippedBSL.directory + "/synthetique/reseau_rives_SYNTHETIQUE.geojson", options: o, vintage: 2026, storePath: s)
        return s
    }

    static func app(_ store: String) -> some ApplicationProtocol {
        buildApplication(ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                                       tilesDirectory: (store as NSString).deletingLastPathComponent + "/tiles",
                                       webDirectory: root + "/web", logLevel: .warning))
    }

    static let network = "reseau_rives_SYNTHETIQUE.geojson, 2026"

    @Test func accessIsInMinutesAndNamesTheNetwork() async throws {
        try await Self.app(try Self.store.get()).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                let j = try json(r.body) as? [String: Any]
                #expect(j?["roads"] as? String == Self.network)
            }
            try await client.execute(uri: "/gaps?region=01&category=sante&max_min=20", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["measure"] as? String == "temps de parcours par la route (réseau : \(Self.network))" && j["max_minutes"] as? Double == 20)
            }
            try await client.execute(uri: "/geojson/gaps?region=01&category=sante&max_min=20", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let zone = try #require((j["features"] as? [[String: Any]])?.first { ($0["properties"] as? [String: Any])?["kind"] as? String == "zone_sans_service" })
                #expect((zone["properties"] as? [String: Any])?["label"] as? String == "Plus de 20 min par la route de tout service « sante »")
            }
            try await client.execute(uri: "/geojson/service_areas?mrc=10&category=sante&minutes=15,45", method: .get) { r in
                #expect(r.status == .ok)
                let ids = ((try json(r.body) as? [String: Any])?["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(!ids.isEmpty && Set(ids).isSubset(of: ["15min", "45min", "au-dela"]), "\(ids)")
            }
            for bad in ["minutes=0", "minutes=10,10", "minutes=abc", "minutes=1,2,3,4,5,6,7", "minutes=601"] {
                try await client.execute(uri: "/geojson/service_areas?mrc=10&category=sante&" + bad, method: .get) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            try await client.execute(uri: "/collections/service-areas-sante/items?limit=10", method: .get) { r in
                #expect(r.status == .ok)
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(((j["features"] as? [[String: Any]])?.count ?? 0) >= 2)
            }
            try await client.execute(uri: "/maps/region/01.svg?style=aires-service&category=sante", method: .get) { r in
                let svg = String(buffer: r.body)
                #expect(r.status == .ok && svg.contains("aire-de-service") && svg.contains("réseau : \(Self.network)"))
            }
            try await client.execute(uri: "/portrait/municipality/10043?format=json", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let sante = try #require((j["services"] as? [[String: Any]])?.first { $0["category"] as? String == "sante" })
                #expect((sante["road"] as? [String: Any])?["network"] as? String == Self.network)
                #expect(((sante["nearest"] as? [String: Any])?["minutes"] as? Double ?? 0) > 0)
                #expect((sante["sentence"] as? String)?.contains("par la route") == true)
            }
            try await client.execute(uri: "/portrait/region/01?format=csv&table=services", method: .get) { r in
                // Every row of the services table names its limit in minutes and the network.
                let lines = String(buffer: r.body).split(separator: "\r\n").dropFirst()
                #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(",20,min,\"temps de parcours par la route (réseau : \(Self.network))\"") }, "\(lines.prefix(2))")
                #expect(lines.contains { $0.contains("temps médian au plus proche par la route") })
            }
            try await client.execute(uri: "/portrait/region/01?format=html", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("Mesure : temps de parcours par la route (réseau : \(Self.network))") && !html.contains("Mesure : distance à vol d&#39;oiseau"))
            }
        }
    }

    /// Without a network: the straight line, said so; no service-area collection.
    @Test func withoutANetworkTheStraightLine() async throws {
        let s = try ShippedBSL.load(into: tempDir("portrait-routes-noroads") + "/bsl.gpkg")
        try await Self.app(s).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["roads"] == nil || j["roads"] is NSNull)
            }
            try await client.execute(uri: "/portrait/region/01?format=html", method: .get) { r in
                #expect(String(buffer: r.body).contains("Mesure : distance à vol d&#39;oiseau"))
            }
            try await client.execute(uri: "/collections/service-areas-sante", method: .get) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/geojson/service_areas?mrc=10&category=sante", method: .get) { r in
                #expect(r.status == .notFound && String(buffer: r.body).contains("portrait import roads"))
            }
        }
    }
}
