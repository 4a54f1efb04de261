import Foundation
import Hummingbird
import Logging
import PortraitGeometry
import PortraitModel
import PortraitRender
import PortraitReport
import PortraitStore

/// What the service needs to run.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    public var storePath: String
    public var stylesDirectory: String
    /// Where the MBTiles caches live.
    public var tilesDirectory: String
    /// The viewer's files (index.html, viewer.js, viewer.css).
    public var webDirectory: String
    /// Leaflet, from Debian's libjs-leaflet.
    public var leafletDirectory: String
    /// External MBTiles served read-only under `/tiles/{name}/…` (name → file), e.g. from tippecanoe.
    public var mbtiles: [String: String] = [:]
    /// A raster basemap for the viewer, as a URL template (`https://…/{z}/{x}/{y}.png`); none by default (offline deployments).
    public var basemap: String?
    public var logLevel: Logger.Level
    /// Bound of the in-memory cache of answers, in bytes (64 MiB by default).
    public var cacheBytes: Int = 64 << 20
    /// Bearer tokens of the write route `POST /imports/{kind}`, by label (who wrote, in the imports log).
    /// None: the service has no write route at all. From `PORTRAIT_TOKEN` (`WriteTokens.parse`).
    public var writeTokens = WriteTokens()
    /// A `PORTRAIT_TOKEN` that could not be read (then no token is taken, and `portrait serve` refuses to start).
    public var tokenProblem: String?
    /// Largest file the write route accepts, in bytes (`PORTRAIT_UPLOAD_MB`, 64 MiB by default); larger: 413.
    public var uploadLimitBytes: Int = 64 << 20
    /// Uploads imported at once (`PORTRAIT_UPLOADS`, 2 by default); the next ones wait their turn up to
    /// `uploadWaitSeconds`, then get 503 with `Retry-After`.
    public var uploadSlots: Int = 2
    public var uploadWaitSeconds: Double = 10

    /// `tilesDirectory` nil: beside the store (`Stores.tilesDirectory(for:)`), never the working directory.
    public init(host: String = "127.0.0.1", port: Int = 8080, storePath: String = Stores.resolve(nil),
                stylesDirectory: String = StyleCatalogue.directory(nil), tilesDirectory: String? = nil, webDirectory: String = Resources.web,
                leafletDirectory: String = "/usr/share/javascript/leaflet", logLevel: Logger.Level = .info) {
        self.host = host; self.port = port; self.storePath = storePath; self.stylesDirectory = stylesDirectory
        self.tilesDirectory = tilesDirectory ?? Stores.tilesDirectory(for: storePath); self.webDirectory = webDirectory
        self.leafletDirectory = leafletDirectory
        self.logLevel = logLevel
        let env = ProcessInfo.processInfo.environment
        do { writeTokens = try WriteTokens.parse(env["PORTRAIT_TOKEN"]) } catch { tokenProblem = error.description }
        if let mb = env["PORTRAIT_UPLOAD_MB"].flatMap(Double.init), mb > 0 { uploadLimitBytes = Int(mb * 1_048_576) }
        if let n = env["PORTRAIT_UPLOADS"].flatMap(Int.init), n > 0 { uploadSlots = n }
    }
}

/// The application: the router on a host and port, with structured logs.
/// A database store is followed from memory from here on (`Stores.watch`; a database down now is retried).
public func buildApplication(_ options: ServerOptions) -> some ApplicationProtocol {
    // Imports over HTTP rewrite, in their transaction, the layer and styles QGIS opens (with this server's styles).
    GISLayers.deriveOnEveryImport(stylesDirectory: options.stylesDirectory)
    var logger = Logger(label: "portrait")
    logger.logLevel = options.logLevel
    do { try Stores.watch(options.storePath) } catch { logger.error("magasin", metadata: ["error": "\(error)"]) }
    return Application(router: buildRouter(options), configuration: .init(address: .hostname(options.host, port: options.port),
                                                                          serverName: "portrait"),
                       logger: logger)
}

/// Every route of the service. Read-only, except `POST /imports/{kind}` when write tokens are set.
public func buildRouter(_ o: ServerOptions) -> Router<BasicRequestContext> {
    let router = Router()
    // The basemap's tiles are the only images a page may load from elsewhere.
    let basemapOrigin = o.basemap.flatMap { URL(string: $0.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")) }
        .flatMap { u in u.scheme.flatMap { s in u.host.map { "\(s)://\($0)" + (u.port.map { ":\($0)" } ?? "") } } }
    router.add(middleware: RequestIDMiddleware(htmlPolicy: PagePolicy.html(imageOrigins: basemapOrigin.map { [$0] } ?? [])))
    let api = PortraitAPI(options: o)
    // The viewer, or the OGC API – Features landing page when JSON is asked for (`f=json`, `Accept`).
    router.get("/") { r, _ in try await api.landing(r) }
    router.get("/conformance") { r, _ in try await api.conformance(r) }
    router.get("/collections") { r, _ in try await api.collections(r) }
    router.get("/collections/:id") { r, c in try await api.collection(try c.parameters.require("id"), request: r) }
    router.get("/collections/:id/items") { r, c in try await api.items(try c.parameters.require("id"), request: r) }
    router.get("/collections/:id/items/:fid") { r, c in
        try await api.item(try c.parameters.require("id"), fid: try c.parameters.require("fid"), request: r)
    }
    router.get("/collections/:id/queryables") { r, c in try await api.queryables(try c.parameters.require("id"), request: r) }
    router.get("/collections/:id/schema") { r, c in try await api.queryables(try c.parameters.require("id"), request: r) }
    router.get("/web/:file") { _, c in try await api.web(try c.parameters.require("file")) }
    router.get("/vendor/leaflet/:file") { _, c in try await api.leaflet(try c.parameters.require("file")) }
    router.get("/vendor/leaflet/images/:file") { _, c in try await api.leaflet("images/" + (try c.parameters.require("file"))) }
    router.get("/health") { r, _ in try await api.health(r) }
    let writeKinds = o.writeTokens.writableKinds.map(\.rawValue)
    router.get("/openapi.json") { _, _ in try OpenAPI.response(writeKinds: writeKinds) }
    router.get("/styles/:file") { _, c in try await api.style(try c.parameters.require("file")) }
    router.get("/regions") { r, _ in try await api.regions(r) }
    router.get("/regions/:code/mrc") { r, c in try await api.mrc(region: try c.parameters.require("code"), request: r) }
    router.get("/mrc/:code/municipalities") { r, c in try await api.municipalities(mrc: try c.parameters.require("code"), request: r) }
    router.get("/indicators") { r, _ in try await api.indicators(r) }
    router.get("/portrait/all") { r, _ in try await api.portrait(level: "all", code: "all", request: r) }
    router.get("/territories") { r, _ in try await api.territories(r) }
    router.get("/portrait/:level/:code") { r, c in
        try await api.portrait(level: try c.parameters.require("level"), code: try c.parameters.require("code"), request: r)
    }
    router.get("/gaps") { r, _ in try await api.gaps(r) }
    router.get("/services") { r, _ in try await api.geojson("services", r) }
    router.get("/mobilisations") { r, _ in try await api.mobilisations(r) }
    router.get("/plans") { r, _ in try await api.plans(r) }
    router.get("/plans/:id") { r, c in try await api.plan(try c.parameters.require("id"), request: r) }
    router.get("/charts/:level/:file") { r, c in
        try await api.chart(level: try c.parameters.require("level"), file: try c.parameters.require("file"), request: r)
    }
    router.get("/maps/:level/:file") { r, c in
        try await api.map(level: try c.parameters.require("level"), file: try c.parameters.require("file"), request: r)
    }
    router.get("/geojson/:layer") { r, c in try await api.geojson(try c.parameters.require("layer"), r) }
    router.get("/tiles/:layer/:z/:x/:file") { r, c in
        try await api.tile(layer: try c.parameters.require("layer"), z: try c.parameters.require("z"),
                           x: try c.parameters.require("x"), file: try c.parameters.require("file"), request: r)
    }
    router.get("/tiles/:layer") { r, c in try await api.tileJSON(file: try c.parameters.require("layer"), request: r) }
    if !o.writeTokens.isEmpty {
        router.post("/imports/:kind") { r, c in try await api.importFile(kind: try c.parameters.require("kind"), request: r) }
    } else {
        // A read-only service says so, and how to open writes, rather than « not found ».
        router.post("/imports/:kind") { _, _ -> Response in
            throw APIError(.forbidden, "ce service est en lecture seule : il n'accepte aucune importation sans jeton ; relancez-le avec "
                           + "PORTRAIT_TOKEN='coordination=SECRET' (un jeton par comité : docs/service.md), ou importez en ligne de commande (portrait import …)")
        }
    }
    return router
}

/// Adds the request id (`hb.request.id`) to every response as `x-request-id`, and logs each request. Every answer
/// says `X-Content-Type-Options: nosniff`; an HTML page carries the service's Content-Security-Policy (`PagePolicy`),
/// an SVG map its own (styles only), so that nothing in them runs a script that came from data.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    var htmlPolicy = PagePolicy.html()

    func secured(_ response: inout Response) {
        response.headers[.init("x-content-type-options")!] = "nosniff"
        let type = response.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("text/html") {
            response.headers[.init("content-security-policy")!] = htmlPolicy
        } else if type.hasPrefix("image/svg+xml") {
            response.headers[.init("content-security-policy")!] = PagePolicy.svg
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.init("x-request-id")!] = context.id
            secured(&response)
            context.logger.info("requête", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)",
                                                      "status": "\(response.status.code)", "ms": "\(Self.milliseconds(since: start))"])
            return response
        } catch let e as any HTTPResponseError where !(e is APIError) {
            throw e   // Hummingbird's own (404 of an unknown route, 405…)
        } catch {
            let mapped = APIError.from(error)
            if mapped.kind == .internal {
                context.logger.error("échec", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            } else {
                context.logger.info("requête refusée", metadata: ["path": "\(request.uri.path)", "status": "\(mapped.status.code)",
                                                                  "error": "\(error)"])
            }
            throw mapped
        }
    }

    /// Whole milliseconds since `start` (seconds included, not only the fraction).
    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let d = ContinuousClock.now - start
        return d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }
}
