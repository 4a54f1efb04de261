import Foundation
import PortraitDemo
import PortraitImport
import PortraitModel
@testable import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

let stylesDir = projectRoot + "/styles"

enum Tools {
    static var chromium: String? { ExternalTool.chromium }
    static var pdfinfo: String? { ExternalTool.find(["pdfinfo"]) }
    static var printing: Bool { (chromium != nil && pdfinfo != nil) || ProcessInfo.processInfo.environment["CI"] == "true" }
    static func run(_ tool: String, _ args: [String]) throws -> String { try ExternalTool.run(tool, args) }
}

/// The publication on the fictional demo with synthetic services and mobilisations.
@Suite(.serialized) struct ReportTests {
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-report")
        let s = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        let clsc = try write("nom,lat,lon\nCLSC fictif,49.33,-67.50\nCLSC fictif 2,49.15,-66.50\n", "synthetique_clsc.csv", in: dir)
        _ = try ServiceImporter.run(file: clsc, category: "clsc", fields: ["name": "nom"], storePath: s)
        let mob = try write("""
        id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source
        99-table,Table régionale fictive,TRF,regional,region,99,99,2015,,Fictif,réussite éducative|habitation,,synthétique
        991-table,Table locale fictive,TLF,local,mrc,991,99,2018,,Fictif,réussite éducative|sécurité alimentaire,,synthétique

        """, "synthetique_mob.csv", in: dir)
        _ = try MobilisationImporter.run(file: mob, storePath: s)
        return s
    }

    static func report(_ t: Territory, _ lang: Language = .fr, maps: Bool = true) throws -> Report {
        try ReportBuilder.build(storePath: try store.get(), options: .init(territory: t, language: lang, stylesDirectory: stylesDir, maps: maps))
    }

    @Test func everySectionAndEveryMap() throws {
        let r = try Self.report(try .region("99"))
        #expect(Set(r.maps.map(\.name)) == ["population", "littoral", "ive", "ive-seuil", "defavorisation_materielle", "defavorisation_sociale",
                                            "services", "lacunes-clsc", "besoin-acces-clsc", "mobilisations", "densite_population"])
        let html = ReportDocument(r).html
        for heading in ["Chiffres clés", "Littoral et intérieur", "Par MRC", "Indice de vitalité économique (2020)",
                        "Services et lacunes", "CLSC", "Mobilisations", "Données manquantes", "Sources"] {
            #expect(html.contains(">\(heading)</h"), "\(heading)")
        }
        // Every map inline, and the charts (the region's MRC by population).
        let charts = html.components(separatedBy: "class=\"graphique\"").count - 1
        #expect(charts == 1 && html.components(separatedBy: "<svg ").count - 1 == r.maps.count + charts)
        #expect(html.contains(">Faits saillants</h2>"))
        // Sections run on when printed (no forced page), headings keep with their text, pages are numbered.
        #expect(!html.contains("class=\"saut\"") && html.contains("h1,h2,h3{break-after:avoid") && html.contains("counter(pages)"))
        // Ids stay unique once the maps are inline.
        let ids = html.matches(of: /id="([^"]+)"/).map { String($0.1) }
        #expect(Set(ids).count == ids.count)
        // Services and gaps figures; mobilisations; sources with licences.
        let clsc = try #require(r.services.first)
        #expect(clsc.inTerritory == 2 && clsc.priorities.count <= 10 && clsc.medianKm != nil)
        #expect(r.mobilisations?.tables.count == 2 && r.mobilisations?.overlapping == 9)
        // Counted among the municipalities only (the region's TNO are not municipalities).
        #expect(r.mobilisations?.enjeuxWithoutTable["sécurité alimentaire"] == 13)
        #expect(r.sources.contains { $0.file == "synthetique_clsc.csv" && $0.licence == "aucune donnée réelle" })
    }

    @Test func jsonKeepsEveryFigure() throws {
        let data = try JSONEncoder.stable.encode(try Self.report(try .mrc("991"), maps: false))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["territory", "municipality_count", "population_total", "littoral", "indicators", "missing", "services",
                    "mobilisations", "sources", "synthetic"] {
            #expect(json[key] != nil, "\(key)")
        }
        let s = try #require((json["services"] as? [[String: Any]])?.first)
        #expect(s["population_concerned"] != nil && s["median_km"] != nil && s["priorities"] != nil)
    }

    @Test func englishReport() throws {
        let html = ReportDocument(try Self.report(try .mrc("992"), .en)).html
        #expect(html.contains("<html lang=\"en\">") && html.contains(">Services and gaps</h2>") && html.contains(">Key figures</h2>"))
    }

    @Test func markdownLinksItsMapFiles() throws {
        let doc = ReportDocument(try Self.report(try .mrc("991")), mapPrefix: "m991")
        // With the need × access map of the CLSC and the density, and the comparison chart; the MRC's municipalities all
        // have the same number of tables, so no map of tables.
        #expect(doc.maps.count == 10 + 1 && !doc.maps.contains { $0.file.hasSuffix("-mobilisations.svg") })
        for m in doc.maps { #expect(doc.markdown.contains("](\(m.file))") && m.svg.hasPrefix("<?xml")) }
    }

    @Test(.enabled(if: Tools.printing, "chromium ou pdfinfo absent (scripts/setup les installe) : test ignoré hors CI"))
    func pdfHasPagesAndPageNumbers() throws {
        let dir = tempDir("portrait-pdf")
        let pdf = dir + "/r.pdf"
        try PDFPrinter.print(html: ReportDocument(try Self.report(try .region("99"))).html, to: pdf)
        let info = try Tools.run(try #require(Tools.pdfinfo), [pdf])
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        #expect(pages >= 5, "\(info)")
        let text = try Tools.run("/usr/bin/pdftotext", ["-layout", pdf, "-"])
        #expect(text.contains("1 / \(pages)") && text.contains("\(pages) / \(pages)"))
        #expect(text.contains("Services et lacunes") && text.contains("Mobilisations"))
        // Every page: its number out of the total, and the sources at its foot (the fictional territory's publisher).
        let perPage = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).prefix(pages)
        #expect(perPage.count == pages)
        for (i, page) in perPage.enumerated() {
            let flat = page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains("\(i + 1) / \(pages)") && flat.contains("Sources : ") && flat.contains("territoire FICTIF"), "page \(i + 1)")
        }
    }

    @Test func atlasWithTheFicheOfEveryMunicipality() throws {
        let dir = tempDir("portrait-atlas-fiches")
        let store = try Stores.open(try Self.store.get())
        let expected = try store.municipalities(in: try .region("99"), withGeometry: false)
            .filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }.map(\.code)
        let entries = try Atlas.write(storePath: try Self.store.get(), region: try .region("99"), directory: dir, stylesDirectory: stylesDir,
                                      municipalities: true)
        let fiches = entries.filter { $0.territory.kind == .municipality }
        #expect(Set(fiches.map(\.territory.code)) == Set(expected) && expected.count > 5)
        let index = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        #expect(index.contains("Fiches municipales (\(expected.count))"))
        for f in fiches {
            let html = try String(contentsOfFile: dir + "/" + f.file, encoding: .utf8)
            #expect(index.contains("href=\"\(f.file)\"") && html.contains("(municipalité \(f.territory.code))"))
            // One map, among its neighbours, and the chart of the municipality beside its MRC and region.
            #expect(html.components(separatedBy: "<svg ").count - 1 == 2 && html.contains("class=\"graphique\""))
        }
    }

    @Test func atlasWritesEveryTerritoryAndAnIndex() throws {
        let dir = tempDir("portrait-atlas")
        let seen = Protected([Int]())
        let entries = try Atlas.write(storePath: try Self.store.get(), region: try .region("99"), directory: dir,
                                      stylesDirectory: stylesDir) { done, total, _ in seen.withLock { $0.append(done) }; #expect(total == 4) }
        #expect(entries.map(\.file) == ["region-99.html", "mrc-991.html", "mrc-992.html", "mrc-993.html"])
        // Reports are written on every core: each counted once, in order of completion.
        #expect(seen.withLock { $0 } == [1, 2, 3, 4])
        let index = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        for e in entries {
            #expect(index.contains("href=\"\(e.file)\""))
            #expect(FileManager.default.fileExists(atPath: dir + "/" + e.file))
        }
    }
}

/// The publication of the real Bas-Saint-Laurent, opened in headless Chromium; the atlas of its nine territories.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct RealReportTests {
    static let store: Result<String, any Error> = Result {
        let g = try RealData.path("")
        let s = tempDir("portrait-real-report") + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: g + "boundaries/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: s)
        _ = try BoundaryImporter.run(file: g + "boundaries/qc-mrc.geojson", options: .init(level: .mrc), storePath: s)
        _ = try BoundaryImporter.run(file: g + "boundaries/qc-regions.geojson", options: .init(level: .region), storePath: s)
        _ = try CoastlineImporter.run(file: g + "coastline/gshhg_h_stlawrence_L1.geojson", storePath: s)
        _ = try CoastClassifier.run(storePath: s)
        _ = try IndicatorImporter.run(file: g + "population/recensement_2021_sdr_bsl.csv", options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
        _ = try ServiceImporter.run(file: g + "services/bsl_ecoles_publiques_meq.geojson", category: "ecole", preset: .meqSchools, vintage: 2022, storePath: s)
        _ = try ServiceImporter.run(file: g + "services/bsl_installations_sante_odhf.geojson", category: "sante", preset: .odhf, storePath: s)
        _ = try MobilisationImporter.run(file: g + "mobilisations/mobilisations_seeds.csv", storePath: s)
        return s
    }

    @Test func regionReportOpensInChromium() throws {
        let r = try ReportBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("01"), stylesDirectory: stylesDir))
        #expect(r.portrait.populationTotal == 199_039)
        // Coast, population, dwellings, income, density, services, gaps of schools and of health facilities; every
        // municipality of the region is covered by 4 tables or more, so the map of tables (one flat class) is not drawn.
        #expect(r.maps.count == 8 && !r.maps.contains { $0.name == "mobilisations" })
        #expect(ReportDocument(r).markdown.contains("Chaque municipalité relève de 4 tables ou plus : la carte des tables, d'une seule classe, n'est pas dessinée."))
        #expect(r.maps.contains { $0.name == "densite_population" && $0.svg.contains("YlOrBr") })
        let html = ReportDocument(r).html
        for heading in ["Chiffres clés", "Littoral et intérieur", "Par MRC", "Services et lacunes", "Mobilisations", "Sources"] {
            #expect(html.contains(">\(heading)</h2>"), "\(heading)")
        }
        #expect(html.contains("Rimouski-Neigette (10)") && html.contains("COSMOSS"))
        guard let chromium = Tools.chromium else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "chromium absent under CI")
            return
        }
        let path = tempDir("portrait-real-html") + "/r01.html"
        try html.write(toFile: path, atomically: true, encoding: .utf8)
        let dom = try Tools.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(path)"])
        #expect(dom.contains("Portrait territorial : Bas-Saint-Laurent (région 01)"))
        #expect(dom.components(separatedBy: "<svg ").count - 1 == r.maps.count + 1)   // the maps and the MRC chart
    }

    /// The printed region-01 report checked by `pdfua check` (PyPI pdfua): 0 errors. Every map a /Figure with its
    /// alternative text, the language, the title and the outline set; the running footer and the page numbers (the
    /// @page margin boxes, which Chromium prints outside any marked content) marked as artifacts by `PDFArtifacts`.
    /// The folded data tables of the maps are in the HTML, never printed.
    @Test(.enabled(if: Tools.printing && ((try? Tools.run("/usr/bin/env", ["pdfua", "--version"]))?.isEmpty == false
                                           || ProcessInfo.processInfo.environment["CI"] == "true"),
                   "chromium, pdfinfo ou pdfua absent (scripts/setup les installe) : test ignoré hors CI"))
    func printedReportPassesPDFUA() throws {
        let r = try ReportBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("01"), stylesDirectory: stylesDir))
        let html = ReportDocument(r).html
        #expect(html.components(separatedBy: "<details class=\"donnees\">").count - 1 >= r.maps.count - 2)
        #expect(!html.contains("<figure"))
        let pdf = tempDir("portrait-pdfua") + "/r01.pdf"
        try PDFPrinter.print(html: html, to: pdf)
        let out = try Tools.run("/usr/bin/env", ["pdfua", "check", "-f", "json", pdf])
        let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "« \(out.prefix(300)) »")
        let findings = j["findings"] as? [[String: Any]] ?? []
        let errors = findings.filter { $0["severity"] as? String == "error" }
        #expect(errors.isEmpty, "\(errors.map { "\($0["rule_id"] ?? "") \($0["location"] ?? "")" })")
        #expect(!findings.contains { ($0["rule_id"] as? String)?.hasPrefix("UA-13") == true })    // every /Figure has its /Alt
        let info = try Tools.run(try #require(Tools.pdfinfo), [pdf])
        #expect(info.contains("Tagged:          yes") && info.contains("Title:           Portrait territorial : Bas-Saint-Laurent (région 01)"))
        // The footer is still printed on every page (as an artifact): its page number and the document's title.
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        let text = try Tools.run("/usr/bin/pdftotext", [pdf, "-"])
        #expect(pages > 1 && text.contains("1 / \(pages)") && text.contains("\(pages) / \(pages)"))
    }

    /// The artifact pass on its own: a text object outside marked content is wrapped, a tagged one left alone, an inline
    /// image leaves the stream as it was.
    @Test func untaggedTextBecomesAnArtifact() throws {
        let stream = Array("q BT /F1 9 Tf (1 / 3) Tj ET Q /P <</MCID 0>> BDC BT (Titre) Tj ET EMC BT /Span <</MCID 1>> BDC (x) Tj EMC ET".utf8)
        let out = String(decoding: try #require(PDFArtifacts.wrapUntaggedText(stream)), as: UTF8.self)
        #expect(out == "q /Artifact BMC\nBT /F1 9 Tf (1 / 3) Tj ET\nEMC Q /P <</MCID 0>> BDC BT (Titre) Tj ET EMC BT /Span <</MCID 1>> BDC (x) Tj EMC ET")
        #expect(PDFArtifacts.wrapUntaggedText(Array("BT (a) Tj ET BI /W 1 ID x EI".utf8)) == nil)
        #expect(PDFArtifacts.wrapUntaggedText(Array("/P <</MCID 0>> BDC BT (a) Tj ET EMC".utf8)) == nil)
        // A string holding what looks like operators is a string.
        let tricky = String(decoding: try #require(PDFArtifacts.wrapUntaggedText(Array("BT (ET BDC \\) EMC) Tj ET".utf8))), as: UTF8.self)
        #expect(tricky == "/Artifact BMC\nBT (ET BDC \\) EMC) Tj ET\nEMC")
    }

    @Test func atlasOfTheNineTerritories() throws {
        let dir = tempDir("portrait-real-atlas")
        let entries = try Atlas.write(storePath: try Self.store.get(), region: try .region("01"), directory: dir, stylesDirectory: stylesDir)
        #expect(entries.count == 9)
        #expect(entries.dropFirst().map(\.territory.code) == ["07", "08", "09", "10", "11", "12", "13", "14"])
        let index = try String(contentsOfFile: dir + "/index.html", encoding: .utf8)
        #expect(entries.allSatisfy { index.contains($0.file) && FileManager.default.fileExists(atPath: dir + "/" + $0.file) })
    }
}
