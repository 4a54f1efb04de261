import Foundation
import Hummingbird
import PortraitFeatures
import PortraitGeometry
import PortraitModel
import PortraitStore

/// OGC API – Features over the same store, cache and ETags as the other routes: `/` (the landing page when JSON
/// is asked for, else the viewer), `/conformance`, `/collections`, `/collections/{id}`, `/collections/{id}/items`,
/// `/collections/{id}/items/{fid}`, `/collections/{id}/queryables`. The documents and the paging are built by
/// `PortraitFeatures`; this edge parses the request and maps errors once.
extension PortraitAPI {
    /// The URL clients reached us by (links must take them back the same way).
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return "http://" + host
    }

    static func parameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value).removingPercentEncoding ?? String($0.value)) }
    }

    /// JSON unless HTML is asked for: `f=json` or `f=html`, else an `Accept` naming `text/html` (every browser's) gets the
    /// viewer, and any other client (GDAL, OWSLib, curl: `*/*` or JSON) the landing page.
    static func wantsJSON(_ request: Request) -> Bool {
        if let f = request.uri.queryParameters.get("f") { return f != "html" }
        return !(request.headers[.accept] ?? "").contains("text/html")
    }

    func landing(_ request: Request) async throws -> Response {
        guard Self.wantsJSON(request) else {
            var r = try await web("index.html")
            r.headers[.vary] = "Accept"
            return r
        }
        // Neither the landing page nor the conformance needs the store: they answer when it is absent.
        return Response(status: .ok, headers: [.contentType: Self.jsonType, .vary: "Accept"],
                        body: .init(byteBuffer: ByteBuffer(data: try OGCDocuments.landing(base: Self.base(request)))))
    }

    func conformance(_ request: Request) async throws -> Response {
        Response(status: .ok, headers: [.contentType: Self.jsonType], body: .init(byteBuffer: ByteBuffer(data: try OGCDocuments.conformanceDocument())))
    }

    func collections(_ request: Request) async throws -> Response {
        let base = Self.base(request)
        return try await cached(request, key: "#" + base, contentType: Self.jsonType) { [self] in
            let s = try store()
            let list = try FeatureCollections.list(store: s).map { ($0, try s.extent($0.layer)) }
            return ByteBuffer(data: try OGCDocuments.collections(list, base: base))
        }
    }

    func collection(_ id: String, request: Request) async throws -> Response {
        let base = Self.base(request)
        return try await cached(request, key: "#" + base, contentType: Self.jsonType) { [self] in
            let s = try store()
            let c = try FeatureCollections.collection(id, store: s)
            return ByteBuffer(data: try OGCDocuments.collection(c, extent: try s.extent(c.layer), base: base))
        }
    }

    /// The features of a collection for this request (its `radius_km`), built once per store state.
    func entry(_ id: String, radiusKm: Double) throws -> (FeatureCollections.Collection, FeatureCollections.Cache.Entry) {
        let s = try store()
        let c = try FeatureCollections.collection(id, store: s)
        let stamp = try Stores.changeStamp(options.storePath)
        return (c, try features.features(c, radiusKm: radiusKm, stamp: stamp) { s })
    }

    static func radius(_ request: Request) throws -> Double {
        guard let raw = request.uri.queryParameters.get("radius_km") else { return 15 }
        guard let r = Double(raw), (0.1...500).contains(r) else { throw APIError.badRequest("radius_km : nombre de 0,1 à 500 attendu, reçu « \(raw) »") }
        return r
    }

    func queryables(_ id: String, request: Request) async throws -> Response {
        let base = Self.base(request)
        let radius = try Self.radius(request)
        return try await cached(request, key: "#" + base, contentType: "application/schema+json") { [self] in
            let (c, e) = try entry(id, radiusKm: radius)
            return ByteBuffer(data: try OGCDocuments.queryables(c, e.queryables, base: base))
        }
    }

    func items(_ id: String, request: Request) async throws -> Response {
        let base = Self.base(request)
        let parameters = Self.parameters(request)
        let radius = try Self.radius(request)
        let crs = try request.uri.queryParameters.get("crs").map { try FeatureCRS(parsing: $0, parameter: "crs") } ?? .crs84
        return try await cached(request, key: "#" + base, contentType: OGCDocuments.geojson,
                                headers: [.init("Content-Crs")!: "<\(crs.rawValue)>"]) { [self] in
            let (c, e) = try entry(id, radiusKm: radius)
            let q = try FeatureQuery(parameters, queryables: Set(e.queryables.map(\.name)))
            let page = try q.page(e.features)
            return ByteBuffer(string: OGCDocuments.items(page, query: q, parameters: parameters, collection: c, base: base))
        }
    }

    func item(_ id: String, fid: String, request: Request) async throws -> Response {
        let base = Self.base(request)
        let radius = try Self.radius(request)
        let crs = try request.uri.queryParameters.get("crs").map { try FeatureCRS(parsing: $0, parameter: "crs") } ?? .crs84
        let wanted = fid.removingPercentEncoding ?? fid
        return try await cached(request, key: "#" + base, contentType: OGCDocuments.geojson,
                                headers: [.init("Content-Crs")!: "<\(crs.rawValue)>"]) { [self] in
            let (c, e) = try entry(id, radiusKm: radius)
            guard let f = e.features.first(where: { $0.id == wanted }) else {
                throw APIError.notFound("entité « \(wanted) » absente de la collection « \(id) »")
            }
            return ByteBuffer(string: OGCDocuments.item(try FeatureQuery.transform([f], to: crs)[0], crs: crs, collection: c, base: base))
        }
    }
}
