import Foundation
@testable import PortraitImport
import PortraitModel
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// The population density (inhabitants per km² of land), computed at import from the census population and land
/// area of the shipped Bas-Saint-Laurent census (geodata/bsl): each municipality's is its population over its land
/// area, a merged one's its summed population over its summed area, an MRC's its total population over its total
/// land area (a mean weighted by area, not by population), and a suppressed or missing part is never guessed.
@Suite struct DensityTests {
    struct CensusRow { var code: String; var population: Double?; var area: Double? }

    /// The shipped census read on its own (a plain comma split: the file quotes only its names).
    static func census() throws -> [CensusRow] {
        let text = try String(contentsOfFile: ShippedBSL.directory + "/recensement_2021_sdr_bsl.csv", encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        let pop = header.firstIndex(of: "population_2021")!, area = header.firstIndex(of: "superficie_km2")!
        return lines.map { line in
            // Drop the quoted name, then split.
            let unquoted = line.replacingOccurrences(of: #""[^"]*""#, with: "NOM", options: .regularExpression)
            let f = unquoted.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return CensusRow(code: f[0], population: Double(f[pop]), area: Double(f[area]))
        }
    }

    static func store() throws -> String {
        let s = tempDir() + "/densite.gpkg"
        _ = try BoundaryImporter.run(file: ShippedBSL.directory + "/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: s)
        _ = try IndicatorImporter.run(file: ShippedBSL.directory + "/recensement_2021_sdr_bsl.csv",
                                      options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
        return s
    }

    @Test func eachMunicipalityIsItsPopulationOverItsLandArea() throws {
        let rows = try Self.census()
        let s = try Self.store()
        let store = try Stores.open(s)
        let density = try store.indicatorValues("densite_population", vintage: 2021, level: .municipality)
        let area = try store.indicatorValues("superficie_terre", vintage: 2021, level: .municipality)
        #expect(try store.indicatorDefinitions().first { $0.name == "densite_population" }?.weight == "superficie_terre")
        var checked = 0
        for r in rows where ["14080", "14085", "14090", "11020", "13060"].allSatisfy({ $0 != r.code }) {
            guard let d = density[r.code] else { continue }
            if let p = r.population, let a = r.area, a > 0 {
                #expect(abs((d.number ?? -1) - p / a) < 1e-9 * max(1, p / a), "\(r.code)")
                #expect(area[r.code]?.number == a)
                checked += 1
            } else {
                // Census cells left empty are suppressed: no density either, never a zero.
                #expect(d.number == nil, "\(r.code): \(d)")
            }
        }
        #expect(checked >= 110)
        // La Pocatière (14082) absorbed 14080, 14085 and 14090: its density is their summed population over their summed area.
        let parts = rows.filter { ["14080", "14085", "14090"].contains($0.code) }
        let merged = parts.compactMap(\.population).reduce(0, +) / parts.compactMap(\.area).reduce(0, +)
        #expect(parts.count == 3 && abs((density["14082"]?.number ?? 0) - merged) < 1e-9)
        #expect(abs((area["14082"]?.number ?? 0) - parts.compactMap(\.area).reduce(0, +)) < 1e-9)
    }

    @Test func anMRCsDensityIsItsPopulationOverItsArea() throws {
        let s = try Self.store()
        let store = try Stores.open(s)
        let pop = try store.indicatorValues("population", vintage: 2021, level: .municipality)
        let area = try store.indicatorValues("superficie_terre", vintage: 2021, level: .municipality)
        let density = try store.indicatorValues("densite_population", vintage: 2021, level: .municipality)
        let units = try store.units(.municipality, withGeometry: false).filter { $0.mrcCode == "10" && !$0.isAquatic }
        let both = units.filter { density[$0.code]?.number != nil }
        let expected = both.compactMap { pop[$0.code]?.number }.reduce(0, +) / both.compactMap { area[$0.code]?.number }.reduce(0, +)
        let p = try PortraitBuilder.build(storePath: s, options: .init(territory: try .mrc("10")))
        let d = try #require(p.indicators.first { $0.name == "densite_population" })
        #expect(d.weight == "superficie_terre" && d.unit == "hab./km²")
        #expect(abs((d.weightedMean ?? 0) - expected) < 1e-9, "\(d.weightedMean ?? 0) ≠ \(expected)")
        // Not the population-weighted mean of the densities (which the towns would pull up).
        let popWeighted = both.map { density[$0.code]!.number! * pop[$0.code]!.number! }.reduce(0, +) / both.map { pop[$0.code]!.number! }.reduce(0, +)
        #expect(abs(popWeighted - expected) > 1)
        // And said so in the portrait's words.
        let section = try #require(PortraitDocument.sections(p, language: .fr).first { $0.id == "indicator:densite_population" })
        let lines = section.blocks.flatMap { b -> [String] in if case .list(let l) = b { return l }; return [] }
        #expect(lines.contains { $0.contains("population totale sur superficie totale") && $0.contains(NumberText.format(expected, decimals: 2)) }, "\(lines)")
    }

    @Test func aSuppressedOrMissingPartLeavesNoDensity() {
        let d = DerivedIndicator.density
        #expect(d.value(["population": .value(100), "superficie_terre": .value(4)]) == .value(25))
        #expect(d.value(["population": .suppressed, "superficie_terre": .value(4)]) == .suppressed)
        #expect(d.value(["population": .value(100), "superficie_terre": .suppressed]) == .suppressed)
        #expect(d.value(["population": .value(100), "superficie_terre": .missing]) == .missing)
        #expect(d.value(["population": .value(100)]) == .missing)
        #expect(d.value(["population": .value(100), "superficie_terre": .value(0)]) == .missing)
    }

    @Test func mergedRatesUseTheirOwnWeight() {
        // A density column merged over two former codes: weighted by land area, it is the ratio of the sums.
        let (v, note) = IndicatorJoin.combine([.value(10), .value(100)], weights: [90, 10], kind: .rate, weight: "superficie_terre")
        #expect(v == .value((10 * 90 + 100 * 10) / 100.0) && note?.contains("superficie_terre") == true)
        let (none, why) = IndicatorJoin.combine([.value(10), .value(100)], weights: [90, nil], kind: .rate, weight: "superficie_terre")
        #expect(none == .missing && why?.contains("superficie_terre") == true)
    }
}
