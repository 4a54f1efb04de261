import Foundation
import PortraitGeometry
import PortraitModel

/// The JSON documents of OGC API – Features (Part 1 core and GeoJSON, Part 2 CRS, Part 3 queryables): landing
/// page, conformance, collections, items and one item, queryables. Pure: the base URL, the collection, the
/// features and the page are given.
public enum OGCDocuments {
    /// The conformance classes implemented, and only those.
    public static let conformance = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    ]
    public static let geojson = "application/geo+json"
    public static let json = "application/json"
    public static let openapi = "application/vnd.oai.openapi+json;version=3.0"

    static func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> [String: Any] {
        var l: [String: Any] = ["href": href, "rel": rel, "type": type]
        if let title { l["title"] = title }
        return l
    }

    public static func encode(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    public static func landing(base: String) throws -> Data {
        try encode([
            "title": "Portrait : portraits territoriaux du Québec",
            "description": "Limites, indicateurs, services, mobilisations et lacunes des territoires du Québec (régions, MRC, municipalités), en OGC API – Features.",
            "links": [
                link(base + "/", "self", json, "Cette page"),
                link(base + "/openapi.json", "service-desc", openapi, "La définition de l'API (OpenAPI 3.0)"),
                link(base + "/conformance", "conformance", json, "Les classes de conformité"),
                link(base + "/collections", "data", json, "Les collections"),
            ],
        ])
    }

    public static func conformanceDocument() throws -> Data { try encode(["conformsTo": conformance]) }

    static func extent(_ b: BBox?) -> [String: Any] {
        var e: [String: Any] = [:]
        if let b {
            e["spatial"] = ["bbox": [[b.minX, b.minY, b.maxX, b.maxY]], "crs": FeatureCRS.crs84.rawValue]
        }
        return e
    }

    static func collectionObject(_ c: FeatureCollections.Collection, extent b: BBox?, base: String) -> [String: Any] {
        let url = base + "/collections/" + c.id
        var o: [String: Any] = [
            "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
            "crs": FeatureCRS.allCases.map(\.rawValue), "storageCrs": FeatureCRS.crs84.rawValue,
            "links": [
                link(url, "self", json, c.title),
                link(url + "/items", "items", geojson, "Les entités"),
                link(url + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Les propriétés filtrables"),
                // The schema of the items' properties, so that a client (GDAL) types each field from it and not from a
                // first page whose numbers happen to be whole.
                link(url + "/schema", "describedby", "application/schema+json", "Le schéma des propriétés"),
            ],
        ]
        let e = extent(b)
        if !e.isEmpty { o["extent"] = e }
        return o
    }

    public static func collections(_ list: [(FeatureCollections.Collection, BBox?)], base: String) throws -> Data {
        try encode([
            "links": [link(base + "/collections", "self", json, "Les collections")],
            "crs": FeatureCRS.allCases.map(\.rawValue),
            "collections": list.map { collectionObject($0.0, extent: $0.1, base: base) },
        ])
    }

    public static func collection(_ c: FeatureCollections.Collection, extent b: BBox?, base: String) throws -> Data {
        try encode(collectionObject(c, extent: b, base: base))
    }

    public static func queryables(_ c: FeatureCollections.Collection, _ q: [(name: String, type: String)], base: String) throws -> Data {
        var props: [String: Any] = [:]
        for (name, type) in q { props[name] = ["type": type, "title": name] }
        return try encode([
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": base + "/collections/" + c.id + "/queryables",
            "type": "object", "title": c.title, "properties": props,
        ])
    }

    /// A page of items: `numberMatched`, `numberReturned`, `timeStamp`, and links `self`, `next`, `prev` and `collection`
    /// that carry every parameter of the request (only `offset` changes).
    public static func items(_ page: (features: [Feature], matched: Int), query q: FeatureQuery, parameters: [(String, String)],
                             collection c: FeatureCollections.Collection, base: String, now: Date = Date()) -> String {
        let url = base + "/collections/" + c.id + "/items"
        func href(offset: Int?) -> String {
            var items = parameters.filter { $0.0 != "offset" && $0.0 != "limit" }
            items.append(("limit", String(q.limit)))
            if let offset, offset > 0 { items.append(("offset", String(offset))) }
            return url + "?" + items.map { Self.escape($0.0) + "=" + Self.escape($0.1) }.joined(separator: "&")
        }
        var links = [link(href(offset: q.offset), "self", geojson, "Cette page"), link(base + "/collections/" + c.id, "collection", json, c.title)]
        if q.offset + page.features.count < page.matched { links.append(link(href(offset: q.offset + q.limit), "next", geojson, "Page suivante")) }
        if q.offset > 0 { links.append(link(href(offset: max(0, q.offset - q.limit)), "prev", geojson, "Page précédente")) }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        var out = "{\"type\":\"FeatureCollection\",\"numberMatched\":\(page.matched),\"numberReturned\":\(page.features.count)"
        out += ",\"timeStamp\":\"\(f.string(from: now))\",\"links\":" + String(decoding: (try? encode(links)) ?? Data("[]".utf8), as: UTF8.self)
        out += ",\"features\":["
        let writer = GeoJSONWriter(precision: q.crs.precision, decimalPointInReals: true)
        for (i, feature) in page.features.enumerated() {
            out += (i > 0 ? ",\n" : "\n") + writer.string(feature)
        }
        return out + "\n]}\n"
    }

    /// One item, with its `self` and `collection` links.
    public static func item(_ feature: Feature, crs: FeatureCRS, collection c: FeatureCollections.Collection, base: String) -> String {
        let writer = GeoJSONWriter(precision: crs.precision, decimalPointInReals: true)
        var s = writer.string(feature)
        let url = base + "/collections/" + c.id
        let links = [link(url + "/items/" + escape(feature.id ?? ""), "self", geojson), link(url, "collection", json, c.title)]
        s.removeLast()   // the closing brace
        return s + ",\"links\":" + String(decoding: (try? encode(links)) ?? Data("[]".utf8), as: UTF8.self) + "}\n"
    }

    static func escape(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
