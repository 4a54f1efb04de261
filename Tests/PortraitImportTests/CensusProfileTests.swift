import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// Rows of the long-form census profile in the publisher's own layout: the header and the rows of
/// ../shared/geodata/formats/statcan_98-401-X2021_profil_long_format.csv (Statistics Canada's download), with only their
/// cells changed, each keeping its quoting; ISO-8859-1 and CRLF when written. The values given here are SYNTHETIC.
enum PublishedProfile {
    static func lines() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try RealData.path("formats/statcan_98-401-X2021_profil_long_format.csv")))
        let text = try #require(String(data: data, encoding: .isoLatin1))
        return text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// The fields of a line with their raw text, quotes kept.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() }
            if c == ",", !quoted { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    /// `value` quoted as the publisher quotes the template's field.
    static func cell(_ template: String, _ value: String) -> String {
        template.hasPrefix("\"") ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// One row: the publisher's row of the same level (a division's from a province's) with the cells given.
    static func row(_ level: String, uid: String, name: String, id: Int, characteristic: String? = nil, count: String, symbol: String = "") throws -> String {
        let rows = try lines().dropFirst().map(fields)
        let source = level == "Census subdivision" ? "Census subdivision" : "Province"
        var t = try #require(rows.first { $0[3] == "\"\(source)\"" && (characteristic != nil || Int($0[8]) == id) } ?? rows.first { $0[3] == "\"\(source)\"" })
        let prefix = level == "Census subdivision" ? "2021A0005" : level == "Census division" ? "2021A0003" : "2021A0002"
        t[1] = cell(t[1], prefix + uid); t[2] = cell(t[2], uid); t[3] = cell(t[3], level); t[4] = cell(t[4], name)
        t[8] = String(id)
        if let characteristic { t[9] = cell(t[9], characteristic); t[10] = "" }
        t[11] = count; t[12] = cell(t[12], symbol)
        return t.joined(separator: ",")
    }

    /// The header and `rows`, CRLF, as one string (to be written in ISO-8859-1).
    static func file(_ rows: [String]) throws -> String { ([try lines()[0]] + rows).map { $0 + "\r\n" }.joined() }
}

/// The long-form census profile (98-401-X2021) in its publisher's layout, SYNTHETIC values on real subdivision ids of
/// Bas-Saint-Laurent: the province's and a division's rows, indented child names, a suppressed cell, old codes merged.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct CensusProfileTests {
    static func text() throws -> String {
        let csd = "Census subdivision"
        return try PublishedProfile.file([
            try PublishedProfile.row("Province", uid: "24", name: "Quebec", id: 1, count: "8501833"),
            try PublishedProfile.row("Census division", uid: "2410", name: "Rimouski-Neigette", id: 1, count: "57191"),
            try PublishedProfile.row(csd, uid: "2410043", name: "Rimouski", id: 1, count: "48935"),
            try PublishedProfile.row(csd, uid: "2410043", name: "Rimouski", id: 8, characteristic: "Total - Âge", count: "48935"),
            try PublishedProfile.row(csd, uid: "2410043", name: "Rimouski", id: 9, characteristic: "  0 à 14 ans", count: "7000"),
            try PublishedProfile.row(csd, uid: "2410070", name: "Saint-Fabien", id: 1, count: "1830"),
            try PublishedProfile.row(csd, uid: "2410070", name: "Saint-Fabien", id: 9, characteristic: "  0 à 14 ans", count: "", symbol: "x"),
            try PublishedProfile.row(csd, uid: "2413060", name: "Lac-des-Aigles", id: 1, count: "511"),
            try PublishedProfile.row(csd, uid: "2411020", name: "Saint-Guy", id: 1, count: "60"),
            try PublishedProfile.row(csd, uid: "3510005", name: "Ailleurs (Ontario)", id: 1, count: "999"),
        ])
    }

    @Test func streamedAndJoined() throws {
        let dir = tempDir()
        let store = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        let file = dir + "/synthetique_98-401-X2021.csv"
        let text = try Self.text()
        #expect(text.contains(",\"2021A00052410043\",\"2410043\",\"Census subdivision\",\"Rimouski\",") && text.contains("\r\n"), "the publisher's quoting")
        try #require(text.data(using: .isoLatin1)).write(to: URL(fileURLWithPath: file))
        var o = IndicatorImportOptions(vintage: 2021, preset: .statcanProfile)
        o.characteristics = try CensusProfile.parse(["1=population", "9=enfants_0_14"])
        let r = try IndicatorImporter.run(file: file, options: o, storePath: store)
        #expect(r.indicators == ["enfants_0_14", "population"])
        let s = try Stores.open(store)
        let pop = try s.indicatorValues("population", vintage: 2021, level: .municipality)
        let kids = try s.indicatorValues("enfants_0_14", vintage: 2021, level: .municipality)
        #expect(pop["10043"] == .value(48_935) && kids["10043"] == .value(7_000))
        #expect(kids["10070"] == .suppressed)                      // empty cell, x in the SYMBOL column
        #expect(pop["13062"] == .value(571))                       // 13060 and 11020 carried onto 13062
        #expect(r.join.merged.first?.oldCodes == ["11020", "13060"])
        #expect(pop.count == 3)                                    // province, division and Ontario rows left out
        #expect(try s.joinReport(importID: r.log.id!)?.contains("\"rows\":4") == true)
    }

    /// The profile as Statistics Canada writes it (rows copied from its download in ../shared/geodata/formats: every text
    /// field quoted, the DGUID too, ISO-8859-1, CRLF): the byte filter reads the quoted DGUID (it measured 18 bytes with
    /// its quotes, and dropped every line).
    @Test func thePublishersOwnBytes() throws {
        let dir = tempDir()
        let store = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        let file = try RealData.path("formats/statcan_98-401-X2021_profil_long_format.csv")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(bytes.range(of: Data("\"2021A00052410043\"".utf8)) != nil && bytes.range(of: Data("\r\n".utf8)) != nil, "the publisher's quoted layout")
        var o = IndicatorImportOptions(vintage: 2021, preset: .statcanProfile)
        o.characteristics = try CensusProfile.parse(["1=population", "4=logements", "243=revenu_median_menage"])
        let r = try IndicatorImporter.run(file: file, options: o, storePath: store)
        #expect(Set(r.indicators) == ["population", "logements", "revenu_median_menage"])
        let s = try Stores.open(store)
        #expect(try s.indicatorValues("population", vintage: 2021, level: .municipality)["10043"] == .value(48_935))
        #expect(try s.indicatorValues("logements", vintage: 2021, level: .municipality)["10043"] == .value(24_849))
        let income = try s.indicatorValues("revenu_median_menage", vintage: 2021, level: .municipality)
        #expect(income["10043"] == .value(66_000) && income["10070"] == .value(58_800))
    }

    /// A quarter-gigabyte profile written by the benchmark's own generator (`benchmarks/make_profile.py`) from the
    /// publisher's bytes and the BSL census: every subdivision of Bas-Saint-Laurent reads back the census's population,
    /// dwellings and median income, suppressed incomes suppressed, exactly as the census extract itself imports.
    @Test(.enabled(if: ExternalTool.find(["python3"]) != nil || RealData.isCI, "python3 absent"))
    func aQuarterGigabyteInThePublishersLayout() throws {
        let dir = tempDir("portrait-profile-250")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/profil_synthetique.csv", census = try RealData.path("population/recensement_2021_sdr_bsl.csv")
        _ = try ExternalTool.run(try #require(ExternalTool.find(["python3"])),
                                 [projectRoot + "/benchmarks/make_profile.py", try RealData.path("formats/statcan_98-401-X2021_profil_long_format.csv"),
                                  census, file, "250"])
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size >= 250 * 1024 * 1024)
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 4096) ?? Data()
        #expect(head.starts(with: Data("\"CENSUS_YEAR\",\"DGUID\"".utf8)) && head.range(of: Data("\r\n2021,\"2021A00052407005\",\"2407005\",".utf8)) != nil)
        #expect(String(data: head, encoding: .utf8) == nil || !head.contains(0xC3), "ISO-8859-1, not UTF-8")

        let boundaries = try RealData.path("boundaries/bsl_municipalites_sda.geojson")
        let fromProfile = dir + "/profil.gpkg", fromCensus = dir + "/recensement.gpkg"
        for s in [fromProfile, fromCensus] { _ = try BoundaryImporter.run(file: boundaries, options: .init(level: .municipality), storePath: s) }
        var o = IndicatorImportOptions(vintage: 2021, preset: .statcanProfile)
        o.characteristics = try CensusProfile.parse(["1=population", "4=logements", "243=revenu_median_menage"])
        let r = try IndicatorImporter.run(file: file, options: o, storePath: fromProfile)
        #expect(r.join.rows == 128)
        _ = try IndicatorImporter.run(file: census, options: .init(vintage: 2021, preset: .statcanCensus), storePath: fromCensus)
        let p = try Stores.open(fromProfile), c = try Stores.open(fromCensus)
        for name in ["population", "logements", "revenu_median_menage"] {
            let a = try p.indicatorValues(name, vintage: 2021, level: .municipality), b = try c.indicatorValues(name, vintage: 2021, level: .municipality)
            #expect(a == b, "\(name): the profile and the census extract differ")
            #expect(a.count >= 110, "\(name): \(a.count) subdivisions")
        }
        let income = try p.indicatorValues("revenu_median_menage", vintage: 2021, level: .municipality)
        #expect(income.values.filter { $0 == .suppressed }.count == r.join.suppressed["revenu_median_menage"] && income.values.contains(.suppressed))
        #expect(try p.indicatorValues("population", vintage: 2021, level: .municipality)["10043"] == .value(48_935))
    }

    /// The same profile in UTF-16 (BOM) reads the same; one ISO-8859-1 line in a UTF-8 file refuses it with the
    /// line, where each line used to be decoded on its own.
    @Test func oneEncodingForTheWholeFile() throws {
        let dir = tempDir()
        let utf16 = dir + "/synthetique_profil_utf16.csv"
        let text = try Self.text()
        try (Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!).write(to: URL(fileURLWithPath: utf16))
        let t = try CensusProfile.read(file: utf16, characteristics: ["1": "population"])
        #expect(t.rows.first { $0.code == "10043" }?.values["population"] == .value(48_935))
        let mixed = dir + "/synthetique_profil_mele.csv"
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[5].contains("0 à 14 ans"))
        var data = Data(lines[0...4].joined(separator: "\r\n").utf8) + Data("\r\n".utf8)
        data += lines[5].data(using: .isoLatin1)! + Data("\r\n".utf8)       // "0 à 14 ans" in ISO-8859-1
        data += Data(lines[6...].joined(separator: "\r\n").utf8)
        try data.write(to: URL(fileURLWithPath: mixed))
        #expect { try CensusProfile.read(file: mixed, characteristics: ["1": "population"]) } throws: {
            "\($0)".contains("ligne 6") && "\($0)".contains("encodages mêlés")
        }
    }

    @Test func aFileThatIsNotAProfileSaysWhatItExpects() throws {
        let dir = tempDir()
        let f = try write("code,valeur\n10043,1\n", "pas_un_profil.csv", in: dir)
        #expect { try CensusProfile.read(file: f, characteristics: ["1": "population"]) } throws: {
            "\($0)".contains("CHARACTERISTIC_ID") && ErrorKind.of($0) == .invalidInput
        }
        #expect { try CensusProfile.parse(["population"]) } throws: { "\($0)".contains("ID=NOM") }
    }
}
