import Foundation
import Hummingbird
import PortraitFeatures
import PortraitGeometry
import PortraitModel
import PortraitRender
import PortraitReport
import PortraitStore
import PortraitTerritory

/// The handlers. Each opens the store for itself and runs the library call on a
/// worker thread (SQLite, GEOS and PROJ are blocking; each call has its own contexts).
struct PortraitAPI: Sendable {
    let options: ServerOptions
    /// Answers by store state (`cached`).
    let cache: ResponseCache
    /// The store summary `/health` gives, read once per store state.
    let summary = Stamped<StoreSummary>()
    /// What else an answer depends on besides the store and the request: the styles as they were at start.
    let instance: String
    /// Uploads being imported (`ServerOptions.uploadSlots`).
    let uploads: UploadGate
    /// The OGC API collections' features, built once per store state and collection.
    let features = FeatureCollections.Cache()

    init(options: ServerOptions) {
        self.options = options
        cache = ResponseCache(limitBytes: options.cacheBytes)
        uploads = UploadGate(slots: options.uploadSlots)
        let styles = (try? FileManager.default.contentsOfDirectory(atPath: options.stylesDirectory))?.sorted() ?? []
        instance = Self.hash(styles.map { name -> String in
            let a = try? FileManager.default.attributesOfItem(atPath: (options.stylesDirectory as NSString).appendingPathComponent(name))
            return "\(name):\(a?[.size] ?? 0):\((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }.joined(separator: ","))
    }

    static let jsonType = "application/json; charset=utf-8"

    /// JSON bytes of `value` (stable key order).
    static func encode(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(data: try JSONEncoder.stable.encode(value)) }

    /// Largest area served without simplification; beyond it, GeoJSON is simplified by at least 100 m.
    static let simplifyFloorMetres = 100.0

    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }

    /// The store, opened for this request; a missing store is `unavailable` (503) on every route.
    func store() throws -> any TerritoryStore { try Stores.open(options.storePath) }

    func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder.stable.encode(value))))
    }

    func text(_ s: String, _ type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    // MARK: Territories

    struct Health: Encodable {
        let status: String; let store: String; let demo: Bool; let municipalities: Int; let basemap: String?
        /// The road network imported (« SOURCE, millésime »): the viewer then measures in minutes by road.
        let roads: String?
        let cache: ResponseCache.Stats
    }
    struct StoreSummary: Sendable { let demo: Bool; let municipalities: Int; let roads: String? }

    /// The store's summary, read once per store state; the cache's figures, live.
    func health(_ request: Request) async throws -> Response {
        let o = options
        let stamp = try Stores.changeStamp(o.storePath)
        let summary: StoreSummary
        if let known = self.summary.value(stamp: stamp) {
            summary = known
        } else {
            summary = try await offload { [self] in
                let s = try store()
                let info = try StoreInfo.read(store: s)
                return StoreSummary(demo: info.demo, municipalities: info.municipalities.units, roads: try s.roadNetworkName())
            }
            self.summary.set(summary, stamp: stamp)
        }
        return try json(Health(status: "ok", store: Stores.publicName(o.storePath), demo: summary.demo, municipalities: summary.municipalities,
                               basemap: o.basemap, roads: summary.roads, cache: cache.stats))
    }

    struct TerritoryItem: Encodable, Sendable {
        let code: String; let name: String; let level: String; let classe: String?
        let designation: String?; let mrc_code: String?; let region_code: String?; let area_km2: Double
        enum CodingKeys: String, CodingKey { case code, name, level, classe = "class", designation, mrc_code, region_code, area_km2 }
        init(_ u: TerritorialUnit) {
            code = u.code; name = u.name; level = u.level.rawValue; classe = u.coastClass?.rawValue; designation = u.designation
            mrc_code = u.mrcCode; region_code = u.regionCode; area_km2 = (u.areaKm2 * 100).rounded() / 100
        }
    }

    func regions(_ request: Request) async throws -> Response {
        try await cached(request, contentType: Self.jsonType) { [self] in try Self.encode(try {
            let s = try store()
            var list = try s.units(.region, withGeometry: false).map(TerritoryItem.init)
            if list.isEmpty {
                // No region layer: the regions named by the municipalities.
                let codes = Set(try s.units(.municipality, withGeometry: false).compactMap(\.regionCode)).sorted()
                list = codes.map { TerritoryItem(TerritorialUnit(level: .region, code: $0, name: "Région \($0)", areaKm2: 0, geometry: .init([]))) }
            }
            return list
        }()) }
    }

    func mrc(region raw: String, request: Request) async throws -> Response {
        let region = try Territory.region(raw)
        let code = region.code
        return try await cached(request, contentType: Self.jsonType) { [self] in try Self.encode(try {
            let s = try store()
            let municipal = try s.municipalities(in: region, withGeometry: false)
            let known = try s.unit(.region, code: code) != nil
            guard !municipal.isEmpty || known else { throw APIError.notFound("\(region) inconnue") }
            let codes = Set(municipal.compactMap(\.mrcCode))
            let layer = try s.units(.mrc, withGeometry: false).filter { codes.contains($0.code) || $0.regionCode == code }
            // Without an MRC layer, the MRC the municipalities name.
            let missing = codes.subtracting(layer.map(\.code)).sorted().map {
                TerritorialUnit(level: .mrc, code: $0, name: "MRC \($0)", regionCode: code, areaKm2: 0, geometry: .init([]))
            }
            return (layer + missing).map(TerritoryItem.init)
        }()) }
    }

    func municipalities(mrc raw: String, request: Request) async throws -> Response {
        let mrc = try Territory.mrc(raw)
        return try await cached(request, contentType: Self.jsonType) { [self] in
            let list = try store().municipalities(in: mrc, withGeometry: false)
            guard !list.isEmpty else { throw APIError.notFound("\(mrc) inconnue") }
            return try Self.encode(list.map(TerritoryItem.init))
        }
    }

    /// A custom territory as listed: its members and the population they sum to (latest vintage).
    struct CustomItem: Encodable, Sendable {
        let id: String; let name: String; let codes: [String]; let source: String; let population: Double?
        let missing: [String]
    }

    func territories(_ request: Request) async throws -> Response {
        try await cached(request, contentType: Self.jsonType) { [self] in
            let s = try store()
            let known = Set(try s.units(.municipality, withGeometry: false).map(\.code))
            let pop = try s.latestValues("population")?.values ?? [:]
            return try Self.encode(try s.customTerritories().map { t in
                let values = t.codes.compactMap { pop[$0]?.number }
                return CustomItem(id: t.id, name: t.name, codes: t.codes, source: t.source,
                                  population: values.count == t.codes.count ? values.reduce(0, +) : nil,
                                  missing: t.codes.filter { !known.contains($0) })
            })
        }
    }

    /// An imported indicator, its vintages, and the style that maps it by default (the viewer's choice).
    struct IndicatorItem: Encodable, Sendable { let definition: IndicatorDefinition; let vintages: [Int]; let style: String }

    func indicators(_ request: Request) async throws -> Response {
        try await cached(request, contentType: Self.jsonType) { [self] in
            let s = try store()
            return try Self.encode(try s.indicatorDefinitions().map { IndicatorItem(definition: $0, vintages: try s.vintages($0.name),
                                                                                     style: StyleCatalogue.defaultStyle(for: $0)) })
        }
    }

    // MARK: Portrait, gaps, mobilisations

    func portrait(level raw: String, code: String, request: Request) async throws -> Response {
        let territory = try Self.territory(kind: raw, code: code)
        let q = request.uri.queryParameters
        let vintage = try Self.year(q.get("vintage"), "vintage")
        let compare = try Self.year(q.get("compare"), "compare")
        let lang = try Self.language(q.get("lang"))
        let format = q.get("format") ?? (request.headers[.accept]?.contains("text/html") == true ? "html" : "json")
        guard ["json", "html", "md", "pdf", "csv", "xlsx", "gpkg"].contains(format) else { throw APIError.badRequest("format : json, html, md, pdf, csv, xlsx ou gpkg") }
        // CSV: one table (`table=`, indicateurs by default), UTF-8 with BOM, or `excel_fr=1` (semicolons, decimal commas).
        let table = q.get("table") ?? "indicateurs"
        let excelFR = q.get("excel_fr").map { $0 == "1" || $0 == "true" } ?? false
        let reference = try q.get("reference").map(Territory.reference)
        let base = q.get("base")
        let maxKm = try Self.double(q.get("max_km") ?? q.get("radius_km"), "max_km", range: 0.1...500) ?? 15
        let maxMinutes = try Self.double(q.get("max_min"), "max_min", range: 0.1...600)
        let styles = options.stylesDirectory
        let types = ["html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8", "pdf": "application/pdf", "json": Self.jsonType,
                     "csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "gpkg": "application/geopackage+sqlite3"]
        var extra: HTTPFields = [:]
        if format == "pdf" {
            extra[.contentDisposition] = "inline; filename=\"portrait-\(territory.slug).pdf\""
        } else if format == "gpkg" {
            extra[.contentDisposition] = "attachment; filename=\"portrait-\(territory.slug).gpkg\""
        } else if format == "xlsx" {
            extra[.contentDisposition] = "attachment; filename=\"portrait-\(territory.slug).xlsx\""
        } else if format == "csv" {
            extra[.contentDisposition] = "attachment; filename=\"portrait-\(territory.slug)-\(table).csv\""
        }
        // The served report links its tables.
        let here = request.uri.path
        let downloads: [(label: String, href: String)] = [("Classeur XLSX (tous les tableaux)", here + "?format=xlsx"),
                                                           ("CSV des indicateurs", here + "?format=csv&table=indicateurs"),
                                                           ("CSV des municipalités", here + "?format=csv&table=municipalites"),
                                                           ("CSV pour Excel en français", here + "?format=csv&table=municipalites&excel_fr=1"),
                                                           ("GeoPackage de la sélection (QGIS)", here + "?format=gpkg")]
        // The publication: maps for html and pdf, figures only for json and md; the format is part of the key (Accept).
        if format == "gpkg" {
            // The selection as a GeoPackage of its own, with the styles QGIS opens.
            return try await cached(request, key: "#gpkg", contentType: types[format]!, headers: extra) { [self] in
                let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-selection-\(UUID().uuidString)")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: dir) }
                _ = try SelectionPackage.write(from: try store(), territory: territory, to: dir + "/selection.gpkg", stylesDirectory: styles, maxKm: maxKm)
                return ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/selection.gpkg")))
            }
        }
        return try await cached(request, key: "#" + format, contentType: types[format]!, headers: extra) { [self] in
            var o = ReportOptions(territory: territory, language: lang, vintage: vintage, maxKm: maxKm, stylesDirectory: styles,
                                  maps: format == "html" || format == "pdf")
            o.compare = compare; o.reference = reference; o.base = base
            if let maxMinutes { o.maxMinutes = maxMinutes }
            let report = try ReportBuilder.build(store: try store(), options: o)
            switch format {
            case "html": return ByteBuffer(string: ReportDocument(report, downloads: downloads).html)
            case "csv", "xlsx":
                let tables = try ReportTables.tables(report, territory: territory, store: try store())
                if format == "xlsx" { return ByteBuffer(data: XLSXWriter.data(tables)) }
                guard let t = tables.first(where: { $0.name == table }) else {
                    throw APIError.notFound("tableau « \(table) » inconnu ; tableaux : \(tables.map(\.name).joined(separator: ", "))")
                }
                return ByteBuffer(data: CSVWriter.data(t, excelFR: excelFR))
            case "md": return ByteBuffer(string: ReportDocument(report).markdown)
            case "pdf":
                let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("portrait-rapport-\(UUID().uuidString)")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: dir) }
                try PDFPrinter.print(html: ReportDocument(report).html, to: dir + "/rapport.pdf")
                return ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: dir + "/rapport.pdf")))
            default: return try Self.encode(report)
            }
        }
    }

    func gaps(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let territory = try Self.territory(q)
        guard let category = q.get("category") else { throw APIError.badRequest("paramètre category requis") }
        let maxKm = try Self.double(q.get("max_km"), "max_km", range: 0.1...500) ?? 15
        let maxMinutes = try Self.double(q.get("max_min"), "max_min", range: 0.1...600)
        let need = q.get("need"), base = q.get("base")
        return try await cached(request, contentType: Self.jsonType) { [self] in
            try Self.encode(try GapAnalysis.run(store: try store(), territory: territory, category: category, maxKm: maxKm, need: need, base: base,
                                                maxMinutes: maxMinutes))
        }
    }

    struct MobilisationsAnswer: Encodable, Sendable { let mobilisations: [Mobilisation]; let coverage: [MobilisationCoverage] }

    func mobilisations(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        let territory = try Self.territory(q)
        let year = try Self.year(q.get("year"), "year")
        return try await cached(request, contentType: Self.jsonType) { [self] in
            let s = try store()
            let coverage = try MobilisationCoverage.compute(store: s, territory: territory, year: year)
            guard !coverage.isEmpty else { throw APIError.notFound("\(territory) inconnue") }
            let all = try s.mobilisations().filter { m in coverage.contains { $0.mobilisations.contains(m.id) } }
            return try Self.encode(MobilisationsAnswer(mobilisations: all, coverage: coverage))
        }
    }

    // MARK: Maps and GeoJSON

    func map(level raw: String, file: String, request: Request) async throws -> Response {
        // CODE.svg: the map; CODE.json: its classes, colours and circles (`MapKey`), for clients that draw their own.
        guard file.hasSuffix(".svg") || file.hasSuffix(".json") else {
            throw APIError.notFound("cartes en SVG (/maps/\(raw)/CODE.svg) ou leur légende en JSON (/maps/\(raw)/CODE.json)")
        }
        let asKey = file.hasSuffix(".json")
        let territory = try Self.territory(kind: raw, code: String(file.dropLast(asKey ? 5 : 4)))
        let q = request.uri.queryParameters
        let styles = StyleCatalogue.names(in: options.stylesDirectory)
        let style = q.get("style") ?? "littoral"
        // Style names are looked up in the catalogue, never used as paths.
        guard styles.contains(style) else { throw APIError.notFound("style « \(style) » inconnu ; styles : \(styles.joined(separator: ", "))") }
        let vintage = try Self.year(q.get("vintage"), "vintage")
        let width = try Self.double(q.get("width"), "width", range: 300...4000) ?? 960
        let lang: Language? = try q.get("lang").map { try Self.language($0) }
        let indicator = q.get("indicator")
        let categories = q.getAll("category")
        let maxKm = try Self.double(q.get("max_km") ?? q.get("radius_km"), "max_km", range: 0.1...500) ?? 15
        let need = q.get("need"), enjeu = q.get("enjeu")
        let compare = try Self.year(q.get("compare"), "compare")
        let o = options
        var render = RenderRequest(territory: territory, style: style, indicator: indicator, vintage: vintage, width: width,
                                   language: lang, stylesDirectory: o.stylesDirectory, categories: categories, maxKm: maxKm, need: need,
                                   enjeu: enjeu, compare: compare)
        render.maxMinutes = try Self.double(q.get("max_min"), "max_min", range: 0.1...600)
        let drawn = render
        if asKey {
            return try await cached(request, contentType: Self.jsonType) {
                try Self.encode(try MapRenderer.key(storePath: o.storePath, request: drawn))
            }
        }
        return try await cached(request, contentType: "image/svg+xml; charset=utf-8") {
            ByteBuffer(string: try MapRenderer.render(storePath: o.storePath, request: drawn))
        }
    }

    /// `/charts/{kind}/{code}.svg`: the territory beside its references (the report's dot plot), or a region's MRC by
    /// population (`?chart=mrc`); 404 when the territory has nothing to compare.
    func chart(level raw: String, file: String, request: Request) async throws -> Response {
        guard file.hasSuffix(".svg") else { throw APIError.notFound("graphiques en SVG (/charts/\(raw)/CODE.svg)") }
        let territory = try Self.territory(kind: raw, code: String(file.dropLast(4)))
        let q = request.uri.queryParameters
        let lang = try Self.language(q.get("lang"))
        let which = q.get("chart") ?? "comparaison"
        guard ["comparaison", "mrc"].contains(which) else { throw APIError.badRequest("chart : comparaison ou mrc") }
        let styles = options.stylesDirectory
        return try await cached(request, contentType: "image/svg+xml; charset=utf-8") { [self] in
            let r = try ReportBuilder.build(store: try store(), options: ReportOptions(territory: territory, language: lang, stylesDirectory: styles, maps: false))
            var files: [(String, String)] = []
            let figures = ReportDocument.charts(r, mapPrefix: "graphique", files: &files)
            guard let svg = files.first(where: { $0.0.hasSuffix(which == "mrc" ? "-mrc-population.svg" : "-comparaison.svg") })?.1, !figures.isEmpty else {
                throw APIError.notFound("\(territory) : aucun graphique « \(which) » (pas de territoire de référence, ou pas de MRC)")
            }
            return ByteBuffer(string: svg)
        }
    }

    func geojson(_ layerName: String, _ request: Request) async throws -> Response {
        guard let layer = GeoJSONExport.Layer(rawValue: layerName) else {
            throw APIError.notFound("couche « \(layerName) » inconnue ; couches : \(GeoJSONExport.Layer.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let q = request.uri.queryParameters
        let territory = try Self.territory(q)
        let bbox = try q.get("bbox").map(Self.bbox)
        var simplify = try Self.double(q.get("simplify"), "simplify", range: 0...10_000)
        // Bounded responses: a whole region always comes simplified.
        if territory.kind == .region || territory.kind == .all || territory.kind == .custom, bbox == nil { simplify = max(simplify ?? 0, Self.simplifyFloorMetres) }
        let radius = try Self.double(q.get("radius_km"), "radius_km", range: 0.1...500) ?? 15
        let category = q.get("category"), need = q.get("need")
        let compare = try Self.year(q.get("compare"), "compare")
        let minutes = try Self.minutes(q.get("minutes"))
        let maxMinutes = try Self.double(q.get("max_min"), "max_min", range: 0.1...600)
        let simplifyMetres = simplify
        return try await cached(request, key: "#" + layerName, contentType: "application/geo+json; charset=utf-8") { [self] in
            let fc = try GeoJSONExport.export(layer, store: try store(), options: .init(territory: territory, bbox: bbox, simplifyMetres: simplifyMetres,
                                                                                        radiusKm: radius, category: category, need: need, compare: compare,
                                                                                        minutes: minutes, maxMinutes: maxMinutes))
            return ByteBuffer(string: GeoJSONWriter().string(fc))
        }
    }

    // MARK: Parameters

    /// The territory of a path: `/…/region/01`, `/mrc/10`, `/municipality/10070`, `/all/all` (or `/all`),
    /// `/custom/ID` (a stored custom territory), `/codes/10070,10060` (an inline one). Parsed once here.
    static func territory(kind raw: String, code: String) throws -> Territory { try Territory(kind: raw, code: code) }

    /// `region=`, `mrc=`, `municipality=`, `all=1`, `territory=` (custom) or `codes=`: exactly one, parsed once here.
    static func territory(_ q: Parameters) throws -> Territory {
        let given = ["region", "mrc", "municipality", "all", "territory", "codes"].compactMap { k in q.get(k).map { (k, $0) } }
        guard given.count == 1, let (k, v) = given.first else {
            throw APIError.badRequest("donnez un seul territoire : region=CODE, mrc=CODE, municipality=CODE, all=1, territory=NOM ou codes=C1,C2")
        }
        return try territory(kind: k == "territory" ? "custom" : k, code: v)
    }

    /// A year (a vintage, a comparison, an annual report): digits only, within `PlanDate.years` (1900 to 2100), else a 400
    /// naming the parameter. Every year a request gives goes through here, so that no arithmetic on it can overflow.
    static func year(_ raw: String?, _ name: String) throws -> Int? {
        guard let raw else { return nil }
        guard raw.count == 4, raw.allSatisfy(\.isASCII), raw.allSatisfy(\.isNumber), let v = Int(raw), PlanDate.years.contains(v) else {
            throw APIError.badRequest("\(name) : année de \(PlanDate.years.lowerBound) à \(PlanDate.years.upperBound) attendue (ex. 2021), reçu « \(raw.prefix(40)) »")
        }
        return v
    }

    static func double(_ raw: String?, _ name: String, range: ClosedRange<Double>) throws -> Double? {
        guard let raw else { return nil }
        guard let v = Double(raw), v.isFinite, range.contains(v) else {
            throw APIError.badRequest("\(name) : nombre entre \(NumberFormat.shortest(range.lowerBound)) et \(NumberFormat.shortest(range.upperBound)) attendu, reçu « \(raw.prefix(40)) »")
        }
        return v
    }

    /// `minutes=10,20,30`: one to six distinct limits of service areas, each above 0 and at most 600.
    static func minutes(_ raw: String?) throws -> [Double] {
        guard let raw else { return ServiceAreas.defaultLimits }
        guard let values = ServiceAreas.limits(raw) else {
            throw APIError.badRequest("minutes : \(ServiceAreas.limitsRule), reçu « \(Escape.plain(String(raw.prefix(40)))) »")
        }
        return values
    }

    static func language(_ raw: String?) throws -> Language {
        guard let raw else { return .fr }
        guard let l = Language(rawValue: raw) else { throw APIError.badRequest("lang : fr ou en") }
        return l
    }

    static func bbox(_ raw: String) throws -> BBox {
        let parts = raw.split(separator: ",", omittingEmptySubsequences: false)
        let v = parts.compactMap { Double($0) }
        guard parts.count == 4, v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[2], v[1] < v[3], v[0] >= -180, v[2] <= 180, v[1] >= -90, v[3] <= 90 else {
            throw APIError.badRequest("bbox : minLon,minLat,maxLon,maxLat attendu (WGS84), reçu « \(raw) »")
        }
        return BBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }
}
