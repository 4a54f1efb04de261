import Foundation
import PortraitDemo
import PortraitGeometry
import PortraitImport
import PortraitModel
@testable import PortraitRender
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// Services, gaps and mobilisations maps: the symbols and attributes a report writer or a script relies on.
@Suite(.serialized) struct LayerMapTests {
    /// The demo, with two synthetic service categories (a cluster of three schools, one school outside the region) and mobilisations.
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-layers")
        let s = dir + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        let schools = try write("""
        nom,lat,lon
        École A,49.300,-67.500
        École B,49.3003,-67.5004
        École C,49.3006,-67.4996
        École D,49.150,-66.500
        École hors région,46.80,-71.20
        """, "synthetique_ecoles.csv", in: dir)
        _ = try ServiceImporter.run(file: schools, category: "ecole", fields: ["name": "nom"], storePath: s)
        let clsc = try write("nom,lat,lon\nCLSC fictif,49.33,-67.50\n", "synthetique_clsc.csv", in: dir)
        _ = try ServiceImporter.run(file: clsc, category: "clsc", fields: ["name": "nom"], storePath: s)
        // A SYNTHETIC road through the fictional region, for the service areas.
        let road = try write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"vitesse":70},"geometry":{"type":"LineString","coordinates":[[-67.9,49.35],[-67.5,49.33],[-67.0,49.25],[-66.5,49.15]]}}]}"#,
                             "synthetique_route.geojson", in: dir)
        var roadOptions = RoadReadOptions()
        roadOptions.speedField = "vitesse"
        _ = try RoadImporter.run(file: road, options: roadOptions, storePath: s)
        let mob = try write("""
        id,nom,acronyme,niveau,territoire_type,territoire_code,region_code,debut,fin,leadership,enjeux,budget_cad,source
        99-table,Table régionale fictive,TRF,regional,region,99,99,2015,,Fictif,réussite éducative|habitation,,synthétique
        991-table,Table locale fictive,TLF,local,mrc,991,99,2018,,Fictif,réussite éducative|sécurité alimentaire,,synthétique
        91005-comite,Comité municipal fictif,CMF,local,municipality,91005,99,2020,,Fictif,habitation,,synthétique

        """, "synthetique_mob.csv", in: dir)
        _ = try MobilisationImporter.run(file: mob, storePath: s)
        // An earlier (SYNTHETIC) population, for the change style.
        let old = try write("code,population\n91005,8000\n91010,2000\n91015,3000\n", "synthetique_population_2016.csv", in: dir)
        _ = try IndicatorImporter.run(file: old, options: .init(indicator: "population", vintage: 2016, valueFields: ["population"], kind: .count),
                                      storePath: s)
        return s
    }

    static func render(_ style: String, _ territory: Territory, categories: [String] = [], maxKm: Double = 15, enjeu: String? = nil) throws -> String {
        try MapRenderer.render(storePath: try store.get(), request: RenderRequest(
            territory: territory, style: style, stylesDirectory: stylesDir, categories: categories, maxKm: maxKm, enjeu: enjeu))
    }

    static func servicesInTerritory(_ t: Territory, _ categories: [String]? = nil) throws -> Int {
        try Stores.open(try store.get()).services(category: nil, in: t).filter { categories?.contains($0.category) ?? true }.count
    }

    @Test func servicesMapCountsEveryServiceOnce() throws {
        let t = try Territory.region("99")
        let svg = try Self.render("services", t)
        let r = try SVGReader.parse(svg)
        let symbols = r.all.filter { $0.attributes["class"] == "service" }
        #expect(symbols.allSatisfy { $0.attributes["data-category"] != nil })
        let total = symbols.map { Int($0.attributes["data-count"] ?? "1") ?? 0 }.reduce(0, +)
        #expect(total == (try Self.servicesInTerritory(t)) && total == 5)   // the school outside the region is not drawn
        // The three schools a few metres apart are one numbered symbol.
        #expect(symbols.contains { $0.attributes["data-category"] == "ecole" && $0.attributes["data-count"] == "3" })
        #expect(r.texts.contains("Écoles (4)") && r.texts.contains("CLSC (1)"))
        #expect(r.texts.contains { $0.contains("5 services dans le territoire") })
        #expect(r.all.filter { $0.name == "path" && $0.attributes["data-code"] != nil }.count == 27)
        // One category only.
        let only = try SVGReader.parse(try Self.render("services", t, categories: ["clsc"]))
        #expect(only.all.filter { $0.attributes["class"] == "service" }.map { $0.attributes["data-category"] } == ["clsc"])
    }

    @Test func aTerritoryWithoutServiceGetsItsMapWithANote() throws {
        let svg = try Self.render("services", try .mrc("993"), categories: ["clsc"])
        let r = try SVGReader.parse(svg)
        #expect(r.all.filter { $0.attributes["class"] == "service" }.isEmpty)
        #expect(r.texts.contains { $0.contains("Aucun service") })
    }

    @Test func gapsMapMarksTheMunicipalitiesOfTheGapReport() throws {
        let t = try Territory.region("99")
        let report = try GapAnalysis.run(storePath: try Self.store.get(), territory: t, category: "clsc", maxKm: 20)
        let svg = try Self.render("gaps", t, categories: ["clsc"], maxKm: 20)
        let r = try SVGReader.parse(svg)
        let paths = r.all.filter { $0.name == "path" && $0.attributes["data-code"] != nil }
        #expect(paths.count == 27)
        let marked = Set(paths.filter { $0.attributes["data-gap"] == "true" }.compactMap { $0.attributes["data-code"] })
        #expect(!marked.isEmpty && marked == Set(report.gaps.map(\.code)))
        #expect(svg.contains("class=\"zone-sans-service\"") && svg.contains("class=\"limite-littoral-interieur\""))
        #expect(r.texts.contains { $0.contains("rayon de 20 km") && $0.contains("habitants concernés") })
        #expect(r.all.contains { $0.attributes["class"] == "service" && $0.attributes["data-category"] == "clsc" })
    }

    @Test func mobilisationsMapCountsTables() throws {
        let t = try Territory.region("99")
        let coverage = try MobilisationCoverage.compute(storePath: try Self.store.get(), territory: t)
        let r = try SVGReader.parse(try Self.render("mobilisations", t))
        var drawn: [String: String] = [:]
        for e in r.all where e.attributes["data-tables"] != nil { drawn[e.attributes["data-code"] ?? ""] = e.attributes["data-tables"] }
        #expect(drawn.count == coverage.count)
        for c in coverage { #expect(drawn[c.code] == String(c.tableCount), "\(c.code)") }
        #expect(drawn["91005"] == "3" && drawn["92005"] == "1")
        #expect(r.all.contains { $0.attributes["data-mobilisation"] == "991-table" })   // MRC table as an outline
        // One enjeu: where a table carries it, where none does.
        let e = try SVGReader.parse(try Self.render("mobilisations", t, enjeu: "sécurité alimentaire"))
        #expect(e.texts.contains("Au moins une table (9)") && e.texts.contains("Aucune table (15)"))
    }

    @Test func badRequestsListWhatExists() throws {
        let t = try Territory.region("99")
        #expect { try Self.render("gaps", t) } throws: { e in
            (e as? StyleError)?.kind == .invalidInput && "\(e)".contains("clsc, ecole")
        }
        #expect { try Self.render("mobilisations", t, enjeu: "inconnu") } throws: { e in
            (e as? StyleError)?.kind == .notFound && "\(e)".contains("habitation")
        }
        #expect { try Self.render("services", t, categories: ["piscine"]) } throws: { e in
            (e as? StyleError)?.kind == .notFound && "\(e)".contains("clsc, ecole")
        }
    }

    /// Every style of styles/ draws on a store holding every layer, in both languages, deterministically.
    @Test func everyStyleDraws() throws {
        let names = StyleCatalogue.names(in: stylesDir)
        #expect(Set(names).isSuperset(of: ["services", "gaps", "aires-service", "mobilisations", "littoral", "population", "vitalite", "defavorisation"]))
        for name in names {
            for lang in Language.allCases {
                let request = RenderRequest(territory: try .mrc("991"), style: name, language: lang, stylesDirectory: stylesDir,
                                            categories: name == "gaps" || name == "bivarie" ? ["ecole"] : name == "aires-service" ? ["clsc"] : [])
                let a = try MapRenderer.render(storePath: try Self.store.get(), request: request)
                #expect(a == (try MapRenderer.render(storePath: try Self.store.get(), request: request)), "\(name)")
                let r = try SVGReader.parse(a)
                #expect(r.attributes["svg"]?["lang"] == lang.rawValue)
                #expect(r.texts.contains { $0.contains("Projection") }, "\(name)")
                #expect(!a.contains("non importée"), "\(name) draws a base map only")
                // Its title and its description in words, naming the territory (the MRC's name, or its code's fallback).
                let title = try #require(a.firstMatch(of: /<title id="titre">([^<]+)<\/title>/)).1
                let desc = try #require(a.firstMatch(of: /<desc id="description">([^<]+)<\/desc>/)).1
                #expect(!title.isEmpty && desc.count > 40, "\(name): \(desc)")
                #expect(desc.contains(String(title.split(separator: "—").last ?? "").trimmingCharacters(in: .whitespaces)), "\(name): \(desc)")
            }
        }
    }
}

/// Every style's palette read under simulated colour-vision deficiencies (`scripts/colour-check`: Machado et al. 2009,
/// severity 1.0, colorspacious): adjacent classes, the coast and inland tints, circles against their base and every
/// pair of service categories stay at least ΔE 8 apart in CAM02-UCS, in normal vision and under deuteranomaly,
/// protanomaly and tritanomaly.
@Suite struct ColourVisionTests {
    static var colorspacious: Bool {
        (try? ExternalTool.run("/usr/bin/env", ["python3", "-c", "import colorspacious; print('oui')"]))?.hasPrefix("oui") == true
    }

    @Test(.enabled(if: colorspacious || ProcessInfo.processInfo.environment["CI"] == "true",
                   "colorspacious absent (scripts/setup l'installe) : test ignoré hors CI"))
    func everyStyleStaysApartUnderEveryDeficiency() throws {
        let out = try ExternalTool.run("/usr/bin/env", ["python3", root + "/scripts/colour-check", stylesDir])
        let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "« \(out) »")
        let styles = try #require(j["styles"] as? [String: [[String: Any]]])
        #expect(Set(styles.keys) == Set(StyleCatalogue.names(in: stylesDir)))
        var pairs = 0
        for (name, list) in styles {
            for p in list {
                pairs += 1
                let d = try #require(p["delta_e"] as? [String: Double])
                #expect(Set(d.keys) == ["normale", "deuteranomaly", "protanomaly", "tritanomaly"])
                #expect(d.values.allSatisfy { $0 >= 8 }, "\(name) \(p["pair"] ?? "") \(p["colours"] ?? ""): \(d)")
            }
        }
        #expect(pairs > 60)
        // The check can fail: the former coast and inland tints of the services map fell to ΔE 4.5 under protanomaly.
        let dir = tempDir("portrait-cvd")
        var old = try String(contentsOfFile: stylesDir + "/services.json", encoding: .utf8)
        old = old.replacingOccurrences(of: "#f2dfa7", with: "#f6e8c3").replacingOccurrences(of: "#cbc9e2", with: "#e5efd8")
        try old.write(toFile: dir + "/services.json", atomically: true, encoding: .utf8)
        let bad = try ExternalTool.run("/usr/bin/env", ["python3", root + "/scripts/colour-check", dir])
        let b = try #require((try? JSONSerialization.jsonObject(with: Data(bad.utf8))) as? [String: Any])
        let pair = ((b["styles"] as? [String: [[String: Any]]])?["services"])?.first { $0["pair"] as? String == "classe 1/2" }
        let protan = (pair?["delta_e"] as? [String: Double])?["protanomaly"] ?? 99
        #expect(protan < 5 && protan > 4)
    }

    /// The plans' map (`PlanMap`: the share of targets on track) passes the same check, its palette written out as a style.
    @Test(.enabled(if: colorspacious || ProcessInfo.processInfo.environment["CI"] == "true",
                   "colorspacious absent (scripts/setup l'installe) : test ignoré hors CI"))
    func thePlansMapToo() throws {
        let dir = tempDir("portrait-cvd-plan")
        let style: [String: Any] = ["name": "plan", "symbol": "choropleth", "palette": ["colors": PlanMap.palette]]
        try JSONSerialization.data(withJSONObject: style).write(to: URL(fileURLWithPath: dir + "/plan.json"))
        let out = try ExternalTool.run("/usr/bin/env", ["python3", root + "/scripts/colour-check", dir])
        let j = try #require((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any], "« \(out) »")
        let pairs = try #require((j["styles"] as? [String: [[String: Any]]])?["plan"])
        #expect(pairs.count == 4)
        for p in pairs { #expect((p["min"] as? Double ?? 0) >= 8, "\(p)") }
    }

    /// The plans' map wraps its sources at its width: every word kept, in order, no line longer than asked unless a
    /// single word is.
    @Test func thePlansMapWrapsItsSources() {
        let text = "Sources : Plan d'action de l'entente sectorielle en développement social en Mauricie 2024-2028 ; SYNTHÉTIQUE — mesures fictives pour les essais de Portrait"
        let lines = PlanMap.wrap(text, columns: 40)
        #expect(lines.count == 5)
        #expect(lines.joined(separator: " ") == text)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(PlanMap.wrap("un-mot-plus-long-que-la-ligne court", columns: 10) == ["un-mot-plus-long-que-la-ligne", "court"])
        #expect(PlanMap.wrap("", columns: 10).isEmpty)
    }
}
