import Foundation
import PortraitImport
import PortraitModel
@testable import PortraitReport
import PortraitStore
@testable import PortraitTerritory
import PortraitTestSupport
import Testing

/// Portraits of every kind of territory on the real Bas-Saint-Laurent data the project ships (geodata/bsl):
/// a municipality beside its MRC and region, custom territories, the whole store, and the generated sentences.
@Suite(.serialized) struct TerritoryKindsTests {
    /// geodata/bsl loaded as `scripts/load-bsl` does.
    static let store: Result<String, any Error> = Result { try ShippedBSL.load(into: tempDir("portrait-kinds") + "/bsl.gpkg") }

    static func report(_ t: Territory, _ lang: Language = .fr, reference: Territory? = nil, base: String? = nil) throws -> Report {
        var o = ReportOptions(territory: t, language: lang, stylesDirectory: stylesDir, maps: false)
        o.reference = reference; o.base = base
        return try ReportBuilder.build(storePath: try store.get(), options: o)
    }

    static func population() throws -> [String: Double] {
        try Stores.open(try store.get()).indicatorValues("population", vintage: 2021).compactMapValues(\.number)
    }

    @Test func saintFabienBesideItsMRCAndRegionWithItsRank() throws {
        let r = try Self.report(try .municipality("10070"))
        let json = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder.stable.encode(r)) as? [String: Any])
        #expect((json["territory"] as? [String: Any])?["level"] as? String == "municipality")
        #expect(json["population"] as? Double == 1834)
        let figures = try #require((json["comparison"] as? [String: Any])?["figures"] as? [[String: Any]])
        let pop = try #require(figures.first { $0["key"] as? String == "population" })
        #expect(pop["value"] as? Double == 1834)
        let refs = try #require(pop["references"] as? [[String: Any]])
        func ref(_ level: String) -> [String: Any]? { refs.first { ($0["territory"] as? [String: Any])?["level"] as? String == level } }
        #expect(ref("mrc")?["value"] as? Double == 57_191 && (ref("mrc")?["territory"] as? [String: Any])?["code"] as? String == "10")
        #expect(ref("region")?["value"] as? Double == 199_039 && (ref("region")?["territory"] as? [String: Any])?["code"] as? String == "01")
        // The rank among the region's 111 municipalities, recomputed here from the store's values.
        let s = try Stores.open(try Self.store.get())
        let peers = try s.municipalities(in: try .region("01"), withGeometry: false)
            .filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }
        let p = try Self.population()
        let values = peers.compactMap { p[$0.code] }
        let rank = try #require(pop["rank"] as? [String: Any])
        #expect(rank["of"] as? Int == values.count && values.count == 111)
        #expect(rank["rank"] as? Int == values.filter { $0 > 1834 }.count + 1)
        #expect(pop["quintile"] as? Int == min(5, 1 + 5 * values.filter { $0 < 1834 }.count / values.count))
        // The fiche: the nearest facility of each category, its distance and whether it lies in a gap.
        let sante = try #require(r.services.first { $0.category == "sante" }?.nearest)
        #expect(sante.inGap && sante.km > 15 && !sante.name.isEmpty)
        #expect(try #require(r.services.first { $0.category == "ecole" }?.nearest).km < 15)
        #expect(r.portrait.unit?.mrc?.code == "10" && r.portrait.unit?.coastClass == .littoral)
        #expect(r.mobilisations?.tables.contains { $0.territory == "MRC 10" } == true)
    }

    @Test func aReferenceReplacesTheMRCAndRegion() throws {
        let r = try Self.report(try .municipality("10070"), reference: try .mrc("07"))
        let c = try #require(r.portrait.comparison)
        #expect(c.chosen && c.references.map(\.code) == ["07"])
        #expect(c.figure("population")?.references.first?.value == (try Self.population()).filter { k, _ in k.hasPrefix("07") }.values.reduce(0, +))
        // Saint-Fabien is no part of La Matapédia: the two populations side by side, never a share of it.
        let sentence = try #require(c.figure("population")?.sentence)
        #expect(sentence.contains("contre 17 592 habitants dans la MRC de La Matapédia"), "\(sentence)")
        #expect(!sentence.contains("%") && !sentence.contains("soit"), "\(sentence)")
        #expect(c.figure("population")?.references.first?.share == nil)
        // Its own MRC holds it: the share is written.
        let own = try #require(try Self.report(try .municipality("10070"), reference: try .mrc("10")).portrait.comparison?.figure("population"))
        #expect(own.sentence.contains("soit") && own.sentence.contains("% de la MRC de Rimouski-Neigette") && own.references.first?.share != nil, "\(own.sentence)")
    }

    /// Both layouts of the territories file, in the encodings and line ends of published tables.
    @Test(arguments: ["codes", "members"], ["\n", "\r\n"])
    func customTerritoryIsTheSumOfItsMembers(_ layout: String, _ eol: String) throws {
        let dir = tempDir("portrait-custom")
        let members = ["10005", "10010", "10015", "10025", "10075"]
        let rows = layout == "codes" ? ["nom;codes", "Haut-Pays de la Neigette;\"\(members.joined(separator: ","))\""]
            : ["Territoire,Code"] + members.map { "Haut-Pays de la Neigette,\($0)" }
        let file = dir + "/territoires.csv"
        try Data([0xEF, 0xBB, 0xBF] + Array(rows.joined(separator: eol).utf8)).write(to: URL(fileURLWithPath: file))
        let store = dir + "/copy.gpkg"
        try FileManager.default.copyItem(atPath: try Self.store.get(), toPath: store)
        let imported = try TerritoriesImporter.run(file: file, storePath: store)
        #expect(imported.territories.map(\.id) == ["haut-pays-de-la-neigette"] && imported.territories[0].members == 5)
        let p = try Self.population()
        let expected = members.compactMap { p[$0] }.reduce(0, +)
        let stored = try PortraitBuilder.build(storePath: store, options: .init(territory: try .custom("Haut-Pays de la Neigette")))
        let inline = try PortraitBuilder.build(storePath: store, options: .init(territory: try .codes(members.joined(separator: ","))))
        #expect(stored.population == expected && inline.population == expected && expected > 2000)
        #expect(stored.territory.name == "Haut-Pays de la Neigette" && stored.municipalityCount == 5)
        // Its members share one MRC and one region: both are its references.
        #expect(stored.comparison?.references.map(\.code) == ["10", "01"])
        #expect(try StoreInfo.read(storePath: store).customTerritories.first?.codes == members)
    }

    @Test func aTerritoriesFileWithAnUnknownOrUnreadableCodeIsRefusedWhole() throws {
        let dir = tempDir("portrait-custom-bad")
        let store = dir + "/copy.gpkg"
        try FileManager.default.copyItem(atPath: try Self.store.get(), toPath: store)
        let file = try write("nom,codes\nA,10070;10060\nB,10070;99999\nC,10070;abc\n", "t.csv", in: dir)
        #expect { try TerritoriesImporter.run(file: file, storePath: store) } throws: { e in
            let m = "\(e)"
            return m.contains("t.csv") && m.contains("ligne 3, colonne codes : code 99999 absent du magasin")
                && m.contains("ligne 4, colonne codes : « abc »") && m.contains("rien n'a été importé")
        }
        #expect(try Stores.open(store).customTerritories().isEmpty)
        #expect { try PortraitBuilder.build(storePath: store, options: .init(territory: try .codes("10070,99999"))) } throws: { e in
            ErrorKind.of(e) == .notFound && "\(e)".contains("99999")
        }
        #expect { try PortraitBuilder.build(storePath: store, options: .init(territory: try .custom("A"))) } throws: { e in
            ErrorKind.of(e) == .notFound && "\(e)".contains("« a » inconnu")
        }
    }

    @Test func theWholeStoreIsSplitByRegion() throws {
        let r = try Self.report(.all)
        let p = try Self.population()
        #expect(r.portrait.territory.level == .all && r.portrait.population == p.values.reduce(0, +))
        #expect(r.portrait.regions?.map(\.territory.code) == ["01"] && r.portrait.comparison?.references.isEmpty == true)
    }

    /// `--base`: the shares of another count (here the private dwellings), computed again from the store.
    @Test func aBaseChangesTheSharesAndNamesItself() throws {
        let s = try Stores.open(try Self.store.get())
        let dwellings = try s.indicatorValues("logements", vintage: 2021).compactMapValues(\.number)
        let p = try Self.population()
        let units = try s.municipalities(in: try .mrc("10"), withGeometry: false).filter { !$0.isAquatic }
        let total = units.compactMap { dwellings[$0.code] }.reduce(0, +)
        let towns = units.filter { Designation.isMunicipality($0.designation) && (p[$0.code] ?? 0) >= 5000 }.compactMap { dwellings[$0.code] }.reduce(0, +)
        let r = try Self.report(try .mrc("10"), base: "logements")
        #expect(r.portrait.base?.indicator == "logements" && r.portrait.base?.total == total)
        #expect(abs((r.portrait.towns5000Plus.populationShare ?? 0) - towns / total) < 1e-12)
        let plain = try Self.report(try .mrc("10"))
        #expect(plain.portrait.towns5000Plus.populationShare != r.portrait.towns5000Plus.populationShare)
        #expect(PortraitDocument.title(r.portrait, .fr).contains("Logements privés"))
        #expect(r.portrait.comparison?.figure("towns_5000_plus_share")?.label.contains("Logements privés") == true)
        #expect { try Self.report(try .mrc("10"), base: "revenu_median_menage") } throws: { ErrorKind.of($0) == .invalidInput }
    }

    // MARK: generated sentences

    /// Every number of a JSON value.
    static func numbers(_ v: Any) -> [Double] {
        switch v {
        case let d as [String: Any]: d.values.flatMap(numbers)
        case let a as [Any]: a.flatMap(numbers)
        case let n as NSNumber where String(cString: n.objCType) != "c": [n.doubleValue]
        default: []
        }
    }

    /// The numbers a sentence prints, with their decimals and whether a percent sign follows; quoted names left out.
    static func printed(_ sentence: String, _ lang: Language) -> [(value: Double, decimals: Int, percent: Bool, text: String)] {
        let unquoted = sentence.replacing(/«[^»]*»/, with: "").replacing(/“[^”]*”/, with: "")
        let fr = lang == .fr
        // ASCII digits only: a unit's superscript (km²) is not a figure.
        let pattern = fr ? try! Regex("[−-]?[0-9]+(?: [0-9]{3})*(?:,[0-9]+)?(?:\\s?%)?") : try! Regex("-?[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?%?")
        return unquoted.matches(of: pattern).map { m in
            let text = String(unquoted[m.range])
            let percent = text.hasSuffix("%")
            var t = text.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")
            t = fr ? t.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ",", with: ".") : t.replacingOccurrences(of: ",", with: "")
            let decimals = t.split(separator: ".").dropFirst().first?.count ?? 0
            return (Double(t) ?? .nan, decimals, percent, text)
        }
    }

    @Test(arguments: [Language.fr, .en], ["municipality:10070", "municipality:13095", "mrc:10", "region:01", "all", "codes:10070,10060,07047"])
    func everyNumberOfEverySentenceIsAFigureOfTheReport(_ lang: Language, _ which: String) throws {
        let parts = which.split(separator: ":").map(String.init)
        let t: Territory = switch parts[0] {
        case "municipality": try .municipality(parts[1])
        case "mrc": try .mrc(parts[1])
        case "region": try .region(parts[1])
        case "codes": try .codes(parts[1])
        default: .all
        }
        let r = try Self.report(t, lang)
        let figures = Self.numbers(try JSONSerialization.jsonObject(with: try JSONEncoder.stable.encode(r)))
        let c = try #require(r.portrait.comparison)
        let sentences = c.figures.map(\.sentence) + r.services.map(\.sentence)
        #expect(sentences.count >= 5 && sentences.allSatisfy { !$0.isEmpty })
        var checked = 0
        for s in sentences {
            for n in Self.printed(s, lang) {
                let scale = pow(10, Double(n.decimals))
                // Printed at its decimals (NumberFormatter rounds half to even): within half a unit of the last digit.
                let found = figures.flatMap { n.percent ? [$0, $0 * 100] : [$0] }.contains { abs($0 - n.value) <= 0.5 / scale + 1e-9 }
                #expect(found, "« \(n.text) » in « \(s) » is none of the report's figures")
                checked += 1
            }
        }
        #expect(checked > 10)
        // Each sentence names its territory, its year, and each reference.
        let name = r.portrait.territory.name
        for f in c.figures {
            #expect(f.sentence.contains(t.kind == .all ? (lang == .fr ? "l'ensemble du territoire" : "the whole territory") : name), "\(f.sentence)")
            // The year the figure is about: the census income is of 2020 in the 2021 census, every other figure of its vintage.
            if let v = f.vintage {
                let year = f.key == "revenu_median_menage" ? v - 1 : v
                #expect(f.year == year && f.sentence.contains("(\(year))"), "\(f.sentence)")
            }
            for ref in f.references where ref.value != nil { #expect(f.sentence.contains(ref.territory.name), "\(f.sentence)") }
        }
    }
}
