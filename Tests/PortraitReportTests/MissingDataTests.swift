import Foundation
import PortraitImport
import PortraitModel
@testable import PortraitReport
import PortraitStore
import PortraitTerritory
import PortraitTestSupport
import Testing

/// A missing value is never a statement: the census without its population column is refused naming the column;
/// a store without any population says it is unknown and draws nothing from it; a unit without a census value is
/// never « 0 habitants » nor a share.
@Suite(.serialized) struct MissingDataTests {
    static let stylesDir = projectRoot + "/styles"

    /// The shipped census with its population column taken out, as a user's extract might be.
    static func censusWithoutPopulation(in dir: String) throws -> String {
        let text = try String(contentsOfFile: ShippedBSL.directory + "/recensement_2021_sdr_bsl.csv", encoding: .utf8)
        // The file's own line ends are kept (CRLF or LF).
        let eol = text.contains("\r\n") ? "\r\n" : "\n"
        let lines = text.components(separatedBy: eol).filter { !$0.isEmpty }
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let i = try #require(header.firstIndex(of: "population_2021"))
        // Fields are quoted only where they hold a comma (the name); the population column comes after it.
        let rows = lines.map { line -> String in
            var fields: [String] = [], field = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle(); field.append(c) } else if c == "," && !quoted { fields.append(field); field = "" } else { field.append(c) }
            }
            fields.append(field)
            fields.remove(at: i)
            return fields.joined(separator: ",")
        }
        return try write(rows.joined(separator: eol) + eol, "recensement_sans_population.csv", in: dir)
    }

    /// BSL boundaries and the census without its population (its other columns, through `--indicator`).
    static let store: Result<String, any Error> = Result {
        let dir = tempDir("portrait-missing")
        let s = dir + "/sans-population.gpkg"
        let d = ShippedBSL.directory
        _ = try BoundaryImporter.run(file: d + "/bsl_municipalites_sda.geojson", options: .init(level: .municipality), storePath: s)
        _ = try BoundaryImporter.run(file: d + "/bsl_mrc_sda.geojson", options: .init(level: .mrc), storePath: s)
        _ = try BoundaryImporter.run(file: d + "/qc_regions_sda.geojson", options: .init(level: .region), storePath: s)
        let census = try censusWithoutPopulation(in: dir)
        for name in ["logements", "revenu_median_menage"] {
            _ = try IndicatorImporter.run(file: census, options: .init(indicator: name, vintage: 2021, preset: .statcanCensus), storePath: s)
        }
        return s
    }

    @Test func thePresetRefusesTheFileNamingTheColumn() throws {
        let dir = tempDir("portrait-missing-refused")
        let s = try ShippedBSL.load(into: dir + "/bsl.gpkg")
        let before = try Stores.open(s).imports(limit: 100).count
        do {
            _ = try IndicatorImporter.run(file: try Self.censusWithoutPopulation(in: dir), options: .init(vintage: 2021, preset: .statcanCensus), storePath: s)
            Issue.record("the file without population_2021 should be refused")
        } catch let e as ImportError {
            #expect(e.description.contains("« population » absente") && e.description.contains("population_2021") && e.description.contains("rien n'est importé"),
                    "\(e)")
        }
        #expect(try Stores.open(s).imports(limit: 100).count == before)
    }

    static func markdown(_ t: Territory, reference: Territory? = nil, store: String? = nil) throws -> String {
        var o = ReportOptions(territory: t, stylesDirectory: stylesDir, maps: false)
        o.reference = reference
        return ReportDocument(try ReportBuilder.build(storePath: try store ?? Self.store.get(), options: o)).markdown
    }

    @Test func noPopulationNoStatement() throws {
        for t in [try Territory.region("01"), try .mrc("10"), try .mrc("09")] {
            let md = try Self.markdown(t)
            for false_ in ["Aucune municipalité de 5 000", "— habitants", "compte 0 habitants", "En —", "0 habitants"] {
                #expect(!md.contains(false_), "« \(false_) » in \(t)")
            }
            #expect(md.contains("population n'est pas dans le magasin"), "\(t): \(md.prefix(600))")
            // The MRC table: unknown towns and unclassified coast are « — », never 0.
            if t.kind == .region {
                let row = try #require(md.components(separatedBy: "\n").first { $0.hasPrefix("| Rimouski-Neigette (10)") })
                #expect(row.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst(3).prefix(6).allSatisfy { $0 == "—" }, "\(row)")
            }
        }
        let fiche = try Self.markdown(try .municipality("10070"))
        #expect(fiche.contains("La population de Saint-Fabien n'est pas connue") && !fiche.contains("0 habitants"), "\(fiche.prefix(500))")
        #expect(fiche.contains("Paroisse · ") && !fiche.contains("désignation P"))
    }

    /// On the full shipped data: Cacouna, a reserve without a census value, has no « 0 habitants » and no share.
    @Test func aUnitWithoutCensusValueIsNeverZero() throws {
        let s = try ShippedBSL.load(into: tempDir("portrait-missing-bsl") + "/bsl.gpkg")
        let md = try Self.markdown(try .municipality("12804"), store: s)
        #expect(!md.contains("0 habitants") && md.contains("La population de Cacouna n'est pas connue"), "\(md.prefix(400))")
        var o = ReportOptions(territory: try .municipality("12804"), stylesDirectory: Self.stylesDir, maps: false)
        o.reference = nil
        let r = try ReportBuilder.build(storePath: s, options: o)
        #expect(r.portrait.populationTotal == nil && r.portrait.populationShare == nil)
    }
}
