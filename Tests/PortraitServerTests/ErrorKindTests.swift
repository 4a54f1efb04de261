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

/// Error kinds map once to HTTP statuses, whatever subsystem the error comes from.
struct ErrorKindStatusTests {
    @Test func everyKindHasItsStatus() {
        let expected: [ErrorKind: Int] = [.notFound: 404, .invalidInput: 400, .forbidden: 403, .unavailable: 503, .internal: 500]
        for kind in ErrorKind.allCases { #expect(Int(APIError.status(for: kind).code) == expected[kind], "\(kind)") }
    }

    struct Opaque: Error {}

    @Test func subsystemErrorsKeepTheirKind() {
        let cases: [(any Error, Int)] = [
            (TerritoryError.notFound("région 42 inconnue"), 404),
            (TerritoryError.invalid("code « x » invalide"), 400),
            (ImportError(.unknownField, file: "f.csv", "colonne absente"), 400),
            (ImportError(.fileNotFound, file: "f.csv", "fichier introuvable"), 404),
            (StoreError.missing("/srv/portrait.gpkg"), 503),
            (StoreError(path: "p", function: "sqlite3_step", message: "database is locked", code: 5), 503),
            (StoreError(path: "p", function: "sqlite3_step", message: "constraint failed", code: 19), 500),
            (Opaque(), 500),
        ]
        for (error, status) in cases {
            let api = APIError.from(error)
            #expect(Int(api.status.code) == status, "\(error)")
            #expect(!api.message.contains("/srv/"), "no server path in \(api.message)")
        }
    }
}

/// No store at all: every route that needs one answers 503 with the same JSON error; the others still answer.
@Suite struct MissingStoreTests {
    @Test func sameAnswerOnEveryRoute() async throws {
        let dir = tempDir("portrait-nostore")
        let options = ServerOptions(host: "127.0.0.1", port: 0, storePath: dir + "/absent.gpkg", stylesDirectory: root + "/styles",
                                    tilesDirectory: dir + "/tiles", webDirectory: root + "/web", logLevel: .critical)
        let examples: [String: String] = [
            "/health": "/health", "/regions": "/regions", "/regions/{code}/mrc": "/regions/01/mrc",
            "/mrc/{code}/municipalities": "/mrc/10/municipalities", "/indicators": "/indicators",
            "/portrait/{level}/{code}": "/portrait/region/01", "/portrait/all": "/portrait/all", "/territories": "/territories",
            "/gaps": "/gaps?region=01&category=clsc",
            "/services": "/services?region=01", "/mobilisations": "/mobilisations?region=01",
            "/maps/{level}/{file}": "/maps/region/01.svg?style=littoral", "/geojson/{layer}": "/geojson/municipalities?region=01",
            "/tiles/{layer}/{z}/{x}/{file}": "/tiles/municipalities/6/20/21.mvt", "/tiles/{file}": "/tiles/municipalities.json",
            "/collections": "/collections", "/collections/{collectionId}": "/collections/municipalities",
            "/collections/{collectionId}/items": "/collections/municipalities/items", "/collections/{collectionId}/items/{featureId}": "/collections/municipalities/items/10070",
            "/collections/{collectionId}/queryables": "/collections/services/queryables", "/collections/{collectionId}/schema": "/collections/services/schema",
            "/plans": "/plans", "/plans/{id}": "/plans/01-cosmoss", "/charts/{level}/{file}": "/charts/mrc/10.svg",
        ]
        let withoutStore: Set<String> = ["/", "/openapi.json", "/styles/{file}", "/conformance"]
        #expect(Set(OpenAPI.routes.map(\.path)).subtracting(withoutStore) == Set(examples.keys))
        try await buildApplication(options).test(.router) { client in
            var bodies: Set<String> = []
            for (path, uri) in examples.sorted(by: { $0.key < $1.key }) {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .serviceUnavailable, "\(path): \(String(buffer: r.body))")
                    let e = try #require(try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [String: String])
                    #expect(e["error"] == "indisponible" && e["status"] == "503", "\(path)")
                    bodies.insert(e["message"] ?? "")
                }
            }
            #expect(bodies.count == 1)
            for uri in ["/", "/openapi.json", "/styles/gaps.json", "/conformance"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok, "\(uri)") }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/absent.gpkg"))
    }
}
