import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortraitGeometry
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Testing

/// What a hostile request can do to the server: nothing. Numbers at their extremes on a store holding every kind of
/// data (the real BSL data, a custom territory, COSMOSS's plan with its measurements), parameters validated to their
/// standard, names carrying SQL refused at the edge and quoted in the store, answers that name no server path,
/// tokens limited to a committee's measurements (both backends).
@Suite(.serialized) struct HostileInputTests {
    static let plans = root + "/geodata/plans"

    /// BSL + a custom territory + COSMOSS's SYNTHETIC plan and measurements.
    static let stores = PerBackend<String> { backend in
        let s = try ShippedBSL.load(into: try backend.newStore("hostile"))
        let dir = tempDir("portrait-hostile")
        _ = try TerritoriesImporter.run(file: try write("nom,codes\nHaut-Pays de la Neigette,10005|10010|10015|10025|10075\n", "t.csv", in: dir), storePath: s)
        _ = try PlanImporter.run(file: plans + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: s)
        _ = try MeasurementImporter.run(file: plans + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: s)
        return s
    }

    static func options(_ store: String, tokens: String? = nil) throws -> ServerOptions {
        var o = ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                              tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .error)
        if let tokens { o.writeTokens = try WriteTokens.parse(tokens) }
        return o
    }

    /// The extremes of a number as a client can write it.
    static let extremes = ["-9223372036854775808", "9223372036854775807", "9223372036854775808", "-99999999999999999999", "-1", "0", "-0",
                           "1e400", "-1e400", "1e-400", "NaN", "nan", "inf", "-inf", "Infinity", "0x7FFFFFFFFFFFFFFF", "0x10", "", "%20", "1.5", "+2021",
                           "2021%20", "%E0%A5%A8%E0%A5%A6%E0%A5%A8%E0%A5%A7", "1900", "2100", "2101", "-5"]

    /// Every numeric parameter of every route, each given every extreme, then the tiles' coordinates: the process
    /// answers every one below 500, and `/health` after them.
    @Test(arguments: Backend.available)
    func extremesLeaveTheServerStanding(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        let templates = [
            "/plans/01-cosmoss?format=json&annual=X", "/plans/01-cosmoss?format=json&date=X", "/plans?date=X", "/plans/01-cosmoss?format=csv&annual=X",
            "/plans/01-cosmoss?format=svg&annual=X",
            "/portrait/mrc/10?format=json&vintage=X", "/portrait/mrc/10?format=json&compare=X", "/portrait/custom/haut-pays-de-la-neigette?format=json&max_km=X",
            "/mobilisations?region=01&year=X", "/gaps?mrc=10&category=sante&max_km=X",
            "/collections/municipalities/items?limit=X", "/collections/municipalities/items?offset=X", "/collections/services/items?limit=X&offset=X",
            "/collections/municipalities/items?bbox=X,47,-67,49", "/collections/municipalities/items?bbox=-70,X,-67,49",
            "/collections/municipalities/items?bbox=X,X,X,X", "/collections/municipalities/items?bbox=X,X,X,X&bbox-crs=EPSG:32198",
            "/collections/municipalities/items?radius_km=X", "/collections/municipalities/items?crs=EPSG:32198&limit=X",
            "/geojson/municipalities?mrc=10&simplify=X", "/geojson/municipalities?mrc=10&bbox=X,47,-67,49", "/geojson/gaps?mrc=10&category=sante&radius_km=X",
            "/maps/mrc/10.svg?width=X", "/maps/mrc/10.svg?style=population&vintage=X", "/maps/mrc/10.json?style=gaps&category=sante&max_km=X",
            "/tiles/municipalities/X/0/0.mvt", "/tiles/municipalities/0/X/0.mvt", "/tiles/municipalities/0/0/X.mvt", "/tiles/municipalities/X/X/X.mvt",
        ]
        let sent = try await buildApplication(try Self.options(store)).test(.live) { client -> Int in
            var sent = 0
            for t in templates {
                for x in Self.extremes {
                    let uri = t.replacingOccurrences(of: "X", with: x)
                    try await client.execute(uri: uri, method: .get) { r in
                        #expect(r.status.code < 500, "\(uri) → \(r.status.code) \(String(buffer: r.body).prefix(200))")
                    }
                    sent += 1
                }
            }
            // The issue's two killers, on a store with a plan and its measurements: refused, and the process still here.
            for uri in ["/plans/01-cosmoss?annual=-9223372036854775808", "/plans/01-cosmoss?format=json&annual=9223372036854775807"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .badRequest, "\(uri)") }
            }
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body).contains("\"status\":\"ok\""))
            }
            return sent
        }
        #expect(sent == templates.count * Self.extremes.count)
    }

    /// OGC API – Features and the plan's parameters to their standard: a 400 naming the parameter.
    @Test func parametersValidatedToTheirStandard() async throws {
        let store = try Self.stores.get(.geopackage)
        try await buildApplication(try Self.options(store)).test(.router) { client in
            let refused: [(String, String)] = [
                ("/collections/municipalities/items?bbox=inf,-inf,inf,inf", "bbox"), ("/collections/municipalities/items?bbox=-1e400,47,-67,49", "bbox"),
                ("/collections/municipalities/items?bbox=nan,47,-67,49", "bbox"), ("/collections/municipalities/items?bbox=-70,47,-67", "bbox"),
                ("/collections/municipalities/items?bbox=-70,,-67,49", "bbox"), ("/collections/municipalities/items?bbox=-700,47,-67,49", "bbox"),
                ("/collections/municipalities/items?datetime=junk", "datetime"), ("/collections/municipalities/items?datetime=2021-13-45T99:99:99Z", "datetime"),
                ("/collections/municipalities/items?datetime=2021-02-30", "datetime"), ("/collections/municipalities/items?datetime=../..", "datetime"),
                ("/collections/municipalities/items?bbox-crs=EPSG:32198", "bbox-crs"), ("/collections/municipalities/items?limit=0x10", "limit"),
                ("/collections/municipalities/items?offset=-1", "offset"), ("/collections/municipalities/items?offset=99999999999", "offset"),
                ("/plans/01-cosmoss?annual=-5", "annual"), ("/plans/01-cosmoss?annual=2101", "annual"), ("/plans/01-cosmoss?annual=1900", "1901"),
                ("/plans/01-cosmoss?date=2021-13-01", "date"), ("/portrait/mrc/10?format=json&vintage=-9223372036854775808", "vintage"),
                ("/mobilisations?region=01&year=99999", "year"),
            ]
            for (uri, name) in refused {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .badRequest, "\(uri) → \(r.status.code)")
                    #expect(String(buffer: r.body).contains(name), "\(uri): \(String(buffer: r.body))")
                }
            }
            // What the standards allow still answers.
            for uri in ["/collections/municipalities/items?datetime=2021-05-11T10:00:00Z", "/collections/municipalities/items?datetime=2021-05-11",
                        "/collections/municipalities/items?datetime=../2021-01-01T00:00:00%2B05:00", "/collections/municipalities/items?datetime=2020-01-01/..",
                        "/collections/municipalities/items?limit=99999999999", "/collections/municipalities/items?bbox=-70,47,-67,49",
                        "/collections/municipalities/items?bbox=-1e2,47,-67,49", "/plans/01-cosmoss?format=json&annual=2025", "/plans?date=2025"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok, "\(uri) → \(r.status.code) \(String(buffer: r.body).prefix(200))") }
            }
        }
    }

    /// What a store holds, table by table, as counts: unchanged means the same answer.
    static func census(_ path: String) throws -> [String: Int] {
        let s = try Stores.open(path)
        return ["mobilisations": try s.mobilisations().count, "plans": try s.plans().count, "targets": try s.planTargets(plan: nil).count,
                "indicators": try s.indicatorDefinitions().count, "imports": try s.imports(limit: 10_000).count,
                "municipalities": try s.units(.municipality, withGeometry: false).count, "regions": try s.units(.region, withGeometry: false).count,
                "services": try s.services(intersecting: BBox(minX: -180, minY: -90, maxX: 180, maxY: 90)).count,
                "layer_styles": try s.layerStyles().count]
    }

    static let sql = [#"zz" REAL); COMMIT; DELETE FROM mobilisations; BEGIN; CREATE TEMP TABLE "zz_pad" ("a"#,
                      "a'; DROP TABLE plans; --", "x`y", "p\"", "nom;DELETE FROM imports", "a\\\"b", "x\u{0}y"]

    /// SQL and quote characters in every name-like option of every importer: 400 naming the rule, the store unchanged,
    /// and the next import goes through (both backends).
    @Test(arguments: Backend.available)
    func namesCarryingSQLAreRefused(_ backend: Backend) async throws {
        let store = try backend.newStore("sqlnames")
        _ = try ShippedBSL.load(into: store)
        _ = try PlanImporter.run(file: Self.plans + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: store)
        let before = try Self.census(store)
        let census = "code,population\n10070,1900\n"
        let options: [(kind: String, query: @Sendable (String) -> String, body: String)] = [
            ("indicators", { "vintage=2021&indicator=\($0)&value-field=population" }, census),
            ("indicators", { "vintage=2021&value-field=\($0)=population" }, census),
            ("indicators", { "vintage=2021&indicator=pop&value-field=\($0)" }, census),
            ("indicators", { "vintage=2021&indicator=pop&value-field=pop=\($0)" }, census),
            ("indicators", { "vintage=2021&indicator=pop&value-field=population&code-field=\($0)" }, census),
            ("indicators", { "vintage=2021&indicator=pop&value-field=population&name-field=\($0)" }, census),
            ("indicators", { "vintage=2021&indicator=pop&value-field=population&unit=\($0)" }, census),
            ("indicators", { "vintage=2021&preset=statcan-profile&characteristic=1=\($0)" }, census),
            ("indicators", { "vintage=2021&preset=statcan-profile&characteristic=\($0)=population" }, census),
            ("boundaries", { "level=municipality&preset=custom&field=code=\($0)&field=name=nom" }, "{}"),
            ("boundaries", { "level=municipality&field=\($0)=nom" }, "{}"),
            ("boundaries", { "level=municipality&layer=\($0)" }, "{}"),
            ("boundaries", { "level=municipality&crs=\($0)" }, "{}"),
            ("coastline", { "layer=\($0)" }, "{}"),
            ("services", { "category=\($0)" }, "nom,lat,lon\nx,48,-68\n"),
            ("services", { "category=clsc&field=name=\($0)" }, "nom,lat,lon\nx,48,-68\n"),
            ("measurements", { "plan=\($0)" }, "cible,territoire,date,valeur\ncosmoss-esr,01-cosmoss-clc-07,2024,28\n"),
            ("places", { "name-field=\($0)" }, "nom,lat,lon\nx,48,-68\n"),
        ]
        let refused = try await buildApplication(try Self.options(store, tokens: "admin=s3cret")).test(.router) { client -> Int in
            var refused = 0
            for o in options {
                for payload in Self.sql {
                    let q = o.query(payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                    try await client.execute(uri: "/imports/\(o.kind)?filename=f.csv&\(q)", method: .post, headers: [.authorization: "Bearer s3cret"],
                                             body: ByteBuffer(string: o.body)) { r in
                        let text = String(buffer: r.body)
                        #expect(r.status == .badRequest, "\(o.kind) \(q) → \(r.status.code) \(text)")
                        #expect(text.contains("refusé"), "\(o.kind) \(q): \(text)")
                    }
                    refused += 1
                }
            }
            #expect(try Self.census(store) == before)
            // The next import goes through.
            try await client.execute(uri: "/imports/indicators?filename=f.csv&vintage=2021&indicator=pop_test&value-field=population",
                                     method: .post, headers: [.authorization: "Bearer s3cret"], body: ByteBuffer(string: census)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
            }
            return refused
        }
        #expect(refused == options.count * Self.sql.count)
        let after = try Self.census(store)
        #expect(after["indicators"] == before["indicators"]! + 1 && after["mobilisations"] == before["mobilisations"])
        // The library's own gate, for the CLI: the same options refused by the importer itself.
        #expect(throws: NameRule.Violation.self) {
            try IndicatorImporter.run(file: "/nonexistent.csv", options: .init(indicator: Self.sql[0], vintage: 2021, valueFields: ["population"]), storePath: store)
        }
        #expect(try Self.census(store) == after)
    }

    /// The second gate: a name that reached the store unchecked is quoted, never run (both backends).
    @Test(arguments: Backend.available)
    func identifiersAreQuotedInTheStore(_ backend: Backend) throws {
        let store = try backend.newStore("quoted")
        _ = try ShippedBSL.load(into: store)
        let before = try Self.census(store)
        let hostile = Self.sql[0]
        let layer = GISLayer(name: "lacunes_" + hostile, geometryType: "MULTIPOLYGON", description: "essai",
                             columns: [(hostile, .real), ("a'; DROP TABLE mobilisations; --", .text), ("code", .text)],
                             rows: [(.multiPolygon(MultiPolygon([Polygon(exterior: [Position(-68, 48), Position(-67, 48), Position(-67, 49), Position(-68, 48)])])),
                                     [.double(1.5), .string("x\"y"), .string("10070")])])
        try Stores.open(store, writable: true).replaceGISLayer(layer)
        var after = try Self.census(store)
        after["imports"] = before["imports"]
        #expect(after == before)
        // Written under its own name, the same twice (a rewrite drops exactly that table).
        try Stores.open(store, writable: true).replaceGISLayer(layer)
        #expect(try Self.census(store)["mobilisations"] == before["mobilisations"])
    }

    /// A 1-byte upload, a long file name, an empty body: no answer names a temporary or absolute server path, and a
    /// long name is taken for what it is (never « disque plein »).
    @Test func answersNameNoServerPath() async throws {
        let store = try Self.stores.get(.geopackage)
        let copy = tempDir("portrait-paths") + "/copie.gpkg"
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        try await buildApplication(try Self.options(copy, tokens: "admin=s3cret")).test(.router) { client in
            var answers: [String] = []
            for (kind, query) in [("indicators", "vintage=2021&indicator=pop&value-field=population"), ("plan", ""), ("measurements", ""),
                                  ("boundaries", "level=municipality"), ("services", "category=clsc"), ("territories", ""), ("mobilisations", "")] {
                for name in ["a.geojson", "a.csv", String(repeating: "n", count: 300) + ".csv", "../../etc/passwd", "x.xlsx", ""] {
                    let f = name.isEmpty ? "" : "filename=\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&"
                    for body in ["x", "\u{0}", "PK\u{3}\u{4}"] {
                        let a = try await client.execute(uri: "/imports/\(kind)?\(f)\(query)", method: .post, headers: [.authorization: "Bearer s3cret"],
                                                         body: ByteBuffer(string: body)) { r in
                            #expect(r.status.code < 500, "\(kind) \(name.prefix(20)) → \(r.status.code) \(String(buffer: r.body))")
                            return String(buffer: r.body)
                        }
                        answers.append(a)
                    }
                }
            }
            for a in answers {
                #expect(!a.contains("/tmp") && !a.contains("portrait-upload") && !a.contains(NSTemporaryDirectory()) && !a.contains(root), "\(a)")
                #expect(!a.contains("disque plein"), "\(a)")
                let message = (try? JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])?["message"] as? String ?? ""
                #expect(message.firstMatch(of: /(^|[\s«"'(])\/[^\s]+\/[^\s]+/) == nil, "an absolute path in « \(message) »")
            }
        }
        #expect(APIError.withoutPaths("impossible d'ouvrir /tmp/x/portrait-upload-1/a.geojson : « /srv/portrait/magasin.gpkg »")
                == "impossible d'ouvrir a.geojson : « magasin.gpkg »")
        #expect(APIError.withoutPaths("voir https://www.donneesquebec.ca/a/b") == "voir https://www.donneesquebec.ca/a/b")
    }

    /// A measurements-only token scoped to one committee writes that committee's measurements, and nothing else: 403
    /// naming the scope, the store unchanged (both backends).
    @Test(arguments: Backend.available)
    func tokensWithAScope(_ backend: Backend) async throws {
        let store = try backend.newStore("scopes")
        _ = try ShippedBSL.load(into: store)
        _ = try PlanImporter.run(file: Self.plans + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: store)
        let tokens = "neigette=N3ig|kinds=measurements|plan=01-cosmoss|territory=01-cosmoss-clc-10,coordination=C00rd|kinds=measurements"
        let own = "cible,territoire,date,valeur\ncosmoss-esr,01-cosmoss-clc-10,2024,27\ncosmoss-esr,mrc:10,2025,26\n"
        let other = "cible,territoire,date,valeur\ncosmoss-esr,01-cosmoss-clc-10,2024,27\ncosmoss-esr,01-cosmoss-clc-07,2024,31\n"
        let neigette: HTTPFields = [.authorization: "Bearer N3ig"]
        try await buildApplication(try Self.options(store, tokens: tokens)).test(.router) { client in
            let before = try Self.census(store)
            let measured = { try Stores.open(store).measurements(plan: "01-cosmoss").count }
            let m0 = try measured()
            // Another committee's row in the file: the whole file refused.
            try await client.execute(uri: "/imports/measurements?filename=m.csv", method: .post, headers: neigette, body: ByteBuffer(string: other)) { r in
                #expect(r.status == .forbidden, "\(String(buffer: r.body))")
                #expect(String(buffer: r.body).contains("01-cosmoss-clc-07") && String(buffer: r.body).contains("territoire 01-cosmoss-clc-10"))
            }
            // Another plan named, another kind: refused before the body is read.
            try await client.execute(uri: "/imports/measurements?filename=m.csv&plan=04-mauricie", method: .post, headers: neigette, body: ByteBuffer(string: own)) { r in
                #expect(r.status == .forbidden, "\(String(buffer: r.body))")
            }
            for kind in ["indicators?vintage=2021&indicator=pop&value-field=population", "plan", "mobilisations", "boundaries?level=municipality"] {
                try await client.execute(uri: "/imports/\(kind)\(kind.contains("?") ? "&" : "?")filename=f.csv", method: .post, headers: neigette,
                                         body: ByteBuffer(string: "code,population\n10070,1\n")) { r in
                    #expect(r.status == .forbidden, "\(kind) → \(r.status.code) \(String(buffer: r.body))")
                    #expect(String(buffer: r.body).contains("portée"))
                }
            }
            #expect(try measured() == m0)
            #expect(try Self.census(store) == before)
            // Its own measurements (by id or by its MRC): written, and logged under the token's name.
            try await client.execute(uri: "/imports/measurements?filename=m.csv", method: .post, headers: neigette, body: ByteBuffer(string: own)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
            }
            #expect(try measured() == m0 + 2)
            let entry = try #require(try Stores.open(store).imports(limit: 1).first)
            #expect(entry.parameters["writer"] == "http:neigette")
            #expect(!(entry.parameters.values.joined()).contains("N3ig"))
            // The coordination's token (measurements, any committee) writes the other file.
            try await client.execute(uri: "/imports/measurements?filename=m.csv", method: .post, headers: [.authorization: "Bearer C00rd"],
                                     body: ByteBuffer(string: other)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/imports/plan?filename=p.csv", method: .post, headers: [.authorization: "Bearer C00rd"],
                                     body: ByteBuffer(string: "x")) { r in #expect(r.status == .forbidden) }
        }
        // A scope written wrong is refused, never read as no scope.
        #expect(throws: WriteTokens.ParseError.self) { try WriteTokens.parse("a=b|kinds=measurments") }
        #expect(throws: WriteTokens.ParseError.self) { try WriteTokens.parse("a=b|territoire") }
        #expect(throws: WriteTokens.ParseError.self) { try WriteTokens.parse("a=b|plans=01") }
        // A plan or territory limit keeps the token to measurements, whatever kinds it names.
        #expect(try WriteTokens.parse("a=b|kinds=plan+measurements|plan=01").writableKinds == [.measurements])
    }
}
