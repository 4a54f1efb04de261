import Foundation
import Hummingbird
import HummingbirdTesting
import PortraitFeatures
import PortraitGeometry
import PortraitModel
@testable import PortraitServer
import PortraitSpatial
import PortraitStore
import PortraitTestSupport
import Testing

/// OGC API – Features: paging, filters and CRS as the standard says (pure, on made-up features), the routes over
/// HTTP on the shipped Bas-Saint-Laurent data, and the real clients (GDAL's OAPIF driver, OWSLib, pyproj) reading
/// every collection through `scripts/ogc-check`.
@Suite(.serialized) struct OGCFeaturesTests {
    static func points(_ n: Int) -> [Feature] {
        (0..<n).map { i in
            Feature(id: String(format: "p%03d", i), geometry: .point(Point(Position(-68 + Double(i) * 0.01, 48))),
                    properties: [("mrc_code", .string(i % 2 == 0 ? "10" : "07")), ("population", .int(i * 10)), ("share", .double(Double(i) / 4))])
        }
    }

    @Test func pagesCoverEveryFeatureOnceInOrder() throws {
        let all = Self.points(53)
        let names: Set<String> = ["mrc_code", "population", "share"]
        for limit in [1, 7, 10, 25, 53, 100] {
            var seen: [String] = [], offset = 0
            while true {
                let q = try FeatureQuery([("limit", String(limit)), ("offset", String(offset))], queryables: names)
                let page = try q.page(all)
                #expect(page.matched == 53)
                seen += page.features.compactMap(\.id)
                let doc = OGCDocuments.items(page, query: q, parameters: [("limit", String(limit)), ("offset", String(offset)), ("mrc", "x")],
                                             collection: .init(id: "c", title: "c", description: "", layer: .services), base: "http://h")
                let next = doc.contains("\"rel\":\"next\"")
                #expect(next == (offset + limit < 53), "limit \(limit) offset \(offset)")
                #expect(doc.contains("\"numberReturned\":\(page.features.count)") && doc.contains("\"numberMatched\":53"))
                if offset > 0 { #expect(doc.contains("\"rel\":\"prev\"")) }
                // Every parameter is carried by the links (only offset changes).
                if next { #expect(doc.contains("c/items?mrc=x&limit=\(limit)&offset=\(offset + limit)")) }
                guard next else { break }
                offset += limit
            }
            #expect(seen == all.compactMap(\.id), "limit \(limit)")
        }
        // Beyond the maximum: the maximum, never an error; below 1 or not a number: refused.
        #expect(try FeatureQuery([("limit", "50000")], queryables: names).limit == FeatureQuery.maximumLimit)
        for bad in [("limit", "0"), ("limit", "dix"), ("offset", "-1"), ("bbox", "1,2,3"), ("bbox", "3,2,1,4"), ("crs", "EPSG:4326"), ("f", "xml")] {
            #expect(throws: FeaturesError.self, "\(bad)") { try FeatureQuery([bad], queryables: names) }
        }
        // An unknown parameter is refused and named, with what is possible.
        do { _ = try FeatureQuery([("popluation", "3")], queryables: names); Issue.record("accepted") } catch let e as FeaturesError {
            #expect(e.kind == .invalidInput && e.message.contains("popluation") && e.message.contains("population"))
        }
    }

    @Test func filtersAndBoxesSelectWhatTheySay() throws {
        let all = Self.points(20)
        let names: Set<String> = ["mrc_code", "population", "share"]
        // Equality on a string, an integer (as a number) and a double; the `mrc` shorthand of mrc_code.
        #expect(try FeatureQuery([("mrc", "10")], queryables: names).page(all).matched == 10)
        #expect(try FeatureQuery([("population", "30")], queryables: names).page(all).features.map(\.id) == ["p003"])
        #expect(try FeatureQuery([("population", "30.0"), ("mrc_code", "07")], queryables: names).page(all).matched == 1)
        #expect(try FeatureQuery([("share", "1.25")], queryables: names).page(all).features.map(\.id) == ["p005"])
        // A box: the points inside it.
        #expect(try FeatureQuery([("bbox", "-67.955,47.9,-67.925,48.1")], queryables: names).page(all).features.map(\.id) == ["p005", "p006", "p007"])
        // A triangle whose envelope meets the box but whose surface does not: left out.
        let triangle = Feature(id: "t", geometry: .polygon(Polygon(exterior: [Position(0, 0), Position(10, 0), Position(0, 10), Position(0, 0)])))
        #expect(try FeatureQuery([("bbox", "8,8,9,9")], queryables: []).page([triangle]).matched == 0)
        #expect(try FeatureQuery([("bbox", "1,1,2,2")], queryables: []).page([triangle]).matched == 1)
        // The same box given in Québec Lambert (bbox-crs) selects the same points.
        let corners = try Projection.toQuebecLambert([Position(-67.955, 47.9), Position(-67.925, 48.1)])
        let lambert = "\(corners[0].x),\(corners[0].y),\(corners[1].x),\(corners[1].y)"
        let inLambert = try FeatureQuery([("bbox", lambert), ("bbox-crs", "http://www.opengis.net/def/crs/EPSG/0/32198")], queryables: names).page(all)
        #expect(Set(inLambert.features.compactMap(\.id)).isSuperset(of: ["p005", "p006", "p007"]) && inLambert.matched <= 4)
        // Asked in EPSG:32198, the coordinates are PROJ's.
        let q = try FeatureQuery([("crs", "http://www.opengis.net/def/crs/EPSG/0/32198"), ("limit", "1")], queryables: names)
        let p = try q.page(all).features[0]
        guard case .point(let pt)? = p.geometry else { Issue.record("no point"); return }
        let expected = try Projection.toQuebecLambert(Position(-68, 48))
        #expect(abs(pt.position.x - expected.x) < 1e-6 && abs(pt.position.y - expected.y) < 1e-6)
    }

    static func app() throws -> some ApplicationProtocol { try TerritoryRoutesTests.app() }

    @Test func theRoutesAnswerAsTheStandardSays() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/conformance", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect((j["conformsTo"] as? [String]) == OGCDocuments.conformance)
            }
            var etag = ""
            try await client.execute(uri: "/collections", method: .get) { r in
                etag = r.headers[.eTag] ?? ""
                let j = try #require(try json(r.body) as? [String: Any])
                let list = try #require(j["collections"] as? [[String: Any]])
                #expect(list.compactMap { $0["id"] as? String } == ["regions", "mrc", "municipalities", "services", "mobilisations", "mobilisation-coverage",
                                                                    "coastline", "gaps-ecole", "gaps-sante"])
                let m = try #require(list.first { $0["id"] as? String == "municipalities" })
                #expect(m["storageCrs"] as? String == FeatureCRS.crs84.rawValue && (m["crs"] as? [String])?.count == 2)
                let bbox = (((m["extent"] as? [String: Any])?["spatial"] as? [String: Any])?["bbox"] as? [[Double]])?.first
                #expect(bbox.map { $0[0] < -69.9 && $0[2] > -66.0 && $0[1] < 47.1 && $0[3] > 49.1 } == true)
            }
            // The same answer revalidated: 304, as the other routes.
            try await client.execute(uri: "/collections", method: .get, headers: [.ifNoneMatch: etag]) { r in #expect(r.status == .notModified) }
            try await client.execute(uri: "/collections/municipalities/items?limit=10&offset=120&mrc_code=10", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["numberMatched"] as? Int == 10 && j["numberReturned"] as? Int == 0)
                #expect(r.headers[.contentType] == "application/geo+json" && r.headers[.init("Content-Crs")!] == "<\(FeatureCRS.crs84.rawValue)>")
            }
            try await client.execute(uri: "/collections/municipalities/items?designation=V&limit=100", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let features = try #require(j["features"] as? [[String: Any]])
                #expect(j["numberMatched"] as? Int == 15 && features.allSatisfy { ($0["properties"] as? [String: Any])?["designation"] as? String == "V" })
            }
            try await client.execute(uri: "/collections/services/items?category=sante&limit=1000", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["numberMatched"] as? Int == 182)
            }
            try await client.execute(uri: "/collections/municipalities/items/10070", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["id"] as? String == "10070" && (j["properties"] as? [String: Any])?["population"] as? Double == 1834)
                #expect((j["links"] as? [[String: Any]])?.contains { $0["rel"] as? String == "collection" } == true)
            }
            try await client.execute(uri: "/collections/municipalities/queryables", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let props = try #require(j["properties"] as? [String: [String: Any]])
                #expect(props["mrc_code"]?["type"] as? String == "string" && props["densite_population"]?["type"] as? String == "number")
            }
            for (uri, status) in [("/collections/nulle/items", HTTPResponse.Status.notFound), ("/collections/municipalities/items/99999", .notFound),
                                  ("/collections/municipalities/items?popluation=3", .badRequest),
                                  ("/collections/municipalities/items?crs=EPSG:4326", .badRequest),
                                  ("/collections/municipalities/items?limit=0", .badRequest)] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == status, "\(uri): \(String(buffer: r.body))")
                }
            }
        }
    }

    static var clients: Bool {
        (try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import owslib, pyproj; print('oui')"]))?.hasPrefix("oui") == true
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ogr2ogr")
    }

    @Test(.enabled(if: clients || ProcessInfo.processInfo.environment["CI"] == "true",
                   "gdal-bin, owslib ou pyproj absent (scripts/setup les installe) : test ignoré hors CI"))
    func gdalAndOWSLibReadEveryCollection() async throws {
        let out = tempDir("portrait-ogc")
        let path = try TerritoryRoutesTests.store.get()
        try await Self.app().test(.live) { client in
            let store = try Stores.open(path)
            let port = try #require(client.port)
            let text = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/ogc-check", "http://127.0.0.1:\(port)", out])
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any], "scripts/ogc-check printed: « \(text) »")
            #expect(j["error"] == nil, "\(j["error"] ?? "") \(j["trace"] ?? "")")
            let collections = try FeatureCollections.list(store: store)
            #expect(j["ogrinfo"] as? [String] == collections.map(\.id))
            // Each collection copied by ogr2ogr ten features a request: the store's features, count for count, value for value.
            for c in collections {
                let expected = try FeatureCollections.features(c, store: store, radiusKm: 15)
                let data = try Data(contentsOf: URL(fileURLWithPath: out + "/\(c.id).geojson"))
                let copied = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["features"] as? [[String: Any]])
                #expect(copied.count == expected.count && expected.count > 0, "\(c.id)")
                for (f, e) in zip(copied, expected) {
                    let p = f["properties"] as? [String: Any] ?? [:]
                    #expect(p["id"] as? String == e.id, "\(c.id)")
                    for (k, v) in e.properties {
                        // A field null on GDAL's first page is typed as text: its later numbers come as their text.
                        #expect(Self.same(p[k], v) || (p[k] as? String).flatMap(Double.init).map { Self.same(NSNumber(value: $0), v) } == true, "\(c.id) \(e.id ?? "") \(k): \(String(describing: p[k])) ≠ \(v)")
                    }
                    // The same positions (GeoJSON writes rings counter-clockwise, whatever the store's order).
                    let a = Self.pairs(Self.coordinates(f["geometry"])), b = Self.pairs(e.geometry.map(Self.positions) ?? [])
                    let close = zip(a, b).allSatisfy { (p: (Double, Double), q: (Double, Double)) -> Bool in abs(p.0 - q.0) < 1.5e-8 && abs(p.1 - q.1) < 1.5e-8 }
                    let first = zip(a, b).first { p, q in abs(p.0 - q.0) >= 1.5e-8 || abs(p.1 - q.1) >= 1.5e-8 }
                    #expect(a.count == b.count && close, "\(c.id) \(e.id ?? ""): geometry \(a.count) \(String(describing: first))")
                }
            }
            let owslib = try #require(j["owslib"] as? [String: Any])
            #expect((owslib["conformance"] as? [String]) == OGCDocuments.conformance)
            #expect(owslib["collections"] as? [String] == collections.map(\.id))
            let units = try store.units(.municipality, withGeometry: true).filter { !$0.isAquatic }
            #expect(owslib["paged_ids"] as? [String] == units.map(\.code).sorted())
            #expect(owslib["mrc10"] as? [String] == units.filter { $0.mrcCode == "10" }.map(\.code).sorted())
            // The box, checked with GEOS on the stored polygons.
            let frame = Geometry.polygon(Polygon(exterior: [Position(-68.7, 48.3), Position(-68.4, 48.3), Position(-68.4, 48.5), Position(-68.7, 48.5), Position(-68.7, 48.3)]))
            let inside = try units.filter { try Geometry.multiPolygon($0.geometry).intersects(frame) }.map(\.code).sorted()
            #expect(owslib["bbox_ids"] as? [String] == inside && !inside.isEmpty)
            let crs = try #require(j["crs"] as? [String: Any])
            #expect(crs["content_crs"] as? String == "<\(FeatureCRS.quebecLambert.rawValue)>")
            #expect((crs["points"] as? Int ?? 0) > 500 && (crs["max_difference_m"] as? Double ?? 1) < 0.001, "\(crs)")
        }
    }

    static func same(_ a: Any?, _ b: PropertyValue) -> Bool {
        switch b {
        case .null: return a == nil || a is NSNull
        case .string(let s): return a as? String == s
        case .bool(let v): return (a as? Bool) == v || (a as? NSNumber)?.intValue == (v ? 1 : 0)
        case .int(let i): return (a as? NSNumber)?.doubleValue == Double(i)
        case .double(let d): return (a as? NSNumber).map { abs($0.doubleValue - d) <= 1e-9 * max(1, abs(d)) } == true
        }
    }

    static func coordinates(_ g: Any?) -> [Double] {
        func flat(_ v: Any) -> [Double] {
            if let n = v as? NSNumber { return [n.doubleValue] }
            if let a = v as? [Any] { return a.flatMap(flat) }
            return []
        }
        return flat((g as? [String: Any])?["coordinates"] ?? [])
    }

    /// Coordinates as (x, y) pairs rounded to 1e-8 and sorted.
    static func pairs(_ flat: [Double]) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var i = 0
        while i + 1 < flat.count {
            let x: Double = (flat[i] * 1e8).rounded() / 1e8
            let y: Double = (flat[i + 1] * 1e8).rounded() / 1e8
            out.append((x, y))
            i += 2
        }
        return out.sorted { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
    }

    static func positions(_ g: Geometry) -> [Double] {
        var out: [Double] = []
        g.forEachPosition { out += [$0.x, $0.y] }
        return out
    }
}
