import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTestSupport
import Testing

/// The long-form census profile (98-401-X2021 layout), SYNTHETIC values on real subdivision ids of
/// Bas-Saint-Laurent, written in ISO-8859-1 with the repeated SYMBOL header and indented child names.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct CensusProfileTests {
    static let text = """
    CENSUS_YEAR,DGUID,ALT_GEO_CODE,GEO_LEVEL,GEO_NAME,TNR_SF,TNR_LF,DATA_QUALITY_FLAG,CHARACTERISTIC_ID,CHARACTERISTIC_NAME,CHARACTERISTIC_NOTE,C1_COUNT_TOTAL,SYMBOL,C2_COUNT_MEN+,SYMBOL,C3_COUNT_WOMEN+,SYMBOL
    2021,2021A000224,24,Province,Québec,3.1,4.2,0,1,"Population, 2021",1,8501833,,,,,
    2021,2021A00032410,2410,Census division,Rimouski-Neigette,3.1,4.2,0,1,"Population, 2021",1,57191,,,,,
    2021,2021A00052410043,2410043,Census subdivision,Rimouski,3.1,4.2,0,1,"Population, 2021",1,48935,,,,,
    2021,2021A00052410043,2410043,Census subdivision,Rimouski,3.1,4.2,0,8,  Total - Âge,,48935,,23600,,25335,
    2021,2021A00052410043,2410043,Census subdivision,Rimouski,3.1,4.2,0,9,    0 à 14 ans,,7000,,3600,,3400,
    2021,2021A00052410070,2410070,Census subdivision,Saint-Fabien,3.1,4.2,0,1,"Population, 2021",1,1830,,,,,
    2021,2021A00052410070,2410070,Census subdivision,Saint-Fabien,3.1,4.2,0,9,    0 à 14 ans,,,x,,x,,x
    2021,2021A00052413060,2413060,Census subdivision,Lac-des-Aigles,3.1,4.2,0,1,"Population, 2021",1,511,,,,,
    2021,2021A00052411020,2411020,Census subdivision,Saint-Guy,3.1,4.2,0,1,"Population, 2021",1,60,,,,,
    2021,2021A00053510005,3510005,Census subdivision,Ailleurs (Ontario),3.1,4.2,0,1,"Population, 2021",1,999,,,,,

    """

    @Test func streamedAndJoined() throws {
        let dir = tempDir()
        let store = dir + "/bsl.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("boundaries/bsl_municipalites_sda.geojson"), options: .init(level: .municipality),
                                     storePath: store)
        let file = dir + "/synthetique_98-401-X2021.csv"
        try #require(Self.text.data(using: .isoLatin1)).write(to: URL(fileURLWithPath: file))
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

    /// The same profile in UTF-16 (BOM) reads the same; one ISO-8859-1 line in a UTF-8 file refuses it with the
    /// line, where each line used to be decoded on its own.
    @Test func oneEncodingForTheWholeFile() throws {
        let dir = tempDir()
        let utf16 = dir + "/synthetique_profil_utf16.csv"
        try (Data([0xFF, 0xFE]) + Self.text.data(using: .utf16LittleEndian)!).write(to: URL(fileURLWithPath: utf16))
        let t = try CensusProfile.read(file: utf16, characteristics: ["1": "population"])
        #expect(t.rows.first { $0.code == "10043" }?.values["population"] == .value(48_935))
        let mixed = dir + "/synthetique_profil_mele.csv"
        let lines = Self.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var data = Data(lines[0...4].joined(separator: "\n").utf8) + Data("\n".utf8)
        data += lines[5].data(using: .isoLatin1)! + Data("\n".utf8)       // "0 à 14 ans" in ISO-8859-1
        data += Data(lines[6...].joined(separator: "\n").utf8)
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
