import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortraitDemo
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Testing

/// `POST /imports/{kind}`: only with a token, 401 without it, 413 over the limit, 200 with the join report,
/// the writer in the imports log, the answers of the read routes changed at once. On both backends.
@Suite(.serialized) struct ImportRouteTests {
    static let stores = PerBackend<String> { backend in
        let s = try backend.newStore("ecriture")
        _ = try DemoTerritory.load(storePath: s)
        return s
    }

    static func app(_ store: String, tokens: String?, limit: Int = 4096) -> some ApplicationProtocol {
        var o = ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                              tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .warning)
        o.writeTokens = try! WriteTokens.parse(tokens)
        o.uploadLimitBytes = limit
        return buildApplication(o)
    }

    static let csv = "code,valeur\n91005,12.5\n91010,x\n99999,3\n"

    @Test(arguments: Backend.available)
    func tokenLimitAndReport(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        let before = try Stores.open(store).imports(limit: 1).first?.id ?? 0
        try await Self.app(store, tokens: "cosmoss=s3cret, mauricie=autre").test(.router) { client in
            let uri = "/imports/indicators?indicator=essai_http&vintage=2031&value-field=valeur&filename=essai.csv"
            // No token, a wrong one, a token of the wrong form: 401 with the scheme to use; nothing written.
            for auth in [nil, "Bearer faux", "Bearer s3cre", "Basic czNjcmV0"] as [String?] {
                var h: HTTPFields = [.contentType: "text/csv"]
                if let auth { h[.authorization] = auth }
                try await client.execute(uri: uri, method: .post, headers: h, body: ByteBuffer(string: Self.csv)) { r in
                    #expect(r.status == .unauthorized, "\(auth ?? "-")")
                    #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let body = try json(r.body) as? [String: String]
                    #expect(body?["status"] == "401")
                }
            }
            // Over the limit: 413, whether the length is announced or not.
            let big = ByteBuffer(string: "code,valeur\n" + String(repeating: "91005,1\n", count: 1000))
            try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer s3cret"], body: big) { r in
                #expect(r.status == .contentTooLarge)
            }
            // A bad option: 400 naming what is accepted; nothing written.
            try await client.execute(uri: "/imports/indicators?vintage=2031&couleur=rouge", method: .post,
                                     headers: [.authorization: "Bearer s3cret"], body: ByteBuffer(string: Self.csv)) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("couleur"))
            }
            let after = try Stores.open(store).imports(limit: 1).first?.id ?? 0
        #expect(after == before)
            // The indicators answer before the import, to see it change after.
            try await client.execute(uri: "/indicators", method: .get) { r in
                #expect(!String(buffer: r.body).contains("essai_http"))
            }
            // With the token: 200 and the importer's report, join report included.
            try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer s3cret", .contentType: "text/csv"],
                                     body: ByteBuffer(string: Self.csv)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                let report = try #require(try json(r.body) as? [String: Any])
                let join = try #require(report["join"] as? [String: Any])
                #expect(join["matched"] as? Int == 2)
                #expect((join["unmatched"] as? [[String: Any]])?.first?["code"] as? String == "99999")
                #expect((join["suppressed"] as? [String: Int])?["essai_http"] == 1)
                // The answer names the upload, never the server's temporary copy.
                #expect(!String(buffer: r.body).contains("portrait-upload-"), "\(String(buffer: r.body))")
                #expect((report["log"] as? [String: Any])?["source_file"] as? String == "téléversé : essai.csv")
            }
            try await client.execute(uri: "/indicators", method: .get) { r in
                #expect(String(buffer: r.body).contains("essai_http"))
            }
        }
        let s = try Stores.open(store)
        let entry = try #require(try s.lastImport(kind: "indicators"))
        #expect(entry.parameters["writer"] == "http:cosmoss")
        #expect(entry.sourceFile == "téléversé : essai.csv")
        #expect(try s.joinReport(importID: entry.id ?? 0)?.contains("99999") == true)
        #expect(try s.indicatorValues("essai_http", vintage: 2031)["91005"] == .value(12.5))
    }

    /// No token set: the write route answers 403, saying the service is read-only and how to open writes.
    @Test(arguments: Backend.available)
    func noTokenNoWriteRoute(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        try await Self.app(store, tokens: nil).test(.router) { client in
            try await client.execute(uri: "/imports/indicators?vintage=2031", method: .post, headers: [.authorization: "Bearer s3cret"],
                                     body: ByteBuffer(string: Self.csv)) { r in
                #expect(r.status == .forbidden)
                let text = String(buffer: r.body)
                #expect(text.contains("lecture seule") && text.contains("PORTRAIT_TOKEN"), "\(text)")
            }
        }
        #expect(try WriteTokens.parse("  ").isEmpty && WriteTokens.parse(nil).isEmpty)
        #expect(try WriteTokens.parse("abc").label(authorization: "Bearer abc") == "jeton")
    }

    /// A file the importer refuses: 400 with its message, the store unchanged.
    @Test(arguments: Backend.available)
    func refusedFileChangesNothing(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        let stamp = try Stores.changeStamp(store)
        try await Self.app(store, tokens: "s3cret").test(.router) { client in
            try await client.execute(uri: "/imports/boundaries?level=municipality&filename=limites.geojson", method: .post,
                                     headers: [.authorization: "Bearer s3cret"], body: ByteBuffer(string: "{\"type\": \"Feat")) { r in
                #expect(r.status == .badRequest, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/imports/services", method: .post, headers: [.authorization: "Bearer s3cret"],
                                     body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("category"))
            }
        }
        #expect(try Stores.changeStamp(store) == stamp)
    }

    /// Hostile uploads (a VRT reading a sentinel file of the server, a VRT reading `/vsicurl/`, a GeoJSON whose `crs`
    /// links to an address, a GeoPackage whose layer is a recursive view holding the sentinel's figure): each is
    /// refused with 400; the loopback listener gets no connection; the sentinel's figure is absent from the store's
    /// answers and from every response. All files SYNTHETIC.
    @Test(arguments: Backend.available)
    func hostileUploadsReadNothingElse(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        let stamp = try Stores.changeStamp(store)
        let listener = try LoopbackListener()
        let dir = tempDir("hostile-uploads")
        let secret = "987654321"
        let sentinel = try write("code,valeur\n91005,\(secret)\n", "synthetique_sentinelle.csv", in: dir)
        let gpkg = dir + "/synthetique_vue.gpkg"
        let boundary = try write(collection([sdaFeature("91005", "Synthétique", ring: ring(-67.2, 48.4))]), "synthetique_b.geojson", in: dir)
        _ = try BoundaryImporter.run(file: boundary, options: .init(level: .municipality), storePath: gpkg)
        try SQLiteDatabase(path: gpkg).execute("""
            CREATE VIEW vue AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000)
              SELECT x AS fid, '\(secret)' AS code, NULL AS geom FROM c;
            INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('vue', 'features', 'vue', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('vue', 'geom', 'GEOMETRY', 4326, 0, 0);
            """)
        let uploads: [(uri: String, body: Data)] = [
            ("/imports/indicators?indicator=essai_hostile&vintage=2031&value-field=valeur&filename=x.vrt",
             Data("<OGRVRTDataSource><OGRVRTLayer name=\"synthetique_sentinelle\"><SrcDataSource>\(sentinel)</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>".utf8)),
            ("/imports/indicators?indicator=essai_hostile&vintage=2031&value-field=valeur&filename=x.xlsx",
             Data("<OGRVRTDataSource><OGRVRTLayer name=\"x\"><SrcDataSource>/vsicurl/\(listener.url)/x.csv</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>".utf8)),
            ("/imports/services?category=clsc&filename=x.geojson",
             Data(#"{"type": "FeatureCollection", "crs": {"type": "link", "properties": {"href": "\#(listener.url)/x.prj", "type": "ogcwkt"}}, "features": [{"type": "Feature", "properties": {"nom": "\#(secret)"}, "geometry": {"type": "Point", "coordinates": [-67.2, 48.4]}}]}"#.utf8)),
            ("/imports/boundaries?level=municipality&filename=x.gpkg", try Data(contentsOf: URL(fileURLWithPath: gpkg))),
        ]
        try await Self.app(store, tokens: "s3cret", limit: 8 << 20).test(.router) { client in
            for u in uploads {
                try await client.execute(uri: u.uri, method: .post, headers: [.authorization: "Bearer s3cret"], body: ByteBuffer(data: u.body)) { r in
                    #expect(r.status == .badRequest, "\(u.uri): \(String(buffer: r.body))")
                    #expect(!String(buffer: r.body).contains(secret))
                }
            }
            for uri in ["/indicators", "/imports", "/services", "/geojson/municipalities", "/portrait/region/01", "/health"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(!String(buffer: r.body).contains(secret), "\(uri)")
                }
            }
        }
        #expect(listener.connections() == 0)
        #expect(try Stores.changeStamp(store) == stamp)
    }

    /// The upload gate: `slots` at once, the next waits its turn (first come, first served) or gives up after its wait.
    @Test func uploadsWaitTheirTurnOrGiveUp() async throws {
        let gate = UploadGate(slots: 1)
        #expect(await gate.acquire(waiting: 0))
        #expect(await gate.acquire(waiting: 0) == false)
        #expect(await gate.acquire(waiting: 0.05) == false)
        async let waiting = gate.acquire(waiting: 5)
        try await Task.sleep(nanoseconds: 50_000_000)
        await gate.release()
        #expect(await waiting)
        await gate.release()
        #expect(await gate.acquire(waiting: 0))
    }

    /// Every slot taken: 503 with `Retry-After`, before a byte of the body is read; nothing written.
    @Test func aBusyServiceDefersTheUpload() async throws {
        let store = try Self.stores.get(Backend.available[0])
        var o = ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                              tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .warning)
        o.writeTokens = try! WriteTokens.parse("s3cret")
        o.uploadSlots = 1
        o.uploadWaitSeconds = 0
        let api = PortraitAPI(options: o)
        #expect(await api.uploads.acquire(waiting: 0))
        let stamp = try Stores.changeStamp(store)
        var headers = HTTPFields()
        headers[.authorization] = "Bearer s3cret"
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/imports/indicators?indicator=x&vintage=2031&value-field=valeur&filename=x.csv",
                                          headerFields: headers), body: .init(buffer: ByteBuffer(string: Self.csv)))
        do {
            _ = try await api.importFile(kind: "indicators", request: request)
            Issue.record("accepted while busy")
        } catch let e as APIError {
            #expect(e.status == .serviceUnavailable && e.retryAfter == 5, "\(e)")
        }
        await api.uploads.release()
        #expect(try Stores.changeStamp(store) == stamp)
    }
}
