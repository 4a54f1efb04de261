import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import PortraitDemo
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The service on the fictional demo territory, with one synthetic CLSC and the demo mobilisations.
enum Fixture {
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-server")
        let s = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        try "nom,lat,lon\nCLSC fictif,49.33,-67.50\n".write(toFile: dir + "/clsc.csv", atomically: true, encoding: .utf8)
        _ = try ServiceImporter.run(file: dir + "/clsc.csv", category: "clsc", fields: ["name": "nom"], storePath: s)
        try """
        id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source
        99-table,Table régionale fictive,TRF,regional,region,99,99,2015,,Fictif,réussite éducative|habitation,,synthétique

        """.write(toFile: dir + "/mob.csv", atomically: true, encoding: .utf8)
        _ = try MobilisationImporter.run(file: dir + "/mob.csv", storePath: s)
        try "mobilisation_id,axe,indicateur,cible,unite,echeance,source\n99-table,réussite,élèves accompagnés,100,élèves,2027,plan fictif\n"
            .write(toFile: dir + "/plan.csv", atomically: true, encoding: .utf8)
        _ = try PlanImporter.run(file: dir + "/plan.csv", storePath: s)
        return s
    }

    static func options() throws -> ServerOptions {
        ServerOptions(host: "127.0.0.1", port: 0, storePath: try store.get(), stylesDirectory: root + "/styles",
                      tilesDirectory: (try store.get() as NSString).deletingLastPathComponent + "/tiles",
                      webDirectory: root + "/web", logLevel: .warning)
    }

    static func app() throws -> some ApplicationProtocol { buildApplication(try options()) }
}

func json(_ buffer: ByteBuffer) throws -> Any { try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) }

@Suite(.serialized) struct RouteTests {
    /// Every documented route answers on a real server on a loopback port, with the content type it documents.
    @Test func everyOpenAPIPathAnswers() async throws {
        let examples: [String: String] = [
            "/": "/", "/health": "/health", "/openapi.json": "/openapi.json", "/styles/{file}": "/styles/services.json", "/regions": "/regions",
            "/regions/{code}/mrc": "/regions/99/mrc", "/mrc/{code}/municipalities": "/mrc/991/municipalities",
            "/indicators": "/indicators", "/portrait/{level}/{code}": "/portrait/region/99", "/portrait/all": "/portrait/all",
            "/territories": "/territories",
            "/gaps": "/gaps?region=99&category=clsc&max_km=20", "/services": "/services?region=99",
            "/mobilisations": "/mobilisations?region=99", "/maps/{level}/{file}": "/maps/region/99.svg?style=vitalite",
            "/charts/{level}/{file}": "/charts/mrc/991.svg",
            "/geojson/{layer}": "/geojson/municipalities?region=99",
            "/tiles/{layer}/{z}/{x}/{file}": "/tiles/gaps/6/20/21.mvt", "/tiles/{file}": "/tiles/municipalities.json",
            "/conformance": "/conformance", "/collections": "/collections", "/collections/{collectionId}": "/collections/municipalities",
            "/collections/{collectionId}/items": "/collections/municipalities/items?limit=5",
            "/collections/{collectionId}/items/{featureId}": "/collections/municipalities/items/91005",
            "/collections/{collectionId}/queryables": "/collections/services/queryables",
            "/collections/{collectionId}/schema": "/collections/municipalities/schema",
            "/plans": "/plans", "/plans/{id}": "/plans/99-table?format=html",
        ]
        let documented = Set(OpenAPI.routes.map(\.path))
        #expect(documented == Set(examples.keys))
        let app = try Fixture.app()
        // Each answer computed once in process first (no client deadline: a loaded CI machine once took more than
        // the live client's 20 s for a cold one), so that the wire check below measures the wire, not the work.
        try await app.test(.router) { client in
            for route in OpenAPI.routes { try await client.execute(uri: examples[route.path]!, method: .get) { _ in } }
        }
        try await app.test(.live) { client in
            for route in OpenAPI.routes {
                try await client.execute(uri: examples[route.path]!, method: .get) { r in
                    #expect(r.status == .ok, "\(route.path): \(String(buffer: r.body))")
                    #expect(r.headers[.contentType]?.hasPrefix(route.produces) == true, "\(route.path)")
                    #expect(r.headers[.init("x-request-id")!] != nil)
                }
            }
            // And the document is OpenAPI 3.0 with those paths; this server has no token, so no write route is advertised.
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                let doc = try #require(try json(r.body) as? [String: Any])
                #expect(doc["openapi"] as? String == "3.0.3")
                #expect(Set((doc["paths"] as? [String: Any])?.keys.map { $0 } ?? []) == documented)
            }
        }
        // With tokens: the write route (POST, bearer token; tested in ImportRouteTests), listing exactly the kinds the
        // tokens can write, every kind the server accepts for an unlimited token, measurements only for a committee's.
        for (tokens, kinds) in [("s3cret", ImportRequest.Kind.allCases.map(\.rawValue)),
                                ("clc=s3cret|kinds=measurements|plan=01-cosmoss|territory=01-cosmoss-clc-10", ["measurements"])] {
            var o = try Fixture.options()
            o.writeTokens = try WriteTokens.parse(tokens)
            try await buildApplication(o).test(.router) { client in
                try await client.execute(uri: "/openapi.json", method: .get) { r in
                    let doc = try #require(try json(r.body) as? [String: Any])
                    let write = try #require((doc["paths"] as? [String: Any])?["/imports/{kind}"] as? [String: Any])
                    #expect(write["get"] == nil)
                    let post = try #require(write["post"] as? [String: Any])
                    let kind = (post["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "kind" }
                    #expect((kind?["schema"] as? [String: Any])?["enum"] as? [String] == kinds)
                }
            }
        }
    }

    @Test func contentOfTheMainRoutes() async throws {
        try await Fixture.app().test(.router) { client in
            try await client.execute(uri: "/regions", method: .get) { r in
                let list = try #require(try json(r.body) as? [[String: Any]])
                #expect(list.map { $0["code"] as? String } == ["99"])
            }
            try await client.execute(uri: "/regions/99/mrc", method: .get) { r in
                let list = try json(r.body) as? [[String: Any]]
                #expect(list?.count == 3)
            }
            try await client.execute(uri: "/mrc/991/municipalities", method: .get) { r in
                let list = try json(r.body) as? [[String: Any]]
                #expect(list?.count == 10)   // nine and the aquatic TNO
            }
            try await client.execute(uri: "/portrait/mrc/991", method: .get) { r in
                let p = try #require(try json(r.body) as? [String: Any])
                #expect(p["municipality_count"] as? Int == 9)
            }
            // The root: the viewer for a browser, the OGC API landing page for any other client.
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true && String(buffer: r.body).contains("viewer.js"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.accept: "*/*"]) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect((j["links"] as? [[String: Any]])?.contains { $0["rel"] as? String == "conformance" } == true)
            }
            try await client.execute(uri: "/portrait/region/99?format=html&lang=en", method: .get) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: r.body).contains("<html lang=\"en\">"))
            }
            try await client.execute(uri: "/portrait/region/99", method: .get, headers: [.accept: "text/html"]) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
            }
            try await client.execute(uri: "/maps/mrc/991.svg?style=population&width=600", method: .get) { r in
                let svg = String(buffer: r.body)
                #expect(svg.contains("viewBox=\"0 0 600 ") && svg.contains("La Côte-Fictive"))
            }
            try await client.execute(uri: "/geojson/gaps?region=99&category=clsc&radius_km=20", method: .get) { r in
                let fc = try #require(try json(r.body) as? [String: Any])
                #expect(fc["type"] as? String == "FeatureCollection")
                #expect(((fc["features"] as? [[String: Any]])?.count ?? 0) > 0)
            }
            try await client.execute(uri: "/mobilisations?region=99", method: .get) { r in
                let m = try #require(try json(r.body) as? [String: Any])
                #expect((m["coverage"] as? [[String: Any]])?.allSatisfy { $0["table_count"] as? Int == 1 } == true)
            }
        }
    }

    /// Unknown codes 404, bad parameters 400, style and layer names never reach the file system.
    @Test(arguments: [
        ("/regions/42/mrc", 404), ("/mrc/555/municipalities", 404), ("/portrait/region/42", 404), ("/portrait/commune/99", 400),
        ("/portrait/region/abc", 400), ("/portrait/region/99?vintage=deux", 400), ("/portrait/region/99?format=docx", 400),
        ("/gaps?region=99", 400), ("/gaps?region=99&category=ecole", 404), ("/gaps?region=99&category=clsc&max_km=-3", 400),
        ("/gaps?region=99&mrc=991&category=clsc", 400), ("/maps/region/99.svg?style=..%2F..%2Fetc%2Fpasswd", 404),
        ("/maps/region/99.svg?style=inconnu", 404), ("/maps/region/99.png", 404), ("/maps/region/99.svg?width=99999", 400),
        ("/maps/region/99.svg?style=vitalite&indicator=chomage", 404), ("/geojson/..%2Fportrait.gpkg?region=99", 404),
        ("/geojson/municipalities?region=99&bbox=1,2,3", 400), ("/geojson/municipalities?region=99&bbox=10,10,0,0", 400),
        ("/geojson/municipalities?region=99&simplify=abc", 400), ("/geojson/municipalities", 400), ("/nulle-part", 404),
        ("/mobilisations?region=42", 404), ("/portrait/region/99?lang=de", 400),
        ("/tiles/municipalities/23/0/0.mvt", 400), ("/tiles/municipalities/2/4/0.mvt", 400), ("/tiles/municipalities/2/1/-1.mvt", 400),
        ("/tiles/municipalities/a/1/1.mvt", 400), ("/tiles/municipalities/2/1/1.png", 400), ("/tiles/..%2Fstore/2/1/1.mvt", 404),
        ("/tiles/inconnue.json", 404), ("/web/..%2FPackage.swift", 404), ("/web/secret.txt", 404), ("/styles/..%2FPackage.swift", 404), ("/styles/inconnu.json", 404), ("/vendor/leaflet/..%2F..%2Fetc%2Fpasswd", 404),
    ])
    func badRequests(_ uri: String, _ status: Int) async throws {
        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: uri, method: .get) { r in
                #expect(Int(r.status.code) == status, "\(uri): \(String(buffer: r.body))")
                if uri != "/nulle-part" {
                    let e = try #require(try json(r.body) as? [String: Any])
                    #expect(e["message"] as? String != nil && e["status"] as? String == String(status))
                }
            }
        }
    }

    @Test func nothingWritesToTheStore() async throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: try Fixture.store.get()))
        try await Fixture.app().test(.router) { client in
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                try await client.execute(uri: "/regions", method: method) { r in #expect(r.status == .notFound || r.status == .methodNotAllowed) }
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: try Fixture.store.get())) == before)
    }

    /// A real server on a loopback port, many requests at once (bounded).
    @Test func liveServerUnderConcurrentRequests() async throws {
        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                let h = try #require(try json(r.body) as? [String: Any])
                #expect(h["status"] as? String == "ok" && h["demo"] as? Bool == true)
            }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<24 {
                    group.addTask {
                        let uri = i % 3 == 0 ? "/geojson/municipalities?mrc=991" : i % 3 == 1 ? "/portrait/mrc/992" : "/maps/mrc/993.svg?style=littoral"
                        return try await client.execute(uri: uri, method: .get) { $0.status == .ok }
                    }
                }
                for try await ok in group { #expect(ok) }
            }
        }
    }
}

/// An MBTiles made elsewhere is served as it is, gzip announced.
@Suite struct ExternalMBTilesTests {
    @Test func servesTheFileAsItIs() async throws {
        let dir = tempDir("portrait-ext")
        let path = dir + "/ext.mbtiles"
        let db = try SQLiteDatabase(path: path, create: true)
        try db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        // z1, x0, y0 is TMS row 1; the bytes start like gzip.
        try db.run("INSERT INTO tiles VALUES (1, 0, 1, ?)", [.blob([0x1F, 0x8B, 8, 0, 1, 2, 3])])
        var options = ServerOptions(host: "127.0.0.1", port: 0, storePath: try Fixture.store.get(), stylesDirectory: root + "/styles",
                                    webDirectory: root + "/web", logLevel: .warning)
        options.mbtiles = ["ext": path]
        try await buildApplication(options).test(.router) { client in
            try await client.execute(uri: "/tiles/ext/1/0/0.mvt", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentEncoding] == "gzip")
                #expect(Array(r.body.readableBytesView) == [0x1F, 0x8B, 8, 0, 1, 2, 3])
            }
            try await client.execute(uri: "/tiles/ext/1/1/1.mvt", method: .get) { r in #expect(r.status == .noContent) }
            try await client.execute(uri: "/tiles/ext/1/2/0.mvt", method: .get) { r in #expect(r.status == .badRequest) }
        }
    }
}

