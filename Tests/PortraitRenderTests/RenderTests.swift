import Foundation
import FoundationXML
import PortraitDemo
import PortraitGeometry
import PortraitImport
import PortraitModel
@testable import PortraitRender
import PortraitSpatial
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

#if canImport(FoundationXML)
#endif

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let stylesDir = root + "/styles"

func scratch() -> String { tempDir("portrait-render") }

/// Parses an SVG with Foundation's XML parser; returns the text content of every element by name.
final class SVGReader: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var attributes: [String: [String: String]] = [:]
    /// Every element, in order, with its attributes.
    var all: [(name: String, attributes: [String: String])] = []
    private var current = ""
    private var collecting = false

    static func parse(_ svg: String) throws -> SVGReader {
        let r = SVGReader()
        let p = XMLParser(data: Data(svg.utf8))
        p.delegate = r
        guard p.parse() else { throw p.parserError ?? NSError(domain: "xml", code: 1) }
        return r
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
        if self.attributes[name] == nil { self.attributes[name] = attributes }
        all.append((name, attributes))
        collecting = name == "text" || name == "title" || name == "desc"
        current = ""
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if collecting { current += string } }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if collecting { texts.append(current); collecting = false }
    }
}

/// Numbers rounded to whole pixels, so that a GEOS or PROJ patch release does not break the comparison.
func normalised(_ svg: String) -> String {
    let regex = try! NSRegularExpression(pattern: "-?[0-9]+\\.[0-9]+")
    let ns = svg as NSString
    var out = ""
    var last = 0
    for m in regex.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
        out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
        out += String(Int((Double(ns.substring(with: m.range)) ?? 0).rounded()))
        last = m.range.location + m.range.length
    }
    return out + ns.substring(from: last)
}

@Suite(.serialized) struct RenderTests {
    static let store: Result<String, any Error> = Result {
        let s = scratch() + "/demo.gpkg"
        _ = try DemoTerritory.load(storePath: s)
        return s
    }

    func render(_ style: String, width: Double = 800, panels: [(indicator: String?, vintage: Int?)] = [], lang: Language? = nil) throws -> String {
        try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(
            territory: try .region("99"), style: style, panels: panels, width: width, language: lang, stylesDirectory: stylesDir))
    }

    /// The legend names the shoreline only when the map draws one.
    @Test func theShorelineIsInTheLegendOnlyWhenDrawn() throws {
        #expect(try render("population").contains(">Trait de côte<"))
        let copy = scratch() + "/sans-cote.gpkg"
        try FileManager.default.copyItem(atPath: try Self.store.get(), toPath: copy)
        try Stores.writing(to: copy) { store in try store.transaction { _ = try store.replaceCoastline([], source: "test", importID: 0) } }
        let svg = try MapRenderer.render(storePath: copy, request: RenderRequest(
            territory: try .region("99"), style: "population", width: 800, stylesDirectory: stylesDir))
        #expect(!svg.contains("Trait de côte") && svg.contains(">Limite de MRC<"))
    }

    @Test(arguments: ["vitalite", "vitalite-seuil", "defavorisation", "population", "littoral", "services", "mobilisations"])
    func everyStyleRendersValidAccessibleSVG(_ style: String) throws {
        let svg = try render(style)
        let r = try SVGReader.parse(svg)
        let root = try #require(r.attributes["svg"])
        #expect(root["viewBox"] == "0 0 800 \(root["height"] ?? "")")
        #expect(root["role"] == "img" && root["aria-labelledby"] == "titre description")
        #expect(r.elements["title", default: 0] >= 1 && r.elements["desc"] == 1)
        #expect(r.texts.contains { $0.contains("Région fictive de la Côte-aux-Exemples") })
        #expect(r.texts.contains { $0.contains("km") })                 // scale bar
        #expect(r.texts.contains { $0.hasPrefix("Données FICTIVES") })  // source line says fictional
        // 27 units, each a path with a title.
        #expect(r.elements["path", default: 0] >= 27)
        #expect(svg.utf8.count < 60_000)
    }

    @Test func apostrophesAreEscapedAndReadBack() throws {
        let svg = try render("vitalite")
        #expect(svg.contains("L&#39;Anse-aux-Exemples"))
        #expect(!svg.contains("L'Anse"))
        let r = try SVGReader.parse(svg)
        #expect(r.texts.contains { $0.hasPrefix("Rang-Double-de-l'Essai") })
    }

    @Test func identicalInputsGiveIdenticalBytes() throws {
        #expect(try render("vitalite") == render("vitalite"))
    }

    @Test func legendMatchesTheClasses() throws {
        let svg = try render("vitalite")
        let r = try SVGReader.parse(svg)
        // Five classes with counts, then suppressed and missing rows (one x in the demo IVE, two TNO).
        let rows = r.texts.filter { $0.hasSuffix(")") && ($0.contains(" à ") || $0.hasPrefix("Valeur") || $0.hasPrefix("Sans")) }
        #expect(rows.count == 7)
        #expect(rows.contains("Valeur confidentielle (1)") && rows.contains("Sans donnée (2)"))
        let counted = rows.prefix(5).compactMap { Int($0.split(separator: "(").last!.dropLast()) }.reduce(0, +)
        #expect(counted == 24 - 2 - 1)
        #expect(svg.contains("url(#hachures-confidentiel)") && svg.contains("url(#hachures-sans-donnee)"))
    }

    /// The threshold style: two classes, the IVE's own words, as many "très dévitalisées" as the portrait counts.
    @Test func theVitalityThresholdMap() throws {
        let r = try SVGReader.parse(try render("vitalite-seuil"))
        let p = try PortraitBuilder.build(storePath: try Self.store.get(), options: .init(territory: try .region("99")))
        let past = try #require(p.indicators.first { $0.name == "ive" }?.threshold?.municipalities)
        #expect(r.texts.contains("très dévitalisées (IVE < −5) (\(past))"))
        #expect(r.texts.contains { $0.hasPrefix("autres (-5 ou plus)") || $0.hasPrefix("autres (−5 ou plus)") })
        #expect(r.texts.contains { $0.contains("seuil de l'indicateur") })
    }

    @Test func smallMultiplesShareOneLegend() throws {
        let svg = try render("defavorisation", width: 1200, panels: [("defavorisation_materielle", nil), ("defavorisation_sociale", nil)])
        let r = try SVGReader.parse(svg)
        #expect(svg.contains("id=\"panneau-1\"") && svg.contains("id=\"panneau-2\""))
        #expect(svg.components(separatedBy: "id=\"legende\"").count == 2)
        #expect(r.texts.contains("Défavorisation sociale (quintile), 2021"))
    }

    @Test func mrcLabelsWhenTheStyleAsks() throws {
        let dir = scratch()
        var json = try String(contentsOfFile: stylesDir + "/population.json", encoding: .utf8)
        json = json.replacingOccurrences(of: "\"level\": \"municipality\"", with: "\"level\": \"mrc\"")
        try json.write(toFile: dir + "/population.json", atomically: true, encoding: .utf8)
        let svg = try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(
            territory: try .region("99"), style: "population", stylesDirectory: dir))
        let r = try SVGReader.parse(svg)
        #expect(r.texts.contains("La Côte-Fictive") && r.texts.contains("Les Plateaux-Inventés"))
        #expect(!r.texts.contains("Port-Démo"))
    }

    @Test func englishLabels() throws {
        let svg = try render("littoral", lang: .en)
        let r = try SVGReader.parse(svg)
        #expect(r.texts.contains { $0.hasPrefix("Coast (") } && r.texts.contains { $0.hasPrefix("Inland (") })
        #expect(r.attributes["svg"]?["lang"] == "en")
    }

    @Test func unknownStyleFieldOrIndicatorIsAClearError() throws {
        #expect { try render("arc-en-ciel") } throws: {
            ($0 as? StyleError)?.message.contains("vitalite") == true && ($0 as? StyleError)?.message.contains("littoral") == true
        }
        let dir = scratch()
        try #"{"name":"x","couleurs":[]}"#.write(toFile: dir + "/x.json", atomically: true, encoding: .utf8)
        #expect { try StyleCatalogue.load("x", from: dir) } throws: { ($0 as? StyleError)?.message.contains("couleurs") == true }
        #expect {
            try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(
                territory: try .region("99"), style: "vitalite", indicator: "chomage", stylesDirectory: stylesDir))
        } throws: { ($0 as? StyleError)?.message.contains("ive, population") == true }
    }

    /// Golden files: written with PORTRAIT_UPDATE_GOLDEN=1 on a developer machine, never in CI.
    @Test(arguments: ["vitalite", "littoral"])
    func goldenFile(_ style: String) throws {
        let svg = try render(style)
        let path = root + "/Tests/PortraitRenderTests/Golden/demo_\(style).svg"
        if ProcessInfo.processInfo.environment["PORTRAIT_UPDATE_GOLDEN"] == "1" && ProcessInfo.processInfo.environment["CI"] != "true" {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) },
                                  "missing golden file \(path)")
        #expect(normalised(svg) == normalised(golden))
    }
}

struct CoverageTests {
    @Test func neighboursKeepOneSharedBorder() throws {
        // Two squares sharing a wiggly border of 200 points.
        var border: [Position] = []
        for i in 0...200 { border.append(Position(1 + 0.002 * sin(Double(i)), Double(i) / 200)) }
        let left = Geometry.polygon(Polygon(exterior: [Position(0, 0)] + border + [Position(0, 1), Position(0, 0)]))
        let right = Geometry.polygon(Polygon(exterior: [Position(2, 0), Position(2, 1)] + border.reversed() + [Position(2, 0)]))
        let out = try Coverage.simplify([left, right], tolerance: 0.01)
        #expect(out[0].positionCount < 12 && out[1].positionCount < 12)
        // No gap, no overlap: the union is one polygon of the full area, the intersection has none.
        let union = try out[0].union(out[1])
        #expect(union.polygons.count == 1 && union.polygons[0].rings.count == 1)
        #expect(abs(try union.planarArea() - 2) < 1e-9)
        #expect(try out[0].intersection(out[1]).planarArea() < 1e-12)
    }

    @Test func slimGapsAreFilled() throws {
        // Neighbours that do not quite meet (a 0.001 gap): the gap goes to one of them.
        let a = Geometry.polygon(Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1), Position(0, 0)]))
        let b = Geometry.polygon(Polygon(exterior: [Position(1.001, 0), Position(2, 0), Position(2, 1), Position(1.001, 1), Position(1.001, 0)]))
        let c = Geometry.polygon(Polygon(exterior: [Position(0, 1), Position(2, 1), Position(2, 2), Position(0, 2), Position(0, 1)]))
        let d = Geometry.polygon(Polygon(exterior: [Position(0, -1), Position(2, -1), Position(2, 0), Position(0, 0), Position(0, -1)]))
        let out = try Coverage.simplify([a, b, c, d], tolerance: 0.01)
        let total = try out.map { try $0.planarArea() }.reduce(0, +)
        // 1 + 0.999 + 2 + 2, plus the enclosed 0.001 gap.
        #expect(abs(total - 6) < 1e-9)
    }
}

/// Every shipped style on the real Bas-Saint-Laurent data (vitality and deprivation SYNTHETIC),
/// parsed, and converted to PNG with rsvg-convert when it is installed.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: root + "/../shared/geodata/README.md") || ProcessInfo.processInfo.environment["CI"] == "true",
                "../shared/geodata absent : données réelles non disponibles (hors CI, test ignoré)"), .serialized)
struct RealMapTests {
    static let store: Result<String, any Error> = Result {
        let g = root + "/../shared/geodata"
        guard FileManager.default.fileExists(atPath: g + "/README.md") else {
            throw StyleError(.unavailable, "CI=true mais ../shared/geodata est absent")
        }
        let dir = scratch()
        let s = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: g + "/boundaries/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: s)
        _ = try BoundaryImporter.run(file: g + "/boundaries/qc-mrc.geojson", options: .init(level: .mrc), storePath: s)
        _ = try BoundaryImporter.run(file: g + "/boundaries/qc-regions.geojson", options: .init(level: .region), storePath: s)
        _ = try CoastlineImporter.run(file: g + "/coastline/gshhg_f_stlawrence_L1.geojson", storePath: s)
        _ = try CoastClassifier.run(storePath: s)
        _ = try IndicatorImporter.run(file: g + "/population/recensement_2021_sdr_bsl.csv", options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
        let files = try SyntheticIndicators.write(storePath: s, region: try .region("01"), directory: dir)
        _ = try IndicatorImporter.run(file: files[0], options: .init(vintage: 2020, preset: .isqIVE, source: SyntheticIndicators.source), storePath: s)
        _ = try IndicatorImporter.run(file: files[1], options: .init(vintage: 2021, preset: .inspqDeprivation, source: SyntheticIndicators.source), storePath: s)
        _ = try ServiceImporter.run(file: g + "/services/bsl_ecoles_publiques_meq.geojson", category: "ecole", preset: .meqSchools, vintage: 2022, storePath: s)
        _ = try ServiceImporter.run(file: g + "/services/qc_installations_sante_odhf.csv", category: "sante", preset: .odhf, storePath: s)
        _ = try MobilisationImporter.run(file: g + "/mobilisations/mobilisations_seeds.csv", storePath: s)
        return s
    }

    @Test(arguments: ["vitalite", "vitalite-seuil", "defavorisation", "population", "littoral", "services", "mobilisations"])
    func bslMap(_ style: String) throws {
        let svg = try MapRenderer.render(storePath: try Self.store.get(), request: RenderRequest(
            territory: try .region("01"), style: style, stylesDirectory: stylesDir))
        let r = try SVGReader.parse(svg)
        #expect(r.texts.contains { $0.contains("Bas-Saint-Laurent") })
        #expect(r.texts.contains { $0.contains("L'Isle-Verte (12043)") })     // every unit has its title, escaped
        #expect(r.texts.contains("Rimouski"))                                  // the largest town is labelled
        #expect(svg.utf8.count < 150_000)
        if style == "vitalite" { #expect(r.texts.contains { $0.contains("SYNTHÉTIQUES") }) }
        if style == "littoral" { #expect(r.texts.contains("Littoral (28)") && r.texts.contains("Intérieur (99)")) }
        let rsvg = "/usr/bin/rsvg-convert"
        if FileManager.default.isExecutableFile(atPath: rsvg) {
            let dir = scratch()
            try svg.write(toFile: dir + "/m.svg", atomically: true, encoding: .utf8)
            try PNGExport.convert(svg: dir + "/m.svg", png: dir + "/m.png")
            let png = try #require(FileManager.default.contents(atPath: dir + "/m.png"))
            #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        }
    }

    /// Need × access for region 01: the synthetic deprivation against the distance to the nearest health facility;
    /// the nine classes of the legend add up to the units mapped, each unit in the class of its value and distance.
    @Test func needAgainstAccess() throws {
        let s = try Self.store.get()
        let svg = try MapRenderer.render(storePath: s, request: RenderRequest(territory: try .region("01"), style: "bivarie",
                                                                             stylesDirectory: stylesDir, categories: ["sante"], maxKm: 15))
        let r = try SVGReader.parse(svg)
        let cells = r.all.filter { $0.name == "rect" && $0.attributes["data-bivariate"] != nil }
        #expect(cells.count == 9)
        let units = r.all.filter { $0.name == "path" && $0.attributes["data-bivariate"] != nil }
        let total = cells.compactMap { Int($0.attributes["data-count"] ?? "") }.reduce(0, +)
        #expect(total == units.count && units.count > 100)
        for c in cells {
            let n = units.filter { $0.attributes["data-bivariate"] == c.attributes["data-bivariate"] }.count
            #expect(Int(c.attributes["data-count"] ?? "") == n)
        }
        // Each unit's access class from the gap analysis's distance, its need class from its quintile.
        let gaps = try GapAnalysis.run(storePath: s, territory: try .region("01"), category: "sante", maxKm: 15)
        let km = Dictionary(gaps.municipalities.map { ($0.code, $0.nearestKm) }) { a, _ in a }
        for u in units {
            let code = u.attributes["data-code"] ?? ""
            let expected = (km[code] ?? nil).map { $0 <= 7.5 ? "1" : $0 <= 15 ? "2" : "3" } ?? "3"
            #expect(u.attributes["data-access-class"] == expected, "\(code)")
            let q = Double(u.attributes["data-value"] ?? "") ?? 0
            #expect(u.attributes["data-need-class"] == (q <= 2 ? "1" : q < 4 ? "2" : "3"), "\(code)")
        }
        let desc = try #require(svg.firstMatch(of: /<desc id="description">([^<]+)<\/desc>/)).1
        #expect(desc.contains("Bas-Saint-Laurent") && desc.contains("15 km"))
        #expect(r.texts.contains { $0.contains("SYNTHÉTIQUES") })
    }

    /// Counts in proportional circles: one per inhabited municipality, with its code and value, its area proportional
    /// to the population within 1 %, the largest first (behind); nested circles in the legend. A choropleth of a count
    /// and circles of a rate are refused, naming the style to use.
    @Test func populationInProportionalCircles() throws {
        let s = try Self.store.get()
        let svg = try MapRenderer.render(storePath: s, request: RenderRequest(territory: try .region("01"), style: "population", stylesDirectory: stylesDir))
        let r = try SVGReader.parse(svg)
        let circles = r.all.filter { $0.attributes["class"] == "cercle" }
        let population = try Stores.open(s).indicatorValues("population", vintage: 2021)
        let inhabited = try Stores.open(s).municipalities(in: try .region("01"), withGeometry: false)
            .filter { !$0.isAquatic && (population[$0.code]?.number ?? 0) > 0 }
        #expect(circles.count == inhabited.count && circles.count > 100)
        #expect(Set(circles.compactMap { $0.attributes["data-code"] }) == Set(inhabited.map(\.code)))
        let ratios = circles.compactMap { c -> Double? in
            guard let code = c.attributes["data-code"], let v = population[code]?.number, let radius = c.attributes["r"].flatMap(Double.init),
                  Double(c.attributes["data-value"] ?? "") == v else { return nil }
            return Double.pi * radius * radius / v
        }
        #expect(ratios.count == circles.count)
        let mid = ratios.sorted()[ratios.count / 2]
        #expect(ratios.allSatisfy { abs($0 / mid - 1) < 0.01 }, "areas not proportional: \(ratios.min() ?? 0)…\(ratios.max() ?? 0)")
        let values = circles.compactMap { Double($0.attributes["data-value"] ?? "") }
        #expect(values == values.sorted(by: >))                                  // the largest drawn first, behind
        let legend = r.all.filter { $0.name == "circle" && $0.attributes["class"] == nil && $0.attributes["data-value"] != nil }
        #expect(legend.count >= 2)                                               // nested circles
        #expect(!r.all.contains { $0.attributes["data-code"] != nil && $0.name == "path" && $0.attributes["fill"]?.hasPrefix("#08519c") == true })
        #expect { try MapRenderer.render(storePath: s, request: RenderRequest(territory: try .region("01"), style: "taux", indicator: "logements",
                                                                             stylesDirectory: stylesDir)) } throws: { e in
            ErrorKind.of(e) == .invalidInput && "\(e)".contains("choroplèthe d'un effectif") && "\(e)".contains("style population")
        }
        #expect { try MapRenderer.render(storePath: s, request: RenderRequest(territory: try .region("01"), style: "population",
                                                                             indicator: "revenu_median_menage", stylesDirectory: stylesDir)) } throws: { e in
            ErrorKind.of(e) == .invalidInput && "\(e)".contains("style taux")
        }
    }

    /// Services, gaps (sante, 15 km) and mobilisations for region 01 and MRC 10: valid XML with their attributes;
    /// the gaps map marks the same municipalities as `portrait gaps`.
    @Test(arguments: ["01", "10"])
    func bslLayerMaps(_ code: String) throws {
        let t = code == "01" ? try Territory.region(code) : try Territory.mrc(code)
        let s = try Self.store.get()
        let services = try SVGReader.parse(try MapRenderer.render(storePath: s, request: RenderRequest(
            territory: t, style: "services", stylesDirectory: stylesDir)))
        let drawn = services.all.filter { $0.attributes["class"] == "service" }.map { Int($0.attributes["data-count"] ?? "1") ?? 0 }.reduce(0, +)
        #expect(drawn == (try Stores.open(s).services(category: nil, in: t).count) && drawn > 10)
        let gapsSVG = try MapRenderer.render(storePath: s, request: RenderRequest(
            territory: t, style: "gaps", stylesDirectory: stylesDir, categories: ["sante"], maxKm: 15))
        let gaps = try SVGReader.parse(gapsSVG)
        let report = try GapAnalysis.run(storePath: s, territory: t, category: "sante", maxKm: 15)
        let marked = Set(gaps.all.filter { $0.attributes["data-gap"] == "true" }.compactMap { $0.attributes["data-code"] })
        #expect(marked == Set(report.gaps.map(\.code)))
        // A gap is hatched as well as coloured, its class by the density of the hatching.
        let gapFills = Set(gaps.all.filter { $0.attributes["data-gap"] == "true" }.compactMap { $0.attributes["fill"] })
        #expect(!gapFills.isEmpty && gapFills.isSubset(of: ["url(#lacune-1)", "url(#lacune-2)", "url(#lacune-3)"]))
        #expect(gapsSVG.contains("<pattern id=\"lacune-3\""))
        if code == "01" { #expect(marked.count == 37) }   // the same 37 units as geopandas (BENCHMARKS.md)
        let mob = try SVGReader.parse(try MapRenderer.render(storePath: s, request: RenderRequest(
            territory: t, style: "mobilisations", stylesDirectory: stylesDir)))
        let tables = mob.all.compactMap { $0.attributes["data-tables"] }
        #expect(!tables.isEmpty && tables.allSatisfy { $0 == "4" })   // COSMOSS, the alliance, Vieillir, one local committee
    }
}

