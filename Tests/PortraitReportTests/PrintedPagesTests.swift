import Foundation
import PortraitImport
import PortraitModel
@testable import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// Every page of the printed region, MRC, fiche and dashboard documents on the shipped real data, checked as a reader
/// would (`scripts/page-check`): no blank page, pages filled, no text outside the page, no web control, identifier or
/// designation code, no number broken across lines.
@Suite(.serialized) struct PrintedPagesTests {
    static let store: Result<String, any Error> = Result {
        let s = try ShippedBSL.load(into: tempDir("portrait-pages") + "/bsl.gpkg")
        _ = try PlanImporter.run(file: projectRoot + "/geodata/plans/cosmoss_plan_SYNTHETIQUE.csv", storePath: s)
        _ = try MeasurementImporter.run(file: projectRoot + "/geodata/plans/cosmoss_mesures_SYNTHETIQUE.csv", storePath: s)
        return s
    }

    static var available: Bool {
        RealData.isCI || (Tools.chromium != nil && ExternalTool.find(["pdftoppm"]) != nil && ExternalTool.find(["pdftotext"]) != nil)
    }

    /// The documents printed to `dir`, by name.
    static func print(to dir: String) throws -> [String] {
        let s = try store.get()
        var files: [String] = []
        for (t, name) in [(try Territory.region("01"), "region-01"), (try .mrc("09"), "mrc-09"), (try .mrc("10"), "mrc-10"), (try .municipality("10070"), "fiche-10070")] {
            let r = try ReportBuilder.build(storePath: s, options: ReportOptions(territory: t, stylesDirectory: projectRoot + "/styles"))
            let f = "\(dir)/\(name).pdf"
            try PDFPrinter.print(html: ReportDocument(r).html, to: f, wait: 600)
            files.append(f)
        }
        let built = try PlanPage.build(store: try Stores.open(s), options: PlanOptions(planID: "01-cosmoss", asOf: PlanDate(year: 2026, month: 12, day: 31)))
        let plan = dir + "/plan-01-cosmoss.pdf"
        try PDFPrinter.print(html: PlanPage.html(built.dashboard, map: built.map), to: plan, wait: 600)
        // The fiche measured over a road network (a copy of the store with the SYNTHETIC shore network): its longer
        // sentences in minutes still fit.
        let roads = dir + "/bsl-routes.gpkg"
        try FileManager.default.copyItem(atPath: s, toPath: roads)
        var o = RoadReadOptions()
        o.classField = "classe"; o.speeds = .aqreseau
        _ = try RoadImporter.run(file: ShippedBSL.directory + "/synthetique/reseau_rives_SYNTHETIQUE.geojson", options: o, vintage: 2026, storePath: roads)
        let r = try ReportBuilder.build(storePath: roads, options: ReportOptions(territory: try .municipality("10070"), stylesDirectory: projectRoot + "/styles"))
        #expect(r.services.allSatisfy { $0.road?.network == "reseau_rives_SYNTHETIQUE.geojson, 2026" && $0.nearest?.minutes != nil })
        let fiche = dir + "/fiche-10070-route.pdf"
        try PDFPrinter.print(html: ReportDocument(r).html, to: fiche, wait: 600)
        return files + [plan, fiche]
    }

    /// The check finds what it looks for: a page with a broken number, a web control, an identifier, a designation code and
    /// a blank page.
    @Test(.enabled(if: available, "chromium ou poppler-utils absent (scripts/setup les installe) : test ignoré hors CI"))
    func theCheckFindsWhatItLooksFor() throws {
        let dir = tempDir("portrait-pages-bad")
        let html = """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>@page{size:letter;margin:16mm}
            .etroit{width:3.1em;font-size:14pt}</style></head><body>
            <p class="etroit">Part 3 000 hab.</p><p>▶ Données de la carte (12)</p><p>revenu_median_menage sans valeur ; désignation P</p>
            <div style="break-after:page"></div><div style="break-after:page"></div><p>fin</p></body></html>
            """
        try PDFPrinter.print(html: html, to: dir + "/bad.pdf", wait: 600)
        let out = try ExternalTool.run("/usr/bin/env", ["python3", projectRoot + "/scripts/page-check", dir + "/bad.pdf"])
        let pages = try #require((try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])?.first?["pages"] as? [[String: Any]])
        let first = try #require(pages.first)
        let tokens = first["tokens"] as? [String] ?? []
        #expect(tokens.contains("▶") && tokens.contains("Données de la carte") && tokens.contains("revenu_median_menage") && tokens.contains { $0.hasPrefix("désignation") }, "\(tokens)")
        #expect((first["broken"] as? [String])?.contains("3 / 000") == true, "\(first["broken"] ?? "")")
        #expect(pages.contains { $0["blank"] as? Bool == true }, "\(pages.map { $0["blank"] ?? "" })")
    }

    @Test(.enabled(if: available, "chromium ou poppler-utils absent (scripts/setup les installe) : test ignoré hors CI"))
    func everyPageReadsAsPrinted() throws {
        let dir = tempDir("portrait-pages-pdf")
        let files = try Self.print(to: dir)
        let out = try ExternalTool.run("/usr/bin/env", ["python3", projectRoot + "/scripts/page-check"] + files)
        let checked = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]], "scripts/page-check: \(out)")
        #expect(checked.count == files.count)
        for f in checked {
            let name = ((f["file"] as? String ?? "") as NSString).lastPathComponent
            let pages = try #require(f["pages"] as? [[String: Any]])
            #expect(!pages.isEmpty, "\(name)")
            for p in pages {
                let n = p["page"] as? Int ?? 0
                #expect(p["blank"] as? Bool == false, "\(name) page \(n) is blank")
                #expect((p["outside"] as? [String])?.isEmpty == true, "\(name) page \(n): text outside the page \(p["outside"] ?? "")")
                #expect((p["tokens"] as? [String])?.isEmpty == true, "\(name) page \(n): \(p["tokens"] ?? "")")
                #expect((p["broken"] as? [String])?.isEmpty == true, "\(name) page \(n): broken \(p["broken"] ?? "")")
            }
            // At most one page, other than the last, less than 45 % filled.
            let thin = pages.dropLast().filter { ($0["fill"] as? Double ?? 0) < 0.45 }
            #expect(thin.count <= 1, "\(name): pages under 45 %: \(thin.map { "\($0["page"] ?? "")" })")
            // No last page holding a few lines spilled from the one before (a fiche's sources once did, 5 % filled).
            #expect((pages.last?["fill"] as? Double ?? 0) >= 0.15, "\(name): last page \(pages.last?["fill"] ?? "") filled")
        }
        // The fiche stays on two pages; the region is no longer than its content needs.
        let counts = Dictionary(uniqueKeysWithValues: checked.map { (($0["file"] as? String ?? "") as NSString).lastPathComponent }.enumerated().map {
            ($1, (checked[$0]["pages"] as? [Any])?.count ?? 0)
        })
        // The fiche: two pages, three with a plan's follow-up (this store holds COSMOSS's plan).
        #expect((counts["fiche-10070.pdf"] ?? 0) <= 3 && (counts["fiche-10070-route.pdf"] ?? 0) <= 3, "\(counts)")
        // The region's report opens on its highlights and its chart, printed.
        let region = try Tools.run("/usr/bin/pdftotext", ["-l", "1", files[0], "-"])
        #expect(region.contains("Faits saillants") && region.contains("Population des MRC"), "\(region.prefix(400))")
        // pdftotext finds no web control on any page.
        for f in files {
            let text = try Tools.run("/usr/bin/pdftotext", [f, "-"])
            #expect(!text.contains("▶") && !text.contains("Données de la carte"), "\(f)")
            #expect(text.firstMatch(of: /désignation\s+[A-ZÉ]{1,3}\b/) == nil, "\(f)")
        }
    }
}
