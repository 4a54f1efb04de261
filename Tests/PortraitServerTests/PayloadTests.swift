import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PortraitGeometry
import PortraitImport
import PortraitModel
import PortraitReport
@testable import PortraitServer
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// A corpus of payloads in every field a user can write (boundary names, plan, targets and their units, measurements,
/// mobilisations, custom territories, services, an indicator's source): none is live markup in any page, map, atlas or
/// viewer state, checked as text and in Chromium with every script call recorded; no CSV cell is a formula.
@Suite(.serialized) struct PayloadTests {
    static let img = "<img src=x onerror=alert(1) data-xss=1>"
    static let svg = "<svg onload=alert(2) data-xss=2>"
    static let script = "\"><script data-xss=3>alert(3)</script>"
    static let iframe = "'><iframe src=file:///etc/passwd data-xss=4></iframe>"
    static let style = "</style><script data-xss=5>alert(5)</script>"
    /// What markup from data would look like unescaped.
    static let live = ["<img src=x", "<svg onload", "<script data-xss", "<iframe src=file", "data-xss=1>", "data-xss=2>"]
    static let formulas = ["=HYPERLINK(\"http://127.0.0.1:9/\",\"clic\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", "\tonglet", "\rretour"]

    static func json(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast().description
    }
    static func csv(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The shipped BSL data with payloads in every user-writable field.
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-payloads")
        let bsl = ShippedBSL.directory
        // Boundaries: two municipalities, an MRC and the region renamed.
        var municipal = try String(contentsOfFile: bsl + "/bsl_municipalites_sda.geojson", encoding: .utf8)
        municipal = municipal.replacingOccurrences(of: "\"MUS_NM_MUN\":\"Saint-Fabien\"", with: "\"MUS_NM_MUN\":\(json("Saint-Fabien " + img))")
        municipal = municipal.replacingOccurrences(of: "\"MUS_NM_MUN\":\"Le Bic\"", with: "\"MUS_NM_MUN\":\(json(formulas[0]))")
        municipal = municipal.replacingOccurrences(of: "\"MRS_NM_MRC\":\"Rimouski-Neigette\"", with: "\"MRS_NM_MRC\":\(json("Rimouski " + svg))")
        municipal = municipal.replacingOccurrences(of: "\"RES_NM_REG\":\"Bas-Saint-Laurent\"", with: "\"RES_NM_REG\":\(json("BSL " + script))")
        let m = try write(municipal, "municipalites.geojson", in: dir)
        var mrc = try String(contentsOfFile: bsl + "/bsl_mrc_sda.geojson", encoding: .utf8)
        mrc = mrc.replacingOccurrences(of: "\"MRS_NM_MRC\": \"Rimouski-Neigette\"", with: "\"MRS_NM_MRC\": \(json("Rimouski " + svg))")
        let r = try write(try String(contentsOfFile: bsl + "/qc_regions_sda.geojson", encoding: .utf8)
            .replacingOccurrences(of: "\"RES_NM_REG\": \"Bas-Saint-Laurent\"", with: "\"RES_NM_REG\": \(json("BSL " + script))"), "regions.geojson", in: dir)
        let s = dir + "/payloads.gpkg"
        _ = try BoundaryImporter.run(file: m, options: .init(level: .municipality), storePath: s)
        _ = try BoundaryImporter.run(file: try write(mrc, "mrc.geojson", in: dir), options: .init(level: .mrc), storePath: s)
        _ = try BoundaryImporter.run(file: r, options: .init(level: .region), storePath: s)
        _ = try CoastlineImporter.run(file: bsl + "/gshhg_h_stlawrence_bsl.geojson", storePath: s)
        _ = try CoastClassifier.run(storePath: s)
        _ = try IndicatorImporter.run(file: bsl + "/recensement_2021_sdr_bsl.csv",
                                      options: .init(vintage: 2021, preset: .statcanCensus, source: "Statistique Canada " + iframe), storePath: s)
        // Services: names that are markup or formulas.
        let names = [img, svg, script, iframe, style] + formulas
        let services = "nom,lat,lon\n" + names.enumerated().map { "\(csv($0.element)),\(48.40 + Double($0.offset) * 0.01),-68.60" }.joined(separator: "\n") + "\n"
        _ = try ServiceImporter.run(file: try write(services, "clsc.csv", in: dir), category: "clsc", fields: ["name": "nom"], storePath: s)
        // Mobilisations: a regional one and its local committee, named with payloads.
        let mob = """
            id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source
            01-xss,\(csv("Concertation " + img)),\(csv(svg)),regional,region,01,01,2015,,\(csv(script)),\(csv("réussite " + style)),,\(csv(formulas[1]))
            01-xss-10,\(csv(formulas[0])),CL,local,mrc,10,01,2016,,\(csv(iframe)),\(csv("réussite " + style)),,source

            """
        _ = try MobilisationImporter.run(file: try write(mob, "mob.csv", in: dir), storePath: s)
        // The plan: title, axis, target, unit, responsible, source; measurements with payload sources and comments.
        let plan = """
            mobilisation_id,plan_titre,plan_debut,plan_fin,id,axe,indicateur,cible,unite,sens,reference,date_reference,echeance,responsables,portee,indicateur_portrait,regle,seuil,source
            01-xss,\(csv("Plan " + img)),2023,2027,xss-1,\(csv("Axe " + svg)),\(csv("Cible " + script)),25,\(csv("<svg onload=alert(304)>")),au plus,29,2022,2027,\(csv(iframe)),mobilisation,,,,\(csv(style))
            01-xss,\(csv("Plan " + img)),2023,2027,xss-2,\(csv(formulas[0])),\(csv(formulas[1])),80,%,au moins,,,2027,\(csv(formulas[2])),mobilisation,,,,source

            """
        _ = try PlanImporter.run(file: try write(plan, "plan.csv", in: dir), storePath: s)
        let measures = """
            cible,territoire,date,valeur,source,commentaire
            xss-1,01-xss-10,2023,28,\(csv(img)),\(csv(script))
            xss-1,01-xss-10,2025,26,\(csv(formulas[0])),\(csv(iframe))
            xss-1,01-xss,2024,27,\(csv(svg)),\(csv(style))
            xss-2,01-xss-10,2024,70,\(csv(formulas[3])),

            """
        _ = try MeasurementImporter.run(file: try write(measures, "mesures.csv", in: dir), storePath: s)
        _ = try TerritoriesImporter.run(file: try write("nom,codes\n\(csv("Neigette " + img)),10005|10010|10070\n", "t.csv", in: dir), storePath: s)
        return s
    }

    static func app() throws -> some ApplicationProtocol {
        buildApplication(ServerOptions(host: "127.0.0.1", port: 0, storePath: try store.get(), stylesDirectory: root + "/styles",
                                       tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .error))
    }

    static func markupFree(_ text: String, _ what: String) {
        for l in live { #expect(!text.contains(l), "« \(l) » live in \(what)") }
    }

    static let pages = ["/portrait/region/01?format=html", "/portrait/mrc/10?format=html", "/portrait/municipality/10070?format=html",
                        "/portrait/municipality/10005?format=html", "/plans/01-xss?format=html", "/plans/01-xss?format=html&annual=2025"]

    /// Every page, map and the atlas as text: the payloads are there, escaped; none is markup.
    @Test func noPayloadIsMarkupInAnyPageMapOrAtlas() async throws {
        let custom = try #require(try Stores.open(try Self.store.get()).customTerritories().first?.id)
        try await Self.app().test(.router) { client in
            var seen = 0
            for uri in Self.pages + ["/portrait/custom/\(custom)?format=html"] {
                let html = try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok, "\(uri)")
                    #expect(r.headers[.init("content-security-policy")!]?.contains("script-src 'self'") == true, "\(uri)")
                    #expect(r.headers[.init("x-content-type-options")!] == "nosniff")
                    return String(buffer: r.body)
                }
                Self.markupFree(html, uri)
                if html.contains("&lt;img src=x onerror=alert(1) data-xss=1&gt;") { seen += 1 }
            }
            #expect(seen >= 5, "the payload (escaped) should be on the pages that name it")
            let dashboard = try await client.execute(uri: "/plans/01-xss?format=html", method: .get) { String(buffer: $0.body) }
            #expect(dashboard.contains("&lt;svg onload=alert(304)&gt;"), "the unit, escaped")
            for style in ["littoral", "population", "mobilisations", "services"] {
                for level in ["region/01", "mrc/10", "municipality/10070"] {
                    let uri = "/maps/\(level).svg?style=\(style)" + (style == "services" ? "&category=clsc" : "")
                    let svg = try await client.execute(uri: uri, method: .get) { r in
                        #expect(r.status == .ok, "\(uri): \(String(buffer: r.body).prefix(200))")
                        #expect(r.headers[.init("content-security-policy")!] == PagePolicy.svg)
                        return String(buffer: r.body)
                    }
                    Self.markupFree(svg, uri)
                }
            }
            let gaps = try await client.execute(uri: "/maps/mrc/10.svg?style=gaps&category=clsc", method: .get) { String(buffer: $0.body) }
            Self.markupFree(gaps, "gaps map")
            let planMap = try await client.execute(uri: "/plans/01-xss?format=svg", method: .get) { String(buffer: $0.body) }
            Self.markupFree(planMap, "plan map")
        }
        let atlas = tempDir("portrait-payload-atlas")
        let entries = try Atlas.write(storePath: try Self.store.get(), region: try .region("01"), directory: atlas, stylesDirectory: root + "/styles")
        #expect(entries.count > 1)
        for f in try FileManager.default.contentsOfDirectory(atPath: atlas) where f.hasSuffix(".html") {
            Self.markupFree(try String(contentsOfFile: atlas + "/" + f, encoding: .utf8), "atlas " + f)
        }
    }

    /// Every CSV export (the portrait's tables, the dashboard, the layers) from this store: no text cell a spreadsheet
    /// would read as a formula; the payloads are there, after their apostrophe.
    @Test func noCSVCellIsAFormula() async throws {
        let s = try Stores.open(try Self.store.get())
        var files: [(String, Data)] = []
        for t in [try Territory.region("01"), try .mrc("10"), try .municipality("10005")] {
            let report = try ReportBuilder.build(store: s, options: ReportOptions(territory: t, stylesDirectory: root + "/styles", maps: false))
            for table in try ReportTables.tables(report, territory: t, store: s) {
                files.append(("\(t) \(table.name)", CSVWriter.data(table)))
                files.append(("\(t) \(table.name) excel-fr", CSVWriter.data(table, excelFR: true)))
            }
        }
        let d = try PlanBuilder.build(store: s, options: PlanOptions(planID: "01-xss", asOf: PlanDate(year: 2026, month: 12, day: 31)))
        files.append(("plan", CSVWriter.data(PlanPage.table(d))))
        for layer in GeoJSONExport.Layer.allCases {
            guard let fc = try? GeoJSONExport.export(layer, store: s, options: .init(territory: try .region("01"), category: "clsc")) else { continue }
            files.append(("export \(layer.rawValue)", CSVWriter.data(try LayerTable.table(fc, name: layer.rawValue, store: s))))
        }
        // And over HTTP.
        files += try await Self.app().test(.router) { client -> [(String, Data)] in
            var served: [(String, Data)] = []
            for uri in ["/portrait/region/01?format=csv&table=municipalites", "/portrait/region/01?format=csv&table=services", "/plans/01-xss?format=csv",
                        "/plans/01-xss?format=csv&excel_fr=1"] {
                let data = try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok, "\(uri) → \(String(buffer: r.body).prefix(200))")
                    return Data(String(buffer: r.body).utf8)
                }
                served.append((uri, data))
            }
            return served
        }
        var apostrophes = 0
        for (name, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            let sep: Character = name.contains("excel") ? ";" : ","
            for (i, row) in Self.parse(text, separator: sep).enumerated() {
                for cell in row {
                    guard let first = cell.unicodeScalars.first, Escape.formulaStarts.contains(first) else {
                        if cell.hasPrefix("'") && Self.formulas.contains(where: { cell.dropFirst().hasPrefix($0.prefix(4)) }) { apostrophes += 1 }
                        continue
                    }
                    // A number (written as a number cell) may begin with a minus sign.
                    let number = Double(cell) ?? Double(cell.replacingOccurrences(of: ",", with: "."))
                    #expect(number != nil, "\(name), row \(i + 1): a text cell begins with « \(first.escaped(asASCII: true)) » : \(cell.prefix(40))")
                }
            }
        }
        #expect(apostrophes >= 5, "the formulas of the corpus should be there, after an apostrophe")
        #expect(files.count > 20)
    }

    /// RFC 4180 fields (quotes doubled, line ends inside quotes), after the byte-order mark.
    static func parse(_ text: String, separator: Character) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == separator {
                row.append(field); field = ""
            } else if c == "\r\n" || c == "\n" {
                row.append(field); field = ""
                if row != [""] { rows.append(row) }
                row = []
            } else { field.append(c) }
            i += 1
        }
        return rows
    }

    /// A plan whose fields point at the server's files and at a loopback listener, printed by anyone (no token): the
    /// PDF holds no byte of the file, the listener counts no connection, no Chromium process is left.
    @Test(.enabled(if: ExternalTool.chromium != nil || RealData.isCI, "chromium absent (scripts/setup l'installe) : test ignoré hors CI"))
    func aPlanPDFReadsNothingElse() async throws {
        let listener = try LoopbackListener()
        let u = listener.url
        let dir = tempDir("portrait-payload-pdf")
        let store = dir + "/copie.gpkg"
        try FileManager.default.copyItem(atPath: try Self.store.get(), toPath: store)
        let fields = ["<iframe src=file:///etc/passwd width=600 height=400></iframe>", "<img src=\(u)/img.png>", "<link rel=stylesheet href=\(u)/s.css>",
                      "<object data=file:///etc/passwd type=text/plain></object>", "<embed src=\(u)/embed>", "<img src=file:///etc/passwd>"]
        let plan = """
            mobilisation_id,plan_titre,plan_debut,plan_fin,id,axe,indicateur,cible,unite,sens,reference,date_reference,echeance,responsables,portee,indicateur_portrait,regle,seuil,source
            01-xss-10,\(Self.csv("Plan " + fields[0])),2023,2027,lfi-1,\(Self.csv(fields[1])),\(Self.csv("Cible " + fields[2])),10,\(Self.csv(fields[0])),au plus,12,2023,2027,\(Self.csv(fields[3])),mobilisation,,,,\(Self.csv(fields[4]))

            """
        _ = try PlanImporter.run(file: try write(plan, "lfi.csv", in: dir), storePath: store)
        _ = try MeasurementImporter.run(file: try write("cible,territoire,date,valeur,source,commentaire\nlfi-1,01-xss-10,2024,11,\(Self.csv(fields[5])),\(Self.csv(fields[1]))\n",
                                                        "m.csv", in: dir), storePath: store)
        let app = buildApplication(ServerOptions(host: "127.0.0.1", port: 0, storePath: store, stylesDirectory: root + "/styles",
                                                 tilesDirectory: tempDir("tiles"), webDirectory: root + "/web", logLevel: .error))
        let before = PrinterProcesses.profiles()
        let pdf = try await app.test(.router) { client in
            try await client.execute(uri: "/plans/01-xss-10?format=pdf", method: .get) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body).prefix(300))")
                return Data(r.body.getBytes(at: r.body.readerIndex, length: r.body.readableBytes) ?? [])
            }
        }
        try pdf.write(to: URL(fileURLWithPath: dir + "/plan.pdf"))
        let text = try ExternalTool.run("/usr/bin/pdftotext", [dir + "/plan.pdf", "-"])
        #expect(text.contains("lfi") || text.contains("Plan"), "\(text.prefix(300))")
        #expect(text.contains("<iframe src=file:///etc/passwd"), "the unit is printed as text")
        #expect(!text.contains("root:x:0:0") && !text.contains("/bin/bash"))
        #expect(pdf.range(of: Data("root:x:0:0".utf8)) == nil)
        #expect(listener.connections() == 0)
        let left = PrinterProcesses.leftSince(before)
        #expect(left.isEmpty, "Chromium processes left: \(left)")
    }

    static var chromiumChecks: Bool {
        RealData.isCI || ((try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import selenium; print('oui')"]))?.hasPrefix("oui") == true
            && ExternalTool.chromium != nil && FileManager.default.fileExists(atPath: "/usr/share/javascript/leaflet/leaflet.js"))
    }

    /// The viewer (services on, every tooltip open, a fiche, the dashboard tab), the reports and the dashboard in
    /// Chromium: no script call recorded, no element made from data.
    @Test(.enabled(if: chromiumChecks, "selenium, chromium ou libjs-leaflet absent (scripts/setup les installe) : test ignoré hors CI"))
    func noPayloadRunsInChromium() async throws {
        try await Self.app().test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let urls = ["\(base)/?region=01&mrc=10"] + Self.pages.map { base + $0 }
            let out = try await ExternalTool.runDetached("/usr/bin/env", ["python3", root + "/scripts/xss-check"] + urls)
            let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "scripts/xss-check printed: « \(out) »")
            #expect(j["error"] == nil, "scripts/xss-check: \(j["error"] ?? "") (\(j["url"] ?? ""))")
            let pages = try #require(j["pages"] as? [String: [String: Any]])
            #expect(pages.count == urls.count)
            for (url, p) in pages {
                #expect((p["calls"] as? [Any])?.isEmpty == true, "\(url): \(p["calls"] ?? "")")
                #expect(p["injected"] as? Int == 0, "\(url): \(p["injected"] ?? "") elements from data")
            }
            let viewer = try #require(pages[urls[0]])
            #expect(viewer["ready"] as? String == "oui")
            #expect((viewer["tooltips"] as? Int ?? 0) > 5)
            // The names are there, as text.
            #expect((viewer["list"] as? [String])?.contains("Saint-Fabien " + Self.img) == true, "\(String(describing: viewer["list"]))")
            #expect((viewer["regions"] as? [String])?.contains { $0.contains(Self.script) } == true)
            #expect((viewer["tableau"] as? String)?.contains("Cible " + Self.script) == true)
        }
    }
}
