import Foundation
@testable import PortraitImport
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

    /// The services section says what it measured.
    @Test func theServicesSectionSaysWhatItMeasured() throws {
        let r = try ReportBuilder.build(storePath: try Self.store.get(), options: ReportOptions(territory: try .region("01"), stylesDirectory: projectRoot + "/styles", maps: false))
        let md = ReportDocument(r).markdown
        let section = try #require(md.components(separatedBy: "\n## ").first { $0.hasPrefix("Services") }, "\(md.prefix(300))")
        #expect(section.contains("Mesure : distance à vol d'oiseau (NAD83 / Québec Lambert, EPSG:32198)"), "\(section.prefix(400))")
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

/// The same rule at province scale, on the province layer (synthetic polygons, real codes, designations, MRC, regions)
/// with the MAMH register's populations joined by code: every fiche of a region gives one « sur N », the number of its
/// municipalities; a TNO's says « hors classement ».
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct ProvinceRanksTests {
    static let store: Result<String, any Error> = Result {
        let s = tempDir("portrait-ranks-qc") + "/qc.gpkg"
        _ = try BoundaryImporter.run(file: try RealData.path("synthetic/qc_municipalites_voronoi_synthetique.geojson"),
                                     options: .init(level: .municipality), storePath: s)
        var o = IndicatorImportOptions(vintage: 2025, valueFields: ["population=mpopul"])
        o.codeField = "mcode"
        _ = try IndicatorImporter.run(file: try RealData.path("population/mamh_repertoire_municipalites_2025.csv"), options: o, storePath: s)
        return s
    }

    @Test(arguments: [("09", 33), ("10", 5), ("01", 111)])
    func oneNumberForEveryFicheOfTheRegion(region: String, municipalities: Int) throws {
        let s = try Self.store.get()
        let units = try Stores.open(s).units(.municipality, withGeometry: false).filter { $0.regionCode == region }
        let ranked = units.filter { !$0.isAquatic && Designation.isMunicipality($0.designation) }
        #expect(ranked.count == municipalities)
        let outside = units.filter { !Designation.isMunicipality($0.designation) || $0.isAquatic }
        // Every fiche of a small region; a sample of the large one (every MRC's first two municipalities) and all its TNO.
        let checked = region == "01" ? Dictionary(grouping: ranked, by: { $0.mrcCode ?? "" }).values.flatMap { $0.prefix(2) } + outside
            : units
        var of: Set<Int> = []
        for u in checked {
            let r = try ReportBuilder.build(storePath: s, options: ReportOptions(territory: try .municipality(u.code), stylesDirectory: projectRoot + "/styles", maps: false))
            let c = try #require(r.portrait.comparison, "\(u.code)")
            let md = ReportDocument(r).markdown
            if outside.contains(where: { $0.code == u.code }) {
                #expect(c.figures.allSatisfy { $0.rank == nil }, "\(u.code) \(u.name)")
                // Said with its reason, whether or not the unit has a known figure (the Kativik TNO has none).
                #expect(md.lowercased().contains("hors classement") && md.contains("les rangs sont établis parmi les municipalités de la région"), "\(u.code) \(u.name)")
                #expect(md.contains("(territoire non organisé \(u.code))") || md.contains("(réserve \(u.code))"), "\(u.code) \(u.name): its title says what it is")
                #expect(!md.contains("sur \(municipalities + 1)"), "\(u.code) \(u.name) counts itself in")
            } else {
                let rank = try #require(c.figure("population")?.rank, "\(u.code) \(u.name)")
                of.insert(rank.of)
                #expect(md.contains("sur \(municipalities)"), "\(u.code) \(u.name)")
            }
        }
        #expect(of == [municipalities], "« sur N » of region \(region): \(of.sorted())")
        if region != "01" { #expect(!outside.isEmpty, "region \(region) has a TNO") }
    }
}
