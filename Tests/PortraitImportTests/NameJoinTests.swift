import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// Tables with names and no codes, as Statistics Canada publishes its French population and dwelling counts:
/// semicolons, UTF-8 with BOM, `Nom géographique` and the designation abbreviation, spaces as thousands
/// separators, country and province rows mixed in. Built here from the real 2021 census file.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct NameJoinTests {
    static func frenchTable(dir: String, keepDesignation: Bool = true, landArea: Bool = false) throws -> String {
        let census = try String(contentsOfFile: try RealData.path("population/recensement_2021_sdr_bsl.csv"), encoding: .utf8)
        var out = "\u{FEFF}Nom géographique;Abréviation du nom du genre de région géographique;Population, 2021;Logements privés, 2021"
            + (landArea ? ";Superficie en terres (kilomètres carrés), 2021" : "") + "\n"
        out += "Canada;;36 991 981;16 284 235" + (landArea ? ";8 788 702,80" : "") + "\nQuébec;PR;8 501 833;3 998 733" + (landArea ? ";1 298 599,75" : "") + "\n"
        for line in census.split(separator: "\n").dropFirst() {
            // code_geo,"Nom, Genre (ABR)",niveau,…: the name and abbreviation, population_2021 and logements_total by header position.
            let fields = Self.csv(String(line))
            let full = fields[1]
            let name = String(full.split(separator: ",", maxSplits: 1)[0])
            let abbr = full.lastIndex(of: "(").map { String(full[full.index(after: $0)...].dropLast()) } ?? ""
            func spaced(_ s: String) -> String {
                guard let v = Double(s) else { return "x" }   // confidential in the census extract
                let digits = String(Int(v))
                var r = ""
                for (i, c) in digits.reversed().enumerated() { if i > 0 && i % 3 == 0 { r.append(" ") }; r.append(c) }
                return String(r.reversed())
            }
            out += "\(name);\(keepDesignation ? abbr : "");\(spaced(fields[17]));\(spaced(fields[5]))"
                + (landArea ? ";" + fields[20].replacingOccurrences(of: ".", with: ",") : "") + "\n"
        }
        return try write(out, "statcan_fr_synthetique_depuis_recensement.csv", in: dir)
    }

    /// A minimal CSV split honouring quotes.
    static func csv(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { out.append(cur); cur = "" } else { cur.append(c) }
        }
        return out + [cur]
    }

    static func store(_ dir: String) throws -> String {
        let s = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality), storePath: s)
        return s
    }

    /// Names and designations only: the two BSL names that another municipality of Quebec bears with the same
    /// designation (Saint-Léon-le-Grand, parishes in La Matapédia and Maskinongé; Sainte-Félicité, municipalities in
    /// La Matanie and L'Islet) are listed as ambiguous and get no value; every other unit gets the code-joined value.
    @Test func sameValuesAsTheCodeJoinedCensus() throws {
        let dir = tempDir()
        let store = try Self.store(dir)
        _ = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        var o = IndicatorImportOptions(vintage: 2022, valueFields: ["population=Population, 2021", "logements=Logements privés, 2021"])
        o.join = .name
        let r = try IndicatorImporter.run(file: try Self.frenchTable(dir: dir), options: o, storePath: store)
        // Canada and Québec match nothing; Cacouna the municipality and Cacouna the reserve are told apart by their designation.
        #expect(Set(r.join.unmatched.compactMap(\.name)) == ["Canada", "Québec"])
        #expect(Set(r.join.ambiguous.map(\.name)) == ["Saint-Léon-le-Grand", "Sainte-Félicité"])
        #expect(Set(r.join.units.filter { $0.how == "ambigu" }.map(\.code)) == ["07030", "08023"])
        #expect(r.join.layout?.encoding == "UTF-8 (BOM)" && r.join.layout?.separator == ";")
        // Former municipalities: Saint-Guy (with Lac-des-Aigles) and Saint-Onésime-d'Ixworth, Sainte-Anne-de-la-Pocatière (with La Pocatière).
        #expect(Set(r.join.merged.map(\.newCode)) == ["13062", "14082"])
        let s = try Stores.open(store)
        for name in ["population", "logements"] {
            let byCode = try s.indicatorValues(name, vintage: 2021, level: .municipality)
            let byName = try s.indicatorValues(name, vintage: 2022, level: .municipality)
            #expect(byName.count == byCode.count - 2 && byName.count >= 120, "\(name)")
            for (code, v) in byName { #expect(byCode[code] == v, "\(name) \(code)") }
            #expect(byName["07030"] == nil && byName["08023"] == nil)
        }
        #expect(try s.indicatorValues("population", vintage: 2022, level: .municipality)["13062"] == .value(571))
        #expect(try s.indicatorValues("population", vintage: 2022, level: .municipality)["14082"] == .value(6_197))
    }

    /// With Statistics Canada's land-area column, the two homonyms are told apart (within 2 % of the MAMH's area):
    /// every unit gets exactly the code-joined value, and the region's portrait is the code-joined one.
    @Test func theLandAreaTellsTheLastHomonymsApart() throws {
        let dir = tempDir()
        let store = try Self.store(dir)
        _ = try IndicatorImporter.run(file: try RealData.path("population/recensement_2021_sdr_bsl.csv"),
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: store)
        var o = IndicatorImportOptions(vintage: 2022, valueFields: ["population=Population, 2021", "logements=Logements privés, 2021"])
        o.join = .name
        let r = try IndicatorImporter.run(file: try Self.frenchTable(dir: dir, landArea: true), options: o, storePath: store)
        #expect(r.join.ambiguous.isEmpty)
        #expect(r.join.units.first { $0.code == "08023" }?.how == "nom+superficie")
        let s = try Stores.open(store)
        for name in ["population", "logements"] {
            #expect(try s.indicatorValues(name, vintage: 2022, level: .municipality) == s.indicatorValues(name, vintage: 2021, level: .municipality))
        }
    }

    @Test func aRepeatedNameWithoutDesignationIsAmbiguousNeverGuessed() throws {
        let dir = tempDir()
        let store = try Self.store(dir)
        var o = IndicatorImportOptions(vintage: 2021, valueFields: ["population=Population, 2021"])
        o.join = .name
        let r = try IndicatorImporter.run(file: try Self.frenchTable(dir: dir, keepDesignation: false), options: o, storePath: store)
        let cacouna = try #require(r.join.ambiguous.first { $0.name == "Cacouna" })
        #expect(cacouna.candidates.count == 2)
        #expect(try Stores.open(store).indicatorValues("population", vintage: 2021, level: .municipality)["12804"] == nil)
    }
}
