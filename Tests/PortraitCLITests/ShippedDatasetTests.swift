import Foundation
@testable import PortraitCLI
import PortraitTestSupport
import Testing

/// The compact real dataset shipped in geodata/bsl/, loaded by scripts/load-bsl with the built
/// binary run from another folder, gives the figures of the official files in ../shared.
@Suite(.enabled(if: RealData.shouldRun, RealData.skipReason), .serialized)
struct ShippedDatasetTests {
    @Test func sameFiguresAsTheOfficialFiles() throws {
        let exe = try #require(Binary.url, "portrait not built")
        let store = scratch() + "/bsl.gpkg"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.root.path + "/scripts/load-bsl")
        p.arguments = [exe.path, store]
        p.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        // The official figures, computed from ../shared/geodata by the other tests and BENCHMARKS.md.
        _ = try RealData.path("README.md")
        let info = try Binary.run(["info", "--format", "json", "--store", store])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
        #expect((json["municipalities"] as? [String: Any])?["units"] as? Int == 132)
        let coast = try #require(((json["coast"] as? [String: Any])?["municipalities"]) as? [String: Any])
        #expect(coast["littoral"] as? Int == 28 && coast["interieur"] as? Int == 99)
        let portrait = try Binary.run(["portrait", "--region", "01", "--format", "json", "--store", store])
        let pj = try #require(try JSONSerialization.jsonObject(with: Data(portrait.stdout.utf8)) as? [String: Any])
        #expect(pj["population_total"] as? Double == 199_039)
        // Municipalities covered by two tables or more: all 111 of the region (its TNO and reserves are not municipalities).
        #expect((pj["mobilisations"] as? [String: Any])?["overlapping"] as? Int == 111)
        let gaps = try Binary.run(["gaps", "--region", "01", "--category", "sante", "--max-km", "15", "--format", "json", "--store", store])
        let gj = try #require(try JSONSerialization.jsonObject(with: Data(gaps.stdout.utf8)) as? [String: Any])
        #expect((gj["gaps"] as? [Any])?.count == 37 && gj["gap_area_km2"] as? Double == 11_858.9)
        // The report, from another folder: styles are found from the executable.
        let out = scratch() + "/r.html"
        let html = try Binary.run(["portrait", "--mrc", "10", "--format", "html", "-o", out, "--store", store])
        #expect(html.status == 0, "\(html.stderr)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        // Its 8 maps (no map of tables: every municipality has 4 or more) and one chart (the MRC by population; a region alone
        // in the store has no reference to compare with).
        #expect(text.contains("Rimouski-Neigette") && text.components(separatedBy: "<svg ").count - 1 == 8 + 1)
        #expect(text.components(separatedBy: "class=\"graphique\"").count - 1 == 1 && text.contains("Faits saillants"))
    }
}
