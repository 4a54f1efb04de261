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

/// Every kind of territory over HTTP, on the real Bas-Saint-Laurent data the project ships (geodata/bsl), and the
/// viewer driven in headless Chromium: a click opens a municipality's fiche, a bookmarked URL reopens the same view.
@Suite(.serialized) struct TerritoryRoutesTests {
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-routes-bsl")
        let s = try ShippedBSL.load(into: dir + "/bsl.gpkg")
        let t = try write("nom,codes\nHaut-Pays de la Neigette,10005|10010|10015|10025|10075\n", "territoires.csv", in: dir)
        _ = try TerritoriesImporter.run(file: t, storePath: s)
        return s
    }

    static func app() throws -> some ApplicationProtocol {
        buildApplication(ServerOptions(host: "127.0.0.1", port: 0, storePath: try store.get(), stylesDirectory: root + "/styles",
                                       tilesDirectory: (try store.get() as NSString).deletingLastPathComponent + "/tiles",
                                       webDirectory: root + "/web", logLevel: .warning))
    }

    static func population(_ codes: [String]) throws -> Double {
        let p = try Stores.open(try store.get()).indicatorValues("population", vintage: 2021)
        return codes.compactMap { p[$0]?.number }.reduce(0, +)
    }

    @Test func everyKindOfTerritoryAnswers() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/portrait/municipality/10070", method: .get) { r in
                #expect(r.status == .ok)
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["population"] as? Double == 1834)
                let figures = (j["comparison"] as? [String: Any])?["figures"] as? [[String: Any]]
                let refs = figures?.first?["references"] as? [[String: Any]]
                #expect(refs?.compactMap { $0["value"] as? Double } == [57_191, 199_039])
                #expect((figures?.first?["rank"] as? [String: Any])?["of"] as? Int == 111)
            }
            try await client.execute(uri: "/portrait/municipality/10070?reference=mrc:07", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(((j["comparison"] as? [String: Any])?["references"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["07"])
            }
            try await client.execute(uri: "/portrait/all", method: .get) { r in
                #expect(r.status == .ok)
                let j = try json(r.body) as? [String: Any]
                #expect(j?["population"] as? Double == 199_039)
            }
            try await client.execute(uri: "/territories", method: .get) { r in
                let list = try #require(try json(r.body) as? [[String: Any]])
                #expect(list.map { $0["id"] as? String } == ["haut-pays-de-la-neigette"])
                let expected = try Self.population(["10005", "10010", "10015", "10025", "10075"])
                #expect(list.first?["population"] as? Double == expected)
            }
            for uri in ["/portrait/custom/haut-pays-de-la-neigette", "/portrait/codes/10005,10010,10015,10025,10075"] {
                let expected = try Self.population(["10005", "10010", "10015", "10025", "10075"])
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok, "\(uri)")
                    let population = (try json(r.body) as? [String: Any])?["population"] as? Double
                    #expect(population == expected)
                }
            }
            // Maps, exports and gaps for each kind.
            for q in ["municipality=10070", "all=1", "territory=haut-pays-de-la-neigette", "codes=10070,10060"] {
                try await client.execute(uri: "/geojson/municipalities?\(q)", method: .get) { r in
                    #expect(r.status == .ok, "\(q)")
                    let n = ((try json(r.body) as? [String: Any])?["features"] as? [Any])?.count
                    #expect(n == (q.hasPrefix("municipality") ? 1 : q.hasPrefix("codes") ? 2 : q.hasPrefix("territory") ? 5 : 127), "\(q): \(n ?? -1)")
                }
                try await client.execute(uri: "/gaps?\(q)&category=sante", method: .get) { r in #expect(r.status == .ok, "\(q)") }
            }
            for path in ["municipality/10070", "all/all", "custom/haut-pays-de-la-neigette", "codes/10070,10060"] {
                try await client.execute(uri: "/maps/\(path).svg?style=services", method: .get) { r in
                    #expect(r.status == .ok && String(buffer: r.body).hasPrefix("<?xml"), "\(path)")
                }
            }
            // Mistakes are named: 400 for a bad code or two territories, 404 for an unknown custom territory.
            for (uri, status) in [("/portrait/municipality/abc", HTTPResponse.Status.badRequest), ("/portrait/custom/inconnu", .notFound),
                                  ("/gaps?region=01&mrc=10&category=sante", .badRequest), ("/portrait/codes/10070,99999", .notFound),
                                  ("/portrait/planete/1", .badRequest)] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == status, "\(uri): \(String(buffer: r.body))") }
            }
        }
    }

    static var selenium: Bool {
        (try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import selenium; print('oui')"]))?.hasPrefix("oui") == true
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    /// The portrait's tables over HTTP: CSV (one table, either layout) and the workbook, linked from the served report.
    @Test func theTablesDownloadFromTheReport() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/portrait/mrc/10?format=html", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("Télécharger les données") && html.contains("href=\"/portrait/mrc/10?format=xlsx\""))
            }
            try await client.execute(uri: "/portrait/mrc/10?format=csv&table=municipalites&excel_fr=1", method: .get) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8" && r.headers[.contentDisposition]?.contains("portrait-mrc-10-municipalites.csv") == true)
                let bytes = Array(r.body.readableBytesView)
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
                let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                #expect(text.hasPrefix("code;nom;") && text.contains("10070;Saint-Fabien;P;10;littoral;population;1834;valeur;habitants;2021;"))
            }
            try await client.execute(uri: "/portrait/mrc/10?format=xlsx", method: .get) { r in
                #expect(Array(r.body.readableBytesView.prefix(2)) == [0x50, 0x4B])   // a zip
            }
            try await client.execute(uri: "/portrait/mrc/10?format=csv&table=nulle", method: .get) { r in
                #expect(r.status == .notFound && String(buffer: r.body).contains("municipalites"))
            }
        }
    }

    /// The classes the viewer draws come from the server (`/maps/…json`), computed by the same theme as the SVG map:
    /// every unit's colour, every circle's value, the legend rows; and each indicator names the style that maps it.
    @Test func theViewersMapKeyIsTheSVGsClasses() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/indicators", method: .get) { r in
                let list = try #require(try json(r.body) as? [[String: Any]])
                let style = Dictionary(uniqueKeysWithValues: list.map { (($0["definition"] as! [String: Any])["name"] as! String, $0["style"] as! String) })
                #expect(style["population"] == "population" && style["densite_population"] == "densite" && style["revenu_median_menage"] == "taux")
            }
            // Density: the SVG's fill of each unit is the key's colour.
            var svg = ""
            try await client.execute(uri: "/maps/region/01.svg?style=densite", method: .get) { r in svg = String(buffer: r.body) }
            var fills: [String: String] = [:]
            for m in svg.matches(of: /<path[^>]*data-code="(\d+)"[^>]*fill="(#[0-9a-f]{6})"/) { fills[String(m.1)] = String(m.2) }
            try await client.execute(uri: "/maps/region/01.json?style=densite", method: .get) { r in
                #expect(r.status == .ok && r.headers[.eTag] != nil)
                let k = try #require(try json(r.body) as? [String: Any])
                #expect(k["symbol"] as? String == "choropleth")
                let units = try #require(k["units"] as? [[String: Any]])
                let plain = units.filter { $0["hatch"] == nil }
                #expect(plain.count >= 120 && fills.count >= 120)
                for u in plain { #expect(fills[u["code"] as! String] == u["color"] as? String, "\(u)") }
                let rows = try #require(k["rows"] as? [[String: Any]])
                #expect(rows.prefix(5).compactMap { $0["count"] as? Int }.reduce(0, +) == units.filter { ($0["data"] as? [String: String])?["class"] != nil }.count)
            }
            // Population: one circle per inhabited municipality, the SVG's values, the largest first.
            svg = ""
            try await client.execute(uri: "/maps/region/01.svg?style=population", method: .get) { r in svg = String(buffer: r.body) }
            var circles: [String: String] = [:]
            for m in svg.matches(of: /<circle class="cercle" data-code="(\d+)" data-value="([0-9.]+)"/) { circles[String(m.1)] = String(m.2) }
            try await client.execute(uri: "/maps/region/01.json?style=population", method: .get) { r in
                let k = try #require(try json(r.body) as? [String: Any])
                let c = try #require(k["circles"] as? [[String: Any]])
                #expect(k["symbol"] as? String == "circles" && c.count == circles.count && c.count > 100)
                for x in c { #expect(circles[x["code"] as! String].flatMap(Double.init) == x["value"] as? Double) }
                let values = c.compactMap { $0["value"] as? Double }
                #expect(values == values.sorted(by: >))
                #expect(c.allSatisfy { ($0["lat"] as? Double).map { (47...50).contains($0) } == true })
                #expect((k["legend_circles"] as? [[String: Any]])?.count == 3)
            }
        }
    }

    @Test(.enabled(if: (ViewerTests.chromium != nil && ViewerTests.leaflet && selenium) || ProcessInfo.processInfo.environment["CI"] == "true",
                   "chromium, chromium-driver, selenium ou libjs-leaflet absent (scripts/setup les installe) : test ignoré hors CI"))
    func clickingAMunicipalityOpensItsFicheAndTheURLKeepsTheView() async throws {
        try await Self.app().test(.live) { client in
            let port = try #require(client.port)
            let out = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/viewer-check", "http://127.0.0.1:\(port)/?region=01", "10070"])
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "scripts/viewer-check printed: « \(out) »")
            #expect(j["error"] == nil, "scripts/viewer-check: \(j["error"] ?? "") at \(j["at"] ?? "") (\(j["url"] ?? ""))")
            #expect(j["clickable"] as? Bool == true)
            let fiche = try #require(j["after_click"] as? [String: Any])
            let text = try #require(fiche["text"] as? String)
            for s in ["Saint-Fabien (10070)", "Rimouski-Neigette", "Bas-Saint-Laurent", "18 / 111", "Installations de santé", "lacune",
                      "Comité local de coordination COSMOSS Rimouski-Neigette"] {
                #expect(text.contains(s), "« \(s) » absent from the fiche: \(text)")
            }
            // The population as the viewer prints it (fr-CA groups with a narrow no-break space).
            #expect(text.replacingOccurrences(of: "\u{202F}", with: " ").replacingOccurrences(of: "\u{A0}", with: " ").contains("57 191"))
            let links = try #require(fiche["links"] as? [String: String])
            #expect(links["fiche-html"]?.hasSuffix("/portrait/municipality/10070?format=html") == true)
            #expect(links["fiche-pdf"]?.hasSuffix("/portrait/municipality/10070?format=pdf") == true)
            #expect((j["url_after_click"] as? String)?.contains("municipality=10070") == true)
            let bookmark = try #require(j["bookmark"] as? String)
            #expect(bookmark.contains("map=population") && bookmark.contains("municipality=10070"))
            let reopened = try #require(j["reopened"] as? [String: Any])
            #expect(reopened["map"] as? String == "population")
            #expect(((reopened["fiche"] as? [String: Any])?["text"] as? String)?.contains("Saint-Fabien (10070)") == true)
            let back = try #require(j["after_back"] as? [String: Any])
            #expect(back["map"] as? String == "littoral" && (back["url"] as? String)?.contains("municipality=10070") == true)
            // Without a mouse: Tab reaches Saint-Fabien (a labelled button, its focus drawn), Enter opens its fiche.
            let keyboard = try #require(j["keyboard"] as? [String: Any])
            let focused = keyboard["focused"] as? [Any]
            #expect((focused?[1] as? String) == "button" && (focused?[2] as? String)?.hasPrefix("Saint-Fabien (10070)") == true)
            #expect((focused?[4] as? String) == "3px")
            #expect(keyboard["fiche"] as? String == "Saint-Fabien (10070)")
            #expect(j["list_buttons"] as? Int == 127)   // the list alternative to the map: every land unit
            print("capture de la fiche dans la visionneuse : \(j["screenshot"] ?? "")")
        }
    }
}
