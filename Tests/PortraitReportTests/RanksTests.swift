import Foundation
import PortraitImport
import PortraitModel
@testable import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// One rule for what a rank counts: the municipalities of the region (no TNO, reserve or aquatic TNO). Every
/// municipality's fiche gives the same « sur N »; a TNO's fiche says « hors classement » and why.
@Suite(.serialized) struct RanksTests {
    static let store: Result<String, any Error> = Result { try ShippedBSL.load(into: tempDir("portrait-ranks") + "/bsl.gpkg") }

    static func comparison(_ code: String) throws -> (Comparison, String) {
        let r = try ReportBuilder.build(storePath: try store.get(), options: ReportOptions(territory: try .municipality(code), stylesDirectory: projectRoot + "/styles", maps: false))
        return (try #require(r.portrait.comparison), ReportDocument(r).markdown)
    }

    @Test func everyMunicipalityIsRankedAmongTheSameMunicipalities() throws {
        let units = try Stores.open(try Self.store.get()).units(.municipality, withGeometry: false).filter { $0.regionCode == "01" }
        let municipalities = units.filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }
        #expect(municipalities.count == 111)
        // A sample across MRC and designations (M, P, V), and every TNO of one MRC.
        for code in ["10070", "10043", "07047", "12072", "14040", "08053"] where municipalities.contains(where: { $0.code == code }) {
            let (c, _) = try Self.comparison(code)
            let rank = try #require(c.figure("population")?.rank, "\(code)")
            #expect(rank.of == 111, "\(code): sur \(rank.of)")
        }
        let tno = units.filter { $0.designation == Designation.unorganised && $0.mrcCode == "07" }
        #expect(!tno.isEmpty)
        for u in tno {
            let (c, md) = try Self.comparison(u.code)
            #expect(c.figures.allSatisfy { $0.rank == nil }, "\(u.code)")
            if c.figure("population")?.value != nil {
                #expect(md.contains("Hors classement : les rangs sont établis parmi les municipalités") && md.contains("| hors classement |"), "\(u.code)")
            }
            #expect(!md.contains("sur 112") && !md.contains("/ 112"), "\(u.code)")
        }
    }
}
