import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import PortraitImport
import PortraitModel
@testable import PortraitServer
import PortraitStore
import PortraitTestSupport
import Testing

/// The « tableau de bord » over HTTP: `/plans`, `/plans/{id}` in every format, measurements through the
/// token-protected write route (the dashboard's statuses change at once), the page through axe-core, the viewer's tab.
@Suite(.serialized) struct PlanRoutesTests {
    static let dir = root + "/geodata/plans"

    /// The shipped BSL data with COSMOSS's SYNTHETIC plan, and no measurement yet (they come over HTTP).
    static let stores = PerBackend<String> { backend in
        let s = try ShippedBSL.load(into: try backend.newStore("plans"))
        _ = try PlanImporter.run(file: dir + "/cosmoss_plan_SYNTHETIQUE.csv", storePath: s)
        return s
    }

    static func app(_ store: String) -> some ApplicationProtocol {
        var o = ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                              tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .warning)
        o.writeTokens = try! WriteTokens.parse("cosmoss=s3cret")
        return buildApplication(o)
    }

    @Test(arguments: Backend.available)
    func measurementsThroughTheWriteRouteChangeTheDashboard(_ backend: Backend) async throws {
        let store = try Self.stores.get(backend)
        let body = ByteBuffer(data: try Data(contentsOf: URL(fileURLWithPath: Self.dir + "/cosmoss_mesures_SYNTHETIQUE.csv")))
        try await Self.app(store).test(.router) { client in
            let page = "/plans/01-cosmoss?format=json&date=2026-12-31"
            try await client.execute(uri: page, method: .get) { r in
                #expect(r.status == .ok)
                let j = try #require(try json(r.body) as? [String: Any])
                let targets = try #require(j["targets"] as? [[String: Any]])
                #expect(targets.count == 5)
                #expect(targets.allSatisfy { (($0["territories"] as? [Any]) ?? []).isEmpty })
            }
            // Without the token: 401, nothing written.
            try await client.execute(uri: "/imports/measurements?filename=mesures.csv", method: .post, body: body) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/imports/measurements?filename=mesures.csv&plan=01-cosmoss", method: .post,
                                     headers: [.authorization: "Bearer s3cret"], body: body) { r in
                #expect(r.status == .ok)
                let j = try #require(try json(r.body) as? [String: Any])
                #expect(j["imported"] as? Int == 15)
            }
            let entry = try #require(try Stores.open(store).imports(limit: 1).first)
            #expect(entry.kind == "measurements" && entry.parameters["writer"] == "http:cosmoss")
            // The same page, at once: the committees' statuses.
            try await client.execute(uri: page, method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let targets = try #require(j["targets"] as? [[String: Any]])
                let shv = try #require(targets.first { ($0["target"] as? [String: Any])?["id"] as? String == "cosmoss-shv" })
                let statuses = (shv["territories"] as? [[String: Any]] ?? []).map { "\($0["territory"] ?? "") \($0["status"] ?? "")" }
                #expect(statuses == ["01-cosmoss-clc-09 atteinte", "01-cosmoss-clc-10 a_surveiller"])
            }
            // A bad option of the kind: 400 naming the accepted ones.
            try await client.execute(uri: "/imports/measurements?filename=m.csv&axe=x", method: .post,
                                     headers: [.authorization: "Bearer s3cret"], body: body) { r in
                #expect(r.status == .badRequest)
                #expect(String(buffer: r.body).contains("plan, strict"))
            }
        }
    }

    @Test func everyFormat() async throws {
        let store = try Self.stores.get(.geopackage)
        _ = try MeasurementImporter.run(file: Self.dir + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: store)
        try await Self.app(store).test(.router) { client in
            try await client.execute(uri: "/plans/01-cosmoss?date=2026-12-31", method: .get, headers: [.accept: "text/html"]) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = String(buffer: r.body)
                #expect(html.components(separatedBy: "<article class=\"cible\"").count - 1 == 5)
                #expect(html.contains("Données SYNTHÉTIQUES"))
                #expect(html.contains("<svg class=\"graphe\""))
                #expect(html.contains("Cibles en bonne voie par territoire"))   // the map (the BSL MRC are in the store)
                #expect(html.contains("href=\"/plans/01-cosmoss?format=pdf\""))
            }
            // Filters: one axis, one committee.
            try await client.execute(uri: "/plans/01-cosmoss?format=json&date=2026-12-31&axe=saines%20habitudes%20de%20vie&territoire=01-cosmoss-clc-10",
                                     method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let targets = try #require(j["targets"] as? [[String: Any]])
                #expect(targets.compactMap { ($0["target"] as? [String: Any])?["id"] as? String } == ["cosmoss-shv"])
                #expect((targets[0]["territories"] as? [[String: Any]])?.compactMap { $0["territory"] as? String } == ["01-cosmoss-clc-10"])
            }
            // The annual report is as of 31 December of its year, written as a day (not « 2025 »); so is /plans?date=YYYY.
            try await client.execute(uri: "/plans/01-cosmoss?format=json&annual=2025", method: .get) { r in
                let j = try json(r.body) as? [String: Any]
                #expect(j?["as_of"] as? String == "2025-12-31")
            }
            try await client.execute(uri: "/plans?date=2025", method: .get) { r in
                let j = try json(r.body) as? [String: Any]
                #expect(j?["as_of"] as? String == "2025-12-31")
            }
            try await client.execute(uri: "/plans/01-cosmoss?format=csv&date=2026-12-31", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.hasPrefix("\u{FEFF}plan,cible_id,axe"))
                // The header, the plan's 5 statuses, the 8 committees' (the IVE target has none: no vitality index imported).
                #expect(text.split(separator: "\r\n").count == 1 + 5 + 8)
                #expect(r.headers[.contentDisposition]?.contains("plan-01-cosmoss.csv") == true)
            }
            try await client.execute(uri: "/plans/01-cosmoss?format=svg&date=2026-12-31", method: .get) { r in
                #expect(r.status == .ok)
                // Each MRC's share: Rimouski-Neigette's one measured target is « à surveiller » (0 %).
                #expect(String(buffer: r.body).contains("data-code=\"10\" data-value=\"0\""))
                #expect(String(buffer: r.body).contains("data-code=\"09\" data-value=\"100\""))
            }
            try await client.execute(uri: "/plans", method: .get) { r in
                let j = try #require(try json(r.body) as? [String: Any])
                let plans = try #require(j["plans"] as? [[String: Any]])
                #expect(plans.compactMap { $0["id"] as? String } == ["01-cosmoss"])
                #expect(plans[0]["region_code"] as? String == "01")
            }
            for bad in ["/plans/01-cosmoss?date=2026-13-01", "/plans/01-cosmoss?format=docx"] {
                try await client.execute(uri: bad, method: .get) { r in #expect(r.status == .badRequest, "\(bad)") }
            }
            try await client.execute(uri: "/plans/inconnu", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(String(buffer: r.body).contains("01-cosmoss"))
            }
        }
    }

    @Test(.enabled(if: (ViewerTests.chromium != nil && AccessibilityTests.axe) || ProcessInfo.processInfo.environment["CI"] == "true",
                   "chromium, chromium-driver, selenium ou axe-playwright-python absent : test ignoré hors CI"))
    func dashboardPassesAxeAndPrints() async throws {
        let store = try Self.stores.get(.geopackage)
        _ = try MeasurementImporter.run(file: Self.dir + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: store)
        try await Self.app(store).test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let pages = [base + "/plans/01-cosmoss?date=2026-12-31", base + "/plans/01-cosmoss?annual=2025", base + "/?region=01&mrc=10&tab=plans",
                         base + "/plans/01-cosmoss?date=2026-12-31&axe=saines%20habitudes%20de%20vie&territoire=01-cosmoss-clc-10"]
            let out = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/axe-check"] + pages)
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "scripts/axe-check printed: « \(out) »")
            let results = try #require(j["pages"] as? [String: [String: Any]], "\(out)")
            for page in pages {
                let r = try #require(results[page])
                #expect(r["error"] == nil, "\(page): \(r["error"] ?? "")")
                let serious = (r["violations"] as? [[String: Any]] ?? []).filter { ["serious", "critical"].contains($0["impact"] as? String ?? "") }
                #expect(serious.isEmpty, "\(page): \(serious.map { "\($0["id"] ?? "") \($0["nodes"] ?? "")" })")
            }
            // The PDF prints: every target's wording on its pages, and the page numbers.
            let pdf = tempDir() + "/plan.pdf"
            _ = try await ExternalTool.runDetached("/usr/bin/curl", ["-s", "-o", pdf, base + "/plans/01-cosmoss?format=pdf&date=2026-12-31"])
            let text = try ExternalTool.run("/usr/bin/pdftotext", ["-layout", pdf, "-"])
            #expect(text.contains("Tableau de bord — Plan COSMOSS 2023-2027"))
            for t in ["enfants de maternelle vulnérables", "taux de diplomation", "municipalités très dévitalisées"] {
                #expect(text.contains(t), "\(t)")
            }
            #expect(text.contains("1 / "))
            let annual = tempDir() + "/rapport.pdf"
            _ = try await ExternalTool.runDetached("/usr/bin/curl", ["-s", "-o", annual, base + "/plans/01-cosmoss?format=pdf&annual=2025"])
            let a = try ExternalTool.run("/usr/bin/pdftotext", ["-layout", annual, "-"])
            #expect(a.contains("Rapport annuel d'activité 2025"))
            #expect(a.contains("mesure(s) datée(s) de 2025"))
        }
    }

    /// The viewer's tab: the plans of the chosen region, only the chosen MRC's committee, bookmarkable, keyboard.
    @Test(.enabled(if: (ViewerTests.chromium != nil && ViewerTests.leaflet && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"))
                   || ProcessInfo.processInfo.environment["CI"] == "true", "chromium, chromium-driver ou leaflet absent : test ignoré hors CI"))
    func viewerTab() async throws {
        let store = try Self.stores.get(.geopackage)
        _ = try MeasurementImporter.run(file: Self.dir + "/cosmoss_mesures_SYNTHETIQUE.csv", storePath: store)
        try await Self.app(store).test(.live) { client in
            let port = try #require(client.port)
            let out = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/plan-viewer-check", "http://127.0.0.1:\(port)/", "01", "10"])
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "scripts/plan-viewer-check printed: « \(out) »")
            #expect(j["error"] == nil, "\(j["error"] ?? "")")
            let region = try #require(j["region"] as? [String: Any])
            #expect(region["tab_selected"] as? String == "true" && region["panel_hidden"] as? Bool == false)
            #expect(region["plans"] as? [String] == ["Plan COSMOSS 2023-2027 (SYNTHÉTIQUE)"])
            #expect((region["rows"] as? [String])?.count == 9)   // the plan and its 8 committees
            #expect(region["targets"] as? Int == 5)
            let mrc = try #require(j["mrc"] as? [String: Any])
            #expect(mrc["rows"] as? [String] == ["Communauté ouverte et solidaire pour un monde outillé, scolarisé et en santé",
                                                  "Comité local de coordination COSMOSS Rimouski-Neigette"])
            // The plan's 5 statuses and the committee's one measured target (saines habitudes de vie: à surveiller).
            #expect((mrc["statuses"] as? [String])?.filter { $0.contains("à surveiller") }.count == 1)
            #expect((mrc["statuses"] as? [String])?.count == 6)
            #expect((mrc["url"] as? String)?.contains("tab=plans") == true)
            let reloaded = try #require(j["reloaded"] as? [String: Any])
            #expect(reloaded["rows"] as? [String] == mrc["rows"] as? [String] && reloaded["tab_selected"] as? String == "true")
            #expect((j["after_arrow"] as? [String: Any])?["focused"] as? String == "onglet-fiche")
            #expect(j["after_arrow_back"] as? String == "true")
            #expect((j["fiche_after_click"] as? [String: Any])?["fiche_selected"] as? String == "true")
            #expect((j["console_errors"] as? [String] ?? []).filter { !$0.contains("favicon") }.isEmpty)
        }
    }
}
